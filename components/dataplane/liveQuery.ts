/**
 * The read-only question the in-use check asks the live cluster: every pod, in every
 * namespace (not only configured ones). Asked with kubectl and the stack's own kubeconfig and
 * context, synchronously while the program runs (preview and up), before any resource is
 * registered.
 */
import { kubectlSync, LiveAccess } from "../kubectl/sync";
import { PodFacts } from "./inUse";

export type { LiveAccess };

export type LivePods = { readonly pods: readonly PodFacts[] } | { readonly unreachable: string };

/** How long the query may take before the cluster counts as unreachable. */
export const QUERY_TIMEOUT_MS = 60_000;

export function queryPods(access: LiveAccess, kubectl = "kubectl"): LivePods {
    const r = kubectlSync(access, ["get", "pods", "--all-namespaces", "-o", "json", "--request-timeout=30s"], { kubectl, timeoutMs: QUERY_TIMEOUT_MS });
    if (r.error !== undefined) {
        return { unreachable: `${kubectl} could not run (${r.error.message}); install kubectl 1.30+ on the machine that runs pulumi` };
    }
    if (r.status !== 0) {
        return { unreachable: (r.stderr || r.stdout).trim().split("\n").slice(-3).join(" ") };
    }
    // A proxy's HTML page, a warning on stdout, a cut-off answer: a refusal that says so, never a crash.
    let list: unknown;
    try {
        list = JSON.parse(r.stdout);
    } catch (e) {
        return { unreachable: `${kubectl} get pods answered something that is not JSON (${(e as Error).message}): ${JSON.stringify(r.stdout.trim().slice(0, 120))}` };
    }
    if (list === null || typeof list !== "object" || !Array.isArray((list as { items?: unknown }).items)) {
        return { unreachable: `${kubectl} get pods answered JSON that is not a pod list (no "items" list): ${JSON.stringify(r.stdout.trim().slice(0, 120))}` };
    }
    return { pods: podFacts(list as { items: unknown[] }) };
}

/** `kubectl get pods -o json` -> the facts the check reads. */
export function podFacts(list: { items?: unknown[] }): PodFacts[] {
    return (list.items ?? []).map((item) => {
        const pod = item as {
            metadata?: { namespace?: string; name?: string; labels?: Record<string, string>; annotations?: Record<string, string>; ownerReferences?: { kind?: string; controller?: boolean }[] };
            status?: { phase?: string };
        };
        const owner = pod.metadata?.ownerReferences?.find((o) => o.controller === true)?.kind;
        return {
            namespace: pod.metadata?.namespace ?? "",
            name: pod.metadata?.name ?? "",
            phase: pod.status?.phase ?? "Unknown",
            labels: pod.metadata?.labels ?? {},
            annotations: pod.metadata?.annotations ?? {},
            ...(owner === undefined ? {} : { owner }),
        };
    });
}
