/**
 * Which pods still run a proxy of a revision that a change removes. Pure: the pod list comes
 * from a read-only query of the live cluster at preview (see liveQuery.ts); the answer feeds
 * the transition rules as data.
 */
import { ADDON_INGRESS_NAMESPACE, ADDON_NAMESPACE, ingressGatewayName } from "../aks/names";
import { isAmbientPod } from "../ambient/inUse";

/** The part of a Pod the check reads (`kubectl get pods -A -o json` items). */
export interface PodFacts {
    readonly namespace: string;
    readonly name: string;
    /** status.phase: Pending, Running, Succeeded, Failed, Unknown. */
    readonly phase: string;
    readonly labels: Readonly<Record<string, string>>;
    readonly annotations: Readonly<Record<string, string>>;
    /**
     * Kind of the pod's controller (its ownerReference with `controller: true`): ReplicaSet,
     * StatefulSet, DaemonSet, Job...; undefined for a bare pod. @default undefined
     */
    readonly owner?: string;
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
 * run no proxy (istiod itself, `sidecar.istio.io/inject: "false"`) never count, nor do ambient
 * pods (captured by ztunnel, not injected: ambient/inUse.ts), whatever istio.io/rev they carry.
 * Waypoints and istiod's Gateway API gateways are counted by ambient/inUse.ts.
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
    if (pod.labels["app"] === "istiod" || pod.labels["sidecar.istio.io/inject"] === "false" || pod.annotations["sidecar.istio.io/inject"] === "false" || isAmbientPod(pod)) {
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

/** The live pods of each removed revision (only revisions with at least one), except those `skip` names. */
export function revisionsInUse(removed: readonly string[], pods: readonly PodFacts[], tags: ReadonlyMap<string, string>, skip: (pod: PodFacts) => boolean = () => false): InUse[] {
    const wanted = new Set(removed);
    const byRevision = new Map<string, string[]>();
    for (const pod of pods) {
        if (!LIVE_PHASES.has(pod.phase) || skip(pod)) {
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

/**
 * Pods the AKS Istio add-on runs for a revision and removes with it (management: aks-addon):
 * istiod-asm-1-NN in aks-istio-system (label app=istiod) and the per-revision Deployments of
 * its ingress gateways in aks-istio-ingress, whose pods carry the label
 * `istio: aks-istio-ingressgateway-external|internal` (the selector Microsoft's docs give for
 * Gateway resources, istio-deploy-ingress.md). No restart moves them: completing or rolling
 * back the add-on does. Every other pod in those namespaces still counts.
 */
export function addonOwnPod(pod: PodFacts): boolean {
    if (pod.namespace === ADDON_NAMESPACE) {
        return pod.labels["app"] === "istiod" || (pod.owner === "ReplicaSet" && pod.name.startsWith("istiod-asm-"));
    }
    return pod.namespace === ADDON_INGRESS_NAMESPACE && ADDON_GATEWAY_LABELS.has(pod.labels["istio"] ?? "");
}

const ADDON_GATEWAY_LABELS = new Set([ingressGatewayName("External"), ingressGatewayName("Internal")]);

/** Controllers whose pods `kubectl rollout restart` (namespaces) or a Helm upgrade (gateways) replaces. */
const RESTARTED_OWNERS = new Set(["ReplicaSet", "StatefulSet", "DaemonSet"]);

/** Where one update restarts workloads itself (see dataplane/effective.ts restartedBy). */
export interface RestartScope {
    /** Namespaces whose Deployments, StatefulSets and DaemonSets this update restarts. */
    readonly namespaces: readonly string[];
    /** Gateways (Deployment name = release name, in its namespace) whose pods this update rolls. */
    readonly gateways: readonly { readonly name: string; readonly namespace: string }[];
}

/**
 * Whether this update itself replaces the pod: it belongs to a Deployment, StatefulSet or
 * DaemonSet of a namespace the update restarts, or to the Deployment of a gateway it rolls
 * (pods named `<gateway>-<replicaset hash>-<suffix>`). Bare pods and Jobs' pods are never
 * restarted. Such pods are checked by the removal gate after the restarts, not at preview.
 */
export function restartedByUpdate(pod: PodFacts, scope: RestartScope): boolean {
    if (pod.owner === undefined || !RESTARTED_OWNERS.has(pod.owner)) {
        return false;
    }
    if (scope.namespaces.includes(pod.namespace)) {
        return true;
    }
    return pod.owner === "ReplicaSet" && scope.gateways.some((g) => g.namespace === pod.namespace && pod.name.startsWith(`${g.name}-`));
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
