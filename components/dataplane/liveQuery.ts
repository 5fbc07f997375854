/**
 * The read-only question the in-use check asks the live cluster: every pod, in every
 * namespace (not only configured ones). Asked with kubectl and the stack's own kubeconfig and
 * context, synchronously while the program runs (preview and up), before any resource is
 * registered.
 */
import { kubectlSync, LiveAccess } from "../kubectl/sync";
import type { GatewayFacts, NamespaceFacts } from "../ambient/inUse";
import { PodFacts } from "./inUse";

export type { LiveAccess };

/** The pods; with the Gateways (none when the Gateway API is not installed) and namespaces when those were asked too. */
export type LivePods = { readonly pods: readonly PodFacts[]; readonly gateways?: readonly GatewayFacts[]; readonly namespaces?: readonly NamespaceFacts[] } | { readonly unreachable: string };

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

/** The Gateway CRD is not installed: kubectl's words for a resource type the server does not serve. */
const NO_SUCH_TYPE = /the server doesn't have a resource type/;

/**
 * The Gateways (gateway.networking.k8s.io/v1, every namespace; [] when the CRD is not
 * installed) and namespaces: what the waypoint part of the in-use check reads
 * (ambient/inUse.ts). Read-only, like the pod query.
 */
export function queryGatewayObjects(access: LiveAccess, kubectl = "kubectl"): { gateways: GatewayFacts[]; namespaces: NamespaceFacts[] } | { unreachable: string } {
    const ask = (args: string[], what: string): { items: unknown[] } | { missing: true } | { unreachable: string } => {
        const r = kubectlSync(access, [...args, "-o", "json", "--request-timeout=30s"], { kubectl, timeoutMs: QUERY_TIMEOUT_MS });
        if (r.error !== undefined) return { unreachable: `${kubectl} could not run (${r.error.message})` };
        if (r.status !== 0) return NO_SUCH_TYPE.test(r.stderr) ? { missing: true } : { unreachable: (r.stderr || r.stdout).trim().split("\n").slice(-3).join(" ") };
        try {
            const list = JSON.parse(r.stdout) as { items?: unknown };
            if (Array.isArray(list?.items)) return { items: list.items };
        } catch {
            // reported below
        }
        return { unreachable: `${kubectl} get ${what} answered something that is not a list: ${JSON.stringify(r.stdout.trim().slice(0, 120))}` };
    };
    const gateways = ask(["get", "gateways.gateway.networking.k8s.io", "--all-namespaces"], "gateways");
    if ("unreachable" in gateways) return gateways;
    const namespaces = ask(["get", "namespaces"], "namespaces");
    if ("unreachable" in namespaces) return namespaces;
    return { gateways: "missing" in gateways ? [] : gatewayFacts(gateways), namespaces: "missing" in namespaces ? [] : namespaceFacts(namespaces) };
}

type Meta = { metadata?: { namespace?: string; name?: string; labels?: Record<string, string> }; spec?: { gatewayClassName?: string } };

/** `kubectl get gateways -A -o json` -> the facts the check reads. */
export function gatewayFacts(list: { items?: unknown[] }): GatewayFacts[] {
    return (list.items ?? []).map((item) => {
        const g = item as Meta;
        return { namespace: g.metadata?.namespace ?? "", name: g.metadata?.name ?? "", className: g.spec?.gatewayClassName ?? "", labels: g.metadata?.labels ?? {} };
    });
}

/** `kubectl get namespaces -o json` -> the facts the check reads. */
export function namespaceFacts(list: { items?: unknown[] }): NamespaceFacts[] {
    return (list.items ?? []).map((item) => {
        const n = item as Meta;
        return { name: n.metadata?.name ?? "", labels: n.metadata?.labels ?? {} };
    });
}
