/**
 * The ambient and Gateway API steps of the runbook view, placed where the program carries them
 * out: CRDs before the control planes, ztunnel, waypoints, labels and restarts after them,
 * removals last; and the checks an operator makes by hand between the documented steps (the
 * program does not run them). Pure; steps.ts of components/plan merges them.
 */
import { ambientSteps } from "./steps";
import { AmbientSource, ambientStateOf, hasAmbientOrGatewayApi } from "./record";
import type { AmbientState } from "./state";
import { gatewayKey, gatewayRevision, waypoints } from "./state";
import { ZTUNNEL_NAME } from "./facts";

type Source = AmbientSource & { readonly management: "helm" | "aks-addon" };

export interface AmbientPlanSteps {
    /** Before the control planes (the CRDs they read). */
    readonly first: string[];
    /** After the namespaces' and gateways' moves: profiles, ztunnel, waypoints, labels, restarts, checks. */
    readonly middle: string[];
    /** Before the old revisions go: deletions. */
    readonly last: string[];
}

const NONE: AmbientPlanSteps = { first: [], middle: [], last: [] };
const isCrd = (s: string) => /Gateway API CRDs/.test(s);
const isRemoval = (s: string) => /^(Delete |Uninstall ztunnel|Turn off the ambient profile)/.test(s);

export function ambientPlanSteps(from: Source | undefined, to: Source): AmbientPlanSteps {
    if (to.management !== "helm" || (!hasAmbientOrGatewayApi(from) && !hasAmbientOrGatewayApi(to))) {
        return NONE;
    }
    const before = from === undefined || from.management !== "helm" ? undefined : ambientStateOf(from);
    const after = ambientStateOf(to);
    // istio-cni's install and version upgrades are the CNI steps' (cni/rules.ts); only the profile switch is news here.
    const cniProfileOnly = (s: string) => !/^(Install|Upgrade) istio-cni /.test(s) || (before?.cni !== undefined && !before.cni.ambient && before.cni.version === after.cni?.version);
    const all = ambientSteps(before, after).filter(cniProfileOnly);
    return {
        first: all.filter(isCrd),
        middle: [...all.filter((s) => !isCrd(s) && !isRemoval(s)), ...checks(before, after)],
        last: all.filter(isRemoval),
    };
}

/** What to verify by hand once the update ran, in the order the migration guide asks. */
function checks(from: AmbientState | undefined, to: AmbientState): string[] {
    const out: string[] = [];
    const [bz, az] = [from?.ztunnel, to.ztunnel];
    if (az !== undefined && (bz === undefined || bz.version !== az.version || bz.revision !== az.revision)) {
        out.push(`Check by hand: ztunnel ${az.version} runs on every node (kubectl rollout status daemonset/${ZTUNNEL_NAME} -n ${to.istioNamespace})${bz === undefined ? " before any namespace moves to ambient" : ""}`);
    }
    // A Gateway whose label stays while its tag moves: the newly selected istiod redeploys its pods.
    for (const g of to.gateways) {
        const old = from?.gateways.find((x) => gatewayKey(x) === gatewayKey(g) && x.className === g.className);
        const [was, now] = [old === undefined || from === undefined ? undefined : gatewayRevision(from, old), gatewayRevision(to, g)];
        if (old !== undefined && old.revision === g.revision && was !== undefined && now !== undefined && was.name !== now.name) {
            out.push(
                `${g.className === "istio-waypoint" ? "Waypoint" : "Gateway"} ${gatewayKey(g)} follows ${g.revision ?? "its namespace"}: istiod ${now.name} redeploys its pods (was ${was.name}); check it is Programmed (kubectl wait --for=condition=Programmed gateway/${g.name} -n ${g.namespace})`,
            );
        }
    }
    const before = new Set((from === undefined ? [] : waypoints(from)).map(gatewayKey));
    for (const w of waypoints(to).filter((x) => !before.has(gatewayKey(x)))) {
        out.push(`Check by hand: waypoint ${gatewayKey(w)} is Programmed (kubectl wait --for=condition=Programmed gateway/${w.name} -n ${w.namespace}) before its namespace moves to ambient`);
    }
    const was = new Map((from?.namespaces ?? []).map((n) => [n.name, n]));
    for (const n of to.namespaces) {
        const old = was.get(n.name);
        if (old !== undefined && old.dataplane === "sidecar" && n.dataplane === "ambient" && n.revision === undefined) {
            out.push(
                `Check by hand: no pod of namespace ${n.name} still has a sidecar once its restart ran (kubectl get pods -n ${n.name} -o jsonpath='{range .items[*]}{.metadata.name} {.metadata.annotations.sidecar\\.istio\\.io/status}{"\\n"}{end}' lists none with a status)`,
            );
        }
    }
    return out;
}
