import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { tagLabels, tagServiceName, tagServiceSpec, TagTarget, tagWebhookName, tagWebhooks } from "./webhooks";

/**
 * The stack owns its tags outright: server-side apply with force, so a tag first made by
 * `istioctl tag set` (field manager istioctl) is adopted once (PULUMI_K8S_UPSERT_EXISTING_OBJECTS)
 * and later retargets never conflict with istioctl's leftover ownership. Force covers only the
 * fields the program applies; istiod's caBundle is never one of them.
 */
const OWN = { "pulumi.com/patchForce": "true" } as const;

export interface RevisionTagArgs {
    /** Tag name (`istio.io/rev` value that namespaces and gateways use). */
    tag: string;
    /** Revision the tag points at; changing it retargets the tag in place. */
    revision: string;
    /** Control-plane namespace. */
    namespace: string;
    /** Also create Service istiod-revision-tag-<tag>, as istiod 1.28+ renders. Default: false. */
    service?: boolean;
    /** Add pulumi.com/skipAwait to the Service (clusters without nodes). Default: false. */
    skipAwait?: boolean;
}

/**
 * A revision tag: MutatingWebhookConfiguration istio-revision-tag-<tag> (and its Service for
 * 1.28+). Keyed by the tag name, so moving the tag is an in-place update, never a
 * create-then-delete of a same-named object (pulumi-kubernetes#2948).
 *
 * Who owns what: this resource owns the webhook's labels, rules, selectors, service reference
 * and failurePolicy (the values `istioctl tag set` renders), forcing them (see OWN). istiod (field manager
 * pilot-discovery) owns `webhooks[*].clientConfig.caBundle`, which it writes into every webhook
 * labelled with its revision: the program never sets it and ignores it in diffs, so a refresh
 * that reads it back is no change. istiod does not touch a mutating webhook's failurePolicy (it
 * flips only the validating one). The Service's clusterIP belongs to the API server.
 */
export class RevisionTag extends pulumi.ComponentResource {
    public readonly webhook: k8s.admissionregistration.v1.MutatingWebhookConfiguration;
    public readonly service?: k8s.core.v1.Service;
    public readonly tag: string;
    public readonly revision: string;

    constructor(name: string, args: RevisionTagArgs, opts?: pulumi.ComponentResourceOptions) {
        super("istio-mesh:tags:RevisionTag", name, {}, opts);
        this.tag = args.tag;
        this.revision = args.revision;
        const target: TagTarget = { tag: args.tag, revision: args.revision, namespace: args.namespace };
        this.webhook = new k8s.admissionregistration.v1.MutatingWebhookConfiguration(
            `${name}-webhook`,
            { metadata: { name: tagWebhookName(args.tag, args.namespace), labels: tagLabels(target), annotations: { ...OWN } }, webhooks: tagWebhooks(target) },
            {
                parent: this,
                // istiod writes the CA bundle into every webhook labelled with its revision.
                ignoreChanges: ["webhooks[*].clientConfig.caBundle"],
            },
        );
        if (args.service) {
            this.service = new k8s.core.v1.Service(
                `${name}-service`,
                {
                    metadata: {
                        name: tagServiceName(args.tag),
                        namespace: args.namespace,
                        labels: { ...tagLabels(target), app: "istiod", istio: "pilot" },
                        annotations: { ...OWN, ...(args.skipAwait ? { "pulumi.com/skipAwait": "true" } : {}) },
                    },
                    spec: tagServiceSpec(target),
                },
                { parent: this },
            );
        }
        this.registerOutputs({ tag: this.tag, revision: this.revision });
    }
}
