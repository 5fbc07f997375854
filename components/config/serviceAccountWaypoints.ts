/**
 * `mesh.namespaces.<ns>.serviceAccounts`: waypoints per service account, normalized and
 * validated (each issue at its path, naming the fix). Pure; split from ambient.ts to keep it short.
 */
import type { WaypointFor } from "../ambient/facts";
import { dnsLabelProblem } from "../versions/version";
import type { AmbientNamespaceConfig, AmbientScope, RawWaypoint, ServiceAccountWaypoint } from "./ambient";
import type { ConfigIssue } from "./errors";
import { byKey } from "./order";

/** What a service account's waypoint takes when `for` is not set: its workloads' traffic. */
export const SERVICE_ACCOUNT_WAYPOINT_FOR: WaypointFor = "workload";
/** istio.io/waypoint-for values that take a workload's traffic (service and none do not). */
const FOR_WORKLOADS: readonly WaypointFor[] = ["workload", "all"];
/** A Kubernetes object name (DNS-1123 subdomain): what a ServiceAccount may be called. */
const SUBDOMAIN = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * `mesh.namespaces.<ns>.serviceAccounts`: each ServiceAccount is labelled istio.io/use-waypoint
 * with a waypoint Gateway of the namespace. One Gateway has one istio.io/rev and one
 * istio.io/waypoint-for, so accounts (and the namespace's own waypoint) that share a waypoint
 * name must agree on both; `for` must take workload traffic (FACTS.md, "Waypoints").
 */
export function serviceAccountWaypoints(
    ns: string,
    spec: { revision: string; serviceAccounts?: Readonly<Record<string, { waypoint: RawWaypoint }>> },
    nsWaypoint: AmbientNamespaceConfig["waypoint"],
    ambient: boolean,
    scope: AmbientScope,
    issues: ConfigIssue[],
): ServiceAccountWaypoint[] {
    const at = (...p: PropertyKey[]) => scope.at("namespaces", ns, "serviceAccounts", ...p);
    const problem = (path: string, message: string) => issues.push({ path, message });
    const entries = Object.entries(spec.serviceAccounts ?? {}).sort(byKey);
    if (entries.length > 0 && !ambient) {
        problem(at(), "waypoints serve ambient workloads; set mesh.dataplane: ambient first (then bind service accounts to waypoints, before their namespace moves to ambient)");
    }
    // Waypoint name -> what the first user said of it, to refuse a second that says otherwise.
    const seen = new Map<string, { revision: string; for: WaypointFor; by: string }>();
    if (nsWaypoint !== undefined) seen.set(nsWaypoint.name, { revision: nsWaypoint.revision, for: nsWaypoint.for ?? "service", by: `mesh.namespaces.${ns}.waypoint` });
    const out: ServiceAccountWaypoint[] = [];
    for (const [sa, v] of entries) {
        if (!SUBDOMAIN.test(sa)) {
            problem(at(sa), `"${sa}" is not a ServiceAccount name (lowercase letters, digits, '-' and '.', at most 253); write the account's metadata.name`);
            continue;
        }
        const wName = v.waypoint.name ?? `${sa}-waypoint`;
        const nameP = dnsLabelProblem(wName);
        if (nameP) problem(at(sa, "waypoint", "name"), v.waypoint.name === undefined ? `the default waypoint name "${wName}" (<account>-waypoint) is not a DNS label; set waypoint.name, e.g. reviews-waypoint` : nameP);
        const rp = v.waypoint.revision === undefined ? undefined : scope.refProblem(v.waypoint.revision);
        if (rp) problem(at(sa, "waypoint", "revision"), rp);
        const wFor = v.waypoint.for ?? SERVICE_ACCOUNT_WAYPOINT_FOR;
        if (!FOR_WORKLOADS.includes(wFor)) {
            problem(at(sa, "waypoint", "for"), `a waypoint that a service account uses takes its workloads' own traffic; istio.io/waypoint-for "${wFor}" does not (service takes only traffic addressed to Services, none nothing): set for: workload (the default) or all`);
        }
        const wRev = v.waypoint.revision ?? spec.revision;
        const other = seen.get(wName);
        if (other !== undefined && (other.revision !== wRev || other.for !== wFor)) {
            problem(
                at(sa, "waypoint"),
                `waypoint "${wName}" is also ${other.by}'s, with revision ${other.revision} and for: ${other.for}; one Gateway has one istio.io/rev and one istio.io/waypoint-for: give this one another name, or the same revision and for`,
            );
        }
        if (other === undefined) seen.set(wName, { revision: wRev, for: wFor, by: `service account ${sa}` });
        out.push({ name: sa, waypoint: { name: wName, revision: wRev, for: wFor } });
    }
    return out;
}

