import { expect } from "chai";
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { plan } from "../../components/plan/plan";
import { toMarkdown } from "../../components/plan/report";
import { readStackFile } from "../../scripts/plan";
import { REPO, stackFile } from "../support/fixtures";

const file = (name: string) => ({ config: stackFile(name) });

/** Runs the plan command exactly as CI and PR workflows do. */
function runPlan(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
        execFile("npm", ["run", "--silent", "plan", "--", ...args], { cwd: REPO }, (error, stdout, stderr) =>
            resolve({ code: error ? Number((error as { code?: number }).code) : 0, stdout, stderr }),
        );
    });
}

describe("plan: offline plan", () => {
    it("first install: allowed, ordered steps, every resource added", async () => {
        const p = await plan(undefined, file("01-install"));
        expect(p.verdict).to.equal("allowed");
        expect(p.steps[0]).to.match(/^Install the base chart 1\.29\.6/);
        expect(p.changes.added.length).to.equal(p.resources.length);
        expect(p.resources.find((r) => r.name === "mesh-rev-1-29-6-istiod")?.inputs).to.deep.include({ chart: "istiod", version: "1.29.6" });
    });

    it("canary: base upgraded before the new revision, one namespace relabelled", async () => {
        const p = await plan(file("01-install"), file("02-canary"));
        expect(p.verdict).to.equal("allowed");
        expect(p.steps.slice(0, 2)).to.deep.equal([
            "Upgrade the base chart (CRDs, default validator) 1.29.6 -> 1.30.3",
            "Install control plane revision 1-30-3 (Istio 1.30.3) as Helm release istiod-1-30-3",
        ]);
        expect(p.changes.added.map((r) => r.name)).to.include("mesh-rev-1-30-3-istiod");
        expect(p.changes.changed.map((r) => r.name)).to.include.members(["mesh-base-release", "mesh-ns-bookinfo-labels"]);
        expect(p.changes.removed).to.deep.equal([]);
    });

    it("complete: removes the old revision last", async () => {
        const p = await plan(file("03-promote"), file("04-complete"));
        expect(p.steps[p.steps.length - 1]).to.match(/^Uninstall control plane revision 1-29-6/);
        expect(p.changes.removed.map((r) => r.name)).to.include("mesh-rev-1-29-6-istiod");
        expect(toMarkdown(p)).to.match(/## istio-mesh plan: ✅ allowed[\s\S]*\| - \| `kubernetes:helm\.sh\/v3:Release` \| `mesh-rev-1-29-6-istiod`/);
    });

    it("unreadable and malformed files are invalid input, named in the problem", () => {
        expect(readStackFile("/nonexistent/x.yaml", "--to")).to.have.nested.property("problem.code", "unreadable-file");
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-"));
        fs.writeFileSync(path.join(dir, "a.yaml"), "config: [1, 2");
        fs.writeFileSync(path.join(dir, "b.yaml"), "name: x\n");
        expect(readStackFile(path.join(dir, "a.yaml"), "--to")).to.have.nested.property("problem.code", "invalid-yaml");
        expect(readStackFile(path.join(dir, "b.yaml"), "--from")).to.have.nested.property("problem.message").that.match(/--from .*no `config:` map/);
    });

    it("the command's exit codes: 0 allowed, 1 refused, 2 invalid", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-"));
        const bad = path.join(dir, "bad.yaml");
        fs.writeFileSync(bad, "config:\n  istio-mesh:mesh:\n    revisions: [{version: '1.30'}]\n");
        const [allowed, refused, invalid] = await Promise.all([
            runPlan(["--from", "stacks/02-canary.yaml", "--to", "stacks/03-promote.yaml"]),
            runPlan(["--from", "stacks/01-install.yaml", "--to", "stacks/04-complete.yaml", "--json"]),
            runPlan(["--to", bad, "--json"]),
        ]);
        expect(allowed.code, allowed.stderr).to.equal(0);
        expect(allowed.stdout).to.match(/^## istio-mesh plan: ✅ allowed/);
        expect(refused.code, refused.stderr).to.equal(1);
        const json = JSON.parse(refused.stdout);
        expect(json.verdict).to.equal("refused");
        expect(json.problems.map((p: { code: string }) => p.code)).to.include("replace-all-revisions");
        expect(json.resources.every((r: object) => "type" in r && "name" in r && "inputs" in r)).to.equal(true);
        expect(invalid.code).to.equal(2);
        expect(JSON.parse(invalid.stdout).problems[0].message).to.match(/istio-mesh:mesh\.revisions\[0\]\.version/);
    });
});
