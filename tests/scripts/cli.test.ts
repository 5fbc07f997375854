/** Every command answers --help (exit 0, its usage) and refuses a flag given twice or blank. */
import { expect } from "chai";
import { spawnSync } from "child_process";
import * as path from "path";
import { parseCommandLine } from "../../scripts/cli";

const REPO = path.join(__dirname, "..", "..");

describe("scripts: one argument parser for every command", () => {
    it("unknown, missing, twice, blank: each an error naming the option", () => {
        const spec = { a: { type: "string" }, b: { type: "boolean" }, m: { type: "string", multiple: true } } as const;
        const rows: [string[], string][] = [
            [["--x"], "unknown option --x"], [["--a"], "--a needs a value"], [["--a", "--b"], "--a needs a value (found --b)"],
            [["--a", "1", "--a", "2"], "--a is given twice; give it once"], [["--a="], "--a needs a value (it is blank)"], [["--a", " "], "--a needs a value (it is blank)"],
            [["--b", "--b"], "--b is given twice; give it once"], [["--b=1"], "--b takes no value"], [["stray"], 'unexpected argument "stray"'],
        ];
        for (const [argv, m] of rows) expect(parseCommandLine(argv, spec), argv.join(" ")).to.equal(m);
        expect(parseCommandLine(["--m", "1", "--m", "2", "--a=x"], spec)).to.deep.include({ help: false });
        expect(parseCommandLine(["-h"], spec)).to.deep.include({ help: true });
    });

    it("--help on every command: exit 0 and a usage line", function () {
        this.timeout(120_000);
        const commands: [string, string[]][] = [
            ["plan", ["node", "-r", "ts-node/register/transpile-only", "scripts/plan.ts", "--help"]],
            ["pr-comment", ["node", "-r", "ts-node/register/transpile-only", "scripts/pr-comment.ts", "--help"]],
            ["pr-comment select", ["node", "-r", "ts-node/register/transpile-only", "scripts/pr-comment.ts", "select", "--help"]],
            ["adopt", ["node", "-r", "ts-node/register/transpile-only", "scripts/adopt.ts", "--help"]],
            ["probe", ["node", "-r", "ts-node/register/transpile-only", "scripts/probe.ts", "--help"]],
            ["bench", ["node", "-r", "ts-node/register/transpile-only", "scripts/bench.ts", "--help"]],
            ["mutation-summary", ["node", "-r", "ts-node/register/transpile-only", "scripts/mutation-summary.ts", "--help"]],
        ];
        for (const [name, [cmd, ...args]] of commands) {
            const r = spawnSync(cmd, args, { cwd: REPO, encoding: "utf8", timeout: 60_000 });
            expect(r.status, `${name}: ${r.stderr}`).to.equal(0);
            expect(r.stdout, name).to.match(/^usage: /);
        }
    });
});
