/**
 * The ambient and Gateway API resources of the mesh, built from the approved config: the
 * Gateway API CRDs, ztunnel, waypoints and `kind: gateway-api` gateways. Called once by the
 * Mesh component (its one seam for them), after the control planes and the CNI agent.
 */
import * as pulumi from "@pulumi/pulumi";
import type { KubeAccess } from "../cluster/cluster";
import type { MeshConfig } from "../config/model";
import { GatewayApiCrds } from "../gatewayapi/crds";
import { gatewayApiGatewayObject } from "../gatewayapi/objects";
import type { ChartSource } from "../helm/release";
import { IstiodGatewayObject } from "./gatewayObject";
import { waypointGateway } from "./objects";
import { Ztunnel } from "./ztunnel";

export interface AmbientResourcesArgs {
    readonly config: MeshConfig;
    readonly source: ChartSource;
    readonly access: KubeAccess;
    /** Every istiod release, and the CNI agent: ztunnel comes after them. */
    readonly controlPlane: readonly pulumi.Resource[];
    /** What a label names: the tag's webhook or the revision's istiod. */
    readonly target: (ref: string) => pulumi.Resource;
    /** The namespaces' label patches or Namespaces, by name. */
    readonly namespaces: ReadonlyMap<string, pulumi.Resource>;
    /** The CRDs, created first (gatewayApiCrdsFor) so every istiod starts with them. */
    readonly crds?: GatewayApiCrds;
}

/** The Gateway API CRDs when the stack manages them; created before the control planes, which read them. */
export function gatewayApiCrdsFor(parent: pulumi.Resource, name: string, config: MeshConfig, access: KubeAccess): GatewayApiCrds | undefined {
    const spec = config.gatewayApi?.crds;
    return spec?.manage === true ? new GatewayApiCrds(`${name}-gateway-api-crds`, { version: spec.version, channel: spec.channel, access }, { parent }) : undefined;
}

export interface AmbientResources {
    readonly crds?: GatewayApiCrds;
    readonly ztunnel?: Ztunnel;
    /** Waypoints and gateway-api gateways, by `<namespace>/<name>`. */
    readonly gateways: ReadonlyMap<string, IstiodGatewayObject>;
}

export function ambientResources(parent: pulumi.Resource, name: string, args: AmbientResourcesArgs): AmbientResources {
    const { config } = args;
    const skipAwait = config.cluster.skipAwait;
    const crds = args.crds;
    const z = config.ambient?.ztunnel;
    const ztunnel = z === undefined ? undefined : new Ztunnel(`${name}-ztunnel`, { ztunnel: z, namespace: config.namespace, hub: config.hub, source: args.source }, { parent, dependsOn: [...args.controlPlane] });
    const gateways = new Map<string, IstiodGatewayObject>();
    const inNamespace = (ns: string) => {
        const r = args.namespaces.get(ns);
        return r === undefined ? [] : [r];
    };
    for (const n of config.ambient?.namespaces ?? []) {
        if (n.waypoint === undefined) {
            continue;
        }
        const object = waypointGateway({ namespace: n.name, name: n.waypoint.name, revision: n.waypoint.revision, ...(n.waypoint.for === undefined ? {} : { waypointFor: n.waypoint.for }) });
        gateways.set(
            `${n.name}/${n.waypoint.name}`,
            new IstiodGatewayObject(`${name}-waypoint-${n.name}-${n.waypoint.name}`, { object, skipAwait }, { parent, dependsOn: [...(crds === undefined ? [] : [crds]), args.target(n.waypoint.revision), ...inNamespace(n.name)] }),
        );
    }
    for (const g of config.gatewayApi?.gateways ?? []) {
        gateways.set(
            `${g.namespace}/${g.name}`,
            new IstiodGatewayObject(`${name}-gwapi-${g.name}`, { object: gatewayApiGatewayObject(g), skipAwait }, { parent, dependsOn: [...(crds === undefined ? [] : [crds]), args.target(g.revision), ...inNamespace(g.namespace)] }),
        );
    }
    return { ...(crds === undefined ? {} : { crds }), ...(ztunnel === undefined ? {} : { ztunnel }), gateways };
}
