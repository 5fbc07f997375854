import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { ControlPlaneConfig, GatewayConfig } from "../../components/config/model";
import { baseValues, deepMerge, gatewayPodValues, gatewayServiceValues, gatewayValues, istiodValues, NET_BIND_SERVICE_CONTEXT, supportsValidationFailurePolicy } from "../../components/helm/values";
import { mustParseVersion } from "../../components/versions/version";
import { gatewayChartRenders } from "../../components/config/stackConfig";
import { chartHasStrategy } from "../../components/config/gatewayOptions";
import { chartDefaults, ISTIO_VERSIONS, unknownKeys } from "../support/chartKeys";
import { parseMesh, ISTIO_FIXTURES, gatewaySchema } from "../support/fixtures";

const mesh = { namespace: "istio-system", hub: "docker.io/istio" };
const cp = (over: Partial<ControlPlaneConfig> = {}): ControlPlaneConfig => ({ ...parseMesh({ revisions: [{ version: "1.30.3" }] }).controlPlane, ...over });
const gateway: GatewayConfig = parseMesh({ revisions: [{ version: "1.30.3" }], gateways: { gw: { revision: "1-30-3", labels: { team: "edge" } } } }).gateways[0];
/** A gateway with every Service and pod option set, through the config (so it is one the config takes). */
const optioned: GatewayConfig = parseMesh({
    revisions: [{ version: "1.30.3" }],
    gateways: {
        edge: {
            revision: "1-30-3",
            service: { type: "LoadBalancer", ports: [{ name: "http2", port: 80, targetPort: 8080 }], annotations: { "service.beta.kubernetes.io/azure-load-balancer-internal": "true" }, loadBalancerClass: "service.k8s.aws/nlb", externalTrafficPolicy: "Local" },
            resources: { requests: { cpu: "500m" } },
            nodeSelector: { "kubernetes.io/os": "linux" },
            tolerations: [{ key: "edge", operator: "Exists", effect: "NoSchedule" }],
            affinity: { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [] } },
            hostNetwork: true,
            netBindService: true,
            strategy: { maxUnavailable: 1, maxSurge: 0 },
            podDisruptionBudget: { minAvailable: 1 },
        },
    },
}).gateways[0];

/** Each top-level key is in values.schema.json; sub-keys too where the schema closes the object. */
function expectSchemaAllows(version: string, values: Record<string, unknown>): void {
    const schema = gatewaySchema(version);
    const props = schema.$defs.values.properties;
    for (const [k, v] of Object.entries(values)) {
        expect(props, `schema has ${k}`).to.have.property(k);
        // Sub-keys are checked where the schema closes the object (additionalProperties: false).
        if (props[k].properties && props[k].additionalProperties === false && v && typeof v === "object") {
            for (const sub of Object.keys(v)) {
                expect(props[k].properties, `schema has ${k}.${sub}`).to.have.property(sub);
            }
        }
    }
}

describe("helm: values per chart version", () => {
    it("has the chart values of every minor 1.22-1.30 to check against", () => {
        expect(ISTIO_VERSIONS.map((v) => mustParseVersion(v).minor)).to.deep.equal([22, 23, 24, 25, 26, 27, 28, 29, 30]);
    });

    for (const version of ISTIO_VERSIONS) {
        describe(version, () => {
            const revision = { name: version.replace(/\./g, "-"), version, values: {} };

            it("istiod: every key is a real key of the chart (both PDB styles, resources)", () => {
                for (const c of [cp(), cp({ pdb: { maxUnavailable: 1 }, resources: { requests: { cpu: "500m" } }, meshConfig: { accessLogFile: "/dev/stdout" } })]) {
                    expect(unknownKeys(version, "istiod", istiodValues(mesh, c, revision))).to.deep.equal([]);
                }
            });

            it("istiod: revision set, tags empty, pilot keys where this version reads them", () => {
                const values = istiodValues(mesh, cp(), revision);
                expect(values.revision).to.equal(revision.name);
                expect(values.revisionTags).to.deep.equal([]);
                const topLevel = "replicaCount" in chartDefaults(version, "istiod");
                expect("replicaCount" in values, "top-level replicaCount").to.equal(topLevel);
                expect("pilot" in values, "pilot.*").to.equal(!topLevel);
                expect(mustParseVersion(version).minor >= 24).to.equal(topLevel);
            });

            it("base: every key is a real key (or a template-only key) of the chart", () => {
                expect(unknownKeys(version, "base", baseValues(mesh, version, revision.name))).to.deep.equal([]);
            });

            const gw = fs.existsSync(path.join(ISTIO_FIXTURES, version, "gateway.defaults.json"));
            if (gw && gatewayChartRenders(mustParseVersion(version))) {
                it("gateway: every key is in values.yaml and allowed by values.schema.json", () => {
                    const values = gatewayValues(gateway, "1-30-3@1.30.3");
                    expect(values.podAnnotations, "the effective-revision annotation is set").to.deep.equal({ "istio-mesh/effective-revision": "1-30-3@1.30.3" });
                    expect(unknownKeys(version, "gateway", values)).to.deep.equal([]);
                    expectSchemaAllows(version, values);
                });

                it("gateway: every Service and pod option is a key the chart reads", () => {
                    const values = gatewayValues(chartHasStrategy(mustParseVersion(version)) ? optioned : { ...optioned, pod: { ...optioned.pod, strategy: undefined } });
                    expect(Object.keys(values)).to.include.members(["service", "resources", "nodeSelector", "tolerations", "affinity", "podDisruptionBudget", "securityContext", "containerSecurityContext"]);
                    expect(Object.keys(values.service as object)).to.deep.equal(["type", "ports", "annotations", "loadBalancerClass", "externalTrafficPolicy"]);
                    expect(unknownKeys(version, "gateway", values)).to.deep.equal([]);
                    expectSchemaAllows(version, values);
                });
            }
        });
    }

    it("sets base.validationFailurePolicy exactly where the chart has it", () => {
        expect(supportsValidationFailurePolicy(mustParseVersion("1.28.5"))).to.equal(false);
        expect(supportsValidationFailurePolicy(mustParseVersion("1.28.6"))).to.equal(true);
        expect(supportsValidationFailurePolicy(mustParseVersion("1.29.1"))).to.equal(false);
        expect(supportsValidationFailurePolicy(mustParseVersion("1.29.2"))).to.equal(true);
        expect(baseValues(mesh, "1.30.0", "a")).to.deep.include({ base: { validationFailurePolicy: "Fail" } });
        expect(baseValues(mesh, "1.27.9", "a")).not.to.have.property("base");
    });

    it("base calls the default revision by its revision name", () => {
        expect(baseValues(mesh, "1.30.3", "1-30-3")).to.deep.include({ defaultRevision: "1-30-3", global: { istioNamespace: "istio-system" } });
    });

    it("merges raw revision values last (escape hatch)", () => {
        const values = istiodValues(mesh, cp(), { name: "r", version: "1.30.3", values: { global: { logAsJson: true }, replicaCount: 4 } });
        expect(values.replicaCount).to.equal(4);
        expect((values.global as Record<string, unknown>).logAsJson).to.equal(true);
        expect((values.global as Record<string, unknown>).istioNamespace).to.equal("istio-system");
        expect(deepMerge({ a: [1, 2] }, { a: [3] })).to.deep.equal({ a: [3] });
    });

    it("the key checker itself catches a wrong key and a pre-1.24 shape on 1.30", () => {
        expect(unknownKeys("1.30.3", "istiod", { pilot: { replicaCount: 2 } })).to.have.length(1);
        expect(unknownKeys("1.30.3", "istiod", { replicaCount: 2, nope: 1 })).to.deep.equal(["nope (no nope in istiod 1.30.3)"]);
        expect(unknownKeys("1.22.8", "istiod", { pdb: { minAvailable: 1 } })).to.have.length(1);
    });
});

describe("helm: gateway Service and pod options as chart values", () => {
    const service = (over: Partial<GatewayConfig["service"]> = {}, serviceType: GatewayConfig["serviceType"] = "LoadBalancer") => gatewayServiceValues({ serviceType, service: { annotations: {}, ...over } });
    const NO_POD: GatewayConfig["pod"] = { nodeSelector: {}, tolerations: [], hostNetwork: false, netBindService: false };
    const pod = (over: Partial<GatewayConfig["pod"]> = {}) => gatewayPodValues({ ...NO_POD, ...over });
    const port = { name: "http2", port: 80, targetPort: 8080, protocol: "TCP" as const };

    it("Service: no options, no keys (the chart's defaults stay)", () => {
        for (const type of ["LoadBalancer", "ClusterIP", "NodePort"] as const) {
            expect(service({}, type), type).to.deep.equal({});
        }
    });

    it("Service: each option as its service.* key, on its own", () => {
        expect(service({ ports: [port, { name: "tls", port: 443, protocol: "TCP" }] })).to.deep.equal({ ports: [port, { name: "tls", port: 443, protocol: "TCP" }] });
        expect(service({ annotations: { "service.beta.kubernetes.io/azure-load-balancer-internal": "true" } })).to.deep.equal({ annotations: { "service.beta.kubernetes.io/azure-load-balancer-internal": "true" } });
        expect(service({ loadBalancerClass: "service.k8s.aws/nlb" })).to.deep.equal({ loadBalancerClass: "service.k8s.aws/nlb" });
        expect(service({ externalTrafficPolicy: "Local" }, "NodePort")).to.deep.equal({ externalTrafficPolicy: "Local" });
        expect(service({ externalTrafficPolicy: "Cluster" })).to.deep.equal({ externalTrafficPolicy: "Cluster" });
    });

    it("Service: ports are copies (editing the values never edits the config)", () => {
        const ports = [{ ...port }];
        const values = service({ ports });
        (values.ports as { port: number }[])[0].port = 1;
        expect(ports[0].port).to.equal(80);
    });

    it("service.type None (a canary Deployment): no service.* options, the program's Service carries them", () => {
        expect(service({ ports: [port], annotations: { a: "b" }, loadBalancerClass: "x", externalTrafficPolicy: "Local" }, "None")).to.deep.equal({});
        expect(gatewayValues({ ...optioned, serviceType: "None" }).service).to.deep.equal({ type: "None" });
    });

    it("the whole gateway: service.type and the options together, pod options at the top level", () => {
        const values = gatewayValues(optioned, "1-30-3@1.30.3");
        expect(values.service).to.deep.equal({
            type: "LoadBalancer",
            ports: [{ name: "http2", port: 80, targetPort: 8080, protocol: "TCP" }],
            annotations: { "service.beta.kubernetes.io/azure-load-balancer-internal": "true" },
            loadBalancerClass: "service.k8s.aws/nlb",
            externalTrafficPolicy: "Local",
        });
        expect(values).to.deep.include({ resources: { requests: { cpu: "500m" } }, nodeSelector: { "kubernetes.io/os": "linux" }, podDisruptionBudget: { minAvailable: 1 } });
        expect(values.strategy).to.deep.equal({ type: "RollingUpdate", rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } });
    });

    it("pod: no options, no keys (the chart's defaults, including its sysctl securityContext, stay)", () => {
        expect(pod()).to.deep.equal({});
    });

    it("pod: resources, nodeSelector, tolerations, affinity, PDB as the chart's keys", () => {
        expect(pod({ resources: { limits: { memory: "1Gi" } } })).to.deep.equal({ resources: { limits: { memory: "1Gi" } } });
        expect(pod({ nodeSelector: { pool: "edge" } })).to.deep.equal({ nodeSelector: { pool: "edge" } });
        expect(pod({ tolerations: [{ key: "edge", operator: "Exists" }, { key: "spot", operator: "Equal", value: "true" }] })).to.deep.equal({
            tolerations: [{ key: "edge", operator: "Exists" }, { key: "spot", operator: "Equal", value: "true" }],
        });
        expect(pod({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: {} } } })).to.deep.equal({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: {} } } });
        expect(pod({ podDisruptionBudget: { maxUnavailable: "50%" } })).to.deep.equal({ podDisruptionBudget: { maxUnavailable: "50%" } });
    });

    it("pod: strategy is a RollingUpdate with the given parameters", () => {
        expect(pod({ strategy: { maxUnavailable: "100%", maxSurge: 0 } })).to.deep.equal({ strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: "100%", maxSurge: 0 } } });
        expect(pod({ strategy: {} })).to.deep.equal({ strategy: { type: "RollingUpdate", rollingUpdate: {} } });
    });

    it("pod: hostNetwork replaces the chart's sysctl securityContext with an empty sysctl list", () => {
        expect(pod({ hostNetwork: true })).to.deep.equal({ securityContext: { sysctls: [] } });
    });

    it("pod: netBindService runs the proxy as uid 0 with only NET_BIND_SERVICE, otherwise the chart's default container context", () => {
        const expected = {
            capabilities: { drop: ["ALL"], add: ["NET_BIND_SERVICE"] },
            allowPrivilegeEscalation: false,
            privileged: false,
            readOnlyRootFilesystem: true,
            runAsUser: 0,
            runAsGroup: 1337,
            runAsNonRoot: false,
        };
        expect(NET_BIND_SERVICE_CONTEXT).to.deep.equal(expected);
        expect(pod({ hostNetwork: true, netBindService: true })).to.deep.equal({ securityContext: { sysctls: [] }, containerSecurityContext: expected });
        expect(pod({ netBindService: true })).to.deep.equal({ containerSecurityContext: expected });
        // A copy: editing the values never edits the shared constant.
        ((pod({ netBindService: true }).containerSecurityContext as typeof expected).capabilities.add as string[]).push("NET_ADMIN");
        expect(NET_BIND_SERVICE_CONTEXT.capabilities.add).to.deep.equal(["NET_BIND_SERVICE"]);
    });

    it("pod: options are copies of the config's", () => {
        const config = { tolerations: [{ key: "edge", operator: "Exists" }], nodeSelector: { a: "b" }, strategy: { maxSurge: 1 }, podDisruptionBudget: { minAvailable: 1 } };
        const values = pod(config);
        (values.tolerations as Record<string, string>[])[0].key = "x";
        (values.nodeSelector as Record<string, string>).a = "x";
        (values.strategy as { rollingUpdate: Record<string, number> }).rollingUpdate.maxSurge = 9;
        (values.podDisruptionBudget as Record<string, number>).minAvailable = 9;
        expect(config).to.deep.equal({ tolerations: [{ key: "edge", operator: "Exists" }], nodeSelector: { a: "b" }, strategy: { maxSurge: 1 }, podDisruptionBudget: { minAvailable: 1 } });
    });

    it("raw gateway values merge last, over the options", () => {
        const values = gatewayValues({ ...optioned, values: { service: { annotations: { extra: "1" } }, securityContext: { runAsUser: 1000 } } });
        expect((values.service as Record<string, unknown>).annotations).to.deep.equal({ "service.beta.kubernetes.io/azure-load-balancer-internal": "true", extra: "1" });
        expect(values.securityContext).to.deep.equal({ sysctls: [], runAsUser: 1000 });
    });
});
