import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

/** Label that selects a control plane (a tag or revision name). */
export const REV_LABEL = "istio.io/rev";
/** Label that wins over istio.io/rev; it must be absent for revision-based injection. */
export const INJECTION_LABEL = "istio-injection";

export interface NamespaceLabelsArgs {
    /** Namespace name. */
    namespace: string;
    /** Tag or revision written to `istio.io/rev`. */
    revision: string;
    /**
     * true: the program creates the Namespace and deletes it when it leaves the config.
     * false: the namespace must exist; the program only sets (and on removal, unsets) labels.
     * Default: false.
     */
    create?: boolean;
    /** Extra labels. Default: none. */
    labels?: Record<string, string>;
    /** Add pulumi.com/skipAwait (clusters without a namespace controller). Default: false. */
    skipAwait?: boolean;
}

/**
 * Enrols a namespace in the mesh through `istio.io/rev`, removing `istio-injection` (which
 * would otherwise win over `istio.io/rev`). Running pods keep their proxies until restarted.
 */
export class NamespaceLabels extends pulumi.ComponentResource {
    public readonly namespace: string;
    public readonly revision: string;

    constructor(name: string, args: NamespaceLabelsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("istio-mesh:namespaces:NamespaceLabels", name, {}, opts);
        this.namespace = args.namespace;
        this.revision = args.revision;
        const labels = { ...(args.labels ?? {}), [REV_LABEL]: args.revision };
        const annotations = args.skipAwait ? { "pulumi.com/skipAwait": "true" } : undefined;
        if (args.create) {
            new k8s.core.v1.Namespace(`${name}-namespace`, { metadata: { name: args.namespace, labels, annotations } }, { parent: this });
        } else {
            // An existing namespace may carry istio-injection set by someone else (kubectl).
            // Server-side apply removes a label only when the applier owns it, so the first patch
            // takes ownership of it (force) and the second, under the same field manager, applies
            // the wanted labels without it: the API server then drops it. This is the two-step
            // removal the pulumi-kubernetes SSA guide documents.
            const fieldManager = `istio-mesh-${args.namespace}`;
            const patchAnnotations = { "pulumi.com/patchForce": "true", "pulumi.com/patchFieldManager": fieldManager };
            const claim = new k8s.core.v1.NamespacePatch(
                `${name}-claim`,
                { metadata: { name: args.namespace, labels: { [INJECTION_LABEL]: "disabled" }, annotations: patchAnnotations } },
                { parent: this },
            );
            new k8s.core.v1.NamespacePatch(
                `${name}-labels`,
                { metadata: { name: args.namespace, labels, annotations: patchAnnotations } },
                { parent: this, dependsOn: [claim] },
            );
        }
        this.registerOutputs({ namespace: this.namespace, revision: this.revision });
    }
}
