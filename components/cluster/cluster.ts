import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

export interface ClusterArgs {
    /** kubeconfig context to use. Default: the kubeconfig's current context. */
    context?: string;
    /** kubeconfig file path or contents. Default: $KUBECONFIG, else ~/.kube/config. */
    kubeconfig?: string;
}

/**
 * The cluster the mesh runs on. For `kind: existing` it is a Kubernetes provider bound to a
 * kubeconfig context; AKS (a later issue) will create the cluster here and expose the same
 * `provider`, so nothing downstream changes.
 */
export class Cluster extends pulumi.ComponentResource {
    /** Provider every mesh resource is created with. */
    public readonly provider: k8s.Provider;
    /** The context in use ("" = the kubeconfig's current context). */
    public readonly context: pulumi.Output<string>;

    constructor(name: string, args: ClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("istio-mesh:cluster:Cluster", name, args, opts);
        this.provider = new k8s.Provider(
            `${name}-provider`,
            {
                context: args.context,
                kubeconfig: args.kubeconfig,
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
