/**
 * Issue 19, part 4: gateway changes the rules see only since the deployed state records them
 * (schema 4): a gateway's Service type and kind, and the image hub. Table-driven on stack-shaped
 * configs; the oracle for Service types is the README's order of what each type gives clients.
 */
import { expect } from "chai";
import { evaluateTransition } from "../../components/plan/transitions";
import { planSteps } from "../../components/plan/steps";
import { GATEWAY_STATE_RULES, GATEWAY_STATE_WARNINGS } from "../../components/plan/gatewayStateRules";
import { fromStackOutput, MeshState, toStackOutput } from "../../components/state/deployed";
import { asSchema3, unrecorded } from "../support/deployed";
import { RawMesh, state } from "../support/fixtures";

type Gw = Record<string, unknown>;
const mesh = (gateways: Record<string, Gw>, extra: RawMesh = {}): MeshState =>
    state({ revisions: [{ version: "1.30.3" }], tags: { stable: "1-30-3" }, defaultRevision: "stable", gateways, ...extra });
const codes = (from: MeshState, to: MeshState) => evaluateTransition(from, to).problems.map((p) => p.code);
const warned = (from: MeshState, to: MeshState) => evaluateTransition(from, to).warnings.map((p) => p.code);
const inPlace = (type: string, more: Gw = {}): Gw => ({ revision: "stable", service: { type }, ...more });
const canary = (type: string, more: Gw = {}): Gw => ({ namespace: "edge-ns", service: { type }, canary: { stable: { replicas: 2 } }, ...more });

describe("plan: gateway Service type, kind and hub (deployed state schema 4)", () => {
    describe("a Service type change: refused when clients lose an address, allowed when it only adds", () => {
        // README: ClusterIP gives a cluster IP, NodePort adds node ports, LoadBalancer an external address; None is no Service.
        const order = ["None", "ClusterIP", "NodePort", "LoadBalancer"];
        for (const from of order) {
            for (const to of order.filter((t) => t !== from)) {
                const refused = order.indexOf(to) < order.indexOf(from);
                it(`in place ${from} -> ${to}: ${refused ? "refused" : "allowed"}`, () => {
                    expect(codes(mesh({ gw: inPlace(from) }), mesh({ gw: inPlace(to) }))).to.deep.equal(refused ? [GATEWAY_STATE_RULES.serviceTypeChange] : []);
                    // Either way the plan says what changes.
                    expect(planSteps(mesh({ gw: inPlace(from) }), mesh({ gw: inPlace(to) }))).to.include.members([
                        `Change gateway gw's Service type ${from} -> ${to}${stepTail(from, to)}`,
                    ]);
                });
            }
        }

        it("the message names the gateway, its Service, the config key, what is lost and the safe sequence", () => {
            const [p] = evaluateTransition(mesh({ "istio-ingressgateway": inPlace("LoadBalancer", { namespace: "istio-ingress" }) }), mesh({ "istio-ingressgateway": inPlace("ClusterIP", { namespace: "istio-ingress" }) })).problems;
            expect(p.message).to.equal(
                `gateway "istio-ingressgateway" changes service.type LoadBalancer -> ClusterIP (istio-mesh:mesh.gateways.istio-ingressgateway.service.type): ` +
                    `its Service istio-ingressgateway in istio-ingress loses its node ports and external load-balancer address, so clients using it stop reaching the gateway. ` +
                    `Safe sequence: keep service.type: LoadBalancer; to drop the node ports and external load-balancer address, add a gateway under a new name with service.type: ClusterIP, ` +
                    `move clients (and DNS) to it, then remove "istio-ingressgateway"; or, once no client uses the node ports and external load-balancer address, override this rule for the run.`,
            );
            const [gone] = evaluateTransition(mesh({ gw: inPlace("ClusterIP") }), mesh({ gw: inPlace("None") })).problems;
            expect(gone.message).to.include("its Service gw in istio-ingress is deleted, and with it its cluster IP, so clients using it stop reaching the gateway");
            expect(gone.message).to.include("Safe sequence: keep service.type: ClusterIP; move every client off Service gw first, then override this rule for the run that removes it.");
        });

        it("a canary gateway: the program's Service is what clients use; its Deployments record its type", () => {
            const [from, to] = [mesh({ edge: canary("LoadBalancer") }), mesh({ edge: canary("ClusterIP") })];
            expect(from.gateways.map((g) => [g.name, g.serviceType])).to.deep.equal([["edge-stable", "LoadBalancer"]]);
            expect(codes(from, to)).to.deep.equal([GATEWAY_STATE_RULES.serviceTypeChange]);
            expect(evaluateTransition(from, to).problems[0].message).to.include("its Service edge in edge-ns loses its node ports and external load-balancer address");
            expect(codes(mesh({ edge: canary("ClusterIP") }), mesh({ edge: canary("LoadBalancer") }))).to.deep.equal([]);
        });

        it("a namespace move or a mode change replaces the Service anyway: only their own rule speaks", () => {
            expect(codes(mesh({ gw: inPlace("LoadBalancer", { namespace: "a" }) }), mesh({ gw: inPlace("ClusterIP", { namespace: "b" }) }))).to.deep.equal(["gateway-address-change"]);
            expect(codes(mesh({ edge: inPlace("LoadBalancer", { namespace: "edge-ns" }) }), mesh({ edge: canary("ClusterIP") }))).to.deep.equal(["gateway-mode-change"]);
        });

        it("overridden for one run, it comes back as a warning", () => {
            const r = evaluateTransition(mesh({ gw: inPlace("LoadBalancer") }), mesh({ gw: inPlace("ClusterIP") }), [GATEWAY_STATE_RULES.serviceTypeChange]);
            expect(r.problems).to.deep.equal([]);
            expect(r.warnings[0].message).to.match(/^OVERRIDDEN \(allow-unsafe\): gateway "gw" changes service\.type/);
        });
    });

    describe("a kind change on a live gateway", () => {
        const table: { name: string; from: Gw; to: Gw; codes: string[]; labels: string }[] = [
            { name: "in place, Service type kept", from: inPlace("LoadBalancer"), to: inPlace("LoadBalancer", { kind: "egress" }), codes: [GATEWAY_STATE_RULES.kindChange], labels: "gw -> egressgateway" },
            { name: "egress back to ingress", from: inPlace("ClusterIP", { kind: "egress" }), to: inPlace("ClusterIP"), codes: [GATEWAY_STATE_RULES.kindChange], labels: "egressgateway -> gw" },
            // The egress default Service type is ClusterIP: the external address goes too.
            { name: "canary, default Service types", from: { namespace: "edge-ns", canary: { stable: {} } }, to: { namespace: "edge-ns", kind: "egress", canary: { stable: {} } }, codes: [GATEWAY_STATE_RULES.serviceTypeChange, GATEWAY_STATE_RULES.kindChange], labels: "edge -> egressgateway" },
        ];
        for (const row of table) {
            it(`${row.name}: ${row.codes.join(", ")}`, () => {
                const name = row.name.startsWith("canary") ? "edge" : "gw";
                const [from, to] = [mesh({ [name]: row.from }), mesh({ [name]: row.to })];
                expect(codes(from, to)).to.deep.equal(row.codes);
                const kind = evaluateTransition(from, to).problems.find((p) => p.code === GATEWAY_STATE_RULES.kindChange)!;
                expect(kind.message).to.include(`its pods' istio label changes ${row.labels}`);
                expect(kind.message).to.include(`(istio-mesh:mesh.gateways.${name}.kind)`);
                expect(kind.message).to.match(/Safe sequence: keep kind: \w+; add a \w+ gateway under a new name, point the Gateway resources' selectors at istio: \w+/);
                expect(planSteps(from, to).some((s) => s.startsWith(`Change gateway ${name}'s kind`))).to.equal(true);
            });
        }
    });

    describe("a hub change: a step and a warning (every image is pulled again)", () => {
        it("names the images to check at the new hub", () => {
            const [from, to] = [mesh({}, { hub: "docker.io/istio" }), mesh({}, { hub: "registry.example.com/mirror/istio", cni: { enabled: true } })];
            const w = evaluateTransition(from, to).warnings.find((x) => x.code === GATEWAY_STATE_WARNINGS.hubChange)!;
            expect(w.message).to.include("mesh.hub changes docker.io/istio -> registry.example.com/mirror/istio (istio-mesh:mesh.hub)");
            expect(w.message).to.include("registry.example.com/mirror/istio/pilot:1.30.3, registry.example.com/mirror/istio/proxyv2:1.30.3, registry.example.com/mirror/istio/install-cni:1.30.3");
            expect(planSteps(from, to)).to.include("Pull every Istio image from registry.example.com/mirror/istio (was docker.io/istio): istiod and the gateways roll; injected pods get the new proxy image at their next restart");
            expect(evaluateTransition(from, to).problems).to.deep.equal([]);
        });
        it("the same hub: nothing", () => {
            expect(warned(mesh({}), mesh({}))).to.not.include(GATEWAY_STATE_WARNINGS.hubChange);
            expect(planSteps(mesh({}), mesh({})).some((s) => s.startsWith("Pull every Istio image"))).to.equal(false);
        });
    });

    describe("a state from before schema 4: unknown, never taken from the next config", () => {
        const live = mesh({ gw: inPlace("LoadBalancer") });
        const old = fromStackOutput(asSchema3(toStackOutput(live)))!;

        it("reads back without them", () => {
            expect(old).to.deep.equal(unrecorded(live));
            expect(old.hub).to.equal(undefined);
            expect(old.gateways[0]).to.not.have.property("serviceType");
        });

        it("a change it cannot see is not refused, and the warning says what was not checked and how to check it", () => {
            const next = mesh({ gw: inPlace("ClusterIP") });
            expect(codes(old, next)).to.deep.equal([]);
            const w = evaluateTransition(old, next).warnings.find((x) => x.code === GATEWAY_STATE_WARNINGS.unrecorded)!;
            expect(w.message).to.include("did not record each gateway's kind and Service type and the image hub");
            expect(w.message).to.include("so gateway-service-type-change, gateway-kind-change, hub-change did not run");
            expect(w.message).to.include("kubectl get service gw -n istio-ingress -o jsonpath='{.spec.type}' (the config says ClusterIP, kind ingress)");
            expect(w.message).to.include("this update records them and the next one checks them");
            // The update then records them: the next change is checked.
            expect(codes(next, mesh({ gw: inPlace("None") }))).to.deep.equal([GATEWAY_STATE_RULES.serviceTypeChange]);
            expect(warned(next, mesh({ gw: inPlace("None") }))).to.not.include(GATEWAY_STATE_WARNINGS.unrecorded);
        });

        it("schema 4 requires them: a state that drops one is refused, naming it", () => {
            const out = JSON.parse(JSON.stringify(toStackOutput(live)));
            delete out.gateways[0].serviceType;
            delete out.hub;
            expect(() => fromStackOutput(out)).to.throw(/deployed\.gateways\[0\]\.serviceType: missing[\s\S]*deployed\.hub: missing/);
        });
    });
});

function stepTail(from: string, to: string): string {
    const order = ["None", "ClusterIP", "NodePort", "LoadBalancer"];
    const all = ["cluster IP", "node ports", "external load-balancer address"];
    const words = (xs: string[]) => (xs.length <= 1 ? xs.join("") : `${xs.slice(0, -1).join(", ")} and ${xs[xs.length - 1]}`);
    const [a, b] = [order.indexOf(from), order.indexOf(to)];
    return b > a ? `: gains ${words(all.slice(a, b))}` : `: LOSES its ${words(all.slice(b, a))}`;
}
