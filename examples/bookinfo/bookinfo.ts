import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { SampleConfig } from "./config";
import { routingObjects } from "./routing";
import { bookinfoWorkloads, Meta } from "./workloads";

export interface BookinfoArgs {
    /** The validated sample config (parseSample), already checked against the mesh stack. */
    config: SampleConfig;
    /** Do not wait for Deployments and Services to become ready (clusters without nodes). @default false */
    skipAwait?: boolean;
}

/**
 * Bookinfo in a namespace the mesh enrolls: its workloads, then its routing (DestinationRules,
 * Gateways, VirtualServices) as Istio custom resources. The routing waits for the workloads so
 * no route points at a subset whose pods do not exist yet.
 */
export class Bookinfo extends pulumi.ComponentResource {
    /** Names of the Istio objects, by kind (what `kubectl get <kind> -n <ns>` lists). */
    public readonly routing: { destinationRules: string[]; gateways: string[]; virtualServices: string[] };

    constructor(name: string, args: BookinfoArgs, opts?: pulumi.ComponentResourceOptions) {
        super("istio-mesh:bookinfo:Bookinfo", name, {}, opts);
        const { config } = args;
        // Without nodes (tests, the e2e tier) nothing becomes ready: do not wait for it.
        const meta = (m: Meta): Meta => (args.skipAwait ? { ...m, annotations: { "pulumi.com/skipAwait": "true" } } : m);
        const w = bookinfoWorkloads(config.namespace, config.images);
        const accounts = w.serviceAccounts.map((m) => new k8s.core.v1.ServiceAccount(`${name}-sa-${m.metadata.labels.app}`, { metadata: meta(m.metadata) }, { parent: this }));
        const services = w.services.map((m) => new k8s.core.v1.Service(`${name}-svc-${m.metadata.name}`, { metadata: meta(m.metadata), spec: m.spec }, { parent: this }));
        const deployments = w.deployments.map(
            (m) => new k8s.apps.v1.Deployment(`${name}-deploy-${m.metadata.name}`, { metadata: meta(m.metadata), spec: m.spec }, { parent: this, dependsOn: accounts }),
        );
        const r = routingObjects(config);
        const after = { parent: this, dependsOn: [...services, ...deployments] };
        for (const dr of r.destinationRules) {
            new k8s.apiextensions.CustomResource(`${name}-dr-${dr.metadata.name}`, { ...dr }, after);
        }
        const gateways = new Map(r.gateways.map((g) => [g.metadata.name, new k8s.apiextensions.CustomResource(`${name}-gw-${g.metadata.name}`, { ...g }, after)]));
        for (const vs of r.virtualServices) {
            const bound = (vs.spec.gateways ?? []).flatMap((g) => gateways.get(g) ?? []);
            new k8s.apiextensions.CustomResource(`${name}-vs-${vs.metadata.name}`, { ...vs }, { ...after, dependsOn: [...after.dependsOn, ...bound] });
        }
        this.routing = {
            destinationRules: r.destinationRules.map((o) => o.metadata.name),
            gateways: r.gateways.map((o) => o.metadata.name),
            virtualServices: r.virtualServices.map((o) => o.metadata.name),
        };
        this.registerOutputs({ routing: this.routing });
    }
}
