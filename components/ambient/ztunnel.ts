/**
 * ztunnel, the ambient node proxy: one Helm release `ztunnel` (chart `ztunnel`, DaemonSet
 * `ztunnel`) per cluster, upgraded in place. Its version and `revision` follow the revision it
 * connects to (mesh.ztunnel.revision): moving that is an in-place upgrade, node by node, that
 * resets the long-lived connections of ambient pods on each node (FACTS.md, "Upgrade"; the plan
 * warns with ztunnel-node-restart). The Mesh creates it after every istiod and the CNI agent
 * (Istio's order: control plane, CNI, ztunnel).
 *
 * Who owns what: Helm owns the DaemonSet, its ServiceAccount and RBAC; istiod trusts it by
 * ServiceAccount `ztunnel` in the control-plane namespace (resourceName pinned, values.ts).
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ZtunnelConfig } from "../config/ambient";
import { ChartSource, releaseArgs } from "../helm/release";
import { ZTUNNEL_CHART, ZTUNNEL_RELEASE } from "./facts";
import { ztunnelValues } from "./values";

export interface ZtunnelArgs {
    /** Revision and version it follows, log level, grace period, raw values. */
    ztunnel: ZtunnelConfig;
    /** Control-plane namespace (the release's namespace, and where istiod-<revision> is). */
    namespace: string;
    /** Image registry. */
    hub: string;
    /** Where the chart comes from and whether to wait for readiness. */
    source: ChartSource;
}

export class Ztunnel extends pulumi.ComponentResource {
    public readonly release: k8s.helm.v3.Release;
    public readonly status: pulumi.Output<k8s.types.output.helm.v3.ReleaseStatus>;

    constructor(name: string, args: ZtunnelArgs, opts?: pulumi.ComponentResourceOptions) {
        super("istio-mesh:ambient:Ztunnel", name, {}, opts);
        const z = args.ztunnel;
        this.release = new k8s.helm.v3.Release(
            `${name}-release`,
            releaseArgs(args.source, {
                name: ZTUNNEL_RELEASE,
                namespace: args.namespace,
                chart: ZTUNNEL_CHART,
                version: z.version,
                values: ztunnelValues({
                    version: z.version,
                    hub: args.hub,
                    revision: z.revision,
                    istioNamespace: args.namespace,
                    ...(z.logLevel === undefined ? {} : { logLevel: z.logLevel }),
                    ...(z.terminationGracePeriodSeconds === undefined ? {} : { terminationGracePeriodSeconds: z.terminationGracePeriodSeconds }),
                    values: { ...z.values },
                }),
            }),
            { parent: this },
        );
        this.status = this.release.status;
        this.registerOutputs({ status: this.status });
    }
}
