/**
 * The ambient and Gateway API rules wired into the mesh's state and transition check: the
 * `deployed` record's optional sub-objects, how an older record reads, and refusals raised by
 * guardTransition (what `pulumi up` and the plan run) before anything changes.
 */
import { expect } from "chai";
import { AMBIENT_RULES, AMBIENT_WARNINGS } from "../../components/ambient/rules";
import { ambientStateOf } from "../../components/ambient/record";
import { GATEWAY_REVISION_RULES } from "../../components/ambient/gatewayRules";
import { GATEWAY_API_RULES } from "../../components/gatewayapi/rules";
import { guardTransition, parseAllowUnsafe, TransitionRefused } from "../../components/plan/guard";
import { evaluateTransition } from "../../components/plan/transitions";
import { DeployedStateError, fromStackOutput, MeshState, toStackOutput } from "../../components/state/deployed";
import { RawMesh, state } from "../support/fixtures";

const CNI = { enabled: true };
const sidecar = (over: RawMesh = {}): RawMesh => ({ revisions: [{ version: "1.29.6" }], cni: CNI, namespaces: { shop: "1-29-6", web: "1-29-6" }, ...over });
/** Ambient pieces installed, every namespace still on sidecars (the safe first step). */
const pieces = (over: RawMesh = {}): RawMesh =>
    sidecar({ dataplane: "ambient", gatewayApi: { version: "v1.4.1" }, namespaces: { shop: { revision: "1-29-6", dataplane: "sidecar" }, web: { revision: "1-29-6", dataplane: "sidecar" } }, ...over });
const codes = (from: MeshState | undefined, to: MeshState) => {
    const r = evaluateTransition(from, to);
    return { refusals: r.problems.map((p) => p.code), warnings: r.warnings.map((w) => w.code) };
};

describe("ambient wiring: the deployed record", () => {
    it("round-trips the ambient and Gateway API sub-objects through the stack output", () => {
        const s = state(pieces({ namespaces: { shop: { revision: "1-29-6", waypoint: { for: "all" } }, web: { revision: "1-29-6", dataplane: "sidecar" } }, gateways: { edge: { kind: "gateway-api", revision: "1-29-6", listeners: [{ name: "http", port: 80, protocol: "HTTP" }] } } }));
        expect(s.ambient).to.deep.equal({
            dataplane: "ambient",
            ztunnel: { version: "1.29.6", revision: "1-29-6" },
            namespaces: { shop: { dataplane: "ambient", keepSidecars: false, waypoint: { name: "waypoint", revision: "1-29-6", for: "all" } }, web: { dataplane: "sidecar", keepSidecars: false } },
        });
        expect(s.gatewayApi).to.deep.equal({ crds: { version: "v1.4.1", channel: "standard", manage: true }, gateways: [{ name: "edge", namespace: "istio-ingress", revision: "1-29-6" }] });
        expect(fromStackOutput(toStackOutput(s))).to.deep.equal(s);
    });

    it("a sidecar config writes neither sub-object, so a record from before them reads the same", () => {
        const s = state(sidecar());
        const out = toStackOutput(s);
        expect(out).not.to.have.property("ambient");
        expect(out).not.to.have.property("gatewayApi");
        const read = fromStackOutput(out);
        expect(read?.ambient).to.equal(undefined);
        const a = ambientStateOf(read as MeshState);
        // Sidecar mode, nothing ambient: every namespace keeps istio.io/rev, no ztunnel, CNI without the ambient profile.
        expect(a.namespaces).to.deep.equal([{ name: "shop", dataplane: "sidecar", revision: "1-29-6" }, { name: "web", dataplane: "sidecar", revision: "1-29-6" }]);
        expect(a.ztunnel).to.equal(undefined);
        expect(a.cni).to.deep.equal({ version: "1.29.6", ambient: false });
        expect(a.gatewayApi).to.equal(undefined);
    });

    it("the sub-objects exist from schema 4: a schema-3 record (which never had them) with one is refused, without them it reads as sidecar mode", () => {
        const o = JSON.parse(JSON.stringify(toStackOutput(state(pieces())))) as Record<string, any>;
        const v3: Record<string, any> = { ...o, schema: 3, gateways: o.gateways.map(({ kind: _k, serviceType: _t, ...g }: Record<string, unknown>) => g) };
        delete v3.hub;
        expect(() => fromStackOutput(v3)).to.throw(DeployedStateError, /deployed\.ambient: unknown field/);
        const { ambient: _a, gatewayApi: _g, ...plain } = v3;
        const read = fromStackOutput(plain) as MeshState;
        expect([read.ambient, read.gatewayApi]).to.deep.equal([undefined, undefined]);
        expect(ambientStateOf(read).namespaces.every((n) => n.dataplane === "sidecar" && n.revision !== undefined)).to.equal(true);
    });

    const bad: [string, (o: Record<string, any>) => void, RegExp][] = [
        ["an unknown field", (o) => (o.ambient.extra = 1), /deployed\.ambient\.extra: unknown field/],
        ["ztunnel on a revision that is not deployed", (o) => (o.ambient.ztunnel.revision = "1-28-0"), /deployed\.ambient\.ztunnel\.revision: "1-28-0" is not a deployed revision/],
        ["a namespace that is not in deployed.namespaces", (o) => (o.ambient.namespaces.gone = { dataplane: "ambient", keepSidecars: false }), /deployed\.ambient\.namespaces\.gone: "gone" is not one of deployed\.namespaces/],
        ["a CRD version that is not one", (o) => (o.gatewayApi.crds.version = "latest"), /deployed\.gatewayApi\.crds\.version: is not a Gateway API bundle version/],
        ["a gateway on nothing", (o) => o.gatewayApi.gateways.push({ name: "x", namespace: "y", revision: "nope" }), /deployed\.gatewayApi\.gateways\[0\]\.revision: "nope" is neither/],
    ];
    for (const [what, edit, message] of bad) {
        it(`refuses a record with ${what}, naming the field`, () => {
            const o = JSON.parse(JSON.stringify(toStackOutput(state(pieces())))) as Record<string, any>;
            edit(o);
            expect(() => fromStackOutput(o)).to.throw(DeployedStateError, message);
        });
    }
});

describe("ambient wiring: transitions refused before anything changes", () => {
    it("a sidecar mesh checks exactly as before (no ambient rule runs)", () => {
        expect(codes(state(sidecar()), state(sidecar({ namespaces: { shop: "1-29-6" } })))).to.deep.equal({ refusals: [], warnings: [] });
    });

    it("installing the ambient pieces beside live sidecar namespaces is allowed", () => {
        expect(codes(state(sidecar()), state(pieces())).refusals).to.deep.equal([]);
    });

    it("moving a namespace to ambient in the change that first installs ztunnel is refused, with the safe sequence", () => {
        const to = state(pieces({ namespaces: { shop: "1-29-6", web: { revision: "1-29-6", dataplane: "sidecar" } } }));
        expect(() => guardTransition(state(sidecar()), to, [])).to.throw(TransitionRefused, /\[ambient-enrol-with-first-ztunnel\] namespace "shop" moves to ambient .* Safe sequence: 1\) install the ambient pieces/);
        // The same move one change later is allowed, with the restart warning-free plan (restart is a step).
        expect(codes(state(pieces()), to).refusals).to.deep.equal([]);
    });

    it("an override names the ambient code like any other rule", () => {
        const to = state(pieces({ namespaces: { shop: "1-29-6", web: "1-29-6" } }));
        const warnings = guardTransition(state(sidecar()), to, parseAllowUnsafe(AMBIENT_RULES.enrolBeforeZtunnel));
        expect(warnings.map((w) => w.code)).to.include(AMBIENT_RULES.enrolBeforeZtunnel);
        expect(warnings.find((w) => w.code === AMBIENT_RULES.enrolBeforeZtunnel)?.message).to.match(/^OVERRIDDEN \(allow-unsafe\)/);
    });

    it("leaving ambient in one step is refused; keepSidecars first is the safe sequence", () => {
        const amb = state(pieces({ namespaces: { shop: "1-29-6", web: "1-29-6" } }));
        const back = state(pieces({ namespaces: { shop: { revision: "1-29-6", dataplane: "sidecar" }, web: "1-29-6" } }));
        expect(codes(amb, back).refusals).to.deep.equal([AMBIENT_RULES.leaveWithoutSidecar]);
        const keep = state(pieces({ namespaces: { shop: { revision: "1-29-6", keepSidecars: true }, web: "1-29-6" } }));
        expect(codes(amb, keep).refusals).to.deep.equal([]);
        expect(codes(amb, keep).warnings).to.include(AMBIENT_WARNINGS.injectionLabel);
        expect(codes(keep, back).refusals).to.deep.equal([]);
    });

    it("switching a namespace's data plane while it binds a waypoint is refused", () => {
        const to = state(pieces({ namespaces: { shop: { revision: "1-29-6", waypoint: {} }, web: { revision: "1-29-6", dataplane: "sidecar" } } }));
        expect(codes(state(pieces()), to).refusals).to.deep.equal([AMBIENT_RULES.switchWithWaypoint]);
        // Waypoint first (still sidecar), then the switch: allowed.
        const first = state(pieces({ namespaces: { shop: { revision: "1-29-6", dataplane: "sidecar", waypoint: {} }, web: { revision: "1-29-6", dataplane: "sidecar" } } }));
        expect(codes(state(pieces()), first).refusals).to.deep.equal([]);
        expect(codes(first, to).refusals).to.deep.equal([]);
    });

    it("removing the revision a waypoint uses, in the change that moves it to a new one, is refused", () => {
        const from = state(pieces({ namespaces: { shop: { revision: "1-29-6", waypoint: {} }, web: { revision: "1-29-6", dataplane: "sidecar" } } }));
        const to = state(pieces({ revisions: [{ version: "1.30.3" }], gatewayApi: { version: "v1.5.1" }, namespaces: { shop: { revision: "1-30-3", waypoint: {} }, web: { revision: "1-30-3", dataplane: "sidecar" } } }));
        expect(codes(from, to).refusals).to.include(GATEWAY_REVISION_RULES.waypointRemoved);
    });

    it("a Gateway API CRD downgrade is refused, and so is dropping CRDs the stack manages", () => {
        const at = (v: string, manage = true) => state(pieces({ gatewayApi: { version: v, manage } }));
        expect(codes(at("v1.5.1"), at("v1.4.1")).refusals).to.deep.equal([GATEWAY_API_RULES.downgrade]);
        expect(codes(at("v1.4.1"), at("v1.5.1")).refusals).to.deep.equal([]);
        expect(codes(at("v1.4.1"), at("v1.4.1", false)).refusals).to.deep.equal([GATEWAY_API_RULES.removal]);
    });

    it("ztunnel more than one minor behind its control plane is refused", () => {
        // Deployed: ztunnel on 1-28 while the default moves on; the config follows ztunnel.revision.
        const ns = { shop: { revision: "1-28-10", dataplane: "sidecar" }, web: { revision: "1-28-10", dataplane: "sidecar" } };
        const from = state(pieces({ revisions: [{ version: "1.28.10" }, { version: "1.29.6" }], defaultRevision: "1-28-10", ztunnel: { revision: "1-28-10" }, namespaces: ns }));
        const to = state(pieces({ revisions: [{ version: "1.28.10" }, { version: "1.30.3" }], defaultRevision: "1-28-10", ztunnel: { revision: "1-30-3" }, gatewayApi: { version: "v1.5.1" }, namespaces: ns }));
        expect(codes(from, to).refusals).to.include(AMBIENT_RULES.ztunnelSkip);
    });
});
