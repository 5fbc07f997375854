/**
 * Which pods still run a proxy of a revision that a change removes. Pure: the pod list comes
 * from a read-only query of the live cluster at preview (see liveQuery.ts); the answer feeds
 * the transition rules as data.
 */

/** The part of a Pod the check reads (`kubectl get pods -A -o json` items). */
export interface PodFacts {
    readonly namespace: string;
    readonly name: string;
    /** status.phase: Pending, Running, Succeeded, Failed, Unknown. */
    readonly phase: string;
    readonly labels: Readonly<Record<string, string>>;
    readonly annotations: Readonly<Record<string, string>>;
}

/** Pods that are done (Succeeded, Failed) hold no proxy that needs a control plane. */
const LIVE_PHASES = new Set(["Pending", "Running"]);

/** How many pods a message lists before it only counts. */
export const LISTED_PODS = 20;

/**
 * The revision whose istiod injected the pod's proxy, or undefined for a pod without one.
 * `sidecar.istio.io/status` (written by the injector) names the real revision; otherwise the
 * `istio.io/rev` annotation or label, which may name a tag (a pod selected for injection by
 * tag): a tag resolves through the deployed tags to the revision that injected it. Pods that
 * run no proxy (istiod itself, `sidecar.istio.io/inject: "false"`) never count.
 */
export function proxyRevision(pod: PodFacts, tags: ReadonlyMap<string, string>): string | undefined {
    const status = pod.annotations["sidecar.istio.io/status"];
    if (status !== undefined) {
        try {
            const revision = (JSON.parse(status) as { revision?: unknown }).revision;
            if (typeof revision === "string" && revision.length > 0) {
                return tags.get(revision) ?? revision;
            }
        } catch {
            // Not JSON: fall through to the labels.
        }
    }
    // istiod's own pods carry istio.io/rev too (the revision they serve), but run no proxy;
    // so does any pod that opted out of injection.
    if (pod.labels["app"] === "istiod" || pod.labels["sidecar.istio.io/inject"] === "false" || pod.annotations["sidecar.istio.io/inject"] === "false") {
        return undefined;
    }
    const rev = pod.annotations["istio.io/rev"] ?? pod.labels["istio.io/rev"];
    return rev === undefined ? undefined : (tags.get(rev) ?? rev);
}

export interface InUse {
    readonly revision: string;
    /** `namespace/pod`, sorted. */
    readonly pods: readonly string[];
}

/** The live pods of each removed revision (only revisions with at least one). */
export function revisionsInUse(removed: readonly string[], pods: readonly PodFacts[], tags: ReadonlyMap<string, string>): InUse[] {
    const wanted = new Set(removed);
    const byRevision = new Map<string, string[]>();
    for (const pod of pods) {
        if (!LIVE_PHASES.has(pod.phase)) {
            continue;
        }
        const revision = proxyRevision(pod, tags);
        if (revision !== undefined && wanted.has(revision)) {
            byRevision.set(revision, [...(byRevision.get(revision) ?? []), `${pod.namespace}/${pod.name}`]);
        }
    }
    return [...byRevision.entries()]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([revision, list]) => ({ revision, pods: [...list].sort() }));
}

/** "ns/a, ns/b, ... and N more" */
export function listPods(pods: readonly string[]): string {
    const shown = pods.slice(0, LISTED_PODS).join(", ");
    return pods.length > LISTED_PODS ? `${shown} and ${pods.length - LISTED_PODS} more` : shown;
}

/** Namespaces (sorted) that hold the pods, for the restart commands in a message. */
export function namespacesOf(pods: readonly string[]): string[] {
    return [...new Set(pods.map((p) => p.split("/")[0]))].sort();
}
