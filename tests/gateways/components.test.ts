/**
 * The gateway components built alone (tests/support/components.ts): what an in-place Gateway
 * and a canary gateway's Service register, in which order, and the address the Service reports.
 * The whole-program versions of these checks are in order.test.ts and options.test.ts.
 */
import { expect } from "chai";
import { CanaryGatewayService, canaryServicePorts, GATEWAY_PORTS } from "../../components/gateways/canaryService";
import { Gateway } from "../../components/gateways/gateway";
import { HOST_NETWORK_DNS_POLICY, HOST_NETWORK_FIELD_MANAGER, hostNetworkPatch } from "../../components/gateways/hostNetwork";
import { buildAlone, valueOf } from "../support/components";
import { parseMesh } from "../support/fixtures";

const REPO = "https://istio-release.storage.googleapis.com/charts";
const PATCH = "kubernetes:apps/v1:DeploymentPatch";
const RELEASE = "kubernetes:helm.sh/v3:Release";
const SERVICE = "kubernetes:core/v1:Service";
const PDB = "kubernetes:policy/v1:PodDisruptionBudget";
/** Inputs as they go on the wire: undefined fields dropped. */
const plain = (x: unknown) => JSON.parse(JSON.stringify(x)) as any;

const inPlace = (options: Record<string, unknown> = {}) => {
    const gw = parseMesh({ revisions: [{ version: "1.30.3" }], gateways: { edge: { revision: "1-30-3", namespace: "edge", ...options } } }).gateways;
    expect(gw).to.have.length(1);
    return gw[0];
};

const canaryServiceOf = (extra: Record<string, unknown> = {}) => {
    const config = parseMesh({
        revisions: [{ version: "1.29.6" }, { version: "1.30.3" }],
        tags: { stable: "1-29-6", canary: "1-30-3" },
        defaultRevision: "stable",
        gateways: { "istio-ingressgateway": { canary: { stable: { replicas: 1 }, canary: { replicas: 1 } }, ...extra } },
    });
    expect(config.canaryServices).to.have.length(1);
    return config.canaryServices[0];
};

describe("gateways: the components alone", () => {
    describe("Gateway (in place)", () => {
        it("with hostNetwork: the release, then the patch of its Deployment, which waits for the release and only for it", async () => {
            const { registered } = await buildAlone(() => new Gateway("gw", { gateway: inPlace({ hostNetwork: true, netBindService: true }), version: "1.30.3", source: { repository: REPO, skipAwait: false }, effective: "1-30-3@1.30.3" }));
            const own = registered.filter((r) => r.type !== "istio-mesh:gateways:Gateway");
            expect(own.map((r) => [r.type, r.name])).to.deep.equal([
                [RELEASE, "gw-release"],
                [PATCH, "gw-host-network"],
            ]);
            expect(own[1].dependsOn).to.deep.equal(["gw-release"]);
            expect(own[0].dependsOn).to.deep.equal([]);
            expect(plain({ metadata: own[1].inputs.metadata, spec: own[1].inputs.spec })).to.deep.equal(hostNetworkPatch("edge", "edge", false));
            expect(own[0].inputs).to.deep.include({ name: "edge", namespace: "edge", chart: "gateway", version: "1.30.3", skipAwait: false });
        });

        it("the patch skips the rollout wait where the release does (skipAwait)", async () => {
            const { registered } = await buildAlone(() => new Gateway("gw", { gateway: inPlace({ hostNetwork: true, netBindService: true }), version: "1.30.3", source: { repository: REPO, skipAwait: true }, effective: "1-30-3@1.30.3" }));
            const patch = registered.find((r) => r.type === PATCH)!;
            expect((patch.inputs as any).metadata.annotations).to.deep.equal({ "pulumi.com/patchForce": "true", "pulumi.com/patchFieldManager": HOST_NETWORK_FIELD_MANAGER, "pulumi.com/skipAwait": "true" });
        });

        it("without hostNetwork: no patch, and the component says so", async () => {
            const { registered, built } = await buildAlone(() => new Gateway("gw", { gateway: inPlace(), version: "1.30.3", source: { repository: REPO, skipAwait: false }, effective: "1-30-3@1.30.3" }));
            expect(registered.filter((r) => r.type === PATCH)).to.deep.equal([]);
            expect(built.hostNetwork).to.equal(undefined);
        });

        it("the patch owns exactly hostNetwork and dnsPolicy, under its own field manager, forcing ownership", () => {
            expect(hostNetworkPatch("d", "n")).to.deep.equal({
                metadata: { name: "d", namespace: "n", annotations: { "pulumi.com/patchForce": "true", "pulumi.com/patchFieldManager": "istio-mesh-host-network" } },
                spec: { template: { spec: { hostNetwork: true, dnsPolicy: "ClusterFirstWithHostNet" } } },
            });
            expect(HOST_NETWORK_DNS_POLICY).to.equal("ClusterFirstWithHostNet");
        });
    });

    describe("CanaryGatewayService", () => {
        /** `spec: null`: the answer has no spec at all. */
        const address = async (answer: { spec?: Record<string, unknown> | null; status?: Record<string, unknown> }) => {
            const { built } = await buildAlone(
                () => new CanaryGatewayService("svc", { service: canaryServiceOf() }),
                (type, _name, inputs) => {
                    if (type !== SERVICE) return inputs;
                    const { spec, ...rest } = inputs;
                    return { ...rest, ...(answer.spec === null ? {} : { spec: { ...(spec as object), ...answer.spec } }), ...(answer.status === undefined ? {} : { status: answer.status }) };
                },
            );
            return valueOf(built.address);
        };
        const cases: { name: string; spec?: Record<string, unknown> | null; status?: Record<string, unknown>; address: string }[] = [
            { name: "a load balancer's IP first", spec: { clusterIP: "10.0.0.7" }, status: { loadBalancer: { ingress: [{ ip: "203.0.113.9", hostname: "lb.example.com" }] } }, address: "203.0.113.9" },
            { name: "else its hostname (AWS)", spec: { clusterIP: "10.0.0.7" }, status: { loadBalancer: { ingress: [{ hostname: "lb.example.com" }] } }, address: "lb.example.com" },
            { name: "no ingress yet: the clusterIP", spec: { clusterIP: "10.0.0.7" }, status: { loadBalancer: { ingress: [] } }, address: "10.0.0.7" },
            { name: "no load balancer: the clusterIP", spec: { clusterIP: "10.0.0.7" }, status: { loadBalancer: {} }, address: "10.0.0.7" },
            { name: "no status at all: the clusterIP", spec: { clusterIP: "10.0.0.7" }, address: "10.0.0.7" },
            { name: "a status without loadBalancer: the clusterIP", spec: { clusterIP: "10.0.0.7" }, status: {}, address: "10.0.0.7" },
            { name: "a load balancer without ingress: the clusterIP", spec: { clusterIP: "10.0.0.7" }, status: { loadBalancer: { other: 1 } }, address: "10.0.0.7" },
            { name: "no spec in the answer: empty", spec: null, address: "" },
            { name: "nothing assigned: empty", address: "" },
        ];
        for (const c of cases) {
            it(`address: ${c.name}`, async () => {
                expect(await address(c)).to.equal(c.address);
            });
        }

        it("one Service with the chart's ports by default, labels and selector, and no budget unless asked", async () => {
            const s = canaryServiceOf();
            const { registered } = await buildAlone(() => new CanaryGatewayService("svc", { service: s }));
            const own = registered.filter((r) => !r.type.startsWith("istio-mesh:"));
            expect(own.map((r) => [r.type, r.name])).to.deep.equal([[SERVICE, "svc-service"]]);
            const inputs = plain(own[0].inputs);
            expect(inputs.metadata).to.deep.equal({ name: s.name, namespace: s.namespace, labels: { ...s.labels, ...s.selector } });
            expect(inputs.spec).to.deep.equal({ type: s.type, selector: { ...s.selector }, ports: GATEWAY_PORTS.map((p) => ({ ...p })) });
        });

        it("skipAwait, annotations, class and traffic policy reach the Service; a budget selects what the Service selects", async () => {
            const s = canaryServiceOf({ podDisruptionBudget: { minAvailable: 1 }, service: { annotations: { a: "b" }, loadBalancerClass: "example.com/lb", externalTrafficPolicy: "Local" } });
            const { registered } = await buildAlone(() => new CanaryGatewayService("svc", { service: s, skipAwait: true }));
            const svc = registered.find((r) => r.type === SERVICE)!.inputs as any;
            expect(svc.metadata.annotations).to.deep.equal({ a: "b", "pulumi.com/skipAwait": "true" });
            expect(svc.spec).to.deep.include({ loadBalancerClass: "example.com/lb", externalTrafficPolicy: "Local" });
            const pdb = registered.filter((r) => r.type === PDB);
            expect(pdb.map((r) => r.name)).to.deep.equal(["svc-pdb"]);
            expect(plain({ metadata: pdb[0].inputs.metadata, spec: pdb[0].inputs.spec })).to.deep.equal({
                metadata: { name: s.name, namespace: s.namespace, labels: { ...s.labels, ...s.selector } },
                spec: { selector: { matchLabels: { ...s.selector } }, minAvailable: 1 },
            });
        });

        it("configured ports: targetPort defaults to port, nodePort only when given", () => {
            const ports = canaryServicePorts({
                options: {
                    ports: [
                        { name: "http2", port: 80, protocol: "TCP" },
                        { name: "https", port: 443, protocol: "TCP", targetPort: 8443, nodePort: 30443 },
                    ],
                } as any,
            });
            expect(ports).to.deep.equal([
                { name: "http2", port: 80, protocol: "TCP", targetPort: 80 },
                { name: "https", port: 443, protocol: "TCP", targetPort: 8443, nodePort: 30443 },
            ]);
            expect(canaryServicePorts({ options: {} as any })).to.deep.equal(GATEWAY_PORTS.map((p) => ({ ...p })));
        });
    });
});
