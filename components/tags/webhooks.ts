/**
 * The objects behind a revision tag, shaped like the istiod chart's own `revision-tags`
 * templates (see shared/istio/rendered): a MutatingWebhookConfiguration
 * `istio-revision-tag-<tag>` and, for 1.28+, a Service `istiod-revision-tag-<tag>`.
 * Pure data: the RevisionTag component turns it into resources.
 */
import { DEFAULT_TAG } from "../config/model";

export interface TagTarget {
    readonly tag: string;
    /** The revision the tag points at. */
    readonly revision: string;
    /** Control-plane namespace (where Service istiod-<revision> lives). */
    readonly namespace: string;
}

type Selector = { matchExpressions: { key: string; operator: string; values?: string[] }[] };

export interface Webhook {
    name: string;
    clientConfig: { service: { name: string; namespace: string; path: string; port: number } };
    sideEffects: "None";
    rules: { operations: string[]; apiGroups: string[]; apiVersions: string[]; resources: string[] }[];
    failurePolicy: "Fail";
    reinvocationPolicy: "Never";
    admissionReviewVersions: string[];
    namespaceSelector: Selector;
    objectSelector: Selector;
}

/** Cluster-scoped, so outside istio-system the chart appends the namespace (as istiod's own). */
export function tagWebhookName(tag: string, namespace: string): string {
    return namespace === "istio-system" ? `istio-revision-tag-${tag}` : `istio-revision-tag-${tag}-${namespace}`;
}

export function tagServiceName(tag: string): string {
    return `istiod-revision-tag-${tag}`;
}

export function istiodServiceName(revision: string): string {
    return `istiod-${revision}`;
}

/**
 * Labels of both tag objects. `istio.io/rev` must name the target revision: istiod only
 * fills in the caBundle of webhooks labelled with its own revision.
 */
export function tagLabels(t: TagTarget): Record<string, string> {
    return { "istio.io/tag": t.tag, "istio.io/rev": t.revision, app: "sidecar-injector", "app.kubernetes.io/managed-by": "istio-mesh" };
}

const notDisabled = { key: "sidecar.istio.io/inject", operator: "NotIn", values: ["false"] };
const absent = (key: string) => ({ key, operator: "DoesNotExist" });

export function tagWebhooks(t: TagTarget): Webhook[] {
    const hook = (name: string, namespaceSelector: Selector, objectSelector: Selector): Webhook => ({
        name,
        clientConfig: { service: { name: istiodServiceName(t.revision), namespace: t.namespace, path: "/inject", port: 443 } },
        sideEffects: "None",
        rules: [{ operations: ["CREATE"], apiGroups: [""], apiVersions: ["v1"], resources: ["pods"] }],
        failurePolicy: "Fail",
        reinvocationPolicy: "Never",
        admissionReviewVersions: ["v1"],
        namespaceSelector,
        objectSelector,
    });
    const hooks = [
        hook(
            "rev.namespace.sidecar-injector.istio.io",
            { matchExpressions: [{ key: "istio.io/rev", operator: "In", values: [t.tag] }, absent("istio-injection")] },
            { matchExpressions: [notDisabled] },
        ),
        hook(
            "rev.object.sidecar-injector.istio.io",
            { matchExpressions: [absent("istio.io/rev"), absent("istio-injection")] },
            { matchExpressions: [notDisabled, { key: "istio.io/rev", operator: "In", values: [t.tag] }] },
        ),
    ];
    if (t.tag === DEFAULT_TAG) {
        // The default tag also serves the classic istio-injection=enabled / inject=true opt-ins.
        hooks.push(
            hook(
                "namespace.sidecar-injector.istio.io",
                { matchExpressions: [{ key: "istio-injection", operator: "In", values: ["enabled"] }] },
                { matchExpressions: [notDisabled] },
            ),
            hook(
                "object.sidecar-injector.istio.io",
                { matchExpressions: [absent("istio-injection"), absent("istio.io/rev")] },
                { matchExpressions: [{ key: "sidecar.istio.io/inject", operator: "In", values: ["true"] }, absent("istio.io/rev")] },
            ),
        );
    }
    return hooks;
}

/** Spec of the 1.28+ tag Service: istiod's ports, selecting the target revision's pods. */
export function tagServiceSpec(t: TagTarget) {
    return {
        ports: [
            { port: 15010, name: "grpc-xds", protocol: "TCP" },
            { port: 15012, name: "https-dns", protocol: "TCP" },
            { port: 443, name: "https-webhook", targetPort: 15017, protocol: "TCP" },
            { port: 15014, name: "http-monitoring", protocol: "TCP" },
        ],
        selector: { app: "istiod", "istio.io/rev": t.revision },
    };
}
