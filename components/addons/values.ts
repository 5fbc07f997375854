/**
 * Each add-on's chart values, wired to the mesh and to each other, and how to reach it.
 * Service names are fixed by the values (fullnameOverride) so the wiring never guesses a
 * chart's naming rules. Pure.
 */
import { JsonMap } from "../config/model";
import { AddonName } from "./charts";
import { AddonsConfig } from "./config";

export interface AddonEndpoint {
    readonly namespace: string;
    /** The Service that serves the UI (or API). */
    readonly service: string;
    readonly port: number;
    /** Local port the README's port-forward uses. */
    readonly localPort: number;
}

/** Where each add-on is reached inside the cluster; fixed by the values below. */
export const ENDPOINTS: Readonly<Record<AddonName, { service: string; port: number; localPort: number }>> = {
    prometheus: { service: "prometheus-server", port: 80, localPort: 9090 },
    grafana: { service: "grafana", port: 80, localPort: 3000 },
    kiali: { service: "kiali", port: 20001, localPort: 20001 },
    jaeger: { service: "jaeger", port: 16686, localPort: 16686 },
};
/** Jaeger's OTLP gRPC receiver, where the proxies send spans. */
export const JAEGER_OTLP_PORT = 4317;
/** The tracing provider's name in meshConfig.extensionProviders. */
export const TRACING_PROVIDER = "istio-mesh-jaeger";

export function endpointOf(name: AddonName, namespace: string): AddonEndpoint {
    return { namespace, ...ENDPOINTS[name] };
}

export function portForwardCommand(e: AddonEndpoint): string {
    return `kubectl -n ${e.namespace} port-forward svc/${e.service} ${e.localPort}:${e.port}`;
}

const url = (e: AddonEndpoint, port = e.port) => `http://${e.service}.${e.namespace}.svc.cluster.local:${port}`;

/** Deep merge for raw `values` overrides: maps merge, anything else replaces. */
export function mergeValues(base: JsonMap, override: Readonly<Record<string, unknown>>): JsonMap {
    const out: JsonMap = { ...base };
    for (const [k, v] of Object.entries(override)) {
        const b = Object.hasOwn(out, k) ? out[k] : undefined;
        const isMap = (x: unknown): x is JsonMap => x !== null && typeof x === "object" && !Array.isArray(x);
        out[k] = isMap(b) && isMap(v) ? mergeValues(b, v) : v;
    }
    return out;
}

/** The values of every enabled add-on, before the user's raw `values` are merged in. */
export function addonValues(addons: AddonsConfig): Partial<Record<AddonName, JsonMap>> {
    const out: Partial<Record<AddonName, JsonMap>> = {};
    const prom = addons.prometheus && endpointOf("prometheus", addons.prometheus.namespace);
    const grafana = addons.grafana && endpointOf("grafana", addons.grafana.namespace);
    const jaeger = addons.jaeger && endpointOf("jaeger", addons.jaeger.namespace);
    if (addons.prometheus) {
        out.prometheus = {
            // Only the server: the mesh's metrics come from istiod and the proxies, not nodes.
            alertmanager: { enabled: false },
            "kube-state-metrics": { enabled: false },
            "prometheus-node-exporter": { enabled: false },
            "prometheus-pushgateway": { enabled: false },
            server: {
                fullnameOverride: ENDPOINTS.prometheus.service,
                retention: addons.prometheus.retention,
                global: { scrape_interval: addons.prometheus.scrapeInterval },
            },
            // istiod and every proxy (sidecars, gateways) carry prometheus.io/scrape, port and
            // path annotations (Istio's metrics merging): the chart's pod job scrapes them all.
            scrapeConfigs: { "kubernetes-pods": { enabled: true } },
        };
    }
    if (addons.grafana && prom) {
        out.grafana = {
            // No fullnameOverride (values.yaml does not list it): release "grafana" of chart
            // "grafana" is named "grafana" by the chart's fullname rule.
            testFramework: { enabled: false },
            datasources: {
                "datasources.yaml": {
                    apiVersion: 1,
                    datasources: [{ name: "Prometheus", uid: "prometheus", type: "prometheus", access: "proxy", url: url(prom), isDefault: true }],
                },
            },
            dashboardProviders: {
                "dashboardproviders.yaml": {
                    apiVersion: 1,
                    providers: [{ name: "istio", orgId: 1, folder: "Istio", type: "file", disableDeletion: false, editable: true, options: { path: "/var/lib/grafana/dashboards/istio" } }],
                },
            },
            // Fetched from grafana.com by the chart at start-up (gnetId, optional revision).
            dashboards: {
                istio: Object.fromEntries(
                    Object.entries(addons.grafana.dashboards).map(([name, d]) => [name, { gnetId: d.gnetId, ...(d.revision !== undefined ? { revision: d.revision } : {}), datasource: "Prometheus" }]),
                ),
            },
        };
    }
    if (addons.kiali && prom) {
        out.kiali = {
            auth: { strategy: addons.kiali.auth },
            // Kiali 2.x finds the control planes and their revisions itself (istiod Deployments);
            // it needs the metrics, and the other UIs when they are there.
            external_services: {
                prometheus: { url: url(prom) },
                grafana: grafana ? { enabled: true, internal_url: url(grafana), external_url: `http://localhost:${grafana.localPort}` } : { enabled: false },
                tracing: jaeger
                    ? { enabled: true, provider: "jaeger", use_grpc: false, internal_url: url(jaeger), external_url: `http://localhost:${jaeger.localPort}` }
                    : { enabled: false },
            },
        };
    }
    if (addons.jaeger) {
        // No userconfig: Jaeger v2's built-in all-in-one configuration (OTLP receivers, in-memory
        // storage, UI on 16686).
        out.jaeger = { fullnameOverride: ENDPOINTS.jaeger.service };
    }
    return out;
}

/** meshConfig the add-ons need: the Jaeger OTLP provider as the default tracing provider. */
export function addonMeshConfig(addons: AddonsConfig | undefined): JsonMap {
    if (addons?.jaeger === undefined) {
        return {};
    }
    const j = endpointOf("jaeger", addons.jaeger.namespace);
    return {
        extensionProviders: [{ name: TRACING_PROVIDER, opentelemetry: { service: `${j.service}.${j.namespace}.svc.cluster.local`, port: JAEGER_OTLP_PORT } }],
        defaultProviders: { tracing: [TRACING_PROVIDER] },
    };
}

/**
 * The user's meshConfig with the add-ons' added: extension providers appended (a provider of
 * the same name is the user's to rename), default tracing providers only if the user set none.
 */
export function withAddonMeshConfig(user: JsonMap, addons: AddonsConfig | undefined, problem: (message: string) => void): JsonMap {
    const add = addonMeshConfig(addons);
    if (Object.keys(add).length === 0) {
        return user;
    }
    const providers = Array.isArray(user.extensionProviders) ? (user.extensionProviders as { name?: unknown }[]) : [];
    if (providers.some((p) => p?.name === TRACING_PROVIDER)) {
        problem(`extensionProviders already has "${TRACING_PROVIDER}", the name the Jaeger add-on uses; rename yours`);
    }
    const defaults = (user.defaultProviders ?? {}) as JsonMap;
    return {
        ...user,
        extensionProviders: [...providers, ...(add.extensionProviders as unknown[])],
        defaultProviders: Object.hasOwn(defaults, "tracing") ? defaults : { ...defaults, ...(add.defaultProviders as JsonMap) },
    };
}
