import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ProbeConfig } from "./config";
import { PROBE_NAME, PROBE_SELECTOR, probeDeployment } from "./manifest";

export interface AvailabilityProbeArgs {
    /** The validated probe config (mesh.probe). */
    probe: ProbeConfig;
    /** Do not wait for the Deployment to become ready (clusters without nodes). @default false */
    skipAwait?: boolean;
}

/**
 * The in-mesh availability probe: one Deployment in a namespace the mesh enrolls, requesting
 * the configured URL in a loop and logging one line per request. Built after the mesh (opts
 * dependsOn), so its pod is injected by the revision its namespace's tag selects.
 */
export class AvailabilityProbe extends pulumi.ComponentResource {
    public readonly namespace: string;
    /** Deployment name. */
    public readonly deployment: string;
    /** The command that reports on it. */
    public readonly report: string;

    constructor(name: string, args: AvailabilityProbeArgs, opts?: pulumi.ComponentResourceOptions) {
        super("istio-mesh:probe:AvailabilityProbe", name, {}, opts);
        const manifest = probeDeployment(args.probe);
        new k8s.apps.v1.Deployment(
            `${name}-deployment`,
            {
                metadata: { ...manifest.metadata, ...(args.skipAwait ? { annotations: { "pulumi.com/skipAwait": "true" } } : {}) },
                spec: manifest.spec,
            },
            { parent: this },
        );
        this.namespace = args.probe.namespace;
        this.deployment = PROBE_NAME;
        this.report = `npm run probe -- --since <time>   # reads kubectl logs -n ${args.probe.namespace} -l ${Object.entries(PROBE_SELECTOR).map(([k, v]) => `${k}=${v}`).join(",")}`;
        this.registerOutputs({ namespace: this.namespace, deployment: this.deployment, report: this.report });
    }
}
