/** The plan command's arguments, and override codes from the environment. */
import { expect } from "chai";
import { overridableCodes, parseAllowUnsafe } from "../../components/plan/guard";
import { parseArgs } from "../../scripts/plan";

describe("plan: command-line arguments", () => {
    it("a flag without its value is an error, never 'nothing deployed' or 'no override'", () => {
        expect(parseArgs(["--to", "b.yaml", "--from"])).to.equal("--from needs a value (a stack file)");
        expect(parseArgs(["--from", "--to", "b.yaml"])).to.equal("--from needs a value (a stack file)");
        expect(parseArgs(["--to", "b.yaml", "--allow-unsafe"])).to.equal("--allow-unsafe needs a value (rule codes)");
        expect(parseArgs(["--to="])).to.equal("--to needs a value (a stack file)");
    });

    it("--flag=value and --flag value both work; --help needs no --to", () => {
        expect(parseArgs(["--to=b.yaml", "--from=a.yaml", "--json"])).to.deep.include({ to: "b.yaml", from: "a.yaml", json: true });
        expect(parseArgs(["--to", "b.yaml", "--allow-unsafe", "namespace-deletion,all"])).to.deep.include({ allowUnsafe: ["namespace-deletion", "all"] });
        expect(parseArgs(["--help"])).to.deep.include({ help: true });
        expect(parseArgs([])).to.equal("--to FILE is required");
        expect(parseArgs(["--json=yes", "--to", "b"])).to.equal("--json takes no value");
        expect(parseArgs(["--to", "b", "stray"])).to.equal('unknown argument "stray"');
    });

    it("unknown rule codes are errors listing the valid ones, from the flag and from the environment", () => {
        expect(parseArgs(["--to", "b", "--allow-unsafe", "replace-all-revision"])).to.match(/^--allow-unsafe: unknown rule code "replace-all-revision"; the rule codes are: replace-all-revisions, /);
        expect(() => parseAllowUnsafe("nope,all")).to.throw(/^ISTIO_MESH_ALLOW_UNSAFE: unknown rule code "nope"/);
        expect(parseAllowUnsafe(" all , ")).to.deep.equal(["all"]);
        expect(overridableCodes()).to.include.members(["namespace-deletion", "removed-revision-in-use", "gateway-canary-swap", "all"]);
    });
});
