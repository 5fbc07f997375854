import { expect } from "chai";
import * as fc from "fast-check";
import { evaluateTransition, referrers, RULES, WARNINGS } from "../../components/plan/transitions";
import { guardTransition, TransitionRefused } from "../../components/plan/guard";
import { MeshState } from "../../components/state/deployed";
import { parseStackConfig } from "../../components/config/stackConfig";
import { stateOf } from "../../components/state/deployed";
import { arbMeshState, stackFile, state } from "../support/fixtures";

const codes = (from: MeshState | undefined, to: MeshState, allow: string[] = []) => evaluateTransition(from, to, allow).problems.map((p) => p.code);
const warningCodes = (from: MeshState | undefined, to: MeshState) => evaluateTransition(from, to).warnings.map((p) => p.code);
const example = (name: string, previousBase?: string) => stateOf(parseStackConfig(stackFile(name)), previousBase);

const v29 = { revisions: [{ version: "1.29.6" }], tags: { stable: "1-29-6" }, defaultRevision: "stable", namespaces: { shop: "stable" } };

describe("plan: transition rules", () => {
    it("allows the documented sequence and its reverts", () => {
        const seq = ["01-install", "02-canary", "03-promote", "04-complete"];
        let from: MeshState | undefined;
        for (const name of seq) {
            const to = example(name, from?.baseVersion);
            expect(codes(from, to), `-> ${name}`).to.deep.equal([]);
            // Reverting to the previous step is an ordinary, allowed transition.
            if (from !== undefined) {
                expect(codes(to, stateOf(parseStackConfig(stackFile(seq[seq.indexOf(name) - 1])), to.baseVersion)), `${name} -> back`).to.deep.equal([]);
            }
            from = to;
        }
    });

    it("refuses replacing every revision at once", () => {
        expect(codes(example("01-install"), example("04-complete"))).to.include(RULES.replaceAll);
    });

    it("refuses removing a revision whose users move to a revision created in the same change", () => {
        const to = state({ revisions: [{ version: "1.29.6" }, { version: "1.30.3" }], tags: { stable: "1-30-3" }, defaultRevision: "1-29-6", namespaces: { shop: "stable" } });
        const from = state({ revisions: [{ version: "1.29.6" }, { version: "1.28.10" }], tags: { stable: "1-28-10" }, defaultRevision: "1-29-6", namespaces: { shop: "stable" } });
        const result = evaluateTransition(from, to);
        expect(result.problems.map((p) => p.code)).to.deep.equal([RULES.removedStillUsed, RULES.removedStillUsed]);
        expect(result.problems[0].message).to.match(/revision "1-28-10" is removed while tag "stable".*moves to "1-30-3".*Safe sequence/);
    });

    it("allows promote-and-remove in one change, with a warning", () => {
        const from = example("02-canary");
        const to = state({ revisions: [{ version: "1.30.3" }], tags: { "prod-stable": "1-30-3" }, defaultRevision: "prod-stable", namespaces: { bookinfo: "prod-stable", payments: "prod-stable" }, gateways: { "istio-ingressgateway": { revision: "prod-stable" } } });
        expect(codes(from, to)).to.deep.equal([]);
        expect(warningCodes(from, to)).to.include(WARNINGS.promoteAndRemove);
    });

    it("rolls back a canary without a promote warning", () => {
        expect(warningCodes(example("02-canary"), example("01-install", "1.30.3"))).not.to.include(WARNINGS.promoteAndRemove);
    });

    it("lets a canary skip one minor but not two", () => {
        const from = state({ revisions: [{ version: "1.28.10" }] });
        const canary = (version: string) => state({ revisions: [{ version: "1.28.10" }, { version }], defaultRevision: "1-28-10" });
        expect(codes(from, canary("1.30.3"))).to.deep.equal([]);
        expect(codes(state({ revisions: [{ version: "1.27.9" }] }), state({ revisions: [{ version: "1.27.9" }, { version: "1.30.3" }], defaultRevision: "1-27-9" }))).to.deep.equal([RULES.canarySkip]);
    });

    it("re-installs an older revision only with nothing moving onto it in the same change", () => {
        const from = state({ revisions: [{ version: "1.30.3" }], namespaces: { shop: "1-30-3" } });
        const readd = (ns: string) => state({ revisions: [{ version: "1.30.3" }, { version: "1.29.6" }], defaultRevision: "1-30-3", namespaces: { shop: ns } });
        expect(codes(from, readd("1-30-3"))).to.deep.equal([]);
        expect(codes(from, readd("1-29-6"))).to.deep.equal([RULES.canaryOlder]);
    });

    it("allows in-place patch changes and one minor up; refuses skips and older minors", () => {
        const named = (version: string) => state({ revisions: [{ version, name: "stable" }] });
        expect(codes(named("1.29.6"), named("1.29.2"))).to.deep.equal([]);
        expect(codes(named("1.29.6"), named("1.30.3"))).to.deep.equal([]);
        expect(warningCodes(named("1.29.6"), named("1.30.3"))).to.include(WARNINGS.restart);
        expect(codes(named("1.28.10"), named("1.30.3"))).to.deep.equal([RULES.inPlaceSkip]);
        expect(codes(named("1.30.3"), named("1.29.6"))).to.deep.equal([RULES.inPlaceDowngrade]);
    });

    it("lets an operator override a named rule, loudly", () => {
        const from = example("01-install");
        const to = example("04-complete");
        const all = evaluateTransition(from, to, ["all"]);
        expect(all.problems).to.deep.equal([]);
        expect(all.warnings.filter((w) => w.message.startsWith("OVERRIDDEN"))).to.have.length.greaterThan(1);
        expect(codes(from, to, [RULES.replaceAll])).to.not.include(RULES.replaceAll);
        expect(codes(from, to, [RULES.replaceAll])).to.include(RULES.removedStillUsed);
    });

    it("guard throws the planner's message with the override hint", () => {
        expect(() => guardTransition(example("01-install"), example("04-complete"), [])).to.throw(TransitionRefused, /replace-all-revisions[\s\S]*ISTIO_MESH_ALLOW_UNSAFE=/);
        expect(guardTransition(undefined, example("01-install"), [])).to.deep.equal([]);
    });

    it("refuses moving the control plane to another namespace", () => {
        expect(codes(state({ revisions: [{ version: "1.29.6" }] }), state({ revisions: [{ version: "1.29.6" }], namespace: "mesh" }))).to.deep.equal([RULES.namespaceMove]);
    });

    it("warns about CRD adoption when base crosses 1.24", () => {
        const from = state({ revisions: [{ version: "1.23.6" }] });
        const to = state({ revisions: [{ version: "1.23.6" }, { version: "1.24.6" }], defaultRevision: "1-23-6" });
        expect(warningCodes(from, to)).to.include(WARNINGS.crdAdoption);
    });

    // Property: whatever sequence of configs is accepted, no revision is ever removed while
    // something that used it moves to a revision that did not exist before the change.
    it("never allows removing a revision whose referrers land on a brand-new revision (property)", () => {
        const arbState = arbMeshState();
        fc.assert(
            fc.property(arbState, arbState, (from, to) => {
                if (evaluateTransition(from, to).problems.length > 0) {
                    return;
                }
                const fromNames = new Set(from.revisions.map((r) => r.name));
                const toNames = new Set(to.revisions.map((r) => r.name));
                const toRefs = referrers(to);
                for (const ref of referrers(from)) {
                    if (toNames.has(ref.revision)) continue;
                    const now = toRefs.find((x) => x.kind === ref.kind && x.name === ref.name);
                    if (now !== undefined) {
                        expect(fromNames.has(now.revision), `${ref.kind} ${ref.name} -> ${now.revision}`).to.equal(true);
                    }
                }
                // And at least one deployed revision always survives an allowed change.
                expect(to.revisions.some((r) => fromNames.has(r.name))).to.equal(true);
            }),
            { numRuns: 300 },
        );
    });
});
