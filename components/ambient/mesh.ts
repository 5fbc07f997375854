/**
 * The ambient and Gateway API resources of the mesh, built from the approved config: the
 * Gateway API CRDs, ztunnel, waypoints and `kind: gateway-api` gateways. Called once by the
 * Mesh component (its one seam for them), after the control planes and the CNI agent.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { KubeAccess } from "../cluster/cluster";
import type { MeshConfig } from "../config/model";
import { GatewayApiCrds } from "../gatewayapi/crds";
import { gatewayApiGatewayObject } from "../gatewayapi/objects";
import type { ChartSource } from "../helm/release";
import { IstiodGatewayObject } from "./gatewayObject";
import { LABELS, WaypointFor } from "./facts";
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
    return spec?.manage === true ? new GatewayApiCrds(`${name}-gateway-api-crds`, { version: spec.version, channel: spec.channel, ...(spec.manifest === undefined ? {} : { manifest: spec.manifest }), access }, { parent }) : undefined;
}

export interface AmbientResources {
    readonly crds?: GatewayApiCrds;
    readonly ztunnel?: Ztunnel;
    /** Waypoints and gateway-api gateways, by `<namespace>/<name>`. */
    readonly gateways: ReadonlyMap<string, IstiodGatewayObject>;
    /** The use-waypoint labels on Services, by `<namespace>/<service>`. */
    readonly services: ReadonlyMap<string, k8s.core.v1.ServicePatch>;
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
    const waypoint = (ns: string, w: { readonly name: string; readonly revision: string; readonly for?: WaypointFor }) => {
        const key = `${ns}/${w.name}`;
        const existing = gateways.get(key);
        if (existing !== undefined) return existing;
        const object = waypointGateway({ namespace: ns, name: w.name, revision: w.revision, ...(w.for === undefined ? {} : { waypointFor: w.for }) });
        const created = new IstiodGatewayObject(`${name}-waypoint-${ns}-${w.name}`, { object, skipAwait }, { parent, dependsOn: [...(crds === undefined ? [] : [crds]), args.target(w.revision), ...inNamespace(ns)] });
        gateways.set(key, created);
        return created;
    };
    const services = new Map<string, k8s.core.v1.ServicePatch>();
    for (const n of config.ambient?.namespaces ?? []) {
        if (n.waypoint !== undefined) waypoint(n.name, n.waypoint);
        // A Service's waypoint (the config makes Services sharing one agree), then its label.
        for (const svc of n.services ?? []) {
            const gw = waypoint(n.name, svc.waypoint);
            services.set(`${n.name}/${svc.name}`, serviceWaypointPatch(`${name}-svc-${n.name}-${svc.name}`, n.name, svc.name, svc.waypoint.name, { parent, dependsOn: [gw, ...inNamespace(n.name)] }));
        }
    }
    for (const g of config.gatewayApi?.gateways ?? []) {
        gateways.set(
            `${g.namespace}/${g.name}`,
            new IstiodGatewayObject(`${name}-gwapi-${g.name}`, { object: gatewayApiGatewayObject(g), skipAwait }, { parent, dependsOn: [...(crds === undefined ? [] : [crds]), args.target(g.revision), ...inNamespace(g.namespace)] }),
        );
    }
    return { ...(crds === undefined ? {} : { crds }), ...(ztunnel === undefined ? {} : { ztunnel }), gateways, services };
}

/** Field manager of the use-waypoint label on Services (the Service itself is the application's). */
export const SERVICE_WAYPOINT_FIELD_MANAGER = "istio-mesh-waypoint";

/**
 * istio.io/use-waypoint on an existing Service, by server-side apply under its own field manager:
 * the Service (created by the application) is never replaced or deleted, and no other field of it
 * is claimed; removing the binding from the config deletes this patch, which removes only the label.
 */
function serviceWaypointPatch(name: string, namespace: string, service: string, waypointName: string, opts: pulumi.CustomResourceOptions): k8s.core.v1.ServicePatch {
    return new k8s.core.v1.ServicePatch(
        name,
        {
            metadata: {
                name: service,
                namespace,
                labels: { [LABELS.useWaypoint]: waypointName },
                annotations: { "pulumi.com/patchForce": "true", "pulumi.com/patchFieldManager": SERVICE_WAYPOINT_FIELD_MANAGER },
            },
        },
        opts,
    );
}
