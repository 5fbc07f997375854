/**
 * The PR-review side of the offline plan, for .github/workflows/{plan,up}.yml.
 *
 * The pure parts live in components/review/ (unit-tested in tests/scripts/prComment.test.ts):
 *   - selectStacks (select.ts):   which stacks a change touches;
 *   - buildComment (comment.ts):  one Markdown body from several plan outputs, under a size budget;
 *   - decideComment (comment.ts): find-or-update: the existing comments -> create, or update(id).
 *
 * A thin CLI around them (no dependencies beyond the project's own; the GitHub REST API through
 * the global fetch and GITHUB_TOKEN), run compiled (`npm run --silent pr-comment -- <command>`):
 *   ts-node scripts/pr-comment.ts select --changed FILE [--all | --stacks a,b] [--github-output FILE]
 *   ts-node scripts/pr-comment.ts plan   (--selection FILE | --file PATH) [--base REV] [--base-label TEXT] --out DIR
 *   ts-node scripts/pr-comment.ts body   [--results FILE] [--budget BYTES] [--commit SHA] [--run-url URL] [--previews JSON] [--footer TEXT]
 *   ts-node scripts/pr-comment.ts check  --results FILE
 *   ts-node scripts/pr-comment.ts post   --body FILE --repo OWNER/NAME --pr N [--update-only] [--author LOGIN]
 * Exit codes: 0 ok; 1 `check` found a plan that is not allowed; 2 usage or I/O error.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { readStackYaml } from "../components/config/stackYaml";
import { parseCommandLine } from "./cli";

export * from "../components/review/comment";
export * from "../components/review/select";
import { COMMENT_BUDGET, ExistingComment, GITHUB_COMMENT_LIMIT, PlanResult, SUMMARY_BUDGET, buildComment, bytes, code, decideComment, text, failedPlans, label, verdictOf } from "../components/review/comment";
import { PlanTarget, Selection, githubOutputs, normalize, parseNameStatus, selectStacks, stackFileProblem, stackOfFile } from "../components/review/select";

// ---------------------------------------------------------------------------------------------
// CLI

/** The repository: the nearest folder above this file with a package.json (this file runs as scripts/pr-comment.ts in tests, compiled as bin/scripts/pr-comment.js). */
function repoRoot(dir: string): string {
    return fs.existsSync(path.join(dir, "package.json")) || path.dirname(dir) === dir ? dir : repoRoot(path.dirname(dir));
}
const REPO = repoRoot(__dirname);

class UsageError extends Error {}

/** The options of one subcommand (scripts/cli.ts: unknown, twice or blank is a usage error). */
function flags(argv: readonly string[], spec: Record<string, "value" | "bool">): Record<string, string | boolean> {
    const p = parseCommandLine(argv, Object.fromEntries(Object.entries(spec).map(([k, t]) => [k, { type: t === "value" ? ("string" as const) : ("boolean" as const) }])));
    if (typeof p === "string") throw new UsageError(p);
    if (p.help) throw new HelpRequested();
    return Object.fromEntries(Object.entries(p.values).filter(([k, v]) => k !== "help" && v !== undefined)) as Record<string, string | boolean>;
}
class HelpRequested extends Error {}
const USAGE = [
    "usage: pr-comment <command> [options]",
    "  select --changed FILE [--all | --stacks a,b] [--github-output FILE]",
    "  plan   (--selection FILE | --file PATH) [--base REV] [--base-label TEXT] --out DIR",
    "  body   [--results FILE] [--budget BYTES] [--commit SHA] [--run-url URL] [--previews JSON] [--footer TEXT]",
    "  check  --results FILE",
    "  post   --body FILE --repo OWNER/NAME --pr N [--update-only] [--author LOGIN]",
    "exit codes: 0 ok; 1 `check` found a plan that is not allowed; 2 usage or I/O error",
].join("\n");
const str = (f: Record<string, string | boolean>, k: string) => (typeof f[k] === "string" ? (f[k] as string) : undefined);
const need = (f: Record<string, string | boolean>, k: string) => str(f, k) ?? (() => { throw new UsageError(`--${k} is required`); })();

function readStackDoc(file: string): Record<string, unknown> | undefined {
    try {
        const read = readStackYaml(fs.readFileSync(path.resolve(REPO, file), "utf8"));
        const doc = "value" in read ? read.value : undefined;
        return doc !== null && typeof doc === "object" && !Array.isArray(doc) ? (doc as Record<string, unknown>) : undefined;
    } catch {
        return undefined;
    }
}

function rootStackFiles(): string[] {
    return fs.readdirSync(REPO).filter((f) => stackOfFile(f) !== undefined).sort();
}

/** `select`: the selection as JSON on stdout and, with --github-output, as step outputs. */
function cmdSelect(argv: readonly string[]): number {
    const f = flags(argv, { changed: "value", all: "bool", stacks: "value", "github-output": "value" });
    const only = str(f, "stacks")?.split(",").map((s) => s.trim()).filter((s) => s !== "");
    const all = f.all === true || (only !== undefined && only.length === 1 && only[0] === "all");
    const changed = all || only !== undefined ? [] : parseNameStatus(fs.readFileSync(need(f, "changed"), "utf8"));
    // A stack file name that is no DNS label is refused before anything is selected.
    const problems = [...new Set([...fs.readdirSync(REPO), ...changed.map((c) => c.path)])].flatMap((file) => stackFileProblem(file) ?? []);
    if (problems.length > 0) {
        process.stderr.write(problems.map((p) => `error: ${p}\n`).join(""));
        return 2;
    }
    const sel = selectStacks(changed, { stackFiles: rootStackFiles(), all, only: all ? undefined : only, readStackFile: readStackDoc });
    process.stdout.write(JSON.stringify(sel, null, 2) + "\n");
    const out = str(f, "github-output");
    if (out !== undefined) {
        fs.appendFileSync(
            out,
            githubOutputs({
                selection: JSON.stringify(sel),
                stacks: JSON.stringify(sel.stacks),
                "stack-names": sel.stacks.map((s) => s.stack).join(" "),
                "any-plan": String(sel.plan.length > 0),
                "any-stack": String(sel.stacks.length > 0),
            }),
        );
    }
    return 0;
}

const git = (args: string[]) => spawnSync("git", args, { cwd: REPO, encoding: "utf8", maxBuffer: 64 << 20 });

/** `plan`: runs the plan command for every selected file, exactly as a person would, into --out. */
function cmdPlan(argv: readonly string[]): number {
    const f = flags(argv, { selection: "value", file: "value", base: "value", "base-label": "value", out: "value" });
    const outDir = path.resolve(need(f, "out"));
    let targets: PlanTarget[];
    let removed: Selection["removed"] = [];
    if (str(f, "selection") !== undefined) {
        const sel = JSON.parse(fs.readFileSync(need(f, "selection"), "utf8")) as Selection;
        targets = sel.plan;
        removed = sel.removed;
    } else {
        const file = normalize(need(f, "file"));
        const stack = stackOfFile(file);
        targets = [stack === undefined ? { file, kind: "example", reason: "requested" } : { stack, file, kind: "stack", reason: "requested" }];
    }
    const base = str(f, "base");
    const baseOk = base !== undefined && !/^0+$/.test(base) && git(["rev-parse", "--verify", "--quiet", `${base}^{commit}`]).status === 0;
    const baseLabel = str(f, "base-label") ?? "the base branch";
    fs.mkdirSync(path.join(outDir, "from"), { recursive: true });
    const results: PlanResult[] = [];
    targets.forEach((t, i) => {
        const name = `${String(i + 1).padStart(2, "0")}-${t.file.replace(/[^A-Za-z0-9.-]+/g, "_")}`;
        const args = ["run", "--silent", "plan", "--"];
        let from: string | undefined;
        if (baseOk) {
            const old = git(["show", `${base}:${t.file}`]);
            if (old.status === 0) {
                const fromFile = path.join(outDir, "from", `${name}`);
                fs.writeFileSync(fromFile, old.stdout);
                args.push("--from", fromFile);
                from = `${code(t.file)} on ${text(baseLabel)}`;
            }
        }
        args.push("--to", path.resolve(REPO, t.file));
        process.stderr.write(`plan ${t.file}: npm ${args.join(" ")}\n`);
        const run = spawnSync("npm", args, { cwd: REPO, encoding: "utf8", maxBuffer: 256 << 20, stdio: ["ignore", "pipe", "inherit"] });
        const exitCode = run.status ?? 3;
        const markdown = exitCode === 3 ? "" : run.stdout;
        fs.writeFileSync(path.join(outDir, `${name}.md`), markdown);
        process.stderr.write(`plan ${t.file}: exit ${exitCode} (${verdictOf(exitCode).word})\n`);
        results.push({ target: t, exitCode, markdown, from });
    });
    fs.writeFileSync(path.join(outDir, "results.json"), JSON.stringify({ results, removed }, null, 2));
    return 0;
}

function readResults(file: string): { results: PlanResult[]; removed: Selection["removed"] } {
    const r = JSON.parse(fs.readFileSync(file, "utf8")) as { results?: PlanResult[]; removed?: Selection["removed"] };
    return { results: r.results ?? [], removed: r.removed ?? [] };
}

/** `body`: the comment (or, with --budget SUMMARY_BUDGET, the job summary) on stdout. */
function cmdBody(argv: readonly string[]): number {
    const f = flags(argv, { results: "value", budget: "value", commit: "value", "run-url": "value", previews: "value", footer: "value" });
    const { results, removed } = str(f, "results") === undefined ? { results: [], removed: [] } : readResults(need(f, "results"));
    const previews = str(f, "previews") === undefined ? undefined : (JSON.parse(need(f, "previews")) as (string | PlanTarget)[]).map((p) => (typeof p === "string" ? p : p.stack ?? p.file));
    const budget = str(f, "budget") === undefined ? undefined : Number(str(f, "budget"));
    if (budget !== undefined && !(budget > 0)) throw new UsageError("--budget must be a positive number of bytes");
    const c = buildComment(results, { budget, commit: str(f, "commit"), runUrl: str(f, "run-url"), previews, removed, footer: str(f, "footer") });
    process.stdout.write(c.body);
    if (c.omitted > 0) process.stderr.write(`shortened: ${c.omitted} lines left out to fit ${budget ?? COMMENT_BUDGET} bytes\n`);
    return 0;
}

/** `check`: one line per plan; exit 1 when any is refused, invalid or failed. */
function cmdCheck(argv: readonly string[]): number {
    const { results } = readResults(need(flags(argv, { results: "value" }), "results"));
    for (const r of results) {
        const v = verdictOf(r.exitCode);
        process.stdout.write(`${r.target.file}: ${v.word} (exit ${r.exitCode})\n`);
    }
    const failed = failedPlans(results);
    if (failed.length > 0) {
        for (const r of failed) process.stdout.write(`::error file=${r.target.file}::istio-mesh plan: ${verdictOf(r.exitCode).word} (exit ${r.exitCode}); see the job summary or the PR comment\n`);
        return 1;
    }
    return 0;
}

/** `post`: find-or-update the marker comment through the GitHub REST API (GITHUB_TOKEN). */
async function cmdPost(argv: readonly string[]): Promise<number> {
    const f = flags(argv, { body: "value", repo: "value", pr: "value", "update-only": "bool", author: "value" });
    const token = process.env.GITHUB_TOKEN;
    if (token === undefined || token === "") throw new UsageError("GITHUB_TOKEN is not set");
    const api = (process.env.GITHUB_API_URL ?? "https://api.github.com").replace(/\/$/, "");
    const repo = need(f, "repo");
    const pr = Number(need(f, "pr"));
    if (!/^[^/\s]+\/[^/\s]+$/.test(repo) || !Number.isInteger(pr) || pr <= 0) throw new UsageError("--repo OWNER/NAME and --pr NUMBER are required");
    const body = fs.readFileSync(need(f, "body"), "utf8");
    if (body.length >= GITHUB_COMMENT_LIMIT) throw new UsageError(`the body has ${body.length} characters; GitHub's limit is ${GITHUB_COMMENT_LIMIT}`);
    const headers = { Accept: "application/vnd.github+json", Authorization: `Bearer ${token}`, "X-GitHub-Api-Version": "2022-11-28", "Content-Type": "application/json" };
    const call = async (method: string, url: string, payload?: unknown) => {
        const res = await fetch(url, { method, headers, body: payload === undefined ? undefined : JSON.stringify(payload) });
        if (!res.ok) {
            const text = (await res.text()).slice(0, 300);
            const err = new Error(`${method} ${url.replace(api, "")}: HTTP ${res.status} ${text}`) as Error & { status?: number };
            err.status = res.status;
            throw err;
        }
        return res.json() as Promise<unknown>;
    };
    try {
        const existing: ExistingComment[] = [];
        for (let page = 1; page <= 50; page++) {
            const batch = (await call("GET", `${api}/repos/${repo}/issues/${pr}/comments?per_page=100&page=${page}`)) as ExistingComment[];
            existing.push(...batch);
            if (batch.length < 100) break;
        }
        const decision = decideComment(existing, { author: str(f, "author") });
        if (decision.action === "create") {
            if (f["update-only"] === true) {
                process.stdout.write("no plan comment yet and nothing to plan: not creating one\n");
                return 0;
            }
            const c = (await call("POST", `${api}/repos/${repo}/issues/${pr}/comments`, { body })) as { html_url?: string };
            process.stdout.write(`created the plan comment: ${c.html_url ?? "?"}\n`);
        } else {
            const c = (await call("PATCH", `${api}/repos/${repo}/issues/comments/${decision.id}`, { body })) as { html_url?: string };
            process.stdout.write(`updated the plan comment ${decision.id}: ${c.html_url ?? "?"}\n`);
        }
        return 0;
    } catch (e) {
        const status = (e as { status?: number }).status;
        if (status === 403 || status === 404) {
            // A fork's pull request gets a read-only token: the plan stays in the job summary.
            process.stdout.write(`::warning::could not write the plan comment (HTTP ${status}: a pull request from a fork has a read-only token); the plan is in the job summary\n`);
            return 0;
        }
        throw e;
    }
}

async function main(argv: readonly string[]): Promise<number> {
    const [cmd, ...rest] = argv;
    if (cmd === "--help" || cmd === "-h" || cmd === "help") {
        process.stdout.write(`${USAGE}\n`);
        return 0;
    }
    try {
        return await subcommand(cmd, rest);
    } catch (e) {
        if (!(e instanceof HelpRequested)) throw e;
        process.stdout.write(`${USAGE}\n`);
        return 0;
    }
}

async function subcommand(cmd: string | undefined, rest: readonly string[]): Promise<number> {
    switch (cmd) {
        case "select": return cmdSelect(rest);
        case "plan": return cmdPlan(rest);
        case "body": return cmdBody(rest);
        case "check": return cmdCheck(rest);
        case "post": return cmdPost(rest);
        default: throw new UsageError(`unknown command "${cmd ?? ""}" (select, plan, body, check, post)`);
    }
}

if (require.main === module) {
    main(process.argv.slice(2)).then(
        (code) => process.exit(code),
        (e) => {
            process.stderr.write(`pr-comment: ${(e as Error).message}\n`);
            process.exit(2);
        },
    );
}
