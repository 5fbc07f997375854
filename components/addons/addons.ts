import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { releaseArgs } from "../helm/release";
import { ADDON_CHARTS, AddonName } from "./charts";
import { AddonsConfig } from "./config";
import { tracingTelemetry } from "./telemetry";
import { addonValues, endpointOf, mergeValues, portForwardCommand } from "./values";

export interface AddonsArgs {
    /** The validated add-ons config (mesh.addons). */
    addons: AddonsConfig;
    /** The mesh's control-plane namespace: Istio's root namespace, where the tracing Telemetry goes. */
    meshNamespace: string;
    /** Do not wait for the releases' objects to become ready (clusters without nodes). @default false */
    skipAwait?: boolean;
}

/** How to reach one add-on. */
export interface AddonAccess {
    readonly namespace: string;
    readonly service: string;
    readonly port: number;
    readonly portForward: string;
    readonly chart: string;
}

/**
 * The observability add-ons beside the mesh, consuming it (opts dependsOn the mesh): one Helm
 * release per enabled add-on, Prometheus first (Grafana and Kiali read from it), and the
 * mesh-wide tracing Telemetry when Jaeger is on.
 */
export class Addons extends pulumi.ComponentResource {
    /** By add-on name: where it is and the port-forward command that reaches it. */
    public readonly access: Readonly<Record<string, AddonAccess>>;

    constructor(name: string, args: AddonsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("istio-mesh:addons:Addons", name, {}, opts);
        const values = addonValues(args.addons);
        const access: Record<string, AddonAccess> = {};
        const releases = new Map<AddonName, k8s.helm.v3.Release>();
        // Prometheus first: the others' data source must exist when they start.
        for (const addon of ["prometheus", "jaeger", "grafana", "kiali"] as const) {
            const cfg = args.addons[addon];
            const v = values[addon];
            if (cfg === undefined || v === undefined) {
                continue;
            }
            const chart = ADDON_CHARTS[addon];
            const dependsOn = addon === "grafana" || addon === "kiali" ? [...releases.values()] : [];
            releases.set(
                addon,
                new k8s.helm.v3.Release(
                    `${name}-${addon}`,
                    releaseArgs(
                        { repository: cfg.chartRepository, skipAwait: args.skipAwait ?? false },
                        { name: addon, namespace: cfg.namespace, chart: chart.chart, version: chart.version, values: mergeValues(v, cfg.values) },
                    ),
                    { parent: this, dependsOn },
                ),
            );
            const e = endpointOf(addon, cfg.namespace);
            access[addon] = { namespace: e.namespace, service: e.service, port: e.port, portForward: portForwardCommand(e), chart: `${chart.chart} ${chart.version}` };
        }
        if (args.addons.jaeger !== undefined) {
            const t = tracingTelemetry(args.meshNamespace, args.addons.jaeger.samplingPercentage);
            new k8s.apiextensions.CustomResource(`${name}-telemetry`, { ...t }, { parent: this, dependsOn: [...releases.values()] });
        }
        this.access = access;
        this.registerOutputs({ access });
    }
}
