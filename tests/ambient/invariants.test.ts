/**
 * Invariants of the ambient rules and of the revision resolution they share, over generated
 * meshes (fast-check): overriding moves refusals to warnings and never loses one; a node agent
 * is refused exactly when it is ahead of its control plane or more than one minor behind; a
 * Gateway resolves to an installed revision or to none, never to a tag.
 */
import { expect } from "chai";
import * as fc from "fast-check";
import { AMBIENT_RULES } from "../../components/ambient/rules";
import { AmbientState, gatewayRevision } from "../../components/ambient/state";
import { AMBIENT_TRANSITION_TABLE, evaluateAmbient } from "../../components/ambient/transitions";
import { mesh, ns, rev, waypoint } from "./support";

const VERSIONS = ["1.24.6", "1.25.4", "1.25.5", "1.26.8", "1.27.0", "1.27.9", "1.28.10", "1.29.6", "1.30.3"];
const arbVersion = fc.constantFrom(...VERSIONS);
const arbLabel = fc.option(fc.constantFrom("prod", "canary", "default", "1-29-6", "1-30-3", "nope"), { nil: undefined });

const arbState: fc.Arbitrary<AmbientState> = fc
    .record({
        versions: fc.uniqueArray(arbVersion, { minLength: 1, maxLength: 3 }),
        ztunnel: arbVersion,
        ztunnelRev: arbLabel,
        cni: fc.option(arbVersion, { nil: undefined }),
        prod: fc.constantFrom("1-29-6", "1-30-3", "1-24-6"),
        withDefaultTag: fc.boolean(),
        nsMode: fc.constantFrom("ambient" as const, "sidecar" as const),
        nsRev: arbLabel,
        wpRev: arbLabel,
        // A Service bound to the waypoint (istio.io/use-waypoint on the Service).
        svcBound: fc.boolean(),
        crds: fc.option(fc.constantFrom("v1.2.1", "v1.3.0", "v1.4.1", "v1.5.1"), { nil: undefined }),
    })
    .map((g) => {
        const revisions = g.versions.map((v) => rev(v));
        return mesh({
            revisions,
            tags: { prod: g.prod, ...(g.withDefaultTag ? { default: revisions[0].name } : {}) },
            defaultRevision: revisions[0].name,
            namespaces: [ns("shop", g.nsMode, { ...(g.nsRev === undefined ? {} : { revision: g.nsRev }), ...(g.svcBound ? { services: [{ name: "reviews", useWaypoint: "waypoint" }] } : {}) })],
            gateways: [waypoint("shop", "waypoint", g.wpRev)],
            ztunnel: { version: g.ztunnel, ...(g.ztunnelRev === undefined ? {} : { revision: g.ztunnelRev }) },
            cni: g.cni === undefined ? undefined : { version: g.cni, ambient: true },
            gatewayApi: g.crds === undefined ? undefined : { version: g.crds, channel: "standard", managed: true },
        });
    });
const codes = AMBIENT_TRANSITION_TABLE.filter((r) => r.severity === "refusal").map((r) => r.code);
const arbAllow = fc.subarray([...codes, "all"]);
const minor = (v: string) => Number(v.split(".")[1]);

describe("ambient: invariants", () => {
    it("overriding moves each refusal to the warnings, marked, and loses none", () => {
        fc.assert(
            fc.property(fc.option(arbState, { nil: undefined }), arbState, arbAllow, (from, to, allow) => {
                const plain = evaluateAmbient(from, to).problems.map((p) => p.code);
                const r = evaluateAmbient(from, to, allow);
                const over = (c: string) => allow.includes("all") || allow.includes(c);
                expect(r.problems.map((p) => p.code)).to.deep.equal(plain.filter((c) => !over(c)));
                expect(r.warnings.filter((w) => w.message.startsWith("OVERRIDDEN (allow-unsafe): ")).map((w) => w.code)).to.deep.equal(plain.filter(over));
            }),
            { numRuns: 300 },
        );
    });

    it("ztunnel is refused for skew exactly when it is ahead of its revision or more than one minor behind", () => {
        fc.assert(
            fc.property(arbState, (to) => {
                const cp = to.revisions.find((r) => r.name === to.ztunnel?.revision);
                const refused = evaluateAmbient(undefined, to).problems.some((p) => p.code === AMBIENT_RULES.ztunnelSkew);
                const d = cp === undefined || to.ztunnel === undefined ? 0 : minor(cp.version) - minor(to.ztunnel.version);
                expect(refused).to.equal(cp !== undefined && (d < 0 || d > 1));
            }),
            { numRuns: 300 },
        );
    });

    it("a Gateway resolves to an installed revision or to none, never to a tag", () => {
        fc.assert(
            fc.property(arbState, (s) => {
                for (const g of s.gateways) {
                    const r = gatewayRevision(s, g);
                    if (r !== undefined) {
                        expect(s.revisions).to.deep.include(r);
                    }
                }
            }),
            { numRuns: 300 },
        );
    });

    it("a transition to the same state never triggers a rule about change (skips, switches, downgrades, removals)", () => {
        const changeOnly = new Set(["ztunnel-in-place-skips-minor", "ambient-enrol-with-first-ztunnel", "ambient-to-sidecar-gap", "dataplane-switch-with-waypoint", "dataplane-switch-with-service-waypoint", "waypoint-revision-removed", "gateway-api-gateway-revision-removed", "gateway-api-crd-downgrade", "gateway-api-channel-downgrade", "gateway-api-crd-removal", "ztunnel-node-restart", "cni-ambient-node-restart", "sidecar-to-ambient-restart"]);
        expect([...changeOnly].filter((c) => !AMBIENT_TRANSITION_TABLE.some((r) => r.code === c)), "names of real rules").to.deep.equal([]);
        fc.assert(
            fc.property(arbState, (s) => {
                const r = evaluateAmbient(s, s);
                expect([...r.problems, ...r.warnings].map((p) => p.code).filter((c) => changeOnly.has(c))).to.deep.equal([]);
            }),
            { numRuns: 300 },
        );
    });
});
