/**
 * The Kubernetes objects of ambient mode as plain data: a waypoint `Gateway` and the labels an
 * ambient namespace carries. Pure; mesh.ts applies `waypointGateway`; the labels are applied
 * by namespaces.ts (which leaves absent labels out of the patch). Checked against the Gateway API CRD schemas in tests/fixtures/gatewayapi.
 */
import { LABELS, WAYPOINT_CLASS, WAYPOINT_FOR, WAYPOINT_LISTENER, WaypointFor } from "./facts";
import type { AmbientNamespace } from "./state";

export const GATEWAY_API_VERSION = "gateway.networking.k8s.io/v1";

export interface WaypointArgs {
    readonly namespace: string;
    /** Gateway name, e.g. "waypoint" (istioctl's default). */
    readonly name: string;
    /** istio.io/rev on the Gateway: the tag (or revision) whose istiod deploys it. @default none: the namespace's, else the default */
    readonly revision?: string;
    /** istio.io/waypoint-for. @default none: Istio's default, "service" */
    readonly waypointFor?: WaypointFor;
}

export interface GatewayObject {
    readonly apiVersion: typeof GATEWAY_API_VERSION;
    readonly kind: "Gateway";
    readonly metadata: { readonly name: string; readonly namespace: string; readonly labels?: Readonly<Record<string, string>> };
    readonly spec: { readonly gatewayClassName: string; readonly listeners: readonly { readonly name: string; readonly port: number; readonly protocol: string }[] };
}

/** The waypoint Gateway `istioctl waypoint generate` writes, with the revision label when one is chosen. */
export function waypointGateway(a: WaypointArgs): GatewayObject {
    if (a.waypointFor !== undefined && !WAYPOINT_FOR.includes(a.waypointFor)) {
        throw new Error(`internal: waypoint-for "${String(a.waypointFor)}" is not one of ${WAYPOINT_FOR.join(", ")}`);
    }
    const labels: Record<string, string> = {
        ...(a.waypointFor === undefined ? {} : { [LABELS.waypointFor]: a.waypointFor }),
        ...(a.revision === undefined ? {} : { [LABELS.rev]: a.revision }),
    };
    return {
        apiVersion: GATEWAY_API_VERSION,
        kind: "Gateway",
        metadata: { name: a.name, namespace: a.namespace, ...(Object.keys(labels).length === 0 ? {} : { labels }) },
        spec: { gatewayClassName: WAYPOINT_CLASS, listeners: [{ ...WAYPOINT_LISTENER }] },
    };
}

/**
 * The Istio labels a namespace carries (null = the label must be absent, so a label patch
 * removes it): istio.io/dataplane-mode=ambient or none at all (there is no sidecar value),
 * istio.io/rev when set, istio.io/use-waypoint when bound; istio-injection never (the program
 * selects control planes with istio.io/rev only).
 */
export function namespaceLabels(n: AmbientNamespace): Record<string, string | null> {
    return {
        [LABELS.dataplaneMode]: n.dataplane === "ambient" ? "ambient" : null,
        [LABELS.rev]: n.revision ?? null,
        [LABELS.useWaypoint]: n.useWaypoint ?? null,
        [LABELS.injection]: null,
    };
}
