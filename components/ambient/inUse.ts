/**
 * Which istiod-deployed Gateways (waypoints, `kind: gateway-api` gateways, and any someone else
 * created) still run on a revision a change removes, and who relies on them. Pure: judges live
 * lists (pods, Gateways, namespaces) that the preview-time check and the removal gate read.
 *
 * What marks them (istiod's waypoint and kube-gateway templates, istio@1.24+
 * manifests/charts/istio-control/istio-discovery/files/{waypoint,kube-gateway}.yaml): the
 * Deployment and its pods carry `gateway.istio.io/managed` (`istio.io-mesh-controller` for
 * waypoints, `istio.io-gateway-controller` for class istio), `gateway.networking.k8s.io/gateway-name`
 * = the Gateway's name, and (a pod-template annotation at 1.30.3, read as label or annotation)
 * `istio.io/rev` = the revision of the istiod that deployed them. They
 * also carry `sidecar.istio.io/inject: "false"` (their proxy is the pod's own container, not an
 * injected sidecar), which is why the sidecar in-use check never counted them.
 *
 * Ambient application pods run no proxy of any revision: the CNI agent marks the pods it
 * captured for ztunnel with `ambient.istio.io/redirection: enabled` (FACTS.md, "Namespace
 * labels"); a sidecar wins over ambient, so a pod with `sidecar.istio.io/status` is a sidecar
 * pod whatever else it carries (dataplane/inUse.ts proxyRevision reads this module's isAmbientPod).
 */
import type { PodFacts } from "../dataplane/inUse";
import { LABELS, WAYPOINT_CLASS } from "./facts";

export const MANAGED_LABEL = "gateway.istio.io/managed";
export const GATEWAY_NAME_LABEL = "gateway.networking.k8s.io/gateway-name";
/** Values of MANAGED_LABEL on what istiod deploys for a Gateway. */
export const MANAGED_BY_ISTIOD: Readonly<Record<string, "waypoint" | "gateway">> = {
    "istio.io-mesh-controller": "waypoint",
    "istio.io-gateway-controller": "gateway",
};
/** The CNI agent's mark on a pod it redirected to ztunnel. */
export const AMBIENT_REDIRECTION = "ambient.istio.io/redirection";

/** True for a pod captured by ztunnel and not injected: it runs no proxy of any revision. */
export function isAmbientPod(pod: Pick<PodFacts, "labels" | "annotations">): boolean {
    if (pod.annotations["sidecar.istio.io/status"] !== undefined) {
        return false;
    }
    return pod.annotations[AMBIENT_REDIRECTION] === "enabled" || pod.labels[LABELS.dataplaneMode] === "ambient";
}

/** The part of a Gateway (gateway.networking.k8s.io/v1) the check reads. */
export interface GatewayFacts {
    readonly namespace: string;
    readonly name: string;
    readonly className: string;
    readonly labels: Readonly<Record<string, string>>;
}

/** The part of a Namespace the check reads. */
export interface NamespaceFacts {
    readonly name: string;
    readonly labels: Readonly<Record<string, string>>;
}

/** What the cluster holds beside pods: Gateways (absent: the CRD is not installed, or not asked) and namespaces. */
export interface LiveObjects {
    readonly pods: readonly PodFacts[];
    readonly gateways?: readonly GatewayFacts[];
    readonly namespaces?: readonly NamespaceFacts[];
}

const LIVE_PHASES = new Set(["Pending", "Running"]);
const key = (namespace: string, name: string) => `${namespace}/${name}`;

/** The Gateway an istiod-deployed pod belongs to, its kind and the revision that deployed it; undefined for any other pod. */
export function istiodGatewayPod(pod: PodFacts): { readonly gateway: string; readonly kind: "waypoint" | "gateway"; readonly revision?: string } | undefined {
    const managed = pod.labels[MANAGED_LABEL];
    const kind = managed === undefined || !Object.hasOwn(MANAGED_BY_ISTIOD, managed) ? undefined : MANAGED_BY_ISTIOD[managed];
    const name = pod.labels[GATEWAY_NAME_LABEL];
    if (kind === undefined || name === undefined) {
        return undefined;
    }
    const revision = pod.labels[LABELS.rev] ?? pod.annotations[LABELS.rev];
    return { gateway: key(pod.namespace, name), kind, ...(revision === undefined ? {} : { revision }) };
}

export interface GatewayInUse {
    readonly revision: string;
    /** `namespace/name` of the Gateway. */
    readonly gateway: string;
    readonly kind: "waypoint" | "gateway";
    /** The Gateway object's own istio.io/rev, or its namespace's, when the object was seen; undefined: only its pods were. */
    readonly label?: string;
    /** True when the object itself follows the removed revision; false when it follows another and only its pods are left (istiod redeploys them). */
    readonly objectOnRevision: boolean;
    /** Its live pods still deployed by the removed revision, `namespace/pod`, sorted. */
    readonly pods: readonly string[];
    /** Namespaces labelled istio.io/use-waypoint with this waypoint, sorted. */
    readonly usedBy: readonly string[];
}

/**
 * Per removed revision, the istiod Gateways that still follow it (their object's istio.io/rev,
 * else their namespace's, resolved through `objects`: the tags as they will be once this
 * update ran) or whose pods it still deployed (istio.io/rev on the pods: a real revision,
 * resolved through `pods` in case a tag was written). `skip` names Gateways (`ns/name`) the
 * caller leaves out (at preview: those this update moves itself).
 */
export function gatewaysInUse(
    removed: readonly string[],
    live: LiveObjects,
    tags: { readonly objects: ReadonlyMap<string, string>; readonly pods: ReadonlyMap<string, string> },
    skip: (gateway: string) => boolean = () => false,
): GatewayInUse[] {
    const wanted = new Set(removed);
    const nsLabels = new Map((live.namespaces ?? []).map((n) => [n.name, n.labels]));
    const objects = new Map<string, { label?: string; revision?: string; kind: "waypoint" | "gateway" }>();
    for (const g of live.gateways ?? []) {
        const label = g.labels[LABELS.rev] ?? nsLabels.get(g.namespace)?.[LABELS.rev];
        const revision = label === undefined ? undefined : (tags.objects.get(label) ?? label);
        objects.set(key(g.namespace, g.name), { ...(label === undefined ? {} : { label }), ...(revision === undefined ? {} : { revision }), kind: g.className === WAYPOINT_CLASS ? "waypoint" : "gateway" });
    }
    const found = new Map<string, { revision: string; gateway: string; kind: "waypoint" | "gateway"; pods: string[] }>();
    const at = (gateway: string, revision: string, kind: "waypoint" | "gateway") => {
        const k = `${revision}\u0000${gateway}`;
        const entry = found.get(k) ?? { revision, gateway, kind, pods: [] };
        found.set(k, entry);
        return entry;
    };
    for (const [gateway, o] of objects) {
        if (o.revision !== undefined && wanted.has(o.revision) && !skip(gateway)) at(gateway, o.revision, o.kind);
    }
    for (const pod of live.pods) {
        const owner = LIVE_PHASES.has(pod.phase) ? istiodGatewayPod(pod) : undefined;
        if (owner?.revision === undefined || skip(owner.gateway)) continue;
        const revision = tags.pods.get(owner.revision) ?? owner.revision;
        if (wanted.has(revision)) at(owner.gateway, revision, owner.kind).pods.push(key(pod.namespace, pod.name));
    }
    const users = (gateway: string) => {
        const [gns, gname] = gateway.split("/");
        return (live.namespaces ?? [])
            .filter((n) => {
                const use = n.labels[LABELS.useWaypoint];
                return use === gateway || (use === gname && n.name === gns);
            })
            .map((n) => n.name)
            .sort();
    };
    return [...found.entries()]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([, e]) => {
            const o = objects.get(e.gateway);
            return {
                revision: e.revision,
                gateway: e.gateway,
                kind: o?.kind ?? e.kind,
                ...(o?.label === undefined ? {} : { label: o.label }),
                objectOnRevision: o?.revision === e.revision,
                pods: [...e.pods].sort(),
                usedBy: (o?.kind ?? e.kind) === "waypoint" ? users(e.gateway) : [],
            };
        });
}

/** "waypoint shop/waypoint (istio.io/rev=prod; 1 pod shop/waypoint-1; used by ambient namespace shop)". */
export function describeGatewayUse(u: GatewayInUse): string {
    const object =
        u.objectOnRevision ? `istio.io/rev=${u.label ?? ""}`
        : u.label !== undefined ? `its Gateway now follows ${u.label}, so istiod is to redeploy it`
        : "its Gateway object not seen";
    const parts = [
        object,
        ...(u.pods.length === 0 ? [] : [`${u.pods.length} pod${u.pods.length === 1 ? "" : "s"} ${u.pods.slice(0, 5).join(", ")}${u.pods.length > 5 ? ` and ${u.pods.length - 5} more` : ""}`]),
        ...(u.usedBy.length === 0 ? [] : [`used by ambient namespace${u.usedBy.length === 1 ? "" : "s"} ${u.usedBy.join(", ")}`]),
    ];
    return `${u.kind} ${u.gateway} (${parts.join("; ")})`;
}

/** The commands that move one Gateway to a revision that stays and confirm istiod redeployed it. */
export function moveGatewayCommands(u: GatewayInUse, onto: string): string {
    const [ns, name] = u.gateway.split("/");
    return `kubectl label gateway ${name} -n ${ns} istio.io/rev=${onto} --overwrite; kubectl wait --for=condition=Programmed gateway/${name} -n ${ns}`;
}
