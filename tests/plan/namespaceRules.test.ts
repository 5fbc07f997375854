/** Namespaces the stack created are user data: deleting one needs consent, and the plan says so first. */
import { expect } from "chai";
import { plan } from "../../components/plan/plan";
import { toMarkdown } from "../../components/plan/report";
import { planSteps } from "../../components/plan/steps";
import { evaluateTransition, RULES, WARNINGS } from "../../components/plan/transitions";
import { meshConfigMap, state } from "../support/fixtures";

const mesh = (namespaces: Record<string, unknown>) => ({ revisions: [{ version: "1.30.3" }], namespaces });
const codes = (from: Record<string, unknown>, to: Record<string, unknown>) => {
    const r = evaluateTransition(state(mesh(from)), state(mesh(to)));
    return { problems: r.problems.map((p) => p.code), warnings: r.warnings.map((w) => w.code), messages: r.problems.map((p) => p.message) };
};

describe("plan: namespaces the stack created", () => {
    it("create: true -> false keeps the namespace (the stack lets go of it), with a warning and a step", () => {
        const r = codes({ shop: { revision: "1-30-3", create: true } }, { shop: "1-30-3" });
        expect(r.problems).to.deep.equal([]);
        expect(r.warnings).to.deep.equal([WARNINGS.namespaceReleased]);
        expect(planSteps(state(mesh({ shop: { revision: "1-30-3", create: true } })), state(mesh({ shop: "1-30-3" })))).to.include(
            "Namespace shop: the stack stops owning the Namespace object (kept, with everything in it) and patches only its labels",
        );
    });

    it("removing a created namespace keeps it unless deleteWhenRemoved; with it, deletion is refused unless overridden", () => {
        expect(codes({ shop: { revision: "1-30-3", create: true } }, {})).to.deep.include({ problems: [], warnings: [WARNINGS.namespaceReleased] });
        const del = codes({ shop: { revision: "1-30-3", create: true, deleteWhenRemoved: true } }, {});
        expect(del.problems).to.deep.equal([RULES.namespaceDeletion]);
        expect(del.messages[0]).to.match(/^deletes namespace "shop" and everything in it/);
        const flip = codes({ shop: { revision: "1-30-3", create: true, deleteWhenRemoved: true } }, { shop: "1-30-3" });
        expect(flip.problems).to.deep.equal([RULES.namespaceDeletion]);
        // Consent withdrawn first: then removal keeps it.
        expect(codes({ shop: { revision: "1-30-3", create: true, deleteWhenRemoved: true } }, { shop: { revision: "1-30-3", create: true } }).problems).to.deep.equal([]);
        const overridden = evaluateTransition(state(mesh({ shop: { revision: "1-30-3", create: true, deleteWhenRemoved: true } })), state(mesh({})), [RULES.namespaceDeletion]);
        expect(overridden.problems).to.deep.equal([]);
    });

    it("an existing namespace cannot become create: true", () => {
        expect(codes({ shop: "1-30-3" }, { shop: { revision: "1-30-3", create: true } }).problems).to.deep.equal([RULES.namespaceAdoption]);
    });

    it("the offline plan says 'deletes namespace X and everything in it' in its first lines", async () => {
        const from = { config: meshConfigMap(mesh({ shop: { revision: "1-30-3", create: true, deleteWhenRemoved: true } })) };
        const p = await plan(from, { config: meshConfigMap(mesh({})) });
        expect(p.verdict).to.equal("refused");
        expect(p.deletes).to.deep.equal(["deletes namespace shop and everything in it"]);
        const md = toMarkdown(p).split("\n");
        expect(md.slice(0, 5).join("\n")).to.match(/This change deletes data[\s\S]*deletes namespace shop and everything in it/);
        const kept = await plan({ config: meshConfigMap(mesh({ shop: { revision: "1-30-3", create: true } })) }, { config: meshConfigMap(mesh({})) });
        expect(kept.deletes).to.deep.equal([]);
        expect(kept.steps.join("\n")).to.match(/Remove namespace shop from the stack: it stays/);
    });
});
