/**
 * What a gateway waits for, and what its canary Service reports as the gateway's address: the
 * hostNetwork patch only after the release that renders the Deployment it patches (before it, the
 * patch has nothing to patch and the update fails); the address is the load balancer's IP, else
 * its hostname, else the Service's clusterIP (a ClusterIP or NodePort Service, or a load balancer
 * not yet provisioned).
 */
import { expect } from "chai";
import { runProgram } from "../../components/plan/mockRun";
import { meshConfigMap } from "../support/fixtures";
import { answering, waits } from "../support/registrations";

const revs = [{ version: "1.29.6" }, { version: "1.30.3" }];
const canaryMesh = (extra: Record<string, unknown> = {}) => ({
    revisions: revs,
    tags: { stable: "1-29-6", canary: "1-30-3" },
    defaultRevision: "stable",
    gateways: { "istio-ingressgateway": { canary: { stable: { replicas: 1 }, canary: { replicas: 1 } }, ...extra } },
});

describe("gateways: order and address", () => {
    it("in place: the hostNetwork patch waits for the gateway's release, and only for it", async () => {
        const deps = await waits(meshConfigMap({ revisions: [{ version: "1.30.3" }], gateways: { edge: { revision: "1-30-3", hostNetwork: true, netBindService: true, namespace: "edge" } } }), null);
        expect(deps.get("mesh-gw-edge-host-network")).to.deep.equal(["mesh-gw-edge-release"]);
        expect(deps.get("mesh-gw-edge-release")).to.deep.equal([]);
    });

    it("canary: each entry's patch waits for that entry's release", async () => {
        const deps = await waits(meshConfigMap(canaryMesh({ hostNetwork: true, netBindService: true })), null);
        const patches = [...deps.keys()].filter((n) => n.endsWith("-host-network")).sort();
        expect(patches).to.have.length(2);
        for (const p of patches) {
            expect(deps.get(p), p).to.deep.equal([p.replace(/-host-network$/, "-release")]);
        }
    });

    describe("the canary Service's address", () => {
        const cases: { name: string; spec: Record<string, unknown>; status: Record<string, unknown>; address: string }[] = [
            { name: "a load balancer with an IP", spec: { clusterIP: "10.0.0.7" }, status: { loadBalancer: { ingress: [{ ip: "203.0.113.9", hostname: "lb.example.com" }] } }, address: "203.0.113.9" },
            { name: "a load balancer with a hostname only (AWS)", spec: { clusterIP: "10.0.0.7" }, status: { loadBalancer: { ingress: [{ hostname: "lb.example.com" }] } }, address: "lb.example.com" },
            { name: "no load balancer yet: the clusterIP", spec: { clusterIP: "10.0.0.7" }, status: { loadBalancer: {} }, address: "10.0.0.7" },
            { name: "no status at all: the clusterIP", spec: { clusterIP: "10.0.0.7" }, status: {}, address: "10.0.0.7" },
            { name: "nothing assigned yet", spec: {}, status: {}, address: "" },
        ];
        for (const c of cases) {
            it(`${c.name}: ${c.address === "" ? "empty" : c.address}`, async () => {
                const { outputs } = await runProgram(meshConfigMap(canaryMesh()), null, {
                    preview: false,
                    onResource: answering(
                        (type, name) => type === "kubernetes:core/v1:Service" && name.startsWith("mesh-gwsvc-"),
                        (state) => {
                            const { clusterIP: _mocked, ...spec } = state.spec as Record<string, unknown>;
                            return { ...state, spec: { ...spec, ...c.spec }, status: c.status };
                        },
                    ),
                });
                expect(outputs.gatewayAddresses).to.deep.equal({ "istio-ingressgateway": c.address });
            });
        }
    });
});
