/** The plan command's arguments, and override codes from the environment. */
import { expect } from "chai";
import { overridableCodes, parseAllowUnsafe } from "../../components/plan/guard";
import { parseArgs } from "../../scripts/plan";

const NO_ENV = {};

describe("plan: command-line arguments", () => {
    it("a flag without its value, twice, or blank is an error, never 'nothing deployed', 'the last one wins' or 'no override'", () => {
        const rows: [string[], string][] = [
            [["--to", "b.yaml", "--from"], "--from needs a value"],
            [["--from", "--to", "b.yaml"], "--from needs a value (found --to)"],
            [["--to", "b.yaml", "--allow-unsafe"], "--allow-unsafe needs a value"],
            [["--to="], "--to needs a value (it is blank)"],
            [["--to", "b.yaml", "--allow-unsafe", ""], "--allow-unsafe needs a value (it is blank)"],
            [["--to", "b.yaml", "--allow-unsafe", "  "], "--allow-unsafe needs a value (it is blank)"],
            [["--to", "a.yaml", "--to", "b.yaml"], "--to is given twice; give it once"],
            [["--to", "b.yaml", "--allow-unsafe", "all", "--allow-unsafe=namespace-deletion"], "--allow-unsafe is given twice; give it once"],
            [["--to", "b", "--json", "--json"], "--json is given twice; give it once"],
        ];
        for (const [argv, message] of rows) expect(parseArgs(argv, NO_ENV), argv.join(" ")).to.equal(message);
    });

    it("--flag=value and --flag value both work; --help needs no --to", () => {
        expect(parseArgs(["--to=b.yaml", "--from=a.yaml", "--json"], NO_ENV)).to.deep.include({ to: "b.yaml", from: "a.yaml", json: true });
        expect(parseArgs(["--to", "b.yaml", "--allow-unsafe", "namespace-deletion,all"], NO_ENV)).to.deep.include({ allowUnsafe: ["namespace-deletion", "all"] });
        expect(parseArgs(["--help"], NO_ENV)).to.deep.include({ help: true });
        expect(parseArgs(["-h"], NO_ENV)).to.deep.include({ help: true });
        expect(parseArgs([], NO_ENV)).to.equal("--to FILE is required");
        expect(parseArgs(["--json=yes", "--to", "b"], NO_ENV)).to.equal("--json takes no value");
        expect(parseArgs(["--to", "b", "stray"], NO_ENV)).to.equal('unexpected argument "stray"');
        expect(parseArgs(["--to", "b", "--form", "a"], NO_ENV)).to.equal("unknown option --form");
    });

    it("ISTIO_MESH_ALLOW_UNSAFE counts as it does for pulumi up; flag and variable never disagree silently", () => {
        const env = { ISTIO_MESH_ALLOW_UNSAFE: "namespace-deletion" };
        expect(parseArgs(["--to", "b"], env)).to.deep.include({ allowUnsafe: ["namespace-deletion"] });
        expect(parseArgs(["--to", "b", "--allow-unsafe", "namespace-deletion"], env)).to.deep.include({ allowUnsafe: ["namespace-deletion"] });
        expect(parseArgs(["--to", "b", "--allow-unsafe", "all"], env)).to.equal(
            "--allow-unsafe all and ISTIO_MESH_ALLOW_UNSAFE=namespace-deletion disagree; give the overrides once (pulumi up reads only ISTIO_MESH_ALLOW_UNSAFE)",
        );
        expect(parseArgs(["--to", "b"], { ISTIO_MESH_ALLOW_UNSAFE: "nope" })).to.match(/^ISTIO_MESH_ALLOW_UNSAFE: unknown rule code "nope"/);
        expect(parseArgs(["--to", "b"], { ISTIO_MESH_ALLOW_UNSAFE: "" })).to.deep.include({ allowUnsafe: [] });
    });

    it("unknown rule codes are errors listing the valid ones, from the flag and from the environment", () => {
        expect(parseArgs(["--to", "b", "--allow-unsafe", "replace-all-revision"], NO_ENV)).to.match(/^--allow-unsafe: unknown rule code "replace-all-revision"; the rule codes are: replace-all-revisions, /);
        expect(() => parseAllowUnsafe("nope,all")).to.throw(/^ISTIO_MESH_ALLOW_UNSAFE: unknown rule code "nope"/);
        expect(parseAllowUnsafe(" all , ")).to.deep.equal(["all"]);
        expect(overridableCodes()).to.include.members(["namespace-deletion", "removed-revision-in-use", "gateway-canary-swap", "all"]);
    });
});
