/**
 * The control-plane steps of an add-on change (management: aks-addon), in the words of the
 * `az aks mesh` runbook they replace. Tags, namespaces and restarts are worded by steps.ts as
 * in Helm mode. Pure.
 */
import { ADDON_NAMESPACE, SHARED_CONFIGMAP_KEY, sharedConfigMapName } from "../aks/names";
import { MeshState } from "../state/deployed";

const byMinor = (a: { version: string }, b: { version: string }) => Number(a.version.split(".")[1]) - Number(b.version.split(".")[1]);

/** `waits`: when a removed revision goes (steps.ts removalWaits). */
export function addonControlPlaneSteps(from: MeshState | undefined, to: MeshState, waits: (revision: string) => string = () => "after everything above"): { readonly first: string[]; readonly last: string[] } {
    const before = new Set((from?.revisions ?? []).map((r) => r.name));
    const after = new Set(to.revisions.map((r) => r.name));
    const added = to.revisions.filter((r) => !before.has(r.name)).sort(byMinor);
    const removed = (from?.revisions ?? []).filter((r) => !after.has(r.name)).sort(byMinor);
    const profile = `serviceMeshProfile revisions [${[...to.revisions].sort(byMinor).map((r) => r.name).join(", ")}]`;
    const first: string[] = [];
    const last: string[] = [];
    if (from === undefined) {
        first.push(`Enable the AKS Istio add-on with ${profile} on the ManagedCluster (az aks mesh enable --revision ${added.map((r) => r.name).join(",")})`);
        for (const r of added) {
            first.push(`Create ConfigMap ${sharedConfigMapName(r.name)} (key ${SHARED_CONFIGMAP_KEY}) in ${ADDON_NAMESPACE} once the add-on made the namespace; istiod-${r.name} merges it under AKS's defaults`);
        }
    } else {
        for (const r of added) {
            first.push(`Create ConfigMap ${sharedConfigMapName(r.name)} (key ${SHARED_CONFIGMAP_KEY}) in ${ADDON_NAMESPACE} before the canary starts`);
            first.push(`Start the canary: ${profile} on the ManagedCluster (az aks mesh upgrade start --revision ${r.name}); AKS installs istiod-${r.name} in ${ADDON_NAMESPACE}`);
        }
    }
    for (const r of removed) {
        const rollback = added.length === 0 && to.revisions.every((t) => byMinor(t, r) < 0);
        last.push(
            `Remove revision ${r.name} from the add-on ${waits(r.name)}: ${profile} (az aks mesh upgrade ${rollback ? "rollback" : "complete"}); ` +
                `then ConfigMap ${sharedConfigMapName(r.name)} goes`,
        );
    }
    return { first, last };
}
