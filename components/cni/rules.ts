/**
 * Transition rules and plan steps for the Istio CNI release, from (previous, next) MeshState.
 * Pure.
 */
import type { MeshState } from "../state/deployed";
import { minorDistance, mustParseVersion } from "../versions/version";
import { effectiveRevision, namespaceRestartsOnCreate } from "../dataplane/effective";

export const CNI_RULES = {
    /** Moving the CNI release to another namespace. */
    namespaceMove: "cni-namespace-change",
    /** The CNI agent more than one minor away from a revision's control plane. */
    skew: "cni-version-skew",
} as const;

/** Istio supports the CNI node agent within one minor of the control plane it serves. */
export const MAX_CNI_SKEW_MINORS = 1;

/** Whether this update turns CNI on for a mesh that already runs: then the agent goes first. */
export function cniTurnsOn(from: MeshState | undefined, to: MeshState): boolean {
    return from !== undefined && from.cni === undefined && to.cni !== undefined;
}

/** "revision r (v) is N minors below" for each revision more than one minor from the agent. */
function skewed(state: MeshState): { revision: string; version: string; minors: number }[] {
    if (state.cni === undefined || state.management !== "helm") {
        return [];
    }
    const agent = mustParseVersion(state.cni.version);
    return state.revisions
        .map((r) => ({ revision: r.name, version: r.version, minors: Math.abs(minorDistance(mustParseVersion(r.version), agent)) }))
        .filter((r) => r.minors > MAX_CNI_SKEW_MINORS);
}

export const CNI_WARNINGS = {
    /** CNI switched on or off on a live mesh: running pods keep the old traffic setup. */
    restart: "cni-workload-restart",
    /** A skew beyond one minor that was already deployed. */
    skew: "cni-version-skew-deployed",
} as const;

type Problem = { readonly code: string; readonly message: string };

/**
 * The namespaces a CNI switch leaves to restart by hand, and those that have a restart step of
 * their own in this update (onto another revision: automatic, or BY HAND with restart: false):
 * one instruction per namespace, never a CNI "BY HAND" beside the namespace's own restart. That
 * restart comes after every istiod is up, so it drops (or brings back) istio-init as well.
 */
function cniRestarts(from: MeshState, to: MeshState, state: MeshState): { byHand: string[]; automatic: string[] } {
    // Every namespace with a restart step of its own (automatic, or BY HAND with restart: false).
    const automatic = new Set(to.namespaces.filter((ns) => {
        const onto = effectiveRevision(to, ns.revision);
        return onto !== undefined && namespaceRestartsOnCreate(from, ns, onto);
    }).map((n) => n.name));
    const all = state.namespaces.map((n) => n.name);
    return { byHand: all.filter((n) => !automatic.has(n)), automatic: all.filter((n) => automatic.has(n)) };
}

/** The restart instruction of a CNI switch, or [] when this update restarts every namespace itself. */
function restartInstruction(from: MeshState, to: MeshState, why: string): string[] {
    const { byHand, automatic } = cniRestarts(from, to, to);
    if (byHand.length === 0 && automatic.length > 0) return [];
    const also = automatic.length === 0 ? "" : ` (not ${automatic.join(", ")}: ${automatic.length === 1 ? "its" : "their"} own restart step below is enough)`;
    return [`Restart the workloads of ${byHand.join(", ") || "every injected namespace"} BY HAND${why === "" ? "" : ` ${why}`}: ${restartCommand(byHand)}${also}`];
}

const restartCommand = (namespaces: readonly string[]) =>
    namespaces.length === 0 ? "no namespace is enrolled yet" : namespaces.map((n) => `kubectl rollout restart deployment,statefulset,daemonset -n ${n}`).join("; ");

const skewKey = (state: MeshState, s: { revision: string; version: string }) => `${s.revision}@${s.version}:${state.cni?.version}`;

/**
 * A skew this update creates (refused, overridable): the agent follows the newest revision, so a
 * canary two minors up puts istio-cni two minors ahead of the old istiod and its proxies. A skew
 * already deployed (the canary was overridden; its rollback keeps the newer agent) is only
 * warned about: refusing it would refuse the rollback.
 */
function skewProblems(from: MeshState | undefined, to: MeshState): Problem[] {
    const before = new Set(from === undefined ? [] : skewed(from).map((s) => skewKey(from, s)));
    return skewed(to)
        .filter((s) => !before.has(skewKey(to, s)))
        .map((s) => ({
            code: CNI_RULES.skew,
            message:
                `Istio CNI ${to.cni!.version} (release istio-cni, which follows the newest revision) would run ${s.minors} minors from revision "${s.revision}" (${s.version}) and its proxies; ` +
                `Istio supports the CNI node agent within ${MAX_CNI_SKEW_MINORS} minor of the control plane. Safe sequence: with CNI on, canary one minor at a time ` +
                `(add 1.${mustParseVersion(s.version).minor + 1}.x beside ${s.version}, move everything onto it, remove ${s.version}, then the next minor), or override this rule for one run.`,
        }));
}

/** Skews that were already deployed and remain: allowed, but named. */
function skewWarnings(from: MeshState | undefined, to: MeshState): Problem[] {
    const before = new Set(from === undefined ? [] : skewed(from).map((s) => skewKey(from, s)));
    return skewed(to)
        .filter((s) => before.has(skewKey(to, s)))
        .map((s) => ({
            code: CNI_WARNINGS.skew,
            message: `Istio CNI ${to.cni!.version} runs ${s.minors} minors from revision "${s.revision}" (${s.version}), beyond Istio's one-minor support: move its workloads to a newer revision and remove "${s.revision}".`,
        }));
}

export function cniProblems(from: MeshState | undefined, to: MeshState): Problem[] {
    return [...skewProblems(from, to), ...namespaceProblems(from, to)];
}

function namespaceProblems(from: MeshState | undefined, to: MeshState): Problem[] {
    if (from?.cni === undefined || to.cni === undefined || from.cni.namespace === to.cni.namespace) {
        return [];
    }
    return [
        {
            code: CNI_RULES.namespaceMove,
            message:
                `the Istio CNI release moves ${from.cni.namespace} -> ${to.cni.namespace}: release istio-cni would be installed in ${to.cni.namespace} while the one in ` +
                `${from.cni.namespace} still owns its cluster-wide objects (ClusterRole istio-cni, the node plugin config), so Helm refuses it (invalid ownership ` +
                `metadata), and with the old one deleted first every pod started meanwhile fails its istio-validation init container (no traffic redirection). ` +
                `Safe sequence: keep mesh.cni.namespace as it is; to move it, disable CNI (enabled: false) and restart the workloads, then enable it in the new namespace in a later change.`,
        },
    ];
}

export function cniWarnings(from: MeshState | undefined, to: MeshState): Problem[] {
    return [...skewWarnings(from, to), ...switchWarnings(from, to)];
}

function switchWarnings(from: MeshState | undefined, to: MeshState): Problem[] {
    if (from === undefined || (from.cni === undefined) === (to.cni === undefined)) {
        return [];
    }
    // Those this update restarts itself get that one instruction (the plan's restart step).
    const { byHand: namespaces, automatic } = cniRestarts(from, to, to.cni !== undefined ? to : from);
    if (namespaces.length === 0 && automatic.length > 0) {
        return [];
    }
    return [
        {
            code: CNI_WARNINGS.restart,
            message:
                to.cni !== undefined
                    ? `Istio CNI is enabled on a live mesh: istiod now injects without the privileged istio-init container, but running pods keep it until they restart. ` +
                      `Restart the workloads of ${namespaces.join(", ") || "every injected namespace"} after this update: ${restartCommand(namespaces)}`
                    : `Istio CNI is disabled on a live mesh: istiod injects istio-init again first, then release istio-cni is removed. Running pods keep their traffic ` +
                      `redirection, but restart the workloads of ${namespaces.join(", ") || "every injected namespace"} so none depends on the removed agent: ${restartCommand(namespaces)}`,
        },
    ];
}

/**
 * The CNI step that comes before every control-plane step: turning CNI on for a live mesh
 * installs the agent first and waits for it, so that no pod is created by an istiod already on
 * cni.enabled (no istio-init) while no node agent redirects its traffic (istio-validation fails).
 */
export function cniFirstSteps(from: MeshState | undefined, to: MeshState): string[] {
    return cniTurnsOn(from, to)
        ? [`Install Istio CNI ${to.cni!.version} as Helm release istio-cni in ${to.cni!.namespace} (DaemonSet istio-cni-node) first, and wait for it, before any istiod switches to cni.enabled (injecting without istio-init)`]
        : [];
}

/** The other CNI steps, placed after the control-plane steps (the release waits for every istiod). */
export function cniSteps(from: MeshState | undefined, to: MeshState): string[] {
    const before = from?.cni;
    const after = to.cni;
    if (cniTurnsOn(from, to)) {
        return restartInstruction(from!, to, "so they lose istio-init");
    }
    if (after !== undefined && before === undefined) {
        const install = `Install Istio CNI ${after.version} as Helm release istio-cni in ${after.namespace} (DaemonSet istio-cni-node), after every istiod; istiod injects without istio-init`;
        return from === undefined ? [install] : [install, ...restartInstruction(from, to, "so they lose istio-init")];
    }
    if (after === undefined && before !== undefined) {
        return [
            `Disable Istio CNI: istiod injects istio-init again, then uninstall release istio-cni from ${before.namespace} (after everything above)`,
            ...restartInstruction(from!, to, ""),
        ];
    }
    if (after !== undefined && before !== undefined && before.version !== after.version) {
        return [`Upgrade Istio CNI in place ${before.version} -> ${after.version} (release istio-cni, after the new istiod is up)`];
    }
    return [];
}
