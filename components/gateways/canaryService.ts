import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { CanaryService } from "../config/model";

/** The gateway chart's own default Service ports (the same in every chart from 1.25.5 to 1.30). */
export const GATEWAY_PORTS = [
    { name: "status-port", port: 15021, protocol: "TCP", targetPort: 15021 },
    { name: "http2", port: 80, protocol: "TCP", targetPort: 80 },
    { name: "https", port: 443, protocol: "TCP", targetPort: 443 },
] as const;

/** The Service's ports: the configured ones (targetPort defaults to port, as in Kubernetes), else the chart's. */
export function canaryServicePorts(s: Pick<CanaryService, "options">): { name: string; port: number; protocol: string; targetPort: number; nodePort?: number }[] {
    if (s.options.ports === undefined) {
        return GATEWAY_PORTS.map((p) => ({ ...p }));
    }
    return s.options.ports.map((p) => ({
        name: p.name,
        port: p.port,
        protocol: p.protocol,
        targetPort: p.targetPort ?? p.port,
        ...(p.nodePort === undefined ? {} : { nodePort: p.nodePort }),
    }));
}

function serviceAnnotations(s: CanaryService, skipAwait: boolean): Record<string, string> | undefined {
    const annotations = { ...s.options.annotations, ...(skipAwait ? { "pulumi.com/skipAwait": "true" } : {}) };
    return Object.keys(annotations).length === 0 ? undefined : annotations;
}

export interface CanaryGatewayServiceArgs {
    /** The canary gateway's Service: name, namespace, type, selector shared by its Deployments. */
    service: CanaryService;
    /** Add pulumi.com/skipAwait (clusters without nodes: no endpoints ever). @default false */
    skipAwait?: boolean;
}

/**
 * The one Service in front of every Deployment of a canary gateway, and its one
 * PodDisruptionBudget (with podDisruptionBudget and more than one pod in all). The program owns it, not
 * one of the gateway releases, so no release is "the owner": any revision's Deployment can be
 * added or removed and the Service, its clusterIP and its load balancer stay. Traffic is shared
 * by ready pods, so replica counts set each revision's share.
 *
 * Who owns what: this resource owns the Service spec; the API server owns clusterIP and node
 * ports, the cloud controller the load balancer status.
 */
export class CanaryGatewayService extends pulumi.ComponentResource {
    public readonly service: k8s.core.v1.Service;
    /** The load balancer's IP or hostname, else the clusterIP. */
    public readonly address: pulumi.Output<string>;

    constructor(name: string, args: CanaryGatewayServiceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("istio-mesh:gateways:CanaryGatewayService", name, {}, opts);
        const s = args.service;
        this.service = new k8s.core.v1.Service(
            `${name}-service`,
            {
                metadata: {
                    name: s.name,
                    namespace: s.namespace,
                    labels: { ...s.labels, ...s.selector },
                    annotations: serviceAnnotations(s, args.skipAwait ?? false),
                },
                spec: {
                    type: s.type,
                    selector: { ...s.selector },
                    ports: canaryServicePorts(s),
                    ...(s.options.loadBalancerClass === undefined ? {} : { loadBalancerClass: s.options.loadBalancerClass }),
                    ...(s.options.externalTrafficPolicy === undefined ? {} : { externalTrafficPolicy: s.options.externalTrafficPolicy }),
                },
            },
            { parent: this },
        );
        if (s.podDisruptionBudget !== undefined) {
            // One budget for the pods of every Deployment of the gateway (the releases render none).
            new k8s.policy.v1.PodDisruptionBudget(
                `${name}-pdb`,
                {
                    metadata: { name: s.name, namespace: s.namespace, labels: { ...s.labels, ...s.selector } },
                    spec: { selector: { matchLabels: { ...s.selector } }, ...s.podDisruptionBudget },
                },
                { parent: this },
            );
        }
        this.address = pulumi
            .all([this.service.status, this.service.spec])
            .apply(([status, spec]) => status?.loadBalancer?.ingress?.[0]?.ip ?? status?.loadBalancer?.ingress?.[0]?.hostname ?? spec?.clusterIP ?? "");
        this.registerOutputs({ address: this.address });
    }
}
