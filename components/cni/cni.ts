import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ChartSource, releaseArgs } from "../helm/release";
import { CniConfig } from "./config";
import { CNI_CHART, CNI_RELEASE, cniValues } from "./values";
import { deepMerge } from "../helm/values";
import { ambientProfileValues } from "../ambient/values";

export interface IstioCniArgs {
    /** Namespace, excluded namespaces, log level and raw values. */
    cni: CniConfig;
    /** Chart version: the base chart's (the newest revision's, never downgraded). */
    version: string;
    /** Image registry (`global.hub`). */
    hub: string;
    /** Where the chart comes from and whether to wait for readiness. */
    source: ChartSource;
    /** Install with the chart's `profile: ambient` (mesh.dataplane ambient: ambient.enabled). @default false */
    ambient?: boolean;
}

/**
 * The Istio CNI node agent: one `cni` chart release (`istio-cni`, DaemonSet istio-cni-node) per
 * cluster, shared by every revision like the base chart. Its version follows the base chart's
 * (newest revision, never downgraded), and the Mesh creates it after every istiod release: on an
 * upgrade the agent moves only once the new control plane is up, so it never runs ahead of
 * every istiod (Istio's order: control plane, then CNI, then data plane), and a rollback that
 * removes the canary leaves it where it is (an agent one minor ahead of the proxies is within
 * Istio's skew; a downgrade of a node agent is not a supported move).
 *
 * Who owns what: Helm owns the DaemonSet, its RBAC and ConfigMap; the agent itself writes the
 * CNI plugin config and binary onto every node (cniConfDir, cniBinDir) and removes them on exit.
 */
export class IstioCni extends pulumi.ComponentResource {
    public readonly release: k8s.helm.v3.Release;
    public readonly status: pulumi.Output<k8s.types.output.helm.v3.ReleaseStatus>;
    public readonly version: string;

    constructor(name: string, args: IstioCniArgs, opts?: pulumi.ComponentResourceOptions) {
        super("istio-mesh:cni:IstioCni", name, {}, opts);
        this.version = args.version;
        this.release = new k8s.helm.v3.Release(
            `${name}-release`,
            releaseArgs(args.source, {
                name: CNI_RELEASE,
                namespace: args.cni.namespace,
                chart: CNI_CHART,
                version: args.version,
                values: args.ambient === true ? deepMerge(cniValues(args.cni, args.version, args.hub), ambientProfileValues(args.version)) : cniValues(args.cni, args.version, args.hub),
            }),
            { parent: this },
        );
        this.status = this.release.status;
        this.registerOutputs({ status: this.status });
    }
}

/** The mesh's CNI release, or undefined when mesh.cni is off; created after `revisions`. */
export function cniFor(
    parent: pulumi.Resource,
    name: string,
    config: { readonly cni?: CniConfig; readonly hub: string; readonly ambient?: { readonly dataplane: string } },
    state: { readonly cni?: { readonly version: string } },
    source: ChartSource,
    revisions: readonly pulumi.Resource[],
): IstioCni | undefined {
    if (config.cni === undefined || state.cni === undefined) {
        return undefined;
    }
    return new IstioCni(`${name}-cni`, { cni: config.cni, version: state.cni.version, hub: config.hub, source, ambient: config.ambient?.dataplane === "ambient" }, { parent, dependsOn: [...revisions] });
}
