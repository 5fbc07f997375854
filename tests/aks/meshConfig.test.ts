/**
 * The add-on's mesh-config allow-list (components/aks/meshConfig.ts), entry by entry: what
 * istio-meshconfig.md allows passes, every other MeshConfig/ProxyConfig field of Istio is
 * refused by the stack config with its path and the fix, and the shared ConfigMap's YAML.
 */
import { expect } from "chai";
import { ALLOWED_MESH_FIELDS, ALLOWED_PROXY_FIELDS, blockedMeshFields, meshConfigYaml } from "../../components/aks/meshConfig";
import { configIssueList, meshConfigMap } from "../support/fixtures";

type Json = Record<string, unknown>;

/**
 * istio-meshconfig.md's MeshConfig table (MicrosoftDocs/azure-aks-docs 64307a0, 2025-08-22), in
 * its order, each with a value as a user would write it. Fields not in the table are blocked.
 */
const DOC_MESH: [string, unknown][] = [
    ["proxyListenPort", 15001],
    ["proxyInboundListenPort", 15006],
    ["proxyHttpPort", 15080],
    ["connectTimeout", "10s"],
    ["tcpKeepalive", { time: "7200s", interval: "75s", probes: 9 }],
    ["defaultConfig", { holdApplicationUntilProxyStarts: true }],
    ["outboundTrafficPolicy", { mode: "REGISTRY_ONLY" }],
    ["extensionProviders", [{ name: "otel", opentelemetry: { service: "otel-collector.observability.svc.cluster.local", port: 4317 } }]],
    ["defaultProviders", { tracing: ["otel"] }],
    ["accessLogFile", "/dev/stdout"],
    ["accessLogFormat", "[%START_TIME%] %REQ(:METHOD)% %RESPONSE_CODE%\n"],
    ["accessLogEncoding", "JSON"],
    ["enableTracing", true],
    ["enableEnvoyAccessLogService", false],
    ["disableEnvoyListenerLog", true],
    ["trustDomain", "cluster.local"],
    ["trustDomainAliases", ["old.example.com"]],
    ["caCertificates", [{ spiffeBundleUrl: "https://bundle.example.com", trustDomains: ["other.example.com"] }]],
    ["defaultServiceExportTo", ["."]],
    ["defaultVirtualServiceExportTo", ["."]],
    ["defaultDestinationRuleExportTo", ["."]],
    ["localityLbSetting", { enabled: true, failoverPriority: ["topology.kubernetes.io/zone"] }],
    ["dnsRefreshRate", "60s"],
    ["h2UpgradePolicy", "UPGRADE"],
    ["enablePrometheusMerge", true],
    ["discoverySelectors", [{ matchLabels: { "istio-discovery": "enabled" } }]],
    ["pathNormalization", { normalization: "MERGE_SLASHES" }],
    ["defaultHttpRetryPolicy", { attempts: 2, retryOn: "connect-failure,reset" }],
    ["serviceSettings", [{ settings: { clusterLocal: true }, hosts: ["*.internal.svc.cluster.local"] }]],
    ["meshMTLS", { minProtocolVersion: "TLSV1_3" }],
    ["tlsDefaults", { ecdhCurves: ["P-256"] }],
    ["ingressService", "aks-istio-ingressgateway-external"],
    ["ingressSelector", "aks-istio-ingressgateway-external"],
];

/** The doc's ProxyConfig (meshConfig.defaultConfig) table, same revision, in its order. */
const DOC_PROXY: [string, unknown][] = [
    ["tracingServiceName", "CANONICAL_NAME_ONLY"],
    ["drainDuration", "45s"],
    ["statsUdpAddress", "statsd.monitoring:8125"],
    ["proxyAdminPort", 15000],
    ["tracing", { sampling: 1 }],
    ["concurrency", 2],
    ["envoyAccessLogService", { address: "als.monitoring:9000" }],
    ["envoyMetricsService", { address: "metrics.monitoring:9000" }],
    ["proxyMetadata", { ISTIO_META_DNS_CAPTURE: "true" }],
    ["statusPort", 15020],
    ["extraStatTags", ["request_host"]],
    ["gatewayTopology", { numTrustedProxies: 1 }],
    ["proxyStatsMatcher", { inclusionPrefixes: ["cluster.outbound"] }],
    ["terminationDrainDuration", "30s"],
    ["meshId", "mesh1"],
    ["holdApplicationUntilProxyStarts", true],
    ["caCertificatesPem", ["-----BEGIN CERTIFICATE-----\n...\n-----END CERTIFICATE-----"]],
    ["privateKeyProvider", { cryptomb: { pollDelay: "10ms" } }],
    ["proxyHeaders", { forwardedClientCert: "SANITIZE" }],
];

/** Every field of Istio's MeshConfig (istio/api mesh/v1alpha1/config.proto, 2026-07), by its YAML name. */
const ISTIO_MESH = (
    "proxyListenPort proxyInboundListenPort proxyHttpPort connectTimeout hboneIdleTimeout protocolDetectionTimeout tcpKeepalive " +
    "ingressClass ingressService ingressControllerMode ingressSelector enableTracing accessLogFile accessLogFormat accessLogEncoding " +
    "enableEnvoyAccessLogService disableEnvoyListenerLog defaultConfig outboundTrafficPolicy inboundTrafficPolicy configSources " +
    "enableAutoMtls trustDomain trustDomainAliases caCertificates defaultServiceExportTo defaultVirtualServiceExportTo " +
    "defaultDestinationRuleExportTo rootNamespace localityLbSetting zoneAwareLbSetting dnsRefreshRate h2UpgradePolicy " +
    "inboundClusterStatName outboundClusterStatName certificates serviceSettings serviceScopeConfigs enablePrometheusMerge " +
    "verifyCertificateAtClient ca extensionProviders defaultProviders discoverySelectors pathNormalization defaultHttpRetryPolicy " +
    "meshMTLS tlsDefaults defaultTrafficPolicy serviceEntryVisibility"
).split(" ");

/** Every field of Istio's ProxyConfig (mesh/v1alpha1/proxy.proto, 2026-07), by its YAML name. */
const ISTIO_PROXY = (
    "configPath binaryPath serviceCluster tracingServiceName drainDuration discoveryAddress discoveryRefreshDelay zipkinAddress " +
    "statsdUdpAddress envoyMetricsServiceAddress proxyAdminPort availabilityZone controlPlaneAuthPolicy customConfigFile statNameLength " +
    "concurrency proxyBootstrapTemplatePath interceptionMode tracing sds envoyAccessLogService envoyMetricsService proxyMetadata " +
    "runtimeValues statusPort extraStatTags gatewayTopology terminationDrainDuration meshId readinessProbe proxyStatsMatcher " +
    "holdApplicationUntilProxyStarts caCertificatesPem image privateKeyProvider proxyHeaders fileFlushInterval fileFlushMinSizeKb " +
    "statsCompression connectionSettings"
).split(" ");

/**
 * The doc spells Istio's `statsdUdpAddress` as `statsUdpAddress`; the allow-list has both, right
 * after the doc's spelling (what the webhook checks is unknown: neither is refused here).
 */
const DOC_ONLY_PROXY = ["statsUdpAddress"];

const MESH_NAMES = DOC_MESH.map(([k]) => k);
const PROXY_NAMES = DOC_PROXY.flatMap(([k]) => (k === "statsUdpAddress" ? [k, "statsdUdpAddress"] : [k]));
const FORBIDDEN_MESH = ISTIO_MESH.filter((k) => !MESH_NAMES.includes(k));
const FORBIDDEN_PROXY = ISTIO_PROXY.filter((k) => !PROXY_NAMES.includes(k));

const AKS: Json = { kind: "aks", resourceGroup: "rg-mesh", kubernetesVersion: "1.33" };
const FIX = `blocked by the add-on's admission webhook; the shared mesh config allows: ${MESH_NAMES.join(", ")} (and defaultConfig's listed in components/aks/meshConfig.ts)`;

/** The stack config's problems for an add-on mesh with this mesh config, as [path, message]. */
function issues(meshConfig: Json): [string, string][] {
    return configIssueList(meshConfigMap({ management: "aks-addon", revisions: [{ version: "1.30" }], controlPlane: { meshConfig } }, AKS)).map((i) => [i.path, i.message]);
}

describe("aks: the mesh-config allow-list, entry by entry", () => {
    it("is the doc's two tables, in the doc's order", () => {
        expect(ALLOWED_MESH_FIELDS).to.deep.equal(MESH_NAMES);
        expect(ALLOWED_PROXY_FIELDS).to.deep.equal(PROXY_NAMES);
    });

    it("names real Istio fields (tcpKeepalive, not tcpKeepAlive), except the doc's own spelling statsUdpAddress", () => {
        expect(MESH_NAMES.filter((k) => !ISTIO_MESH.includes(k))).to.deep.equal([]);
        expect(PROXY_NAMES.filter((k) => !ISTIO_PROXY.includes(k))).to.deep.equal(DOC_ONLY_PROXY);
        expect(ALLOWED_MESH_FIELDS).to.include("tcpKeepalive").and.not.include("tcpKeepAlive");
        // Istio's spelling of the doc's statsUdpAddress passes too.
        expect(blockedMeshFields({ defaultConfig: { statsdUdpAddress: "statsd.monitoring:8125", statsUdpAddress: "statsd.monitoring:8125" } })).to.deep.equal([]);
    });

    for (const [field, value] of DOC_MESH) {
        it(`lets ${field} through`, () => {
            expect(blockedMeshFields({ [field]: value })).to.deep.equal([]);
            // Next to a blocked field, only the blocked one is named.
            expect(blockedMeshFields({ [field]: value, rootNamespace: "istio-system" })).to.deep.equal(["rootNamespace"]);
        });
    }

    for (const [field, value] of DOC_PROXY) {
        it(`lets defaultConfig.${field} through`, () => {
            expect(blockedMeshFields({ defaultConfig: { [field]: value } })).to.deep.equal([]);
            expect(blockedMeshFields({ defaultConfig: { [field]: value, image: { imageType: "distroless" } } })).to.deep.equal(["defaultConfig.image"]);
        });
    }

    it("the stack config takes a mesh config using every allowed field at once", () => {
        const all = Object.fromEntries(DOC_MESH.filter(([k]) => k !== "defaultConfig"));
        expect(issues({ ...all, defaultConfig: Object.fromEntries(DOC_PROXY) })).to.deep.equal([]);
        expect(blockedMeshFields({ ...all, defaultConfig: Object.fromEntries(DOC_PROXY) })).to.deep.equal([]);
    });

    it("blocks every other MeshConfig field of Istio", () => {
        expect(FORBIDDEN_MESH).to.include.members(["configSources", "rootNamespace", "enableAutoMtls", "ingressClass", "inboundTrafficPolicy", "defaultTrafficPolicy"]);
        for (const field of FORBIDDEN_MESH) {
            expect(blockedMeshFields({ [field]: {} }), field).to.deep.equal([field]);
        }
    });

    it("blocks every other ProxyConfig field of Istio, named under defaultConfig", () => {
        expect(FORBIDDEN_PROXY).to.include.members(["image", "discoveryAddress", "proxyBootstrapTemplatePath", "interceptionMode", "readinessProbe", "serviceCluster"]);
        for (const field of FORBIDDEN_PROXY) {
            expect(blockedMeshFields({ defaultConfig: { [field]: {} } }), field).to.deep.equal([`defaultConfig.${field}`]);
        }
    });

    it("a ProxyConfig field at the top level, or a MeshConfig field inside defaultConfig, is in the wrong place: blocked", () => {
        expect(blockedMeshFields({ holdApplicationUntilProxyStarts: true, concurrency: 2 })).to.deep.equal(["holdApplicationUntilProxyStarts", "concurrency"]);
        expect(blockedMeshFields({ defaultConfig: { accessLogFile: "/dev/stdout", outboundTrafficPolicy: { mode: "REGISTRY_ONLY" } } })).to.deep.equal([
            "defaultConfig.accessLogFile",
            "defaultConfig.outboundTrafficPolicy",
        ]);
    });

    it("refuses blocked fields in the stack config: the field's path, and the allowed fields as the fix", () => {
        expect(issues({ accessLogFile: "/dev/stdout", rootNamespace: "istio-system", tcpKeepAlive: { time: "1s" }, defaultConfig: { concurrency: 2, image: { imageType: "distroless" } } })).to.deep.equal([
            ["istio-mesh:mesh.controlPlane.meshConfig.rootNamespace", FIX],
            ["istio-mesh:mesh.controlPlane.meshConfig.tcpKeepAlive", FIX],
            ["istio-mesh:mesh.controlPlane.meshConfig.defaultConfig.image", FIX],
        ]);
        expect(FIX).to.contain("allows: proxyListenPort, proxyInboundListenPort, proxyHttpPort, connectTimeout, tcpKeepalive, defaultConfig,");
        expect(FIX).to.contain(", tlsDefaults, ingressService, ingressSelector (and defaultConfig's");
    });

    it("inspects defaultConfig only when it is a map of its own", () => {
        for (const proxy of [null, "image: x", ["image"], 3, undefined]) {
            expect(blockedMeshFields({ defaultConfig: proxy }), String(proxy)).to.deep.equal([]);
        }
        // An inherited defaultConfig is not the config's own field (nothing to look into).
        const inherited = Object.create({ defaultConfig: { image: {} } }) as Json;
        expect(blockedMeshFields(inherited)).to.deep.equal([]);
        expect(blockedMeshFields({})).to.deep.equal([]);
    });
});

describe("aks: the shared ConfigMap's mesh key", () => {
    it("is YAML with every level's keys sorted, so the same config is the same text", () => {
        const config = { enableTracing: true, defaultConfig: { terminationDrainDuration: "30s", holdApplicationUntilProxyStarts: true }, accessLogFile: "/dev/stdout" };
        const yaml = "accessLogFile: /dev/stdout\ndefaultConfig:\n  holdApplicationUntilProxyStarts: true\n  terminationDrainDuration: 30s\nenableTracing: true\n";
        expect(meshConfigYaml(config)).to.equal(yaml);
        expect(meshConfigYaml({ accessLogFile: "/dev/stdout", enableTracing: true, defaultConfig: { holdApplicationUntilProxyStarts: true, terminationDrainDuration: "30s" } })).to.equal(yaml);
        expect(meshConfigYaml({ discoverySelectors: [{ matchLabels: { b: "2", a: "1" } }] })).to.equal("discoverySelectors:\n  - matchLabels:\n      a: \"1\"\n      b: \"2\"\n");
        expect(meshConfigYaml({})).to.equal("{}\n");
    });
});
