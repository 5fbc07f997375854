/**
 * The ambient and Gateway API steps of a change, in the documented order (FACTS.md, "Upgrade"
 * and "Sidecar -> ambient"): CRDs, istiod profile, istio-cni, ztunnel, waypoints, waypoint
 * bindings, data-plane labels, restarts, removals last. Pure; in the words of the manual
 * runbook, like components/plan/steps.ts, which merges them through planSteps.ts.
 */
import { LABELS, ZTUNNEL_NAME } from "./facts";
import { AmbientNamespace, AmbientState, gatewayKey, IstiodGateway } from "./state";

const restart = (n: string) => `kubectl rollout restart deployment,statefulset,daemonset -n ${n}`;
const byName = <T extends { readonly name: string }>(xs: readonly T[]) => new Map(xs.map((x) => [x.name, x]));
const byKey = (gs: readonly IstiodGateway[]) => new Map(gs.map((g) => [gatewayKey(g), g]));
const label = (g: IstiodGateway) => (g.revision === undefined ? "no istio.io/rev (its namespace's, else the default)" : `istio.io/rev=${g.revision}`);

function crdSteps(from: AmbientState | undefined, to: AmbientState): string[] {
    const [b, a] = [from?.gatewayApi, to.gatewayApi];
    if (a?.managed !== true) {
        return [];
    }
    if (b?.managed !== true) {
        return [`Install the Gateway API CRDs ${a.version} (${a.channel} channel), before any istiod that reads them`];
    }
    return b.version === a.version && b.channel === a.channel ? [] : [`Upgrade the Gateway API CRDs ${b.version} -> ${a.version} (${a.channel} channel), before any istiod that reads them`];
}

function nodeAgentSteps(from: AmbientState | undefined, to: AmbientState): string[] {
    const out: string[] = [];
    const before = byName(from?.revisions ?? []);
    for (const r of to.revisions.filter((x) => x.ambient && before.get(x.name)?.ambient === false)) {
        out.push(`Upgrade istiod-${r.name} in place with profile ambient (PILOT_ENABLE_AMBIENT, HBONE for sidecars)`);
    }
    const [bc, ac] = [from?.cni, to.cni];
    if (ac?.ambient === true && bc?.ambient !== true) {
        out.push(`${bc === undefined ? "Install" : "Upgrade"} istio-cni ${ac.version} with profile ambient, after istiod; node by node, new pods on a node wait while its agent restarts`);
    } else if (ac?.ambient === true && bc !== undefined && bc.version !== ac.version) {
        out.push(`Upgrade istio-cni in place ${bc.version} -> ${ac.version} (profile ambient), after the new istiod; node by node, new pods on a node wait while its agent restarts`);
    }
    const [bz, az] = [from?.ztunnel, to.ztunnel];
    if (az !== undefined && bz === undefined) {
        out.push(
            `Install ztunnel ${az.version} (Helm release ${ZTUNNEL_NAME}, DaemonSet ${ZTUNNEL_NAME} in ${to.istioNamespace}) connected to istiod-${az.revision ?? "?"}; wait until it runs on every node`,
        );
    } else if (az !== undefined && bz !== undefined && (bz.version !== az.version || bz.revision !== az.revision)) {
        out.push(
            `Upgrade ztunnel in place ${bz.version} -> ${az.version}, connected to istiod-${az.revision ?? "?"}: node by node, a new ztunnel pod starts before the old one stops; long-lived TCP connections of ambient pods on each node are reset (cordon and drain first to avoid that)`,
        );
    }
    return out;
}

function gatewayAddSteps(from: AmbientState | undefined, to: AmbientState): string[] {
    const before = byKey(from?.gateways ?? []);
    return to.gateways.flatMap((g) => {
        const old = before.get(gatewayKey(g));
        const what = g.className === "istio-waypoint" ? `waypoint ${gatewayKey(g)} (Gateway, class istio-waypoint, HBONE 15008)` : `gateway ${gatewayKey(g)} (Gateway, class istio)`;
        if (old === undefined) {
            return [`Create ${what} with ${label(g)}; istiod deploys it; wait until it is Programmed`];
        }
        return old.revision === g.revision ? [] : [`Relabel ${what} ${label(old)} -> ${label(g)}: the istiod it names redeploys its pods`];
    });
}

function namespaceSteps(from: AmbientState | undefined, to: AmbientState): { labels: string[]; restarts: string[] } {
    const before = byName(from?.namespaces ?? []);
    const labels: string[] = [];
    const restarts: string[] = [];
    for (const n of to.namespaces) {
        const old: AmbientNamespace | undefined = before.get(n.name);
        if (n.useWaypoint !== undefined && old?.useWaypoint !== n.useWaypoint) {
            labels.push(`Label namespace ${n.name} ${LABELS.useWaypoint}=${n.useWaypoint} (after its waypoint is Programmed)`);
        }
        if (old === undefined) {
            if (n.dataplane === "ambient") {
                labels.push(`Label namespace ${n.name} ${LABELS.dataplaneMode}=ambient: its pods are captured by ztunnel as they start, no restart needed`);
            }
            continue;
        }
        if (old.dataplane === "sidecar" && n.dataplane === "ambient") {
            labels.push(`Label namespace ${n.name} ${LABELS.dataplaneMode}=ambient${old.revision !== undefined && n.revision === undefined ? ` and remove ${LABELS.rev}` : ""}; running pods keep their sidecars until they restart`);
            restarts.push(`Restart the workloads of namespace ${n.name}: they come back without sidecars, captured by ztunnel (${restart(n.name)}); then delete sidecar-only policies with L7 rules`);
        } else if (old.dataplane === "ambient" && n.dataplane === "ambient" && old.revision === undefined && n.revision !== undefined) {
            labels.push(`Label namespace ${n.name} ${LABELS.rev}=${n.revision} (it stays ambient): new pods get sidecars, which win over ambient`);
            restarts.push(`Restart the workloads of namespace ${n.name} so they come back with sidecars (${restart(n.name)})`);
        } else if (old.dataplane === "ambient" && n.dataplane === "sidecar") {
            labels.push(`Remove ${LABELS.dataplaneMode} from namespace ${n.name}: its pods ${old.revision !== undefined ? "already run sidecars" : "leave ztunnel at once"}`);
        }
        if (old.useWaypoint !== undefined && n.useWaypoint === undefined) {
            labels.push(`Remove ${LABELS.useWaypoint} from namespace ${n.name}: its traffic stops going through waypoint "${old.useWaypoint}"`);
        }
    }
    labels.push(...serviceSteps(from, to));
    return { labels, restarts };
}

/** istio.io/use-waypoint on Services: bound after their waypoint is Programmed, released before it is deleted. */
function serviceSteps(from: AmbientState | undefined, to: AmbientState): string[] {
    const bindings = (s: AmbientState | undefined) => new Map((s?.namespaces ?? []).flatMap((n) => (n.services ?? []).map((svc) => [`${n.name}/${svc.name}`, svc.useWaypoint] as const)));
    const [before, after] = [bindings(from), bindings(to)];
    const out: string[] = [];
    for (const [svc, w] of after) {
        if (before.get(svc) !== w) {
            out.push(`Label Service ${svc} ${LABELS.useWaypoint}=${w} (after waypoint ${svc.split("/")[0]}/${w} is Programmed): traffic addressed to the Service goes through it; the Service must exist (the application creates it)`);
        }
    }
    for (const [svc, w] of before) {
        if (!after.has(svc)) out.push(`Remove ${LABELS.useWaypoint} from Service ${svc}: traffic addressed to it stops going through waypoint "${w}"`);
    }
    return out;
}

function removalSteps(from: AmbientState | undefined, to: AmbientState): string[] {
    if (from === undefined) {
        return [];
    }
    const after = byKey(to.gateways);
    const out = from.gateways.filter((g) => !after.has(gatewayKey(g))).map((g) => `Delete ${g.className === "istio-waypoint" ? "waypoint" : "gateway"} ${gatewayKey(g)} (istiod removes its Deployment and Service)`);
    if (from.ztunnel !== undefined && to.ztunnel === undefined) {
        out.push(`Uninstall ztunnel (release ${ZTUNNEL_NAME}), after every namespace has left ambient`);
    }
    if (from.cni?.ambient === true && to.cni?.ambient !== true) {
        out.push(`Turn off the ambient profile of istio-cni${to.cni === undefined ? " (uninstall it)" : ""}, after ztunnel`);
    }
    return out;
}

/** FROM (undefined: first install) -> TO, the ambient and Gateway API steps; [] when none change. */
export function ambientSteps(from: AmbientState | undefined, to: AmbientState): string[] {
    const ns = namespaceSteps(from, to);
    return [...crdSteps(from, to), ...nodeAgentSteps(from, to), ...gatewayAddSteps(from, to), ...ns.labels, ...ns.restarts, ...removalSteps(from, to)];
}
