import { expect } from "chai";
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { plan } from "../../components/plan/plan";
import { toMarkdown } from "../../components/plan/report";
import { planCommand, readStackFile } from "../../scripts/plan";
import { REPO, stackFile } from "../support/fixtures";

const file = (name: string) => ({ config: stackFile(name) });

/**
 * Runs the plan command: `viaNpm` as CI and the PR workflows do (`npm run plan`: the build,
 * then the compiled bin/scripts/plan.js), otherwise scripts/plan.ts itself under ts-node (as
 * the tests run the rest; without npm's and the build check's start-up).
 */
function runPlan(args: string[], viaNpm = false): Promise<{ code: number; stdout: string; stderr: string }> {
    const [cmd, argv] = viaNpm ? ["npm", ["run", "--silent", "plan", "--", ...args]] : [process.execPath, ["-r", "ts-node/register/transpile-only", "scripts/plan.ts", ...args]];
    return new Promise((resolve) => {
        execFile(cmd, argv, { cwd: REPO }, (error, stdout, stderr) => resolve({ code: error ? Number((error as { code?: number }).code) : 0, stdout, stderr }));
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
        expect(p.changes.changed.map((r) => r.name)).to.include.members(["mesh-base-release", "mesh-ns-bookinfo-rev", "mesh-restarts-rollout"]);
        // The mesh's restart command changes its environment only (bookinfo's effective revision).
        expect(p.changes.changed.find((r) => r.name === "mesh-restarts-rollout")?.fields).to.deep.equal(["environment"]);
        expect(p.changes.changed.map((r) => r.name)).to.not.include("mesh-ns-payments-rev");
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
            runPlan(["--from", "stacks/02-canary.yaml", "--to", "stacks/03-promote.yaml"], true),
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
    }).timeout(240_000); // on a fresh clone `npm run plan` first compiles the program (npm run build)
});

describe("plan: secrets never reach the output (issue 13)", function () {
    this.timeout(120000);
    const MARKER = "MARKER-token-3b8f61aa";
    const kubeconfig = (token: string) =>
        ["apiVersion: v1", "kind: Config", "users:", "  - name: admin", "    user:", `      token: ${token}`].map((l) => `      ${l}`).join("\n");
    const mesh = "  istio-mesh:mesh:\n    revisions:\n      - version: 1.30.3\n    namespaces:\n      shop: 1-30-3\n";
    const write = (name: string, text: string) => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-secrets-"));
        fs.writeFileSync(path.join(dir, name), text);
        return path.join(dir, name);
    };

    it("an inline kubeconfig shows as [secret] in JSON and Markdown; a changed one still shows as changed", async () => {
        const inline = write("inline.yaml", `config:\n  istio-mesh:cluster:\n    kind: existing\n    context: prod\n    kubeconfig: |\n${kubeconfig(MARKER)}\n${mesh}`);
        const rotated = write("rotated.yaml", `config:\n  istio-mesh:cluster:\n    kind: existing\n    context: prod\n    kubeconfig: |\n${kubeconfig(`${MARKER}-rotated`)}\n${mesh}`);
        // In-process, one at a time: the Pulumi mocks are global per process.
        const json = await planCommand(["--to", inline, "--json"]);
        const md = await planCommand(["--to", inline]);
        const diff = await planCommand(["--from", inline, "--to", rotated, "--json"]);
        for (const r of [json, md, diff]) {
            expect(r.code, r.stderr).to.equal(0);
            expect(r.stdout + r.stderr).to.not.include(MARKER);
        }
        const plan = JSON.parse(json.stdout);
        const provider = plan.resources.find((r: { type: string }) => r.type === "pulumi:providers:kubernetes");
        expect(provider.inputs).to.deep.include({ kubeconfig: "[secret]", context: "prod" });
        // The component itself carries no credential at all.
        expect(plan.resources.find((r: { type: string }) => r.type === "istio-mesh:cluster:Cluster").inputs).to.deep.equal({});
        // A secret nested in an input hides only itself: the kubectl command's environment
        // keeps its other values readable.
        const env = plan.resources.find((r: { type: string }) => r.type === "command:local:Command").inputs.environment;
        expect(env).to.be.an("object");
        expect(Object.values(env)).to.include("[secret]").and.to.include("shop");
        expect(JSON.parse(diff.stdout).changes.changed).to.satisfy((changed: { name: string; fields: string[]; diffs: { before?: string; after?: string }[] }[]) => changed.some((c) => c.name === "cluster-provider" && c.fields.join() === "kubeconfig" && c.diffs.every((d) => !/BEGIN|apiVersion/.test(`${d.before}${d.after}`))));
    });

    it("istio-mesh:cluster given as a plain string (a pasted kubeconfig) is redacted like the kubeconfig key, in Markdown and JSON", async () => {
        const pasted = write("pasted.yaml", `config:\n  istio-mesh:cluster: |\n${kubeconfig(MARKER).split("\n").map((l) => l.slice(2)).join("\n")}\n${mesh}`);
        const md = await planCommand(["--to", pasted]);
        const json = await planCommand(["--to", pasted, "--json"]);
        for (const r of [md, json]) {
            expect(r.code, r.stdout + r.stderr).to.equal(2);
            expect(r.stdout + r.stderr).to.not.include(MARKER);
            expect(r.stdout).to.include("istio-mesh:cluster");
        }
    });

    it("encrypted (`secure:`) values: the kubeconfig by --path or the whole cluster key are opaque, shown as [secret]", async () => {
        const byPath = write("path.yaml", `encryptionsalt: v1:abc\nconfig:\n  istio-mesh:cluster:\n    kind: existing\n    kubeconfig:\n      secure: v1:${MARKER}\n${mesh}`);
        const whole = write("whole.yaml", `config:\n  istio-mesh:cluster:\n    secure: v1:${MARKER}\n${mesh}`);
        const a = await planCommand(["--to", byPath, "--json"]);
        const b = await planCommand(["--to", whole, "--json"]);
        const md = await planCommand(["--from", byPath, "--to", whole]);
        for (const r of [a, b, md]) {
            expect(r.code, r.stdout + r.stderr).to.equal(0);
            expect(r.stdout + r.stderr).to.not.include(MARKER);
            expect(r.stdout).to.not.include("invalid");
        }
        for (const r of [a, b]) {
            const plan = JSON.parse(r.stdout);
            expect(plan.verdict).to.equal("allowed");
            expect(plan.resources.find((x: { type: string }) => x.type === "pulumi:providers:kubernetes").inputs.kubeconfig).to.equal("[secret]");
        }
        expect(JSON.parse(b.stdout).warnings.map((w: { code: string }) => w.code)).to.include("secret-cluster-config");
    });

    it("a `secure:` value where plain config is expected is a clear config error", async () => {
        const bad = write("bad.yaml", "config:\n  istio-mesh:cluster:\n    kind: existing\n  istio-mesh:mesh:\n    revisions:\n      - version:\n          secure: v1:AAAA\n");
        const r = await planCommand(["--to", bad, "--json"]);
        expect(r.code, r.stderr).to.equal(2);
        expect(JSON.parse(r.stdout).problems).to.deep.equal([
            {
                code: "invalid-config",
                message: "--to: istio-mesh:mesh.revisions[0].version: this value is a Pulumi secret; istio-mesh reads it as plain config: run `pulumi config set` without --secret",
            },
        ]);
    });
});
