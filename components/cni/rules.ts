/**
 * Transition rules and plan steps for the Istio CNI release, from (previous, next) MeshState.
 * Pure.
 */
import type { MeshState } from "../state/deployed";

export const CNI_RULES = {
    /** Moving the CNI release to another namespace. */
    namespaceMove: "cni-namespace-change",
} as const;

export const CNI_WARNINGS = {
    /** CNI switched on or off on a live mesh: running pods keep the old traffic setup. */
    restart: "cni-workload-restart",
} as const;

type Problem = { readonly code: string; readonly message: string };

const restartCommand = (namespaces: readonly string[]) =>
    namespaces.length === 0 ? "no namespace is enrolled yet" : namespaces.map((n) => `kubectl rollout restart deployment,statefulset,daemonset -n ${n}`).join("; ");

export function cniProblems(from: MeshState | undefined, to: MeshState): Problem[] {
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
    if (from === undefined || (from.cni === undefined) === (to.cni === undefined)) {
        return [];
    }
    const namespaces = (to.cni !== undefined ? to : from).namespaces.map((n) => n.name);
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

/** The CNI steps, placed after the control-plane steps (the release waits for every istiod). */
export function cniSteps(from: MeshState | undefined, to: MeshState): string[] {
    const before = from?.cni;
    const after = to.cni;
    if (after !== undefined && before === undefined) {
        const install = `Install Istio CNI ${after.version} as Helm release istio-cni in ${after.namespace} (DaemonSet istio-cni-node), after every istiod; istiod injects without istio-init`;
        return from === undefined
            ? [install]
            : [install, `Restart the workloads of ${to.namespaces.map((n) => n.name).join(", ") || "every injected namespace"} BY HAND so they lose istio-init: ${restartCommand(to.namespaces.map((n) => n.name))}`];
    }
    if (after === undefined && before !== undefined) {
        return [
            `Disable Istio CNI: istiod injects istio-init again, then uninstall release istio-cni from ${before.namespace} (after everything above)`,
            `Restart the workloads of ${to.namespaces.map((n) => n.name).join(", ") || "every injected namespace"} BY HAND: ${restartCommand(to.namespaces.map((n) => n.name))}`,
        ];
    }
    if (after !== undefined && before !== undefined && before.version !== after.version) {
        return [`Upgrade Istio CNI in place ${before.version} -> ${after.version} (release istio-cni, after the new istiod is up)`];
    }
    return [];
}
