/**
 * The Gateway object of a `kind: gateway-api` gateway: class istio (istiod deploys its
 * Deployment and Service from its kube-gateway template), istio.io/rev naming the tag or
 * revision whose istiod owns it. Pure; checked against the recorded Gateway CRD schemas
 * (tests/fixtures/gatewayapi) by tests/gatewayapi.
 */
import { GATEWAY_CLASS, LABELS } from "../ambient/facts";
import { GATEWAY_API_VERSION } from "../ambient/objects";
import type { GatewayApiGatewayConfig } from "../config/ambient";

export interface GatewayListenerObject {
    readonly name: string;
    readonly port: number;
    readonly protocol: string;
    readonly hostname?: string;
    readonly tls?: { readonly mode: "Terminate" | "Passthrough"; readonly certificateRefs?: readonly { readonly kind: "Secret"; readonly group: ""; readonly name: string; readonly namespace?: string }[] };
    readonly allowedRoutes?: { readonly namespaces: { readonly from: "Same" | "All" } };
}

export interface GatewayApiGatewayObject {
    readonly apiVersion: typeof GATEWAY_API_VERSION;
    readonly kind: "Gateway";
    readonly metadata: { readonly name: string; readonly namespace: string; readonly labels: Readonly<Record<string, string>> };
    readonly spec: { readonly gatewayClassName: typeof GATEWAY_CLASS; readonly listeners: readonly GatewayListenerObject[] };
}

export function gatewayApiGatewayObject(g: GatewayApiGatewayConfig): GatewayApiGatewayObject {
    return {
        apiVersion: GATEWAY_API_VERSION,
        kind: "Gateway",
        metadata: { name: g.name, namespace: g.namespace, labels: { ...g.labels, [LABELS.rev]: g.revision } },
        spec: {
            gatewayClassName: GATEWAY_CLASS,
            listeners: g.listeners.map((l) => {
                const tls = l.protocol === "HTTPS" || l.protocol === "TLS";
                return {
                    name: l.name,
                    port: l.port,
                    protocol: l.protocol,
                    ...(l.hostname === undefined ? {} : { hostname: l.hostname }),
                    ...(tls
                        ? {
                              tls: {
                                  // HTTPS always terminates; TLS defaults to Passthrough (no certificate to present).
                                  mode: l.tls?.mode ?? (l.protocol === "HTTPS" ? "Terminate" : "Passthrough"),
                                  ...((l.tls?.certificateRefs ?? []).length === 0
                                      ? {}
                                      : { certificateRefs: (l.tls?.certificateRefs ?? []).map((c) => ({ kind: "Secret" as const, group: "" as const, name: c.name, ...(c.namespace === undefined ? {} : { namespace: c.namespace }) })) }),
                              },
                          }
                        : {}),
                    ...(l.allowedRoutes === undefined ? {} : { allowedRoutes: { namespaces: { from: l.allowedRoutes } } }),
                };
            }),
        },
    };
}
