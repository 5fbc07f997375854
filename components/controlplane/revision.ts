import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ControlPlaneConfig, RevisionConfig } from "../config/model";
import { CniConfig } from "../cni/config";
import { ChartSource, releaseArgs } from "../helm/release";
import { CHARTS, istiodValues } from "../helm/values";
import { istiodServiceName } from "../tags/webhooks";
import { deepMerge } from "../helm/values";
import { ambientProfileValues } from "../ambient/values";

export interface ControlPlaneRevisionArgs {
    /** The revision: name, Istio version and raw values. */
    revision: RevisionConfig;
    /** Control-plane namespace. */
    namespace: string;
    /** Image registry (`global.hub`). */
    hub: string;
    /** Replicas, autoscaling, resources, PDB and mesh config shared by all revisions. */
    controlPlane: ControlPlaneConfig;
    /** Where the chart comes from and whether to wait for readiness. */
    source: ChartSource;
    /** Set: injection relies on the Istio CNI agent (no istio-init container). @default undefined (istio-init) */
    cni?: CniConfig;
    /** Install with the chart's `profile: ambient` (mesh.dataplane ambient: PILOT_ENABLE_AMBIENT, HBONE). @default false */
    ambient?: boolean;
}

/**
 * One istiod control plane: the istiod chart installed as release `istiod-<revision>` with
 * `revision=<revision>` and no revision tags (tags are RevisionTag resources).
 *
 * Who owns what: Helm owns the rendered objects; istiod itself writes the caBundle of its
 * injector and validator webhooks (kept across upgrades by Helm's three-way merge) and the
 * HPA writes the Deployment's replica count when autoscaling is on (the chart then omits it).
 */
export class ControlPlaneRevision extends pulumi.ComponentResource {
    public readonly release: k8s.helm.v3.Release;
    public readonly revision: string;
    public readonly version: string;
    /** Service istiod-<revision>: what webhooks and tags call. */
    public readonly serviceName: string;
    public readonly status: pulumi.Output<k8s.types.output.helm.v3.ReleaseStatus>;

    constructor(name: string, args: ControlPlaneRevisionArgs, opts?: pulumi.ComponentResourceOptions) {
        super("istio-mesh:controlplane:ControlPlaneRevision", name, {}, opts);
        this.revision = args.revision.name;
        this.version = args.revision.version;
        this.serviceName = istiodServiceName(args.revision.name);
        this.release = new k8s.helm.v3.Release(
            `${name}-istiod`,
            releaseArgs(args.source, {
                name: `istiod-${args.revision.name}`,
                namespace: args.namespace,
                chart: CHARTS.istiod,
                version: args.revision.version,
                values: ((v) => (args.ambient === true ? deepMerge(v, ambientProfileValues(args.revision.version)) : v))(
                    istiodValues({ namespace: args.namespace, hub: args.hub, cni: args.cni }, args.controlPlane, args.revision),
                ),
            }),
            { parent: this },
        );
        this.status = this.release.status;
        this.registerOutputs({ status: this.status });
    }
}
