// @ts-nocheck
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { baseValues, CHARTS, deepMerge } from "../helm/values";
import { ChartSource, releaseArgs } from "../helm/release";
import { JsonMap } from "../config/model";

export interface IstioBaseArgs {
    /** Control-plane namespace (must exist). */
    namespace: string;
    /** Chart version: the newest revision's, never lower than what was deployed before. */
    version: string;
    /** Revision name (never a tag) that `istiod-default-validator` calls. */
    defaultRevision: string;
    /** Where the chart comes from and whether to wait for readiness. */
    source: ChartSource;
    /** Raw values merged last (escape hatch). Default: none. */
    values?: JsonMap;
}

/**
 * The shared base chart: CRDs, cluster roles and the default validator. One release for all
 * revisions, so it is upgraded to the newest revision's version before a canary starts.
 *
 * Who owns what: Helm owns every object it renders, and merges three ways on upgrade (old
 * manifest, new manifest, live), so fields written at run time and absent from the chart stay:
 * istiod's caBundle and its Ignore -> Fail flip of the default validator's failurePolicy
 * (pinned through base.validationFailurePolicy where the chart has it). Values are always the
 * full set this program computes (resetValues), never merged with the previous release's.
 */
export class IstioBase extends pulumi.ComponentResource {
    public readonly release: k8s.helm.v3.Release;
    /** Helm release status (revision, status, chart version). */
    public readonly status: pulumi.Output<k8s.types.output.helm.v3.ReleaseStatus>;
    public readonly version: string;

    constructor(name: string, args: IstioBaseArgs, opts?: pulumi.ComponentResourceOptions) {
        super("istio-mesh:base:IstioBase", name, {}, opts);
        this.version = args.version;
        this.release = new k8s.helm.v3.Release(
            `${name}-release`,
            releaseArgs(args.source, {
                name: "istio-base",
                namespace: args.namespace,
                chart: CHARTS.base,
                version: args.version,
                values: deepMerge(baseValues({ namespace: args.namespace }, args.version, args.defaultRevision), args.values ?? {}),
            }),
            { parent: this },
        );
        this.status = this.release.status;
        this.registerOutputs({ status: this.status });
    }
}
