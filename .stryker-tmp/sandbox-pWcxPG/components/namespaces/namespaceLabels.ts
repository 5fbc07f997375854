// @ts-nocheck
import * as command from "@pulumi/command";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { KubeAccess } from "../cluster/cluster";
import { accessEnvironment } from "../kubectl/access";
import { dropInjectionLabelScript } from "../kubectl/kubectl";

/** Label that selects a control plane (a tag or revision name). */
export const REV_LABEL = "istio.io/rev";
/** Label that wins over istio.io/rev; it must be absent for revision-based injection. */
export const INJECTION_LABEL = "istio-injection";
/**
 * Field manager of the `istio.io/rev` patch. One resource per namespace applies under it, and
 * nothing else does: two resources sharing a manager on one object undo each other (each
 * apply drops the fields the other one set), which is how refresh + up used to turn
 * injection off.
 */
export const REV_FIELD_MANAGER = "istio-mesh-rev";

export interface NamespaceLabelsArgs {
    /** Namespace name. */
    namespace: string;
    /** Tag or revision written to `istio.io/rev`. */
    revision: string;
    /**
     * true: the program creates the Namespace. false: the namespace must exist; the program
     * owns only its `istio.io/rev` (and `labels`) and removes `istio-injection` once.
     * @default false
     */
    create?: boolean;
    /**
     * Only with `create`: delete the namespace, and everything in it, when it leaves the
     * config or on destroy. false lets the stack forget it and leaves it running.
     * @default false
     */
    deleteWhenRemoved?: boolean;
    /** Extra labels the program owns on the namespace. @default {} */
    labels?: Record<string, string>;
    /** Add pulumi.com/skipAwait (clusters without a namespace controller). @default false */
    skipAwait?: boolean;
    /** How the one-time `istio-injection` removal reaches the cluster (existing namespaces). */
    access: KubeAccess;
}

/**
 * Enrols a namespace in the mesh through `istio.io/rev`. Running pods keep their proxies until
 * restarted.
 *
 * Who owns what on the Namespace object:
 * - `istio.io/rev` and `labels`: this component (field manager `istio-mesh-rev` for an existing
 *   namespace; the Namespace resource for a created one). Refresh reads them back unchanged,
 *   so a later `up` re-applies exactly them.
 * - `istio-injection`: whoever set it (kubectl, istioctl). It would win over `istio.io/rev`, so
 *   it is removed ONCE, by a command resource that runs on enrolment only (create), never on
 *   refresh or a later update; if someone adds it again, that is theirs to remove.
 * - everything else (other labels, annotations): untouched.
 */
export class NamespaceLabels extends pulumi.ComponentResource {
    public readonly namespace: string;
    public readonly revision: string;

    constructor(name: string, args: NamespaceLabelsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("istio-mesh:namespaces:NamespaceLabels", name, {}, opts);
        this.namespace = args.namespace;
        this.revision = args.revision;
        const labels = { ...(args.labels ?? {}), [REV_LABEL]: args.revision };
        if (args.create) {
            const annotations = args.skipAwait ? { "pulumi.com/skipAwait": "true" } : undefined;
            new k8s.core.v1.Namespace(
                `${name}-namespace`,
                { metadata: { name: args.namespace, labels, annotations } },
                // Leaving the config forgets the namespace instead of deleting its workloads,
                // unless the config asked for deletion (and the transition rules let it through).
                { parent: this, retainOnDelete: !(args.deleteWhenRemoved ?? false) },
            );
        } else {
            // Force: the stack owns istio.io/rev even when kubectl or istioctl set it before.
            const rev = new k8s.core.v1.NamespacePatch(
                `${name}-rev`,
                {
                    metadata: {
                        name: args.namespace,
                        labels,
                        annotations: { "pulumi.com/patchForce": "true", "pulumi.com/patchFieldManager": REV_FIELD_MANAGER },
                    },
                },
                { parent: this },
            );
            // After istio.io/rev is set, so the namespace is never without a selecting label.
            const drop = dropInjectionLabelScript(args.namespace);
            new command.local.Command(
                `${name}-drop-injection`,
                {
                    create: drop.script,
                    environment: accessEnvironment(args.access, drop.environment),
                },
                // Credentials rotate and the script may be reworded by a later istio-mesh: neither
                // is a reason to run the removal again.
                { parent: this, dependsOn: [rev], ignoreChanges: ["create", "environment"] },
            );
        }
        this.registerOutputs({ namespace: this.namespace, revision: this.revision });
    }
}
