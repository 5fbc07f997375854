/**
 * The deployed read-back, issue by issue: each broken field is named with what is wrong, and
 * the base version never goes down. (tests/state/deployed.test.ts covers shapes and migrations.)
 */
import { expect } from "chai";
import { deployedIssues } from "../support/deployed";
import { UserError } from "../../components/errors";
import { baseVersionFor, DeployedStateError, fromStackOutput, toStackOutput } from "../../components/state/deployed";
import { state } from "../support/fixtures";

const good = toStackOutput(
    state({ revisions: [{ version: "1.29.6" }, { version: "1.30.3" }], tags: { stable: "1-29-6" }, defaultRevision: "stable", namespaces: { shop: "stable" }, gateways: { gw: { revision: "stable" } } }),
) as Record<string, any>;

const issues = deployedIssues;

const notDns = (s: string) => `"${s}" is not a DNS label: use lower-case letters, digits and '-', starting and ending with a letter or digit (a '.' is never valid: write 1-30-3, not 1.30.3)`;

describe("state: every problem of the deployed output, by field", () => {
    it("the base version is the newest of the revisions and the previous base, in any order", () => {
        const revs = (...versions: string[]) => ({ revisions: versions.map((version) => ({ version })) });
        expect(baseVersionFor(revs("1.30.3", "1.29.6"))).to.equal("1.30.3");
        expect(baseVersionFor(revs("1.29.6", "1.30.3"))).to.equal("1.30.3");
        expect(baseVersionFor(revs("1.29.6", "1.29.10", "1.28.1"))).to.equal("1.29.10");
        expect(baseVersionFor(revs("1.29.6"), "1.30.3")).to.equal("1.30.3");
        expect(baseVersionFor(revs("1.30.3"), "1.29.6")).to.equal("1.30.3");
    });

    it("a canary gateway's Deployment keeps canaryOf in the output, an in-place one has none", () => {
        const s = state({ revisions: [{ version: "1.30.3" }], tags: { stable: "1-30-3" }, defaultRevision: "stable", gateways: { gw: { canary: { stable: {} } }, edge: { revision: "stable" } } });
        const out = toStackOutput(s) as { gateways: Record<string, unknown>[] };
        expect(out.gateways.find((g) => g.name === "gw-stable")).to.have.property("canaryOf", "gw");
        expect(out.gateways.find((g) => g.name === "edge")).to.not.have.property("canaryOf");
        expect(fromStackOutput(JSON.parse(JSON.stringify(out)))).to.deep.equal(s);
    });

    it("not an object, or a schema that is no positive integer", () => {
        expect(issues([1])).to.deep.equal(['deployed: must be an object with a "schema" number, not a list']);
        expect(issues({ ...good, schema: "2" })).to.deep.equal(['deployed.schema: "2" is not a state schema (1 to 4)']);
        expect(issues({ ...good, schema: 0 })).to.deep.equal(["deployed.schema: number 0 is not a state schema (1 to 4)"]);
        expect(issues({ ...good, schema: 1.5 })).to.deep.equal(["deployed.schema: number 1.5 is not a state schema (1 to 4)"]);
    });

    it("duplicates and dangling references", () => {
        expect(issues({ ...good, revisions: [...good.revisions, good.revisions[0]] })).to.deep.equal(['deployed.revisions[2].name: duplicate revision "1-29-6"']);
        expect(issues({ ...good, tags: { ...good.tags, default: "1-29-6" } })).to.deep.equal(['deployed.tags.default: "default" is never a configured tag (defaultRevision drives it)']);
        expect(issues({ ...good, tags: { stable: "1-28-0" } })).to.deep.equal(['deployed.tags.stable: points at "1-28-0", which is not a deployed revision']);
        expect(issues({ ...good, defaultRevision: "nope" })).to.deep.equal(['deployed.defaultRevision: "nope" is neither a deployed revision nor a tag']);
        expect(issues({ ...good, defaultRevision: "1-30-3" })).to.deep.equal([]);
        expect(issues({ ...good, namespaces: [...good.namespaces, good.namespaces[0]] })).to.deep.equal(['deployed.namespaces[1].name: duplicate namespace "shop"']);
        expect(issues({ ...good, namespaces: [{ ...good.namespaces[0], revision: "x" }] })).to.deep.equal(['deployed.namespaces[0].revision: "x" is neither a deployed revision, a tag nor "default"']);
        expect(issues({ ...good, gateways: [...good.gateways, good.gateways[0]] })).to.deep.equal(['deployed.gateways[1].name: duplicate gateway "gw"']);
        expect(issues({ ...good, gateways: [{ ...good.gateways[0], revision: "x" }] })).to.deep.equal(['deployed.gateways[0].revision: "x" is neither a deployed revision, a tag nor "default"']);
        for (const revision of ["default", "1-30-3", "stable"]) {
            expect(issues({ ...good, namespaces: [{ ...good.namespaces[0], revision }], gateways: [{ ...good.gateways[0], revision }] }), revision).to.deep.equal([]);
        }
    });

    it("bad names, as field values and as map keys", () => {
        expect(issues({ ...good, namespace: "Bad" })).to.deep.equal([`deployed.namespace: ${notDns("Bad")}`]);
        expect(issues({ ...good, tags: { Bad: "1-29-6" } })).to.deep.equal([`deployed.tags.Bad: invalid key: ${notDns("Bad")}`]);
    });

    it("the error counts its problems, lists one per line, and says nothing was changed", () => {
        let error: unknown;
        try {
            fromStackOutput({ ...good, defaultRevision: "nope", tags: { stable: "x" } });
        } catch (e) {
            error = e;
        }
        expect(error).to.be.instanceOf(UserError);
        const lines = (error as Error).message.split("\n");
        expect(lines.slice(0, 3)).to.deep.equal([
            'the stack output "deployed" (what the last update deployed, read back to check this change) cannot be used (2 problems):',
            '  - deployed.tags.stable: points at "x", which is not a deployed revision',
            '  - deployed.defaultRevision: "nope" is neither a deployed revision nor a tag',
        ]);
        expect(lines[3]).to.match(/^Nothing was changed\. The transition rules need the real deployed state: .*pulumi stack export --file stack\.json/);
        const one = new DeployedStateError([{ path: "deployed.x", message: "y" }], "Fix it.");
        expect(one.message).to.equal('the stack output "deployed" (what the last update deployed, read back to check this change) cannot be used (1 problem):\n  - deployed.x: y\nNothing was changed. Fix it.');
        expect(one.name).to.equal("DeployedStateError");
    });
});
