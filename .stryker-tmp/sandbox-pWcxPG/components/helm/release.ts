/**
 * One place that turns "chart X at version V with values" into helm.v3.Release args, so
 * every release of the mesh is pinned, deterministic and waits (or not) the same way.
 */
// @ts-nocheck

import * as k8s from "@pulumi/kubernetes";
import { JsonMap } from "../config/model";

export interface ChartSource {
    /** Helm repository URL (https://, http://) or OCI registry (oci://). */
    readonly repository: string;
    /** Do not wait for the release's objects to become ready (clusters without nodes). */
    readonly skipAwait: boolean;
}

export interface ReleaseSpec {
    /** Helm release name. */
    readonly name: string;
    readonly namespace: string;
    /** Chart name in the repository (base, istiod, gateway). */
    readonly chart: string;
    /** Exact chart version (= Istio release). */
    readonly version: string;
    readonly values: JsonMap;
}

/** Seconds Helm may wait for a release's objects (istiod images are large on a cold node). */
export const RELEASE_TIMEOUT_SECONDS = 600;

export function releaseArgs(source: ChartSource, spec: ReleaseSpec): k8s.helm.v3.ReleaseArgs {
    const oci = source.repository.startsWith("oci://");
    return {
        name: spec.name,
        namespace: spec.namespace,
        chart: oci ? `${source.repository.replace(/\/+$/, "")}/${spec.chart}` : spec.chart,
        version: spec.version,
        ...(oci ? {} : { repositoryOpts: { repo: source.repository } }),
        values: spec.values,
        // As `helm install --create-namespace`: works whether the namespace exists or not (the
        // provider's create refuses existing objects since 4.29), and uninstall leaves it.
        createNamespace: true,
        skipAwait: source.skipAwait,
        timeout: RELEASE_TIMEOUT_SECONDS,
        maxHistory: 10,
        // Values are always the full set this program computes, never merged with old ones.
        resetValues: true,
    };
}
