/**
 * The add-on's mesh-config allow-list: the MeshConfig fields AKS's admission webhook lets
 * through `istio-shared-configmap-asm-1-NN` (istio-meshconfig.md; "supported" and "allowed"
 * both pass, everything else is blocked). A blocked field is a config error here, before the
 * webhook would refuse the ConfigMap half-way through an update. Both tables follow the doc's
 * tables (MicrosoftDocs/azure-aks-docs, 2025-08-22) in its order, spelled as the doc spells them. Pure.
 */
import { stringify } from "yaml";

/** Top-level MeshConfig fields the add-on allows. */
export const ALLOWED_MESH_FIELDS: readonly string[] = [
    "proxyListenPort",
    "proxyInboundListenPort",
    "proxyHttpPort",
    "connectTimeout",
    "tcpKeepalive",
    "defaultConfig",
    "outboundTrafficPolicy",
    "extensionProviders",
    "defaultProviders",
    "accessLogFile",
    "accessLogFormat",
    "accessLogEncoding",
    "enableTracing",
    "enableEnvoyAccessLogService",
    "disableEnvoyListenerLog",
    "trustDomain",
    "trustDomainAliases",
    "caCertificates",
    "defaultServiceExportTo",
    "defaultVirtualServiceExportTo",
    "defaultDestinationRuleExportTo",
    "localityLbSetting",
    "dnsRefreshRate",
    "h2UpgradePolicy",
    "enablePrometheusMerge",
    "discoverySelectors",
    "pathNormalization",
    "defaultHttpRetryPolicy",
    "serviceSettings",
    "meshMTLS",
    "tlsDefaults",
    "ingressService",
    "ingressSelector",
];

/** ProxyConfig fields (`defaultConfig.*`) the add-on allows. */
export const ALLOWED_PROXY_FIELDS: readonly string[] = [
    "tracingServiceName",
    "drainDuration",
    "statsUdpAddress",
    // Istio's own name of the field the doc spells statsUdpAddress; both pass here: refusing one
    // the webhook lets through would leave no way to set it, while allowing one it blocks only
    // moves the error to `pulumi up`.
    "statsdUdpAddress",
    "proxyAdminPort",
    "tracing",
    "concurrency",
    "envoyAccessLogService",
    "envoyMetricsService",
    "proxyMetadata",
    "statusPort",
    "extraStatTags",
    "gatewayTopology",
    "proxyStatsMatcher",
    "terminationDrainDuration",
    "meshId",
    "holdApplicationUntilProxyStarts",
    "caCertificatesPem",
    "privateKeyProvider",
    "proxyHeaders",
];

/** Blocked fields of a mesh config, as paths relative to it ("configSources", "defaultConfig.image"). */
export function blockedMeshFields(meshConfig: Readonly<Record<string, unknown>>): string[] {
    const blocked = Object.keys(meshConfig).filter((k) => !ALLOWED_MESH_FIELDS.includes(k));
    const proxy = Object.hasOwn(meshConfig, "defaultConfig") ? meshConfig.defaultConfig : undefined;
    if (proxy !== null && typeof proxy === "object" && !Array.isArray(proxy)) {
        blocked.push(...Object.keys(proxy).filter((k) => !ALLOWED_PROXY_FIELDS.includes(k)).map((k) => `defaultConfig.${k}`));
    }
    return blocked;
}

/**
 * The `mesh` key of the shared ConfigMap: the mesh config as YAML, keys sorted so the same
 * config always gives the same text (no spurious ConfigMap update).
 */
export function meshConfigYaml(meshConfig: Readonly<Record<string, unknown>>): string {
    return stringify(meshConfig, { sortMapEntries: true });
}
