/**
 * `mesh.namespaces.<ns>.services`: waypoints per Service, normalized and validated (each issue at
 * its path, naming the fix), and the refusal of the old `serviceAccounts` key. Pure; split from
 * ambient.ts to keep it short.
 */
import type { WaypointFor } from "../ambient/facts";
import { dnsLabelProblem } from "../versions/version";
import type { AmbientNamespaceConfig, AmbientScope, RawWaypoint, ServiceWaypoint } from "./ambient";
import { DEFAULTS } from "./defaults";
import type { ConfigIssue } from "./errors";
import { byKey } from "./order";

/**
 * istio.io/waypoint-for values Istio accepts for a Service's waypoint: fetchWaypointForService
 * (pilot/pkg/serviceregistry/ambient/waypoints.go, 1.30.3) takes only `service` or `all`, and
 * gives the Service an error status for any other.
 */
const FOR_SERVICES: readonly WaypointFor[] = ["service", "all"];
/** A Service name is a DNS-1035 label: lowercase letters, digits and '-', a letter first, at most 63. */
const SERVICE_NAME = /^(?=.{1,63}$)[a-z]([-a-z0-9]*[a-z0-9])?$/;

/**
 * The old `mesh.namespaces.<ns>.serviceAccounts` key, refused wherever it is set: Istio never
 * reads istio.io/use-waypoint from a ServiceAccount, so such a binding would leave traffic
 * bypassing the waypoint while its L7 policy looked enforced.
 */
export function serviceAccountsKeyIssue(ns: string, scope: AmbientScope): ConfigIssue {
    return {
        path: scope.at("namespaces", ns, "serviceAccounts"),
        message:
            "Istio binds waypoints to namespaces, Services and pods, never to a ServiceAccount (istio.io/use-waypoint is read from the Service or the pod, then its namespace: " +
            "fetchWaypointForTarget in pilot/pkg/serviceregistry/ambient/waypoints.go), so this binding would send no traffic through the waypoint. " +
            `Remove serviceAccounts; bind Services with mesh.namespaces.${ns}.services.<service>.waypoint, the whole namespace with mesh.namespaces.${ns}.waypoint, ` +
            "or, for a per-workload waypoint, label the pod template of the Deployment istio.io/use-waypoint=<name> (with a waypoint of for: workload or all)",
    };
}

/**
 * `mesh.namespaces.<ns>.services`: each existing Service is labelled istio.io/use-waypoint with a
 * waypoint Gateway of the namespace. One Gateway has one istio.io/rev and one
 * istio.io/waypoint-for, so Services (and the namespace's own waypoint) that share a waypoint
 * name must agree on both; `for` must take Service traffic (FACTS.md, "Waypoints").
 */
export function serviceWaypoints(
    ns: string,
    spec: { revision: string; services?: Readonly<Record<string, { waypoint: RawWaypoint }>> },
    nsWaypoint: AmbientNamespaceConfig["waypoint"],
    ambient: boolean,
    scope: AmbientScope,
    issues: ConfigIssue[],
): ServiceWaypoint[] {
    const at = (...p: PropertyKey[]) => scope.at("namespaces", ns, "services", ...p);
    const problem = (path: string, message: string) => issues.push({ path, message });
    const entries = Object.entries(spec.services ?? {}).sort(byKey);
    if (entries.length > 0 && !ambient) {
        problem(at(), "waypoints serve ambient workloads; set mesh.dataplane: ambient first (then bind Services to waypoints, before their namespace moves to ambient)");
    }
    // Waypoint name -> what the first user said of it, to refuse a second that says otherwise.
    const seen = new Map<string, { revision: string; for: WaypointFor; by: string }>();
    if (nsWaypoint !== undefined) seen.set(nsWaypoint.name, { revision: nsWaypoint.revision, for: nsWaypoint.for ?? "service", by: `mesh.namespaces.${ns}.waypoint` });
    const out: ServiceWaypoint[] = [];
    for (const [svc, v] of entries) {
        if (!SERVICE_NAME.test(svc)) {
            problem(at(svc), `"${svc}" is not a Service name (a DNS-1035 label: lowercase letters, digits and '-', starting with a letter, at most 63); write the Service's metadata.name`);
            continue;
        }
        const wName = v.waypoint.name ?? `${svc}${DEFAULTS.waypoint.serviceNameSuffix}`;
        const nameP = dnsLabelProblem(wName);
        if (nameP) problem(at(svc, "waypoint", "name"), v.waypoint.name === undefined ? `the default waypoint name "${wName}" (<service>${DEFAULTS.waypoint.serviceNameSuffix}) is not a DNS label; set waypoint.name, e.g. reviews-waypoint` : nameP);
        const rp = v.waypoint.revision === undefined ? undefined : scope.refProblem(v.waypoint.revision);
        if (rp) problem(at(svc, "waypoint", "revision"), rp);
        const wFor = v.waypoint.for ?? DEFAULTS.waypoint.serviceFor;
        if (!FOR_SERVICES.includes(wFor)) {
            problem(
                at(svc, "waypoint", "for"),
                `Istio routes a Service through its waypoint only when the waypoint takes Service traffic (istio.io/waypoint-for service or all; fetchWaypointForService in pilot/pkg/serviceregistry/ambient/waypoints.go gives the Service an error status otherwise), and "${wFor}" does not: ` +
                    `set for: service (the default) or all; for a per-workload waypoint, label the pod template istio.io/use-waypoint instead`,
            );
        }
        const wRev = v.waypoint.revision ?? spec.revision;
        const other = seen.get(wName);
        if (other !== undefined && (other.revision !== wRev || other.for !== wFor)) {
            problem(
                at(svc, "waypoint"),
                `waypoint "${wName}" is also ${other.by}'s, with revision ${other.revision} and for: ${other.for}; one Gateway has one istio.io/rev and one istio.io/waypoint-for: give this one another name, or the same revision and for`,
            );
        }
        if (other === undefined) seen.set(wName, { revision: wRev, for: wFor, by: `Service ${svc}` });
        out.push({ name: svc, waypoint: { name: wName, revision: wRev, for: wFor } });
    }
    return out;
}
