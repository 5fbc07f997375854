// @ts-nocheck
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

export interface ClusterArgs {
    /** kubeconfig context to use. Default: the kubeconfig's current context. */
    context?: string;
    /**
     * kubeconfig file path or contents. Default: $KUBECONFIG, else ~/.kube/config. Always
     * handled as a secret (a plain string is wrapped in `pulumi.secret`).
     */
    kubeconfig?: pulumi.Input<string>;
}

/** How commands reach the cluster: the same kubeconfig and context as the provider. */
export interface KubeAccess {
    /** kubeconfig file path or contents, secret; undefined = $KUBECONFIG / ~/.kube/config. */
    readonly kubeconfig?: pulumi.Output<string>;
    /** kubeconfig context; undefined = the kubeconfig's current context. */
    readonly context?: string;
}

/**
 * The cluster the mesh runs on. For `kind: existing` it is a Kubernetes provider bound to a
 * kubeconfig context; AKS (a later issue) will create the cluster here and expose the same
 * `provider`, so nothing downstream changes.
 *
 * Credentials never reach the component's own inputs (the SDK records those in the state in
 * plain text): the kubeconfig goes only to the provider, as a secret.
 */
export class Cluster extends pulumi.ComponentResource {
    /** Provider every mesh resource is created with. */
    public readonly provider: k8s.Provider;
    /** The context in use ("" = the kubeconfig's current context). */
    public readonly context: pulumi.Output<string>;
    /** The provider's kubeconfig (secret) and context, for commands that run kubectl. */
    public readonly access: KubeAccess;

    constructor(name: string, args: ClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("istio-mesh:cluster:Cluster", name, {}, opts);
        this.access = {
            kubeconfig: args.kubeconfig === undefined ? undefined : pulumi.secret(args.kubeconfig),
            context: args.context,
        };
        this.provider = new k8s.Provider(
            `${name}-provider`,
            {
                context: args.context,
                kubeconfig: this.access.kubeconfig,
                // Server-side apply: field ownership lets the program share objects with istiod,
                // which patches webhook caBundles, without either side clobbering the other.
                enableServerSideApply: true,
            },
            { parent: this },
        );
        this.context = pulumi.output(args.context ?? "");
        this.registerOutputs({ context: this.context });
    }
}
