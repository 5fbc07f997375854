import * as command from "@pulumi/command";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { KubeAccess } from "../cluster/cluster";
import { accessEnvironment } from "../kubectl/access";
import { dropInjectionLabelsScript } from "../kubectl/kubectl";

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
/** Type of the per-namespace component of istio-mesh ≤ 0.1 (aliases keep its children's identity). */
const LEGACY_PARENT_TYPE = "istio-mesh:namespaces:NamespaceLabels";

/** One namespace of the mesh. */
export interface EnrolledNamespace {
    /** Namespace name. */
    readonly namespace: string;
    /** Tag or revision written to `istio.io/rev`. */
    readonly revision: string;
    /**
     * true: the program creates the Namespace. false: the namespace must exist; the program
     * owns only its `istio.io/rev` (and `labels`) and removes `istio-injection` once.
     */
    readonly create: boolean;
    /**
     * Only with `create`: delete the namespace, and everything in it, when it leaves the
     * config or on destroy. false lets the stack forget it and leaves it running.
     */
    readonly deleteWhenRemoved: boolean;
    /** Extra labels the program owns on the namespace (ambient's dataplane-mode and use-waypoint among them). */
    readonly labels: Readonly<Record<string, string>>;
    /** Write `istio.io/rev` (false: an ambient namespace without sidecars, ambient/namespaces.ts). @default true */
    readonly revisionLabel?: boolean;
    /** What must exist first: what the label names (the tag's webhook, or the revision's istiod), the CNI agent. */
    readonly dependsOn: readonly pulumi.Resource[];
}

export interface NamespacesArgs {
    /** Every namespace of the mesh, in any order (children are named by namespace). */
    namespaces: readonly EnrolledNamespace[];
    /** Add pulumi.com/skipAwait (clusters without a namespace controller). @default false */
    skipAwait?: boolean;
    /** How the one-time `istio-injection` removal reaches the cluster (existing namespaces). */
    access: KubeAccess;
}

/**
 * Enrols namespaces in the mesh through `istio.io/rev`. Running pods keep their proxies until
 * restarted. One resource per namespace (a patch, or the Namespace it creates) plus one
 * label-removal command for all of them: a mesh of 1,000 namespaces stays quick to plan.
 *
 * Who owns what on the Namespace object:
 * - `istio.io/rev` and `labels`: this component (field manager `istio-mesh-rev` for an existing
 *   namespace; the Namespace resource for a created one). Refresh reads them back unchanged,
 *   so a later `up` re-applies exactly them.
 * - `istio-injection`: whoever set it (kubectl, istioctl). It would win over `istio.io/rev`, so
 *   it is removed ONCE per enrolment, by a command that records the namespaces it handled and
 *   never touches them again (refresh, later updates); if someone adds it again, that is theirs
 *   to remove.
 * - everything else (other labels, annotations): untouched.
 *
 * Children are named `<name>-<namespace>-rev` / `-namespace`, as under istio-mesh ≤ 0.1's
 * per-namespace component; an alias to that parent keeps each one's identity, so upgrading
 * istio-mesh never deletes a patch (which would remove the label) or a created namespace.
 */
export class Namespaces extends pulumi.ComponentResource {
    /** The `istio.io/rev` patch or created Namespace of each namespace, by namespace name. */
    public readonly enrolled = new Map<string, pulumi.CustomResource>();

    constructor(name: string, args: NamespacesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("istio-mesh:namespaces:Namespaces", name, {}, opts);
        // The legacy parents' URNs share everything but the name: built once, not per namespace.
        const legacyUrn = opts?.parent === undefined ? undefined : pulumi.createUrn("", LEGACY_PARENT_TYPE, opts.parent);
        const legacyParent = (ns: string): pulumi.Alias[] =>
            legacyUrn === undefined ? [] : [{ parent: legacyUrn.apply((urn) => `${urn}${name}-${ns}`) }];
        const existing: string[] = [];
        for (const ns of args.namespaces) {
            const labels = { ...ns.labels, ...(ns.revisionLabel === false ? {} : { [REV_LABEL]: ns.revision }) };
            if (ns.create) {
                const annotations = args.skipAwait ? { "pulumi.com/skipAwait": "true" } : undefined;
                this.enrolled.set(
                    ns.namespace,
                    new k8s.core.v1.Namespace(
                        `${name}-${ns.namespace}-namespace`,
                        { metadata: { name: ns.namespace, labels, annotations } },
                        // Leaving the config forgets the namespace instead of deleting its workloads,
                        // unless the config asked for deletion (and the transition rules let it through).
                        { parent: this, dependsOn: [...ns.dependsOn], retainOnDelete: !ns.deleteWhenRemoved, aliases: legacyParent(ns.namespace) },
                    ),
                );
            } else {
                existing.push(ns.namespace);
                // Force: the stack owns istio.io/rev even when kubectl or istioctl set it before.
                this.enrolled.set(
                    ns.namespace,
                    new k8s.core.v1.NamespacePatch(
                        `${name}-${ns.namespace}-rev`,
                        {
                            metadata: {
                                name: ns.namespace,
                                labels,
                                annotations: { "pulumi.com/patchForce": "true", "pulumi.com/patchFieldManager": REV_FIELD_MANAGER },
                            },
                        },
                        { parent: this, dependsOn: [...ns.dependsOn], aliases: legacyParent(ns.namespace) },
                    ),
                );
            }
        }
        if (existing.length > 0) {
            // After istio.io/rev is set, so a namespace is never without a selecting label.
            const drop = dropInjectionLabelsScript(existing);
            new command.local.Command(
                `${name}-drop-injection`,
                {
                    create: drop.script,
                    update: drop.script,
                    environment: accessEnvironment(args.access, drop.environment),
                    // The script reads which namespaces it has handled from its previous stdout.
                    addPreviousOutputInEnv: true,
                    // stdout is the record of handled namespaces; what kubectl did goes to stderr.
                    logging: "stderr",
                },
                { parent: this, dependsOn: [...this.enrolled.values()] },
            );
        }
        this.registerOutputs({});
    }
}
