/**
 * The in-use rule: a revision may go only when no live pod runs its proxy. The pods come from
 * the live cluster at preview and up (read-only); this module only judges them.
 */
import { describeGatewayUse, GatewayInUse, gatewaysInUse, moveGatewayCommands } from "../ambient/inUse";
import { ambientStateOf, hasAmbientOrGatewayApi } from "../ambient/record";
import { gatewayKey } from "../ambient/state";
import { effectiveTags } from "../config/model";
import { restartedBy, Restarted } from "../dataplane/effective";
import { addonOwnPod, listPods, namespacesOf, PodFacts, restartedByUpdate, revisionsInUse } from "../dataplane/inUse";
import { MeshState } from "../state/deployed";
import type { Problem } from "./transitions";
import type { GatewayFacts, NamespaceFacts } from "../ambient/inUse";

/**
 * What the live cluster answered: its pods (and, when asked, its Gateways and namespaces), that
 * it could not be asked, or not asked (offline plan).
 */
export type LiveCheck = { readonly pods: readonly PodFacts[]; readonly gateways?: readonly GatewayFacts[]; readonly namespaces?: readonly NamespaceFacts[] } | { readonly unreachable: string } | { readonly offline: true };

export const IN_USE_RULES = {
    inUse: "removed-revision-in-use",
    unavailable: "in-use-check-unavailable",
    gatewayInUse: "removed-revision-waypoint-in-use",
} as const;

/** Revisions deployed in FROM and gone in TO. */
export function removedRevisions(from: MeshState | undefined, to: MeshState): string[] {
    const next = new Set(to.revisions.map((r) => r.name));
    return (from?.revisions ?? []).map((r) => r.name).filter((n) => !next.has(n));
}

/**
 * The pods the preview-time check leaves to the removal gate: those this same update replaces
 * (Deployments, StatefulSets, DaemonSets of the namespaces it restarts, the pods of the gateways
 * it rolls), and, with the AKS add-on, the add-on's own istiod and gateway pods, which go with
 * the revision. Every other pod counts.
 */
export function skippedAtPreview(from: MeshState | undefined, to: MeshState): (pod: PodFacts) => boolean {
    const restarted = restartedBy(from, to);
    const scope = { namespaces: restarted.namespaces.map((n) => n.name), gateways: restarted.gateways };
    const addon = to.management === "aks-addon";
    return (pod) => (addon && addonOwnPod(pod)) || restartedByUpdate(pod, scope);
}

/**
 * Refusals for removed revisions that live pods still use, at the time of the check (preview
 * and the start of up). Pods that this update restarts are not counted here: the restarts run
 * first, and the removal gate (dataplane/removalGate.ts) checks every pod again after them and
 * fails the update, before anything is removed, if any still runs the revision. Pods nothing
 * in this update restarts (another namespace, a bare pod, a Job, restart: false) can only be
 * moved by hand: they refuse the change here, before anything is touched.
 */
export function inUseProblems(from: MeshState | undefined, to: MeshState, live: LiveCheck | undefined): Problem[] {
    const removed = removedRevisions(from, to);
    if (removed.length === 0 || live === undefined || "offline" in live) {
        return [];
    }
    if ("unreachable" in live) {
        return [
            {
                code: IN_USE_RULES.unavailable,
                message:
                    `revision${removed.length > 1 ? "s" : ""} ${removed.join(", ")} would be removed, but the cluster could not be asked which pods still use ` +
                    `${removed.length > 1 ? "them" : "it"} (${live.unreachable}). Fix access to the cluster and preview again, or check by hand ` +
                    `(kubectl get pods -A -L istio.io/rev) and override this rule for one run.`,
            },
        ];
    }
    const tags = new Map(Object.entries(from?.tags ?? {}));
    const gateways = runGatewayRows(from, to, { ...live, removed });
    return [...revisionsInUse(removed, live.pods, tags, skippedAtPreview(from, to)).map((use) => ({
        code: IN_USE_RULES.inUse,
        message:
            `revision "${use.revision}" is removed while ${use.pods.length} running or pending pod${use.pods.length === 1 ? "" : "s"} that this update does not restart still use its proxy: ` +
            `${listPods(use.pods)}. Restart them onto another revision first (${namespacesOf(use.pods)
                .map((ns) => `kubectl rollout restart deployment,statefulset,daemonset -n ${ns}`)
                .join("; ")}; a bare pod or a Job's pod must be deleted or re-created), wait until they are replaced, then remove "${use.revision}".`,
    })), ...gateways];
}

/** What the waypoint row reads: the live answer and the revisions removed. */
interface GatewayRowInput {
    readonly removed: readonly string[];
    readonly pods: readonly PodFacts[];
    readonly gateways?: readonly GatewayFacts[];
    readonly namespaces?: readonly NamespaceFacts[];
}

/** A live in-use rule as a table row: when it looks, what it finds (one finding per object), what it says. */
interface LiveRow<F> {
    readonly code: string;
    readonly applies: (from: MeshState | undefined, to: MeshState, live: GatewayRowInput) => boolean;
    readonly check: (from: MeshState | undefined, to: MeshState, live: GatewayRowInput) => readonly F[];
    readonly message: (finding: F, to: MeshState) => string;
}

/**
 * The Gateways of TO (waypoints and gateway-api gateways): this update writes their istio.io/rev
 * itself, and the ambient rules (waypoint-revision-removed, gateway-api-gateway-revision-removed)
 * judge what it writes, so the live check leaves them to the removal gate.
 */
export function gatewaysMovedBy(to: MeshState): Set<string> {
    return hasAmbientOrGatewayApi(to) ? new Set(ambientStateOf(to).gateways.map(gatewayKey)) : new Set();
}

/** A revision that stays, for the commands in a message: the default revision's, else the first. */
function keptRevision(to: MeshState): string {
    const tags = effectiveTags(to);
    return (Object.hasOwn(tags, "default") ? tags["default"] : undefined) ?? to.revisions[0]?.name ?? "<revision>";
}

const waypointRow: LiveRow<GatewayInUse> = {
    code: IN_USE_RULES.gatewayInUse,
    applies: (_from, _to, live) => live.removed.length > 0,
    check: (from, to, live) => {
        const moved = gatewaysMovedBy(to);
        // Objects follow the tags as this update leaves them; pods name the revision that deployed them.
        return gatewaysInUse(live.removed, live, { objects: new Map(Object.entries(effectiveTags(to))), pods: new Map(Object.entries(from?.tags ?? {})) }, (g) => moved.has(g));
    },
    message: (u, to) =>
        `revision "${u.revision}" is removed while ${describeGatewayUse(u)} still runs on it, and nothing in this update moves it (the stack does not manage it, or removes it in this same update: Pulumi deletes it only after the removal gate, which would wait for its pods). ` +
        `Safe sequence: in an earlier update (or by hand), move it onto a revision or tag that stays (${moveGatewayCommands(u, keptRevision(to))}), or delete it; wait until istiod has redeployed it, then remove "${u.revision}".`,
};

const GATEWAY_ROWS: readonly LiveRow<GatewayInUse>[] = [waypointRow];

function runGatewayRows(from: MeshState | undefined, to: MeshState, live: GatewayRowInput): Problem[] {
    return GATEWAY_ROWS.flatMap((r) => (r.applies(from, to, live) ? r.check(from, to, live).map((f) => ({ code: r.code, message: r.message(f, to) })) : []));
}

/** "bookinfo and gateway istio-ingressgateway have rolled onto 1-29-6" for each revision they go onto. */
export function restartsWording(restarted: Restarted): string | undefined {
    const onto = new Map<string, string[]>();
    for (const n of restarted.namespaces) onto.set(n.onto, [...(onto.get(n.onto) ?? []), n.name]);
    for (const g of restarted.gateways) onto.set(g.onto, [...(onto.get(g.onto) ?? []), `gateway ${g.name}`]);
    if (onto.size === 0) {
        return undefined;
    }
    const and = (xs: string[]) => (xs.length === 1 ? xs[0] : `${xs.slice(0, -1).join(", ")} and ${xs[xs.length - 1]}`);
    return and([...onto.entries()].map(([rev, who]) => `${and(who)} ${who.length === 1 ? "has" : "have"} rolled onto ${rev}`));
}

/** The plan's note for an offline run: what preview will check against the live cluster, and what the removal gate checks during up. */
export function inUseNote(from: MeshState | undefined, to: MeshState): string | undefined {
    const removed = removedRevisions(from, to);
    if (removed.length === 0) {
        return undefined;
    }
    const restarted = restartsWording(restartedBy(from, to));
    return (
        `At preview and up, the program asks the live cluster for running or pending pods still on ${removed.join(", ")} that this update does not restart, and refuses the removal if any remain (${IN_USE_RULES.inUse}).` +
        // Said where it matters (ambient or the Gateway API in either state); the check itself always runs.
        (hasAmbientOrGatewayApi(from) || hasAmbientOrGatewayApi(to)
            ? ` It asks for the Gateways too: a waypoint or gateway that istiod deployed from ${removed.length > 1 ? "them" : "it"}, or that still follows ${removed.length > 1 ? "them" : "it"} after this update, and that this update does not move, refuses the removal (${IN_USE_RULES.gatewayInUse}); ambient pods (captured by ztunnel, no sidecar) never count.`
            : "") +
        ` During up, ${restarted === undefined ? "before the removal" : `after ${restarted}`}, the removal gate asks again for every pod and fails the update, leaving ${removed.join(", ")} installed, if any pod still runs ${removed.length > 1 ? "them" : "it"}.`
    );
}
