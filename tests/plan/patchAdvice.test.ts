/**
 * A patch bump that renames a revision (1-30-2 -> 1-30-3, or an explicitly named revision
 * renamed with it) is refused; the advice it gives must itself pass: each snippet the message
 * offers is applied to the config and planned.
 */
import { expect } from "chai";
import { parse } from "yaml";
import { plan } from "../../components/plan/plan";
import { RULES, WARNINGS } from "../../components/plan/transitions";

type Mesh = { revisions: { version: string; name?: string }[]; [k: string]: unknown };
const file = (mesh: Mesh) => ({ config: { "istio-mesh:mesh": mesh } });

/** The `- {…}` revision snippets of a message, as YAML reads them. */
function snippets(message: string): { version: string; name?: string }[] {
    return [...message.matchAll(/`- (\{[^`]*\})`/g)].map((m) => parse(m[1]) as { version: string; name?: string });
}

const derived = (version: string, users: string) => ({ revisions: [{ version }], tags: { prod: users }, defaultRevision: "prod", namespaces: { shop: "prod" }, gateways: { gw: { revision: "prod" } } });

describe("plan: advice for a patch bump that renames a revision", () => {
    const cases: { title: string; from: Mesh; to: Mesh; removed: string; added: string }[] = [
        { title: "a revision named after its version (derived name)", from: derived("1.30.2", "1-30-2"), to: derived("1.30.3", "1-30-3"), removed: "1-30-2", added: "1-30-3" },
        {
            title: "an explicitly named revision renamed with the bump",
            from: { revisions: [{ version: "1.30.2", name: "stable" }], defaultRevision: "stable", namespaces: { shop: "stable" } },
            to: { revisions: [{ version: "1.30.3", name: "canary" }], defaultRevision: "canary", namespaces: { shop: "canary" } },
            removed: "stable",
            added: "canary",
        },
    ];
    for (const c of cases) {
        describe(c.title, () => {
            it("is refused, and every refusal offers the in-place patch under the deployed name first", async () => {
                const p = await plan(file(c.from), file(c.to));
                expect(p.verdict).to.equal("refused");
                expect(p.problems.map((x) => x.code)).to.include(RULES.replaceAll);
                for (const problem of p.problems) {
                    expect(snippets(problem.message)[0], problem.message).to.deep.equal({ version: "1.30.3", name: c.removed });
                }
            });

            it("following the in-place advice plans as allowed: a patch in place, with the restart warning", async () => {
                const p = await plan(file(c.from), file(c.to));
                const [inPlace] = snippets(p.problems[0].message);
                const followed = { ...c.from, revisions: [inPlace] };
                const result = await plan(file(c.from), file(followed));
                expect(result.problems).to.deep.equal([]);
                expect(result.verdict).to.equal("allowed");
                expect(result.warnings.map((w) => w.code)).to.include(WARNINGS.restart);
                expect(result.warnings.find((w) => w.code === WARNINGS.restart)!.message).to.contain(`"${c.removed}" is patched in place 1.30.2 -> 1.30.3`);
            });

            it("following the canary advice plans as allowed, step by step", async () => {
                const p = await plan(file(c.from), file(c.to));
                const replaceAll = p.problems.find((x) => x.code === RULES.replaceAll)!;
                const [, keep, add] = snippets(replaceAll.message);
                expect(keep).to.deep.equal(c.from.revisions[0]);
                expect(add).to.deep.equal(c.to.revisions[0]);
                // Add beside and move the users (the TO config's references), then remove the old one.
                const beside = { ...c.to, revisions: [keep, add] };
                expect((await plan(file(c.from), file(beside))).problems).to.deep.equal([]);
                expect((await plan(file(beside), file(c.to))).problems).to.deep.equal([]);
            });
        });
    }

    it("a bump to another minor that renames is not a patch: the general sequence, no in-place snippet", async () => {
        const p = await plan(file(derived("1.29.6", "1-29-6")), file(derived("1.30.3", "1-30-3")));
        expect(p.verdict).to.equal("refused");
        for (const problem of p.problems) expect(snippets(problem.message)).to.deep.equal([]);
    });

    it("a patch bump that keeps the name is allowed, with the restart warning (no refusal to follow)", async () => {
        const from = { revisions: [{ version: "1.30.2", name: "stable" }], namespaces: { shop: "stable" } };
        const p = await plan(file(from), file({ ...from, revisions: [{ version: "1.30.3", name: "stable" }] }));
        expect(p.verdict).to.equal("allowed");
        expect(p.warnings.map((w) => w.code)).to.deep.equal([WARNINGS.restart]);
    });
});
