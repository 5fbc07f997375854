import { expect } from "chai";
import * as fc from "fast-check";
import { planSteps, NO_CHANGE } from "../../components/plan/steps";
import { arbMeshState, state } from "../support/fixtures";

const arbState = arbMeshState();

describe("plan: ordered steps", () => {
    it("installs come first, moves next, uninstalls last (property)", () => {
        fc.assert(
            fc.property(arbState, arbState, (from, to) => {
                const steps = planSteps(from, to);
                const first = (re: RegExp) => steps.findIndex((s) => re.test(s));
                const last = (re: RegExp) => steps.map((s) => re.test(s)).lastIndexOf(true);
                const installs = last(/^(Upgrade the base|Install control plane|Upgrade revision)/);
                const moves = [first(/^(Create|Move|Point|Label|Namespace|Gateway)/), last(/^(Create|Move|Point|Label|Namespace|Gateway|Restart)/)];
                const uninstalls = first(/^(Remove|Uninstall)/);
                if (installs >= 0 && moves[0] >= 0) expect(installs).to.be.lessThan(moves[0]);
                if (uninstalls >= 0 && moves[1] >= 0) expect(moves[1]).to.be.lessThan(uninstalls);
                if (uninstalls >= 0) expect(steps.slice(uninstalls).every((s) => /^(Remove|Uninstall)/.test(s))).to.equal(true);
            }),
            { numRuns: 300 },
        );
    });

    it("a config against itself is no change", () => {
        fc.assert(
            fc.property(arbState, (s) => {
                expect(planSteps(s, s)).to.deep.equal([NO_CHANGE]);
            }),
        );
    });

    it("lists the restarts a move needs", () => {
        const from = state({ revisions: [{ version: "1.29.6" }, { version: "1.30.3" }], defaultRevision: "1-29-6", namespaces: { shop: "1-29-6" } });
        const to = state({ revisions: [{ version: "1.29.6" }, { version: "1.30.3" }], defaultRevision: "1-29-6", namespaces: { shop: "1-30-3" } });
        expect(planSteps(from, to)).to.deep.equal([
            "Point namespace shop at 1-30-3 (was 1-29-6): revision 1-29-6 -> 1-30-3",
            "Restart the moved workloads so their proxies change control plane: kubectl rollout restart deployment -n shop",
        ]);
    });
});
