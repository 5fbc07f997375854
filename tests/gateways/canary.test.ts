/** Canary gateways: one Deployment per tag or revision behind one Service the program owns. */
import { expect } from "chai";
import { runProgram } from "../../components/plan/mockRun";
import { evaluateTransition, RULES } from "../../components/plan/transitions";
import { meshConfigMap, parseMesh, state } from "../support/fixtures";

const RELEASE = "kubernetes:helm.sh/v3:Release";
const SERVICE = "kubernetes:core/v1:Service";
const revs = [{ version: "1.29.6" }, { version: "1.30.3" }];
const mesh = (canary: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
    revisions: revs,
    tags: { stable: "1-29-6", canary: "1-30-3" },
    defaultRevision: "stable",
    gateways: { "istio-ingressgateway": { canary, ...extra } },
});

describe("gateways: canary", () => {
    it("one release per entry, none rendering a Service, all carrying the chart's selector labels; one program-owned Service", async () => {
        const { resources, outputs } = await runProgram(meshConfigMap(mesh({ stable: { replicas: 3 }, canary: { replicas: 1 } })), null);
        const releases = resources.filter((r) => r.type === RELEASE && (r.inputs as any).chart === "gateway").map((r) => r.inputs as any);
        expect(releases.map((r) => [r.name, r.version, r.values.revision, r.values.replicaCount, r.values.service.type]).sort()).to.deep.equal([
            ["istio-ingressgateway-canary", "1.30.3", "canary", 1, "None"],
            ["istio-ingressgateway-stable", "1.29.6", "stable", 3, "None"],
        ]);
        for (const r of releases) {
            expect(r.values.labels).to.deep.equal({ app: "istio-ingressgateway", istio: "ingressgateway" });
            expect(r.values.autoscaling.enabled, "replica counts set the traffic share").to.equal(false);
        }
        const services = resources.filter((r) => r.type === SERVICE && r.name.startsWith("mesh-gwsvc-")).map((r) => r.inputs as any);
        expect(services).to.have.length(1);
        expect(services[0].metadata).to.deep.include({ name: "istio-ingressgateway", namespace: "istio-ingress" });
        expect(services[0].spec.selector).to.deep.equal({ app: "istio-ingressgateway", istio: "ingressgateway" });
        expect(services[0].spec.type).to.equal("LoadBalancer");
        expect(services[0].spec.ports.map((p: any) => p.port)).to.deep.equal([15021, 80, 443]);
        expect(outputs.gatewayAddresses).to.have.property("istio-ingressgateway");
    });

    it("the runbook keeps the Service: entries come and go, the Service resource does not change", async () => {
        const steps = [{ stable: {} }, { stable: { replicas: 2 }, canary: { replicas: 1 } }, { canary: { replicas: 2 } }];
        const services = [];
        for (const canary of steps) {
            const { resources } = await runProgram(meshConfigMap(mesh(canary)), null);
            services.push(resources.filter((r) => r.type === SERVICE && r.name.startsWith("mesh-gwsvc-")));
        }
        expect(services[1]).to.deep.equal(services[0]);
        expect(services[2]).to.deep.equal(services[0]);
    });

    it("refuses swapping Deployments in one change, and switching a live gateway between in place and canary", () => {
        const one = state(mesh({ stable: {} }));
        const both = state(mesh({ stable: {}, canary: {} }));
        const swapped = state(mesh({ canary: {} }));
        const codes = (a: typeof one, b: typeof one) => evaluateTransition(a, b).problems.map((p) => p.code);
        expect(codes(one, both)).to.deep.equal([]);
        expect(codes(both, swapped)).to.deep.equal([]);
        expect(codes(one, swapped)).to.deep.equal([RULES.gatewayCanarySwap]);
        expect(evaluateTransition(one, swapped).problems[0].message).to.match(/removes its Deployment\(s\) for stable in the same change that adds canary/);
        const inPlace = state({ ...mesh({}), gateways: { "istio-ingressgateway": { revision: "stable" } } });
        expect(codes(inPlace, one)).to.deep.equal([RULES.gatewayModeChange]);
        expect(codes(one, inPlace)).to.deep.equal([RULES.gatewayModeChange]);
    });

    it("config errors name the field and the fix", () => {
        const err = (m: Record<string, unknown>) => {
            try {
                parseMesh(m);
            } catch (e) {
                return (e as Error).message;
            }
            return "";
        };
        expect(err(mesh({}))).to.match(/gateways\.istio-ingressgateway\.canary: list at least one tag or revision/);
        expect(err(mesh({ stable: { replicas: 0 } }))).to.match(/every entry has replicas: 0/);
        expect(err(mesh({ stable: {} }, { revision: "stable" }))).to.match(/canary sets replicas per entry; remove revision/);
        expect(err(mesh({ stable: {} }, { service: { type: "None" } }))).to.match(/service\.type: a canary gateway exists to keep one Service/);
        expect(err(mesh({ nope: {} }))).to.match(/canary\.nope: "nope" is neither a revision/);
        expect(err({ revisions: revs, defaultRevision: "1-30-3", gateways: { gw: {} } })).to.match(/gateways\.gw: set revision .* or canary/);
    });

    it("gateway names that meet after derivation are refused at both: a canary edge entry stable and an in-place edge-stable", () => {
        const both = { revisions: revs, defaultRevision: "1-30-3", tags: { stable: "1-30-3" }, gateways: { edge: { canary: { stable: {} } }, "edge-stable": { revision: "1-30-3", namespace: "other" } } };
        let message = "";
        try {
            parseMesh(both);
        } catch (e) {
            message = (e as Error).message;
        }
        expect(message).to.include("gateways.edge.canary.stable: its gateway Deployment (Helm release) is named edge-stable, as is the one of istio-mesh:mesh.gateways.edge-stable");
        expect(message).to.include("gateways.edge-stable: its gateway Deployment (Helm release) is named edge-stable, as is the one of istio-mesh:mesh.gateways.edge.canary.stable");
        expect(() => parseMesh({ ...both, gateways: { edge: { canary: { stable: {} } }, "edge-canary": { revision: "1-30-3" } } }), "distinct names pass").to.not.throw();
    });
});
