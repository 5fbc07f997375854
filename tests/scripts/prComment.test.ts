/** scripts/pr-comment.ts: stack selection, the comment body and its size limit, find-or-update, the sample comment. */
import { expect } from "chai";
import { execFile, spawnSync } from "child_process";
import * as http from "http";
import { AddressInfo } from "net";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { plan } from "../../components/plan/plan";
import { toMarkdown } from "../../components/plan/report";
import {
    buildComment,
    decideComment,
    GITHUB_COMMENT_LIMIT,
    MARKER,
    PlanResult,
    PlanTarget,
    resourceCounts,
    SUMMARY_BUDGET,
} from "../../scripts/pr-comment";
import { REPO, stackFile } from "../support/fixtures";

const names = (ts: readonly PlanTarget[]) => ts.map((t) => t.stack ?? t.file);
const bytes = (s: string) => Buffer.byteLength(s, "utf8");

const prod: PlanTarget = { stack: "prod", file: "Pulumi.prod.yaml", kind: "stack", reason: "file-changed" };
const result = (markdown: string, exitCode = 0, target: PlanTarget = prod): PlanResult => ({ target, exitCode, markdown, from: "`Pulumi.prod.yaml` on the base branch" });

/** A plan in the plan command's Markdown format for a mesh of `n` namespaces (as `npm run bench` plans it). */
function bigPlanMarkdown(n: number): string {
    const out = ["## istio-mesh plan: ✅ allowed", "", "### Steps, in order", ""];
    out.push("1. Move tag prod-stable: 1-29-6 -> 1-30-3");
    for (let i = 0; i < n; i++) out.push(`${i + 2}. Namespace app-${String(i).padStart(4, "0")} follows prod-stable: revision 1-29-6 -> 1-30-3`);
    out.push("", `### Resources: 0 to add, ${n + 1} to change, 0 to remove (${n + 20} in the new config)`, "");
    out.push("| | type | name | changed inputs |", "|---|---|---|---|");
    for (let i = 0; i < n; i++) {
        const ns = `app-${String(i).padStart(4, "0")}`;
        out.push(`| ~ | \`kubernetes:core/v1:NamespacePatch\` | \`mesh-ns-${ns}-rev\` | metadata |`);
    }
    out.push("| ~ | `command:local:Command` | `mesh-restarts-rollout` | environment |");
    out.push("");
    return out.join("\n");
}

const REFUSED_MD = [
    "## istio-mesh plan: ⛔ refused",
    "",
    "### Refused",
    "",
    "- **replace-all-revisions**: no deployed revision survives the change: add the new revision beside the old one first",
    "",
    "### Resources: 1 to add, 0 to change, 1 to remove (12 in the new config)",
    "",
    "| | type | name | changed inputs |",
    "|---|---|---|---|",
    "| + | `kubernetes:helm.sh/v3:Release` | `mesh-rev-1-30-3-istiod` | |",
    "| - | `kubernetes:helm.sh/v3:Release` | `mesh-rev-1-29-6-istiod` | |",
    "",
].join("\n");

describe("pr-comment: the comment body", () => {
    it("starts with the hidden marker, one table line per plan, sections with folded resource tables", () => {
        const example: PlanTarget = { file: "stacks/04-complete.yaml", kind: "example", reason: "file-changed" };
        const { body, omitted } = buildComment([result(bigPlanMarkdown(3)), { target: example, exitCode: 1, markdown: REFUSED_MD }], { commit: "0123456789abcdef0123", runUrl: "https://github.com/o/r/actions/runs/1", previews: ["prod"] });
        expect(body.split("\n")[0]).to.equal(MARKER);
        expect(omitted).to.equal(0);
        expect(body).to.include("| `prod` | `Pulumi.prod.yaml` | ✅ allowed | +0 ~4 -0 |");
        expect(body).to.include("| example | `stacks/04-complete.yaml` | ⛔ refused | +1 ~0 -1 |");
        expect(body).to.include("**1 of 2 plans not allowed**");
        expect(body).to.include("### ✅ `prod` (`Pulumi.prod.yaml`): allowed");
        expect(body).to.include("#### Steps, in order");
        expect(body).not.to.match(/^## istio-mesh plan: /m);
        expect(body).to.match(/<details>\n<summary>4 resource changes \(table\)<\/summary>\n\n\| \| type \| name \| changed inputs \|/);
        expect(body).to.include("commit 0123456789ab · [workflow run](https://github.com/o/r/actions/runs/1)");
        expect(body).to.include("`pulumi preview --diff` runs for `prod`");
        expect((body.match(/<details>/g) ?? []).length).to.equal((body.match(/<\/details>/g) ?? []).length);
    });

    it("an internal error shows no output, only where to look; a removed stack file says it is not destroyed", () => {
        const { body } = buildComment([result("", 3)], { removed: [{ stack: "old", file: "Pulumi.old.yaml" }] });
        expect(body).to.include("💥 internal error");
        expect(body).to.include("the details are in the job log");
        expect(body).to.include("`Pulumi.old.yaml` is removed: the workflows never destroy a stack");
    });

    it("nothing to plan: says so (the workflow only updates an existing comment with it)", () => {
        expect(buildComment([]).body).to.match(/^<!-- istio-mesh-plan -->\n## istio-mesh plan\n\nNo stack file or program change to plan/);
    });

    it("resource counts are read from the plan's Resources line", () => {
        expect(resourceCounts(REFUSED_MD)).to.deep.equal({ add: 1, change: 0, remove: 1 });
        expect(resourceCounts("## istio-mesh plan: ❌ invalid\n")).to.equal(undefined);
    });
});

describe("pr-comment: GitHub's 65,536-character comment limit", () => {
    const huge = bigPlanMarkdown(1000);

    it("a plan of 1,000 namespaces fits, cut with an explicit notice; a short refusal beside it stays whole", () => {
        expect(huge.length).to.be.greaterThan(150_000);
        const refused: PlanTarget = { stack: "staging", file: "Pulumi.staging.yaml", kind: "stack", reason: "file-changed" };
        const { body, omitted } = buildComment([result(huge), result(REFUSED_MD, 1, refused)], { commit: "abc", runUrl: "https://x/y" });
        expect(body.length).to.be.lessThan(GITHUB_COMMENT_LIMIT);
        expect(bytes(body)).to.be.lessThan(GITHUB_COMMENT_LIMIT);
        expect(body.startsWith(MARKER)).to.equal(true);
        expect(omitted).to.be.greaterThan(0);
        const notice = /_… (\d+) more resources not shown; full plan in the job summary\/artifact \(`istio-mesh-plan`\)_/.exec(body);
        expect(notice, "truncation notice").to.not.equal(null);
        const shownRows = (body.match(/^\| ~ \| `(kubernetes:core\/v1:NamespacePatch|command:local:Command)`/gm) ?? []).length;
        expect(shownRows + Number(notice![1])).to.equal(1001);
        expect(body).to.match(/_… \d+ more steps not shown/);
        expect(body).to.include("Shortened to fit GitHub's 65,536-character comment limit");
        // the refusal is short: the water-filling cuts only the long runs
        expect(body).to.include("- **replace-all-revisions**: no deployed revision survives the change");
        expect(body).to.include("| + | `kubernetes:helm.sh/v3:Release` | `mesh-rev-1-30-3-istiod` | |");
        expect((body.match(/<details>/g) ?? []).length).to.equal((body.match(/<\/details>/g) ?? []).length);
        // the budget is used, not wasted
        expect(bytes(body)).to.be.greaterThan(50_000);
    });

    it("any size fits: many huge plans, and hundreds of stacks", () => {
        const many = Array.from({ length: 8 }, (_, i) => result(huge, 0, { stack: `s${i}`, file: `Pulumi.s${i}.yaml`, kind: "stack", reason: "program-changed" }));
        const a = buildComment(many);
        expect(bytes(a.body)).to.be.lessThan(GITHUB_COMMENT_LIMIT);
        const stacks = Array.from({ length: 2000 }, (_, i) => result(REFUSED_MD, 1, { stack: `stack-with-a-long-name-${i}`, file: `Pulumi.stack-with-a-long-name-${i}.yaml`, kind: "stack", reason: "program-changed" }));
        const b = buildComment(stacks);
        expect(bytes(b.body)).to.be.lessThan(GITHUB_COMMENT_LIMIT);
        expect(b.body.startsWith(MARKER)).to.equal(true);
        expect(b.body).to.match(/cut to fit GitHub's 65,536-character comment limit/);
        const c = buildComment(stacks.slice(0, 300));
        expect(bytes(c.body)).to.be.lessThan(GITHUB_COMMENT_LIMIT);
        expect(c.body).to.match(/### … \d+ more plans not shown/);
    });

    it("the job summary budget (1 MiB) keeps the whole 1,000-namespace plan", () => {
        const { body, omitted } = buildComment([result(huge)], { budget: SUMMARY_BUDGET });
        expect(omitted).to.equal(0);
        expect(body).to.include("mesh-ns-app-0999-rev");
    });
});

describe("pr-comment: find-or-update", () => {
    const bot = { login: "github-actions[bot]", type: "Bot" };
    const human = { login: "alice", type: "User" };

    it("no plan comment yet: create", () => {
        expect(decideComment([])).to.deep.equal({ action: "create" });
        expect(decideComment([{ id: 1, body: "LGTM", user: human }, { id: 2, body: "#### :tropical_drink: `preview` on istio-mesh/prod", user: bot }])).to.deep.equal({ action: "create" });
    });

    it("the workflow's own marker comment: update it in place (the oldest if several)", () => {
        const comments = [
            { id: 10, body: "LGTM", user: human },
            { id: 42, body: `${MARKER}\n## istio-mesh plan\n...`, user: bot },
            { id: 57, body: `${MARKER}\nduplicate`, user: bot },
        ];
        expect(decideComment(comments)).to.deep.equal({ action: "update", id: 42 });
    });

    it("a person quoting the marker is never overwritten; --author narrows to one login", () => {
        expect(decideComment([{ id: 5, body: `${MARKER} quoted`, user: human }])).to.deep.equal({ action: "create" });
        expect(decideComment([{ id: 5, body: `${MARKER}`, user: { login: "other[bot]", type: "Bot" } }], { author: "github-actions[bot]" })).to.deep.equal({ action: "create" });
        expect(decideComment([{ id: 6, body: `${MARKER}`, user: { login: "mesh-ci", type: "User" } }], { author: "mesh-ci" })).to.deep.equal({ action: "update", id: 6 });
        expect(decideComment([{ id: 7, body: null, user: bot }, { id: 8, body: `text then ${MARKER}`, user: bot }])).to.deep.equal({ action: "create" });
    });
});

describe("pr-comment: command line", () => {
    it("select reads git diff --name-status; check fails on refused and internal errors", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pr-comment-"));
        fs.writeFileSync(path.join(dir, "changed.txt"), "M\tPulumi.dev.yaml\nM\tstacks/02-canary.yaml\n");
        const out = path.join(dir, "gh-output");
        const example = (file: string, exitCode: number) => ({ target: { file, kind: "example", reason: "file-changed" }, exitCode, markdown: "" });
        fs.writeFileSync(path.join(dir, "bad.json"), JSON.stringify({ results: [example("a", 0), example("b", 1), example("c", 3)] }));
        const node = (args: string[]) => spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", ...args], { cwd: REPO, encoding: "utf8" });
        const cli = path.join(REPO, "scripts", "pr-comment.ts");
        const sel = node([cli, "select", "--changed", path.join(dir, "changed.txt"), "--github-output", out]);
        expect(sel.status, sel.stderr).to.equal(0);
        expect(names(JSON.parse(sel.stdout).plan)).to.deep.equal(["dev", "stacks/02-canary.yaml"]);
        const outputs = fs.readFileSync(out, "utf8");
        // The multi-line form: name<<DELIMITER, the value, DELIMITER (see tests/review/select.test.ts).
        const delimiter = /^selection<<(ISTIO_MESH_EOF_\w+)$/m.exec(outputs)?.[1];
        expect(delimiter).to.be.a("string");
        expect(outputs).to.include(`stack-names<<${delimiter}\ndev\n${delimiter}\n`);
        expect(outputs).to.match(/^stacks<<ISTIO_MESH_EOF_\w+\n\[\{"stack":"dev","file":"Pulumi.dev.yaml","kind":"stack","reason":"file-changed","kubeconfigSecret":"KUBECONFIG_DEV","kubeconfigInStackFile":false,"needsPassphrase":false\}\]$/m);
        // A stack file whose name is no DNS label is refused before anything is selected.
        fs.writeFileSync(path.join(dir, "evil.txt"), 'A\t"Pulumi.dev\\nstacks=x.yaml"\n');
        const evil = node([cli, "select", "--changed", path.join(dir, "evil.txt"), "--github-output", path.join(dir, "evil-out")]);
        expect(evil.status).to.equal(2);
        expect(evil.stderr).to.include("is not a DNS label");
        expect(fs.existsSync(path.join(dir, "evil-out")), "no step output written").to.equal(false);
        const bad = node([cli, "check", "--results", path.join(dir, "bad.json")]);
        expect(bad.status).to.equal(1);
        expect(bad.stdout).to.include("a: allowed (exit 0)\nb: refused (exit 1)\nc: internal error (exit 3)\n");
        expect(bad.stdout).to.include("::error file=b::istio-mesh plan: refused (exit 1)");
        expect(bad.stdout).to.include("::error file=c::istio-mesh plan: internal error (exit 3)");
    }).timeout(120_000);
});

describe("pr-comment: post (find-or-update through the GitHub REST API)", () => {
    /** A stand-in GitHub API: `comments` are the PR's comments; records every request. */
    async function withApi(comments: object[], status: number, fn: (url: string, seen: { method: string; url: string; auth?: string; body?: string }[]) => Promise<void>) {
        const seen: { method: string; url: string; auth?: string; body?: string }[] = [];
        const server = http.createServer((req, res) => {
            let body = "";
            req.on("data", (c) => (body += c));
            req.on("end", () => {
                seen.push({ method: req.method!, url: req.url!, auth: req.headers.authorization, body: body || undefined });
                res.statusCode = status;
                res.setHeader("Content-Type", "application/json");
                if (status !== 200 && status !== 201) return res.end(JSON.stringify({ message: "Resource not accessible by integration" }));
                const page = Number(new URL(req.url!, "http://x").searchParams.get("page") ?? "1");
                if (req.method === "GET") return res.end(JSON.stringify(comments.slice((page - 1) * 100, page * 100)));
                return res.end(JSON.stringify({ id: 1, html_url: "https://github.example/c/1" }));
            });
        });
        await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
        try {
            await fn(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen);
        } finally {
            server.close();
        }
    }
    const post = (api: string, extra: string[] = []) => new Promise<{ code: number; stdout: string }>((resolve) => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pr-post-"));
        fs.writeFileSync(path.join(dir, "body.md"), `${MARKER}\nthe plan`);
        execFile(process.execPath, ["-r", "ts-node/register/transpile-only", path.join(REPO, "scripts", "pr-comment.ts"), "post", "--body", path.join(dir, "body.md"), "--repo", "o/r", "--pr", "7", ...extra],
            { cwd: REPO, env: { ...process.env, GITHUB_API_URL: api, GITHUB_TOKEN: "t0ken" } },
            (error, stdout) => resolve({ code: error ? Number((error as { code?: number }).code) : 0, stdout }));
    });
    const humans = Array.from({ length: 100 }, (_, i) => ({ id: i + 1, body: "looks good", user: { login: "alice", type: "User" } }));

    it("pages through the comments and updates the workflow's own one in place", async () => {
        await withApi([...humans, { id: 4242, body: `${MARKER}\nold`, user: { login: "github-actions[bot]", type: "Bot" } }], 200, async (api, seen) => {
            const r = await post(api);
            expect(r.code, r.stdout).to.equal(0);
            expect(seen.map((s) => `${s.method} ${s.url}`)).to.deep.equal([
                "GET /repos/o/r/issues/7/comments?per_page=100&page=1",
                "GET /repos/o/r/issues/7/comments?per_page=100&page=2",
                "PATCH /repos/o/r/issues/comments/4242",
            ]);
            expect(JSON.parse(seen[2].body!)).to.deep.equal({ body: `${MARKER}\nthe plan` });
            expect(seen.every((s) => s.auth === "Bearer t0ken")).to.equal(true);
            expect(r.stdout).to.include("updated the plan comment 4242").and.not.to.include("t0ken");
        });
    }).timeout(120_000);

    it("creates one when there is none, unless --update-only; a read-only token (fork) only warns", async () => {
        await withApi(humans.slice(0, 3), 200, async (api, seen) => {
            expect((await post(api, ["--update-only"])).stdout).to.include("not creating one");
            expect(seen.map((s) => s.method)).to.deep.equal(["GET"]);
            const r = await post(api);
            expect(seen.map((s) => `${s.method} ${s.url}`).slice(1)).to.deep.equal(["GET /repos/o/r/issues/7/comments?per_page=100&page=1", "POST /repos/o/r/issues/7/comments"]);
            expect(r.stdout).to.include("created the plan comment: https://github.example/c/1");
        });
        await withApi([], 403, async (api) => {
            const r = await post(api);
            expect(r.code).to.equal(0);
            expect(r.stdout).to.match(/^::warning::could not write the plan comment \(HTTP 403/);
        });
    }).timeout(120_000);
});

/** docs/sample-plan-comment.md: what a PR comment looks like, from the real plan of the stacks/ files. */
export const SAMPLE = path.join(REPO, "docs", "sample-plan-comment.md");
export const SAMPLE_HEADER = [
    "<!-- Generated by tests/scripts/prComment.test.ts (regenerate: ISTIO_MESH_UPDATE_SAMPLE=1 npx mocha --no-config -r ts-node/register/transpile-only --timeout 120000 tests/scripts/prComment.test.ts).",
    "     A pull request that moves Pulumi.prod.yaml from stacks/02-canary.yaml to stacks/03-promote.yaml (allowed) and",
    "     Pulumi.staging.yaml from stacks/01-install.yaml to stacks/04-complete.yaml (refused), as scripts/pr-comment.ts",
    "     builds the comment from the plan command's Markdown. Everything below this note is the comment's body. -->",
    "",
].join("\n");

export async function sampleComment(): Promise<string> {
    const file = (name: string) => ({ config: stackFile(name) });
    const exit = { allowed: 0, refused: 1, invalid: 2 } as const;
    const run = async (stack: string, from: string, to: string): Promise<PlanResult> => {
        const p = await plan(file(from), file(to));
        return { target: { stack, file: `Pulumi.${stack}.yaml`, kind: "stack", reason: "file-changed" }, exitCode: exit[p.verdict], markdown: toMarkdown(p) + "\n", from: `\`Pulumi.${stack}.yaml\` on the base branch` };
    };
    const results = [await run("prod", "02-canary", "03-promote"), await run("staging", "01-install", "04-complete")];
    return SAMPLE_HEADER + buildComment(results, { previews: ["prod", "staging"] }).body;
}

describe("pr-comment: docs/sample-plan-comment.md", () => {
    it("matches what the real plan and the comment builder produce now", async () => {
        const now = await sampleComment();
        if (process.env.ISTIO_MESH_UPDATE_SAMPLE === "1") fs.writeFileSync(SAMPLE, now);
        const committed = fs.existsSync(SAMPLE) ? fs.readFileSync(SAMPLE, "utf8") : "(missing)";
        expect(committed, "docs/sample-plan-comment.md is stale: regenerate it with ISTIO_MESH_UPDATE_SAMPLE=1 npx mocha --no-config -r ts-node/register/transpile-only --timeout 120000 tests/scripts/prComment.test.ts").to.equal(now);
        expect(now).to.include("⛔ refused").and.to.include("✅ allowed");
    }).timeout(120_000);
});
