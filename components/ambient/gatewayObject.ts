/**
 * One Gateway API `Gateway` object that istiod deploys (a waypoint, or a gateway of kind
 * gateway-api), as a ComponentResource. The object is plain data built by pure functions
 * (objects.ts, ../gatewayapi/objects.ts) and checked against the recorded CRD schemas.
 *
 * Who owns what: this resource owns the Gateway's metadata and spec; istiod owns its status and
 * the Deployment, Service and ServiceAccount it creates from it (never applied here).
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

export interface IstiodGatewayArgs {
    /** The Gateway, as plain data (apiVersion gateway.networking.k8s.io/v1, kind Gateway). */
    object: { readonly apiVersion: string; readonly kind: "Gateway"; readonly metadata: { readonly name: string; readonly namespace: string; readonly labels?: Readonly<Record<string, string>> }; readonly spec: unknown };
    /** Add pulumi.com/skipAwait (clusters without istiod running). @default false */
    skipAwait?: boolean;
}

export class IstiodGatewayObject extends pulumi.ComponentResource {
    public readonly gateway: k8s.apiextensions.CustomResource;

    constructor(name: string, args: IstiodGatewayArgs, opts?: pulumi.ComponentResourceOptions) {
        super("istio-mesh:ambient:IstiodGateway", name, {}, opts);
        const o = args.object;
        this.gateway = new k8s.apiextensions.CustomResource(
            `${name}-gateway`,
            {
                apiVersion: o.apiVersion,
                kind: o.kind,
                metadata: { ...o.metadata, labels: { ...(o.metadata.labels ?? {}) }, ...(args.skipAwait === true ? { annotations: { "pulumi.com/skipAwait": "true" } } : {}) },
                spec: o.spec as pulumi.Input<Record<string, unknown>>,
            },
            { parent: this },
        );
        this.registerOutputs({});
    }
}
