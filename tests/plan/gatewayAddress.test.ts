/**
 * Gateway changes that move a client-facing address, and a gateway contradicting its
 * namespace's revision: each a rule row (refused, overridable), each step naming the Service.
 */
import { expect } from "chai";
import { GATEWAY_RULES } from "../../components/plan/gatewayRules";
import { planSteps } from "../../components/plan/steps";
import { evaluateTransition, RULES } from "../../components/plan/transitions";
import { MeshState } from "../../components/state/deployed";
import { state } from "../support/fixtures";

type Json = Record<string, unknown>;
const base = { revisions: [{ version: "1.29.6" }, { version: "1.30.3" }], tags: { stable: "1-29-6", canary: "1-30-3" }, defaultRevision: "stable" };
const withGateways = (gateways: Json, extra: Json = {}): MeshState => state({ ...base, gateways, ...extra });
const inPlace = (namespace?: string) => ({ "istio-ingressgateway": { revision: "stable", ...(namespace === undefined ? {} : { namespace }) } });
const canary = (namespace?: string) => ({ "istio-ingressgateway": { canary: { stable: {}, canary: {} }, ...(namespace === undefined ? {} : { namespace }) } });

describe("plan: gateway address changes", () => {
    const rows: { name: string; from: MeshState; to: MeshState; refused: string[]; message?: RegExp; step?: string }[] = [
        {
            name: "an in-place gateway moved to another namespace",
            from: withGateways(inPlace()),
            to: withGateways(inPlace("edge")),
            refused: [RULES.gatewayAddressChange],
            message: /^gateway "istio-ingressgateway" moves namespace istio-ingress -> edge: its Service istio-ingressgateway is deleted in istio-ingress and created in edge \(the Helm release is replaced\), so clients lose its address .*Safe sequence: keep the namespace/,
            step: "Replace Service istio-ingressgateway: deleted in istio-ingress, created in edge (gateway istio-ingressgateway moved namespace): a new address",
        },
        {
            name: "a canary gateway's namespace moved",
            from: withGateways(canary()),
            to: withGateways(canary("edge")),
            refused: [RULES.gatewayAddressChange],
            message: /\(the program's canary Service\)/,
            step: "Replace Service istio-ingressgateway: deleted in istio-ingress, created in edge (gateway istio-ingressgateway moved namespace): a new address",
        },
        {
            name: "a whole canary gateway removed",
            from: withGateways(canary()),
            to: withGateways({}),
            refused: [RULES.gatewayServiceRemoved],
            message: /^canary gateway "istio-ingressgateway" is removed with all its Deployments \(istio-ingressgateway-canary, istio-ingressgateway-stable\): Service istio-ingressgateway in istio-ingress is deleted and its address released\. Safe sequence: move clients and DNS off it first/,
            step: "Delete Service istio-ingressgateway in istio-ingress (canary gateway istio-ingressgateway): its address is released",
        },
        // Not address changes: one Deployment of a canary going (the Service stays), a mode change (its own rule).
        { name: "one canary Deployment removed", from: withGateways(canary()), to: withGateways({ "istio-ingressgateway": { canary: { canary: {} } } }), refused: [] },
        { name: "in place -> canary", from: withGateways(inPlace()), to: withGateways(canary()), refused: [RULES.gatewayModeChange] },
        { name: "an in-place gateway removed", from: withGateways(inPlace()), to: withGateways({}), refused: [] },
    ];
    for (const row of rows) {
        it(`${row.name}: ${row.refused.length === 0 ? "allowed" : row.refused.join(", ")}`, () => {
            const r = evaluateTransition(row.from, row.to);
            expect(r.problems.map((p) => p.code)).to.deep.equal(row.refused);
            if (row.message !== undefined) expect(r.problems[0].message).to.match(row.message);
            if (row.step !== undefined) expect(planSteps(row.from, row.to)).to.include(row.step);
            // Overridable for one run, loudly.
            const overridden = evaluateTransition(row.from, row.to, row.refused);
            expect(overridden.problems).to.deep.equal([]);
            expect(overridden.warnings.filter((w) => w.message.startsWith("OVERRIDDEN")).map((w) => w.code)).to.deep.equal(row.refused);
        });
    }

    describe("a gateway in a namespace enrolled on another revision", () => {
        const conflicts: { name: string; gw: string; ns: string; refused: string[] }[] = [
            { name: "gateway on stable, namespace on canary", gw: "stable", ns: "canary", refused: [GATEWAY_RULES.namespaceConflict] },
            { name: "both on stable", gw: "stable", ns: "stable", refused: [] },
            { name: "a tag and the revision it points at", gw: "stable", ns: "1-29-6", refused: [] },
        ];
        for (const c of conflicts) {
            it(`${c.name}: ${c.refused.length === 0 ? "allowed" : "refused, on a first install too"}`, () => {
                const to = state({ ...base, namespaces: { edge: c.ns }, gateways: { "istio-ingressgateway": { revision: c.gw, namespace: "edge" } } });
                expect(evaluateTransition(undefined, to).problems.map((p) => p.code)).to.deep.equal(c.refused);
            });
        }
        it("the message names both and the fix", () => {
            const to = state({ ...base, namespaces: { edge: "canary" }, gateways: { "istio-ingressgateway": { revision: "stable", namespace: "edge" } } });
            expect(evaluateTransition(undefined, to).problems[0].message).to.equal(
                `gateway "istio-ingressgateway" follows stable (1-29-6) but its namespace edge is enrolled on canary (1-30-3) in mesh.namespaces: ` +
                    `the namespace's istio.io/rev label decides which istiod injects the gateway's pods, so it would not run 1-29-6. ` +
                    `Fix: point the gateway and namespace edge at the same tag or revision, or put the gateway in a namespace of its own.`,
            );
        });
    });
});
