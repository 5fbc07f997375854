/**
 * The removal gate's decision: after this update's restarts, may the revisions it removes go?
 * Pure: judges a pod list (`kubectl get pods -A -o json`, read by scripts/removal-gate.ts
 * inside the gate's command during up). Shares the in-use logic of the preview-time check
 * (inUse.ts); unlike it, every pod counts, because the restarts have run by now.
 */
import { addonOwnPod, InUse, listPods, namespacesOf, PodFacts, revisionsInUse } from "./inUse";

/** What the gate is told (the command's ISTIO_MESH_GATE, JSON): config-derived only, so a second `up` sees no change. */
export interface GateInput {
    /** Revisions this update removes. */
    readonly removed: readonly string[];
    /** Tag -> revision as deployed before this update: what a pod's istio.io/rev tag injected it from. */
    readonly tags: Readonly<Record<string, string>>;
    /** management aks-addon: the add-on's own istiod and gateway pods go with the revision. */
    readonly addon: boolean;
}

export type GateVerdict = { readonly clear: true; readonly message: string } | { readonly clear: false; readonly inUse: readonly InUse[]; readonly message: string };

/** The verdict on one pod list. */
export function gateVerdict(input: GateInput, pods: readonly PodFacts[]): GateVerdict {
    const inUse = revisionsInUse(input.removed, pods, new Map(Object.entries(input.tags)), input.addon ? addonOwnPod : () => false);
    if (inUse.length === 0) {
        return { clear: true, message: `istio-mesh removal gate: no running or pending pod uses ${input.removed.join(", ")}` };
    }
    const what = inUse.map((u) => `"${u.revision}" by ${u.pods.length} pod${u.pods.length === 1 ? "" : "s"} (${listPods(u.pods)})`).join("; ");
    const namespaces = namespacesOf(inUse.flatMap((u) => u.pods));
    return {
        clear: false,
        inUse,
        message:
            `istio-mesh removal gate: after this update's restarts, ${input.removed.length > 1 ? "revisions are" : "revision is"} still used: ${what}. ` +
            `Nothing was removed: ${input.removed.join(", ")} stays installed and the update stopped before any removal. ` +
            `Restart or delete those pods (${namespaces.map((ns) => `kubectl rollout restart deployment,statefulset,daemonset -n ${ns}`).join("; ")}; ` +
            `a bare pod or a Job's pod must be deleted or re-created), then run pulumi up again; or revert the config to keep the revision.`,
    };
}

/** The gate's input from its environment value; a malformed one is a bug of the program that wrote it. */
export function parseGateInput(text: string | undefined): GateInput {
    const v = JSON.parse(text ?? "null") as Partial<GateInput> | null;
    if (v === null || !Array.isArray(v.removed) || typeof v.tags !== "object" || v.tags === null || typeof v.addon !== "boolean") {
        throw new Error(`internal: ISTIO_MESH_GATE is not a gate input: ${String(text)}`);
    }
    return { removed: v.removed.map(String), tags: { ...v.tags }, addon: v.addon };
}
