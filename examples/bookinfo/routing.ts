/**
 * The sample's routing config as Istio objects, typed by the generated CRD types
 * (components/istio/networking.gen.ts): one DestinationRule per service with a subset per
 * deployed version, one Gateway per configured gateway (on the mesh's ingress gateway pods),
 * one VirtualService per ingress entry (bound to its Gateway) and one per routed service
 * (in-mesh, `mesh` gateway). Pure.
 */
import { DestinationRule, Gateway, NETWORKING_API_VERSION, VirtualService } from "../../components/istio/networking.gen";
import { BOOKINFO_VERSIONS, Route, SampleConfig, SampleGateway } from "./config";

/** Port every Bookinfo service listens on. */
export const BOOKINFO_PORT = 9080;

export interface RoutingObjects {
    readonly destinationRules: readonly DestinationRule[];
    readonly gateways: readonly Gateway[];
    readonly virtualServices: readonly VirtualService[];
}

const LABELS = { "app.kubernetes.io/part-of": "bookinfo", "app.kubernetes.io/managed-by": "istio-mesh" };

/** The ingress gateway pods' `istio` label (the gateway chart's default: the name without `istio-`). */
export function ingressSelector(ingress: string): Record<string, string> {
    return { istio: ingress.replace(/^istio-/, "") };
}

function gatewayObject(namespace: string, g: SampleGateway): Gateway {
    return {
        apiVersion: NETWORKING_API_VERSION,
        kind: "Gateway",
        metadata: { name: g.name, namespace, labels: { ...LABELS } },
        spec: {
            selector: ingressSelector(g.ingress),
            servers: [{ port: { number: g.port, name: `http-${g.port}`, protocol: "HTTP" }, hosts: [...g.hosts] }],
        },
    };
}

type HttpRoute = NonNullable<VirtualService["spec"]["http"]>[number];

function httpRoute(r: Route): HttpRoute {
    const match = Object.keys(r.headers).length > 0 || r.uri !== undefined ? [{ ...(Object.keys(r.headers).length > 0 ? { headers: { ...r.headers } } : {}), ...(r.uri ? { uri: { ...r.uri } } : {}) }] : undefined;
    return {
        ...(r.name !== undefined ? { name: r.name } : {}),
        ...(match ? { match } : {}),
        route: r.to.map((d) => ({ destination: { host: d.host, subset: d.subset }, ...(d.weight !== undefined ? { weight: d.weight } : {}) })),
        ...(r.mirror
            ? { mirror: { host: r.mirror.host, ...(r.mirror.subset !== undefined ? { subset: r.mirror.subset } : {}) }, mirrorPercentage: { value: r.mirror.percentage } }
            : {}),
        ...(r.retries
            ? {
                  retries: {
                      attempts: r.retries.attempts,
                      ...(r.retries.perTryTimeout !== undefined ? { perTryTimeout: r.retries.perTryTimeout } : {}),
                      ...(r.retries.retryOn !== undefined ? { retryOn: r.retries.retryOn } : {}),
                  },
              }
            : {}),
        ...(r.timeout !== undefined ? { timeout: r.timeout } : {}),
        ...(r.fault
            ? {
                  fault: {
                      ...(r.fault.delay ? { delay: { fixedDelay: r.fault.delay.fixedDelay, percentage: { value: r.fault.delay.percentage } } } : {}),
                      ...(r.fault.abort ? { abort: { httpStatus: r.fault.abort.httpStatus, percentage: { value: r.fault.abort.percentage } } } : {}),
                  },
              }
            : {}),
    };
}

export function routingObjects(config: SampleConfig): RoutingObjects {
    const ns = config.namespace;
    const destinationRules: DestinationRule[] = [...BOOKINFO_VERSIONS].map(([service, versions]) => ({
        apiVersion: NETWORKING_API_VERSION,
        kind: "DestinationRule",
        metadata: { name: service, namespace: ns, labels: { ...LABELS } },
        spec: { host: service, subsets: versions.map((v) => ({ name: v, labels: { version: v } })) },
    }));
    const gateways = config.gateways.map((g) => gatewayObject(ns, g));
    const hostsOf = new Map(config.gateways.map((g) => [g.name, g.hosts]));
    const ingress: VirtualService[] = config.ingress.map((e) => ({
        apiVersion: NETWORKING_API_VERSION,
        kind: "VirtualService",
        metadata: { name: `${e.service}-${e.gateway}`, namespace: ns, labels: { ...LABELS } },
        spec: {
            hosts: [...(hostsOf.get(e.gateway) ?? [])],
            gateways: [e.gateway],
            http: [{ match: e.paths.map((p) => ({ uri: { ...p } })), route: [{ destination: { host: e.service, port: { number: BOOKINFO_PORT } } }] }],
        },
    }));
    const inMesh: VirtualService[] = config.routes.map(({ service, routes }) => ({
        apiVersion: NETWORKING_API_VERSION,
        kind: "VirtualService",
        metadata: { name: service, namespace: ns, labels: { ...LABELS } },
        spec: { hosts: [service], http: routes.map(httpRoute) },
    }));
    return { destinationRules, gateways, virtualServices: [...ingress, ...inMesh] };
}
