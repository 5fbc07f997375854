import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { GatewayConfig } from "../config/model";
import { ChartSource, releaseArgs } from "../helm/release";
import { CHARTS, gatewayValues } from "../helm/values";
import { hostNetworkPatch } from "./hostNetwork";

export interface GatewayArgs {
    /** The gateway: name, namespace, tag or revision it follows, Service and scaling. */
    gateway: GatewayConfig;
    /** Istio version of the revision the gateway follows: the gateway chart version. */
    version: string;
    /** Where the chart comes from and whether to wait for readiness. */
    source: ChartSource;
    /** `<revision>@<version>` the gateway follows; a change rolls its pods (unless restart: false). */
    effective: string;
}

/**
 * An in-place gateway: the gateway chart with `revision` set to a tag or revision, so its
 * pods are injected by whichever control plane that tag points at. Moving the tag moves the
 * gateway; its pods pick up the new proxy when they restart.
 *
 * Who owns what: Helm owns the rendered Deployment, Service, HPA and PDB (hostNetwork and
 * dnsPolicy on the Deployment belong to the patch, see hostNetwork.ts); the cloud's load
 * balancer controller writes the Service's status and node ports, the HPA the replica count.
 */
export class Gateway extends pulumi.ComponentResource {
    public readonly release: k8s.helm.v3.Release;
    public readonly status: pulumi.Output<k8s.types.output.helm.v3.ReleaseStatus>;
    /** With hostNetwork: the patch putting the Deployment on the node's network (see hostNetwork.ts). */
    public readonly hostNetwork?: k8s.apps.v1.DeploymentPatch;

    constructor(name: string, args: GatewayArgs, opts?: pulumi.ComponentResourceOptions) {
        super("istio-mesh:gateways:Gateway", name, {}, opts);
        this.release = new k8s.helm.v3.Release(
            `${name}-release`,
            releaseArgs(args.source, {
                name: args.gateway.name,
                namespace: args.gateway.namespace,
                chart: CHARTS.gateway,
                version: args.version,
                values: gatewayValues(args.gateway, args.effective),
            }),
            { parent: this },
        );
        this.status = this.release.status;
        if (args.gateway.pod.hostNetwork) {
            // After the release: the Deployment it patches must exist.
            this.hostNetwork = new k8s.apps.v1.DeploymentPatch(`${name}-host-network`, hostNetworkPatch(args.gateway.name, args.gateway.namespace, args.source.skipAwait), {
                parent: this,
                dependsOn: [this.release],
            });
        }
        this.registerOutputs({ status: this.status });
    }
}
