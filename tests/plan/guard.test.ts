/** The guard: how overrides are read and what a refusal says. */
import { expect } from "chai";
import { AMBIENT_REFUSAL_CODES } from "../../components/ambient/meshRules";
import { GATEWAY_API_LIVE_RULES } from "../../components/gatewayapi/live";
import { ALLOW_UNSAFE_ENV, guardTransition, overridableCodes, parseAllowUnsafe, TransitionRefused } from "../../components/plan/guard";
import { RULES, WARNINGS } from "../../components/plan/transitions";
import { UserError } from "../../components/errors";
import { state } from "../support/fixtures";

describe("plan: guard", () => {
    it("reads ISTIO_MESH_ALLOW_UNSAFE as trimmed, comma-separated codes", () => {
        expect(ALLOW_UNSAFE_ENV).to.equal("ISTIO_MESH_ALLOW_UNSAFE");
        expect(parseAllowUnsafe(undefined)).to.deep.equal([]);
        expect(parseAllowUnsafe("")).to.deep.equal([]);
        expect(parseAllowUnsafe("all")).to.deep.equal(["all"]);
        expect(parseAllowUnsafe(" in-place-downgrade , ,canary-skips-minors,")).to.deep.equal(["in-place-downgrade", "canary-skips-minors"]);
    });

    it("refuses an unknown code, listing the valid ones: a typo is never a silent no-override", () => {
        expect(overridableCodes()).to.deep.equal([...Object.values(RULES), ...AMBIENT_REFUSAL_CODES, ...Object.values(GATEWAY_API_LIVE_RULES), "all"]);
        const list = overridableCodes().join(", ");
        expect(() => parseAllowUnsafe("in-place-downgrade,nope")).to.throw(UserError, `ISTIO_MESH_ALLOW_UNSAFE: unknown rule code "nope"; the rule codes are: ${list}`);
        expect(() => parseAllowUnsafe("x, y", "--allow-unsafe")).to.throw(UserError, `--allow-unsafe: unknown rule codes "x", "y"; the rule codes are: ${list}`);
    });

    it("a refusal is a UserError listing every problem and the one-run override", () => {
        const problems = [
            { code: "a-rule", message: "first reason" },
            { code: "b-rule", message: "second reason" },
        ];
        const e = new TransitionRefused(problems);
        expect(e).to.be.instanceOf(UserError);
        expect(e.name).to.equal("TransitionRefused");
        expect(e.problems).to.equal(problems);
        expect(e.message).to.equal(
            "istio-mesh refused this change before touching the cluster:\n" +
                "  - [a-rule] first reason\n" +
                "  - [b-rule] second reason\n" +
                "To proceed anyway (you own the risk), set ISTIO_MESH_ALLOW_UNSAFE=a-rule,b-rule for this one run.",
        );
    });

    it("returns the warnings of an allowed change, overridden refusals included", () => {
        const from = state({ revisions: [{ version: "1.29.6", name: "stable" }] });
        const to = state({ revisions: [{ version: "1.28.10", name: "stable" }] });
        expect(() => guardTransition(from, to, [])).to.throw(TransitionRefused, /\[in-place-downgrade\]/);
        const warnings = guardTransition(from, to, [RULES.inPlaceDowngrade]);
        expect(warnings.map((w) => w.code)).to.deep.equal([RULES.inPlaceDowngrade]);
        expect(warnings[0].message).to.match(/^OVERRIDDEN \(allow-unsafe\): revision "stable" would be downgraded in place 1\.29\.6 -> 1\.28\.10/);
        const up = state({ revisions: [{ version: "1.30.3", name: "stable" }] });
        expect(guardTransition(from, up, []).map((w) => w.code)).to.deep.equal([WARNINGS.restart]);
    });
});
