/**
 * Gateway options: chart values per version (keys checked against values.yaml and the whole
 * merged values against values.schema.json, as Helm does), the hostNetwork patch, canary and
 * egress gateways, and one config error per bad option (path and fix).
 */
import Ajv from "ajv";
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { ConfigError } from "../../components/config/errors";
import { versionProblems } from "../../components/config/gatewayOptions";
import { canaryBudget, gatewayChartRenders } from "../../components/config/gateways";
import { HOST_NETWORK_DNS_POLICY, hostNetworkPatch } from "../../components/gateways/hostNetwork";
import { deepMerge, gatewayValues, NET_BIND_SERVICE_CONTEXT } from "../../components/helm/values";
import { runProgram } from "../../components/plan/mockRun";
import { mustParseVersion } from "../../components/versions/version";
import { chartDefaults, ISTIO_VERSIONS, unknownKeys } from "../support/chartKeys";
import { meshConfigMap, parseMesh, gatewaySchema } from "../support/fixtures";

const RELEASE = "kubernetes:helm.sh/v3:Release";
const SERVICE = "kubernetes:core/v1:Service";
const PATCH = "kubernetes:apps/v1:DeploymentPatch";
const PDB = "kubernetes:policy/v1:PodDisruptionBudget";

/** Every option at once (a LoadBalancer, so the class and traffic policy apply). */
const ALL = {
    replicas: 3,
    service: {
        type: "LoadBalancer",
        ports: [
            { name: "status-port", port: 15021 },
            { name: "http2", port: 80, targetPort: 8080 },
            { name: "https", port: 443, targetPort: 8443, protocol: "TCP" },
        ],
        annotations: { "service.beta.kubernetes.io/azure-load-balancer-internal": "true" },
        loadBalancerClass: "service.k8s.aws/nlb",
        externalTrafficPolicy: "Local",
    },
    resources: { requests: { cpu: "200m" } },
    nodeSelector: { "node-role": "edge" },
    tolerations: [{ key: "edge", operator: "Exists", effect: "NoSchedule" }],
    affinity: { podAntiAffinity: {} },
    strategy: { maxUnavailable: "100%", maxSurge: 0 },
    podDisruptionBudget: { minAvailable: 1 },
    labels: { team: "edge" },
};

function schemaErrors(version: string, values: Record<string, unknown>): string[] {
    const schema = gatewaySchema(version);
    const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);
    // Helm validates the chart defaults with the user's values merged over them.
    return validate(deepMerge(chartDefaults(version, "gateway"), values)) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
}

const gatewayOf = (version: string, options: Record<string, unknown>) =>
    parseMesh({ revisions: [{ version }], gateways: { gw: { revision: version.replace(/\./g, "-"), ...options } } }).gateways[0];

const issuesOf = (mesh: Record<string, unknown>): { path: string; message: string }[] => {
    try {
        parseMesh(mesh);
    } catch (e) {
        if (e instanceof ConfigError) {
            return [...e.issues];
        }
        throw e;
    }
    return [];
};

describe("gateways: options", () => {
    describe("chart values per version", () => {
        for (const version of ISTIO_VERSIONS.filter((v) => gatewayChartRenders(mustParseVersion(v)))) {
            it(`${version}: every option is a key of values.yaml and the merged values pass values.schema.json`, () => {
                const minor = mustParseVersion(version).minor;
                // loadBalancerClass is read from 1.26 only (an error before, tested below).
                const options = minor >= 26 ? ALL : { ...ALL, service: { ...ALL.service, loadBalancerClass: undefined } };
                for (const gw of [gatewayOf(version, options), gatewayOf(version, { hostNetwork: true, netBindService: true, service: { type: "ClusterIP" } })]) {
                    const values = gatewayValues(gw, "x@1");
                    expect(unknownKeys(version, "gateway", values), version).to.deep.equal([]);
                    expect(schemaErrors(version, values), version).to.deep.equal([]);
                }
                expect(schemaErrors(version, { hostNetwork: true }), "no chart has hostNetwork: it is a patch").to.have.length(1);
            });
        }

        it("the value shapes: Service, pod placement, strategy as RollingUpdate, PDB, ports as written", () => {
            const values = gatewayValues(gatewayOf("1.30.3", ALL));
            expect(values.service).to.deep.equal({
                type: "LoadBalancer",
                ports: [
                    { name: "status-port", port: 15021, protocol: "TCP" },
                    { name: "http2", port: 80, targetPort: 8080, protocol: "TCP" },
                    { name: "https", port: 443, targetPort: 8443, protocol: "TCP" },
                ],
                annotations: { "service.beta.kubernetes.io/azure-load-balancer-internal": "true" },
                loadBalancerClass: "service.k8s.aws/nlb",
                externalTrafficPolicy: "Local",
            });
            expect(values).to.deep.include({
                replicaCount: 3,
                resources: { requests: { cpu: "200m" } },
                nodeSelector: { "node-role": "edge" },
                tolerations: [{ key: "edge", operator: "Exists", effect: "NoSchedule" }],
                affinity: { podAntiAffinity: {} },
                strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: "100%", maxSurge: 0 } },
                podDisruptionBudget: { minAvailable: 1 },
            });
            expect(values, "no securityContext without hostNetwork: the chart's sysctl stays").to.not.have.property("securityContext");
            const plain = gatewayValues(gatewayOf("1.30.3", {}));
            expect(plain.service, "defaults: the chart's ports").to.deep.equal({ type: "LoadBalancer" });
            for (const k of ["strategy", "nodeSelector", "tolerations", "podDisruptionBudget", "containerSecurityContext"]) {
                expect(plain, k).to.not.have.property(k);
            }
        });

        it("options a chart version cannot express name the minimum version", () => {
            const gw = gatewayOf("1.30.3", ALL);
            expect(versionProblems(mustParseVersion("1.23.6"), gw.service, gw.pod, true).map((p) => p.message)).to.satisfy((m: string[]) =>
                m.some((x) => /no strategy value \(added in 1\.24\)/.test(x)) && m.some((x) => /read from 1\.26/.test(x)),
            );
            expect(versionProblems(mustParseVersion("1.25.5"), gw.service, gw.pod, true).map((p) => p.path.join("."))).to.deep.equal(["service.loadBalancerClass"]);
            expect(versionProblems(mustParseVersion("1.25.5"), gw.service, gw.pod, false), "a canary Service is the program's").to.deep.equal([]);
            expect(versionProblems(mustParseVersion("1.26.8"), gw.service, gw.pod, true)).to.deep.equal([]);
            const issues = issuesOf({ revisions: [{ version: "1.25.5" }], gateways: { gw: { revision: "1-25-5", service: { loadBalancerClass: "x" } } } });
            expect(issues).to.deep.equal([
                {
                    path: "istio-mesh:mesh.gateways.gw.service.loadBalancerClass",
                    message: "the gateway chart of Istio 1.25.5 ignores service.loadBalancerClass (read from 1.26); follow a 1.26+ revision or remove it",
                },
            ]);
        });
    });

    describe("hostNetwork", () => {
        it("in place: a DeploymentPatch sets hostNetwork and dnsPolicy ClusterFirstWithHostNet; values drop the sysctl and grant NET_BIND_SERVICE", async () => {
            const mesh = { revisions: [{ version: "1.30.3" }], gateways: { edge: { revision: "1-30-3", hostNetwork: true, netBindService: true, namespace: "edge" } } };
            const { resources } = await runProgram(meshConfigMap(mesh), null);
            const patches = resources.filter((r) => r.type === PATCH);
            expect(patches.map((p) => p.name)).to.deep.equal(["mesh-gw-edge-host-network"]);
            const inputs = patches[0].inputs as any;
            expect(inputs.metadata).to.deep.include({ name: "edge", namespace: "edge" });
            expect(inputs.spec.template.spec).to.deep.equal({ hostNetwork: true, dnsPolicy: HOST_NETWORK_DNS_POLICY });
            expect(HOST_NETWORK_DNS_POLICY).to.equal("ClusterFirstWithHostNet");
            const release = resources.find((r) => r.type === RELEASE && (r.inputs as any).name === "edge")!.inputs as any;
            expect(release.values.securityContext).to.deep.equal({ sysctls: [] });
            expect(release.values.containerSecurityContext.capabilities).to.deep.equal({ drop: ["ALL"], add: ["NET_BIND_SERVICE"] });
            expect(release.values.containerSecurityContext).to.deep.include({ runAsUser: 0, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true });
            expect(NET_BIND_SERVICE_CONTEXT.runAsUser).to.equal(0);
        });

        it("a host-network gateway stops its old pod before starting the new one unless strategy says otherwise", () => {
            expect(gatewayValues(gatewayOf("1.30.3", { hostNetwork: true, netBindService: true })).strategy).to.deep.equal({ type: "RollingUpdate", rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } });
            expect(gatewayValues(gatewayOf("1.30.3", { hostNetwork: true, netBindService: true, strategy: { maxUnavailable: "100%", maxSurge: 0 } })).strategy).to.deep.equal({ type: "RollingUpdate", rollingUpdate: { maxUnavailable: "100%", maxSurge: 0 } });
            expect(gatewayValues(gatewayOf("1.30.3", {}))).to.not.have.property("strategy");
        });

        it("the patch skips the rollout wait only where the cluster does (skipAwait)", () => {
            expect(hostNetworkPatch("gw", "ns", true).metadata.annotations).to.deep.include({ "pulumi.com/skipAwait": "true", "pulumi.com/patchForce": "true" });
            expect(hostNetworkPatch("gw", "ns").metadata.annotations).to.not.have.property("pulumi.com/skipAwait");
        });

        it("no patch without hostNetwork", async () => {
            const { resources } = await runProgram(meshConfigMap({ revisions: [{ version: "1.30.3" }], gateways: { edge: { revision: "1-30-3" } } }), null);
            expect(resources.filter((r) => r.type === PATCH)).to.deep.equal([]);
        });
    });

    describe("canary gateways", () => {
        const mesh = (extra: Record<string, unknown>) => ({
            revisions: [{ version: "1.29.6" }, { version: "1.30.3" }],
            tags: { stable: "1-29-6", canary: "1-30-3" },
            defaultRevision: "stable",
            gateways: { "istio-ingressgateway": { canary: { stable: { replicas: 2 }, canary: { replicas: 1 } }, ...extra } },
        });

        it("Service options go to the program's Service, pod options to every Deployment (with a patch each for hostNetwork)", async () => {
            const { resources } = await runProgram(
                // The budget is the program's, once for the gateway (below).
                meshConfigMap(mesh({ ...ALL, replicas: undefined, podDisruptionBudget: undefined, service: { ...ALL.service, type: "NodePort", loadBalancerClass: undefined, ports: [{ name: "http2", port: 80, targetPort: 8080, nodePort: 30080 }] }, hostNetwork: true })),
                null,
            );
            const releases = resources.filter((r) => r.type === RELEASE && (r.inputs as any).chart === "gateway").map((r) => r.inputs as any);
            expect(releases).to.have.length(2);
            for (const r of releases) {
                expect(r.values.service, r.name).to.deep.equal({ type: "None" });
                expect(r.values).to.deep.include({ nodeSelector: { "node-role": "edge" }, strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: "100%", maxSurge: 0 } } });
                expect(r.values.securityContext).to.deep.equal({ sysctls: [] });
            }
            expect(resources.filter((r) => r.type === PATCH).map((p) => (p.inputs as any).metadata.name).sort()).to.deep.equal(["istio-ingressgateway-canary", "istio-ingressgateway-stable"]);
            const svc = resources.find((r) => r.type === SERVICE && r.name.startsWith("mesh-gwsvc-"))!.inputs as any;
            expect(svc.spec.type).to.equal("NodePort");
            expect(svc.spec.ports).to.deep.equal([{ name: "http2", port: 80, protocol: "TCP", targetPort: 8080, nodePort: 30080 }]);
            expect(svc.spec.externalTrafficPolicy).to.equal("Local");
            expect(svc.metadata.annotations).to.deep.equal({ "service.beta.kubernetes.io/azure-load-balancer-internal": "true" });
        });

        it("one PodDisruptionBudget for the gateway's pods, selecting what the Service selects; no release renders one", async () => {
            const { resources } = await runProgram(meshConfigMap(mesh({ podDisruptionBudget: { minAvailable: 1 } })), null);
            const releases = resources.filter((r) => r.type === RELEASE && (r.inputs as any).chart === "gateway").map((r) => r.inputs as any);
            expect(releases).to.have.length(2);
            for (const r of releases) expect(r.values, r.name).to.not.have.property("podDisruptionBudget");
            const pdbs = resources.filter((r) => r.type === PDB);
            expect(pdbs.map((p) => p.name)).to.deep.equal(["mesh-gwsvc-istio-ingressgateway-pdb"]);
            const pdb = pdbs[0].inputs as any;
            const svc = resources.find((r) => r.type === SERVICE && r.name.startsWith("mesh-gwsvc-"))!.inputs as any;
            expect(pdb.metadata).to.deep.include({ name: "istio-ingressgateway", namespace: "istio-ingress" });
            expect(pdb.spec).to.deep.equal({ selector: { matchLabels: svc.spec.selector }, minAvailable: 1 });
            // Every pod of every Deployment carries the selector, and only the gateway's do.
            for (const r of releases) expect(r.values.labels).to.deep.include(svc.spec.selector);
        });

        it("no budget without podDisruptionBudget, or over one pod in all (it would block every drain, as the chart knows)", async () => {
            const none = await runProgram(meshConfigMap(mesh({})), null);
            expect(none.resources.filter((r) => r.type === PDB)).to.deep.equal([]);
            const one = await runProgram(
                meshConfigMap({ revisions: [{ version: "1.29.6" }, { version: "1.30.3" }], tags: { stable: "1-29-6", canary: "1-30-3" }, defaultRevision: "stable", gateways: { gw: { canary: { stable: { replicas: 1 }, canary: { replicas: 0 } }, podDisruptionBudget: { maxUnavailable: 1 } } } }),
                null,
            );
            expect(one.resources.filter((r) => r.type === PDB)).to.deep.equal([]);
            expect(canaryBudget({ maxUnavailable: "50%" }, [1, 1])).to.deep.equal({ maxUnavailable: "50%" });
            expect(canaryBudget({ minAvailable: 1 }, [1, 0])).to.equal(undefined);
            expect(canaryBudget(undefined, [3, 3])).to.equal(undefined);
        });

        it("a canary Service takes a load-balancer class on any version (it is not the chart's)", async () => {
            const { resources } = await runProgram(meshConfigMap(mesh({ service: { loadBalancerClass: "service.k8s.aws/nlb" } })), null);
            const svc = resources.find((r) => r.type === SERVICE && r.name.startsWith("mesh-gwsvc-"))!.inputs as any;
            expect(svc.spec.loadBalancerClass).to.equal("service.k8s.aws/nlb");
            expect(svc.spec.ports.map((p: any) => p.port), "the chart's ports by default").to.deep.equal([15021, 80, 443]);
        });
    });

    describe("egress gateways", () => {
        it("ClusterIP by default and Istio's egress label, in place and canary", async () => {
            const config = parseMesh({
                revisions: [{ version: "1.30.3" }],
                gateways: { "istio-egressgateway": { kind: "egress", revision: "1-30-3" }, egress: { kind: "egress", canary: { "1-30-3": {} } } },
            });
            const inPlace = config.gateways.find((g) => g.name === "istio-egressgateway")!;
            expect(inPlace.serviceType).to.equal("ClusterIP");
            expect(gatewayValues(inPlace)).to.deep.include({ service: { type: "ClusterIP" }, labels: { istio: "egressgateway" } });
            const canary = config.gateways.find((g) => g.name === "egress-1-30-3")!;
            expect(canary.labels).to.deep.equal({ istio: "egressgateway", app: "egress" });
            expect(config.canaryServices[0]).to.deep.include({ type: "ClusterIP", selector: { app: "egress", istio: "egressgateway" } });
            const ingress = parseMesh({ revisions: [{ version: "1.30.3" }], gateways: { gw: { revision: "1-30-3" } } }).gateways[0];
            expect(ingress.serviceType).to.equal("LoadBalancer");
            expect(ingress.labels).to.deep.equal({});
            const own = parseMesh({ revisions: [{ version: "1.30.3" }], gateways: { gw: { kind: "egress", revision: "1-30-3", labels: { istio: "mine" }, service: { type: "LoadBalancer" } } } }).gateways[0];
            expect([own.serviceType, own.labels.istio]).to.deep.equal(["LoadBalancer", "mine"]);
        });
    });

    describe("validation: one error per bad option, naming the path and the fix", () => {
        const at = (gw: Record<string, unknown>) => issuesOf({ revisions: [{ version: "1.30.3" }], gateways: { gw: { revision: "1-30-3", ...gw } } });
        const P = "istio-mesh:mesh.gateways.gw";
        const rows: [string, Record<string, unknown>, string, RegExp][] = [
            ["duplicate port numbers", { service: { ports: [{ name: "a", port: 80 }, { name: "b", port: 80 }] } }, `${P}.service.ports[1].port`, /duplicate port 80\/TCP \(also service\.ports\[0\]\)/],
            ["duplicate port names", { service: { ports: [{ name: "a", port: 80 }, { name: "a", port: 81 }] } }, `${P}.service.ports[1].name`, /duplicate port name "a" .* give each port its own name/],
            ["a bad port name", { service: { ports: [{ name: "HTTP", port: 80 }] } }, `${P}.service.ports[0].name`, /not a Service port name/],
            ["a port out of range", { service: { ports: [{ name: "a", port: 70000 }] } }, `${P}.service.ports[0].port`, /70000 is not a port; use 1-65535/],
            ["no ports", { service: { ports: [] } }, `${P}.service.ports`, /empty; list at least one port/],
            ["a nodePort outside 30000-32767", { service: { type: "NodePort", ports: [{ name: "a", port: 80, nodePort: 8080 }] } }, `${P}.service.ports[0].nodePort`, /8080 is outside the node port range 30000-32767/],
            ["a duplicate nodePort", { service: { type: "NodePort", ports: [{ name: "a", port: 80, nodePort: 30080 }, { name: "b", port: 81, nodePort: 30080 }] } }, `${P}.service.ports[1].nodePort`, /duplicate nodePort 30080 \(also service\.ports\[0\]\)/],
            ["maxUnavailable over 100%", { strategy: { maxUnavailable: "150%" } }, `${P}.strategy.maxUnavailable`, /150% is more than 100%/],
            ["a PDB over 100%", { podDisruptionBudget: { minAvailable: "101%" } }, `${P}.podDisruptionBudget.minAvailable`, /101% is more than 100%/],
            ["a nodePort on a ClusterIP Service", { service: { type: "ClusterIP", ports: [{ name: "a", port: 80, nodePort: 30080 }] } }, `${P}.service.ports[0].nodePort`, /needs service\.type NodePort or LoadBalancer \(this Service is ClusterIP\)/],
            ["hostNetwork with ports below 1024", { hostNetwork: true, service: { ports: [{ name: "http2", port: 80 }, { name: "tls", port: 15443 }] } }, `${P}.hostNetwork`, /binds http2 \(80\) on the node, below 1024.*set netBindService: true/],
            ["hostNetwork with the chart's ports", { hostNetwork: true }, `${P}.hostNetwork`, /http2 \(80\), https \(443\).*\(the chart's default ports\)/],
            ["netBindService without hostNetwork", { netBindService: true }, `${P}.netBindService`, /only needed with hostNetwork: true/],
            ["Service options without a Service", { service: { type: "None", annotations: { a: "b" } } }, `${P}.service`, /renders no Service, so annotations would do nothing/],
            ["loadBalancerClass on a ClusterIP Service", { service: { type: "ClusterIP", loadBalancerClass: "x" } }, `${P}.service.loadBalancerClass`, /only a LoadBalancer Service has a load-balancer class/],
            ["externalTrafficPolicy on a ClusterIP Service", { service: { type: "ClusterIP", externalTrafficPolicy: "Local" } }, `${P}.service.externalTrafficPolicy`, /only LoadBalancer and NodePort Services/],
            ["a rollout that cannot start", { strategy: { maxUnavailable: 0, maxSurge: "0%" } }, `${P}.strategy`, /both 0.*maxUnavailable: 100%, maxSurge: 0/],
            ["a PDB with both numbers", { podDisruptionBudget: { minAvailable: 1, maxUnavailable: 1 } }, `${P}.podDisruptionBudget`, /set exactly one of minAvailable or maxUnavailable/],
            ["an unknown kind", { kind: "sideways" }, `${P}.kind`, /ingress.*egress/],
            ["a bad percentage", { strategy: { maxSurge: "half" } }, `${P}.strategy.maxSurge`, /./],
        ];
        for (const [what, gw, path, message] of rows) {
            it(what, () => {
                const issues = at(gw);
                expect(issues.map((i) => i.path), JSON.stringify(issues)).to.deep.equal([path]);
                expect(issues[0].message).to.match(message);
            });
        }

        it("good options give no issue (hostNetwork with netBindService, or with high targetPorts)", () => {
            expect(at({ hostNetwork: true, netBindService: true })).to.deep.equal([]);
            expect(at({ hostNetwork: true, service: { ports: [{ name: "http2", port: 80, targetPort: 8080 }] } })).to.deep.equal([]);
            expect(at({ service: { type: "NodePort", ports: [{ name: "http2", port: 80, nodePort: 30000 }, { name: "dns", port: 80, protocol: "UDP", nodePort: 32767 }] } })).to.deep.equal([]);
        });
    });
});
