/**
 * The PR-review side of the offline plan, for .github/workflows/{plan,up}.yml.
 *
 * Pure functions (unit-tested in tests/scripts/prComment.test.ts):
 *   - selectStacks:   which stacks a change touches (root `Pulumi.<stack>.yaml` -> that stack;
 *                     program files -> every stack; `stacks/*.yaml` examples -> plan only);
 *   - buildComment:   one Markdown body (hidden marker first) from several plan outputs, always
 *                     under a size budget (GitHub's comment limit is 65,536 characters);
 *   - decideComment:  find-or-update: the existing comments -> create, or update(id).
 *
 * A thin CLI around them (Node 20, no dependencies beyond the project's own; the GitHub REST
 * API through the global fetch and GITHUB_TOKEN):
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
import { parse as parseYaml } from "yaml";

/** The hidden marker that identifies the plan comment (first line of its body). */
export const MARKER = "<!-- istio-mesh-plan -->";
/** GitHub refuses comment bodies of 65,536 characters or more. */
export const GITHUB_COMMENT_LIMIT = 65_536;
/** What buildComment aims for in a comment: below the limit with room to spare (measured in UTF-8 bytes, which is never less than characters). */
export const COMMENT_BUDGET = 60_000;
/** $GITHUB_STEP_SUMMARY takes at most 1 MiB per step. */
export const SUMMARY_BUDGET = 1_000_000;
/** The workflow artifact that holds the full plans. */
export const ARTIFACT = "istio-mesh-plan";

// ---------------------------------------------------------------------------------------------
// (a) Stack selection from changed files

export type FileStatus = "added" | "modified" | "deleted";
export interface ChangedFile {
    readonly status: FileStatus;
    readonly path: string;
}

/** What to plan (and, for stacks, preview and update). */
export interface PlanTarget {
    /** Root stack files: the stack's name. Examples under stacks/: undefined. */
    readonly stack?: string;
    /** The stack file, relative to the repository root. */
    readonly file: string;
    /** `stack`: a real stack (plan, preview, up). `example`: a file under stacks/ (plan only). */
    readonly kind: "stack" | "example";
    /** Why it was selected: its own file changed, or the program did. */
    readonly reason: "file-changed" | "program-changed" | "requested";
    /** Repository/environment secret holding this stack's kubeconfig (falls back to KUBECONFIG). */
    readonly kubeconfigSecret?: string;
    /** The stack file names its own kubeconfig (istio-mesh:cluster.kubeconfig or an encrypted cluster): no secret needed. */
    readonly kubeconfigInStackFile?: boolean;
    /** The stack's secrets are passphrase-encrypted: PULUMI_CONFIG_PASSPHRASE is needed. */
    readonly needsPassphrase?: boolean;
}

export interface Selection {
    /** Every file to plan: stacks first (sorted by name), then examples (sorted by path). */
    readonly plan: PlanTarget[];
    /** The stacks to preview (PR) or update (main): real stacks whose file or program changed. */
    readonly stacks: PlanTarget[];
    /** Root stack files deleted by the change: never destroyed by a workflow. */
    readonly removed: { readonly stack: string; readonly file: string }[];
    /** The program changed, so every stack is selected. */
    readonly programChanged: boolean;
}

/** Files whose change can change what any stack deploys. */
const PROGRAM_FILES = new Set(["index.ts", "Pulumi.yaml", "Pulumi.yml", "package.json", "package-lock.json", "tsconfig.json", ".npmrc"]);
const PROGRAM_DIRS = ["components/"];

const normalize = (p: string) => p.replace(/\\/g, "/").replace(/^\.\//, "");

/** `Pulumi.<stack>.yaml` at the repository root -> `<stack>`; anything else (Pulumi.yaml too) -> undefined. */
export function stackOfFile(file: string): string | undefined {
    const m = /^Pulumi\.([^/]+)\.ya?ml$/.exec(normalize(file));
    return m === null ? undefined : m[1];
}

export function isProgramFile(file: string): boolean {
    const p = normalize(file);
    return PROGRAM_FILES.has(p) || PROGRAM_DIRS.some((d) => p.startsWith(d));
}

export function isExampleFile(file: string): boolean {
    return /^stacks\/.+\.ya?ml$/.test(normalize(file));
}

/** The secret that holds a stack's kubeconfig: KUBECONFIG_<STACK>, upper case, other characters as `_`. */
export function kubeconfigSecretName(stack: string): string {
    return `KUBECONFIG_${stack.toUpperCase().replace(/[^A-Z0-9]/g, "_")}`;
}

/**
 * Whether a stack file carries its own kubeconfig, so the workflow needs no kubeconfig secret:
 * an encrypted `istio-mesh:cluster.kubeconfig` (or a wholly encrypted `istio-mesh:cluster`, which
 * is assumed to), or inline contents. A path (`~/.kube/prod.yaml`) names a file on someone's
 * machine, not on the runner: that still needs the secret.
 */
export function stackFileHasKubeconfig(config: Record<string, unknown> | undefined): boolean {
    const cluster = config?.["istio-mesh:cluster"];
    if (cluster === null || typeof cluster !== "object" || Array.isArray(cluster)) return false;
    const c = cluster as Record<string, unknown>;
    if (isSecure(c)) return true;
    const k = c.kubeconfig;
    if (isSecure(k)) return true;
    return typeof k === "string" && (k.includes("\n") || /^\s*apiVersion:/m.test(k) || k.trimStart().startsWith("{"));
}

const isSecure = (v: unknown) => v !== null && typeof v === "object" && !Array.isArray(v) && Object.keys(v).length === 1 && typeof (v as { secure?: unknown }).secure === "string";

/**
 * Whether the stack encrypts its secrets with a passphrase (`encryptionsalt` and no other
 * `secretsprovider`): then PULUMI_CONFIG_PASSPHRASE is needed.
 */
export function stackNeedsPassphrase(doc: Record<string, unknown> | undefined): boolean {
    const provider = doc?.secretsprovider;
    if (typeof provider === "string" && provider !== "" && provider !== "passphrase") return false;
    return typeof doc?.encryptionsalt === "string" || provider === "passphrase";
}

/** Parses `git diff --name-status` output (renames must be off: --no-renames). Bare paths count as modified. */
export function parseNameStatus(text: string): ChangedFile[] {
    const out: ChangedFile[] = [];
    for (const line of text.split(/\r?\n/)) {
        if (line.trim() === "") continue;
        const parts = line.split("\t");
        if (parts.length === 1) {
            out.push({ status: "modified", path: normalize(parts[0].trim()) });
            continue;
        }
        const code = parts[0].trim().charAt(0);
        const file = normalize(parts[parts.length - 1]);
        out.push({ status: code === "A" ? "added" : code === "D" ? "deleted" : "modified", path: file });
    }
    return out;
}

export interface SelectOptions {
    /** The root stack files present now (for "program changed" and "all"). */
    readonly stackFiles: readonly string[];
    /** Select every stack whatever changed (a manual run, or a push whose previous commit is unknown). */
    readonly all?: boolean;
    /** Select exactly these stacks (a manual run). */
    readonly only?: readonly string[];
    /** Reads a stack file (the whole YAML document: `config:`, `encryptionsalt`, `secretsprovider`). */
    readonly readStackFile?: (file: string) => Record<string, unknown> | undefined;
}

/**
 * Picks the stacks a change touches. Root `Pulumi.<stack>.yaml` added or modified -> that stack
 * (plan, preview, up); deleted -> listed as removed (never destroyed here). A program file ->
 * every stack. `stacks/*.yaml` -> planned as examples only. Everything else -> nothing.
 */
export function selectStacks(changed: readonly ChangedFile[], opts: SelectOptions): Selection {
    const present = new Map<string, string>(); // stack -> file
    for (const f of opts.stackFiles) {
        const s = stackOfFile(f);
        if (s !== undefined) present.set(s, normalize(f));
    }
    const chosen = new Map<string, PlanTarget["reason"]>(); // stack -> reason
    const examples = new Set<string>();
    const removed: { stack: string; file: string }[] = [];
    let programChanged = false;
    if (opts.only !== undefined) {
        for (const s of opts.only) {
            if (!present.has(s)) throw new Error(`no stack file for stack "${s}" (have: ${[...present.keys()].sort().join(", ") || "none"})`);
            chosen.set(s, "requested");
        }
    } else if (opts.all === true) {
        for (const s of present.keys()) chosen.set(s, "requested");
    } else {
        for (const f of changed) {
            const stack = stackOfFile(f.path);
            if (stack !== undefined) {
                if (f.status === "deleted" && !present.has(stack)) removed.push({ stack, file: f.path });
                else chosen.set(stack, "file-changed");
            } else if (isExampleFile(f.path)) {
                if (f.status !== "deleted") examples.add(f.path);
            } else if (isProgramFile(f.path)) {
                programChanged = true;
            }
        }
        if (programChanged) {
            for (const s of present.keys()) if (!chosen.has(s)) chosen.set(s, "program-changed");
        }
    }
    const stacks: PlanTarget[] = [...chosen.entries()]
        .filter(([s]) => present.has(s))
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([stack, reason]) => {
            const file = present.get(stack)!;
            const doc = opts.readStackFile?.(file);
            const config = doc?.config !== null && typeof doc?.config === "object" ? (doc.config as Record<string, unknown>) : undefined;
            return {
                stack, file, kind: "stack", reason,
                kubeconfigSecret: kubeconfigSecretName(stack),
                kubeconfigInStackFile: stackFileHasKubeconfig(config),
                needsPassphrase: stackNeedsPassphrase(doc),
            };
        });
    const exampleTargets: PlanTarget[] = [...examples].sort().map((file) => ({ file, kind: "example", reason: "file-changed" }));
    return { plan: [...stacks, ...exampleTargets], stacks, removed: removed.sort((a, b) => (a.stack < b.stack ? -1 : 1)), programChanged };
}

// ---------------------------------------------------------------------------------------------
// (b, c) The comment body

/** One plan's outcome, as the plan command produced it. */
export interface PlanResult {
    readonly target: PlanTarget;
    /** The plan command's exit code: 0 allowed, 1 refused, 2 invalid, 3 internal error. */
    readonly exitCode: number;
    /** Its Markdown (stdout). Empty for an internal error. */
    readonly markdown: string;
    /** Where FROM came from, e.g. "`Pulumi.prod.yaml` on the base branch"; undefined = no --from (new file). */
    readonly from?: string;
}

export interface CommentOptions {
    /** Size budget in UTF-8 bytes (COMMENT_BUDGET for a comment, SUMMARY_BUDGET for a job summary). */
    readonly budget?: number;
    /** The commit the plans are for (shown, short). */
    readonly commit?: string;
    /** The workflow run that has the full plans. */
    readonly runUrl?: string;
    /** Stacks whose `pulumi preview --diff` runs in the preview jobs (undefined: not mentioned). */
    readonly previews?: readonly string[];
    /** Root stack files the change deletes. */
    readonly removed?: readonly { readonly stack: string; readonly file: string }[];
    /** The line under the plans (default: what the PR comment says about itself). */
    readonly footer?: string;
}

export interface Comment {
    readonly body: string;
    /** Lines (resources, steps, items) left out to fit the budget; 0 = nothing left out. */
    readonly omitted: number;
}

const VERDICT: Record<number, { icon: string; word: string }> = {
    0: { icon: "✅", word: "allowed" },
    1: { icon: "⛔", word: "refused" },
    2: { icon: "❌", word: "invalid" },
    3: { icon: "💥", word: "internal error" },
};
export const verdictOf = (exitCode: number) => VERDICT[exitCode] ?? { icon: "💥", word: `plan failed (exit ${exitCode})` };

/** Plans that must fail the check: refused (1), invalid (2), internal error (3) or anything else non-zero. */
export function failedPlans(results: readonly PlanResult[]): PlanResult[] {
    return results.filter((r) => r.exitCode !== 0);
}

const bytes = (s: string) => Buffer.byteLength(s, "utf8");
const label = (t: PlanTarget) => (t.kind === "stack" ? `\`${t.stack}\`` : "example");
const code = (s: string) => `\`${s.replace(/`/g, "'")}\``;

/** Counts from the plan's "### Resources: A to add, C to change, R to remove" line. */
export function resourceCounts(markdown: string): { add: number; change: number; remove: number } | undefined {
    const m = /^### Resources: (\d+) to add, (\d+) to change, (\d+) to remove/m.exec(markdown);
    return m === null ? undefined : { add: Number(m[1]), change: Number(m[2]), remove: Number(m[3]) };
}

/** A run of list items or table rows that may be shortened to fit. */
interface Items {
    readonly kind: "items";
    readonly noun: "resources" | "steps" | "items";
    /** Lines kept whatever happens (a table's header and separator). */
    readonly head: string[];
    readonly lines: string[];
    /** Fold into <details> with this summary. */
    readonly fold?: string;
}
type Block = { readonly kind: "text"; readonly lines: string[] } | Items;

const ITEM = /^(\||- |\d+\. )/;

/** Splits one plan's Markdown into text and shortenable runs, demoting its headings one level. */
function blocksOf(markdown: string): Block[] {
    const lines = markdown.replace(/\s+$/, "").split("\n");
    const blocks: Block[] = [];
    let section = "";
    let text: string[] = [];
    const flush = () => {
        if (text.length > 0) blocks.push({ kind: "text", lines: text });
        text = [];
    };
    for (let i = 0; i < lines.length; i++) {
        const line = lines[i];
        if (line.startsWith("## istio-mesh plan:")) continue; // replaced by the stack's own heading
        if (line.startsWith("### ")) {
            section = line.slice(4);
            text.push(`#${line}`);
            continue;
        }
        if (!ITEM.test(line)) {
            text.push(line);
            continue;
        }
        flush();
        const run: string[] = [];
        while (i < lines.length && ITEM.test(lines[i])) run.push(lines[i++]);
        i--;
        if (run[0].startsWith("|")) {
            const resources = section.startsWith("Resources:");
            const rows = run.length >= 2 && /^\|[-| :]+\|$/.test(run[1]) ? run.slice(2) : run;
            const head = rows === run ? [] : run.slice(0, 2);
            blocks.push({
                kind: "items",
                noun: resources ? "resources" : "items",
                head,
                lines: rows,
                fold: resources ? `${rows.length} resource change${rows.length === 1 ? "" : "s"} (table)` : undefined,
            });
        } else {
            blocks.push({ kind: "items", noun: section.startsWith("Steps") ? "steps" : "items", head: [], lines: run });
        }
    }
    flush();
    return blocks;
}

/** One stack's section: heading, where FROM came from, the plan's blocks. */
function sectionOf(r: PlanResult): Block[] {
    const v = verdictOf(r.exitCode);
    const t = r.target;
    const heading = t.kind === "stack" ? `### ${v.icon} \`${t.stack}\` (${code(t.file)}): ${v.word}` : `### ${v.icon} ${code(t.file)} (example, plan only): ${v.word}`;
    const about: string[] = [];
    about.push(r.from === undefined ? `No earlier version of ${code(t.file)} (a new file, or the earlier commit is unknown): planned as a first install, nothing deployed yet.` : `From ${r.from} to this change's ${code(t.file)}.`);
    if (t.reason === "program-changed") {
        about.push("", "The stack file is unchanged; the program changed. The offline plan compares configs under the new program; `pulumi preview` shows what the program change does to the live stack.");
    }
    if (r.exitCode === 3 || r.markdown.trim() === "") {
        about.push("", `The plan command failed (exit ${r.exitCode}, an internal error): the details are in the job log, not here.`);
    }
    return [{ kind: "text", lines: [heading, "", ...about, ""] }, ...(r.markdown.trim() === "" ? [] : blocksOf(r.markdown))];
}

const NOTICE = (n: number, kept: number, noun: Items["noun"]) =>
    `… ${n} ${kept > 0 ? "more " : ""}${noun} not shown; full plan in the job summary/artifact (\`${ARTIFACT}\`)`;

/** Renders blocks with every item run cut to at most `cap` bytes of lines (Infinity: whole). */
function render(blocks: readonly Block[], cap: number, counter: { omitted: number }): string {
    const out: string[] = [];
    for (const b of blocks) {
        if (b.kind === "text") {
            out.push(...b.lines);
            continue;
        }
        let size = 0;
        let kept = 0;
        for (const l of b.lines) {
            if (size + bytes(l) + 1 > cap) break;
            size += bytes(l) + 1;
            kept++;
        }
        const omitted = b.lines.length - kept;
        counter.omitted += omitted;
        const body = kept > 0 ? [...b.head, ...b.lines.slice(0, kept)] : [];
        if (b.fold !== undefined) out.push("<details>", `<summary>${b.fold}</summary>`, "");
        out.push(...body);
        if (omitted > 0) {
            if (body.length > 0) out.push(""); // a plain line right after a table row or list item would join it
            out.push(`_${NOTICE(omitted, kept, b.noun)}_`);
        }
        if (b.fold !== undefined) out.push("", "</details>");
        out.push("");
    }
    return out.join("\n");
}

function summaryTable(results: readonly PlanResult[]): string[] {
    const rows = results.map((r) => {
        const c = resourceCounts(r.markdown);
        const v = verdictOf(r.exitCode);
        return `| ${label(r.target)} | ${code(r.target.file)} | ${v.icon} ${v.word} | ${c === undefined ? "" : `+${c.add} ~${c.change} -${c.remove}`} |`;
    });
    return ["| stack | file | verdict | resources (+ add ~ change - remove) |", "|---|---|---|---|", ...rows];
}

/**
 * The comment: marker, a one-line-per-stack table, the outcome, then one section per plan (its
 * resource table folded in <details>). Always under `budget` bytes: the longest lists and tables
 * are cut first (all to one common length, so short ones such as refusals stay whole), each cut
 * saying how much it left out; if that is still not enough, whole sections are dropped from the
 * end, and as a last resort the text is cut. The full plans are in the job summary and artifact.
 */
export function buildComment(results: readonly PlanResult[], opts: CommentOptions = {}): Comment {
    const budget = Math.min(opts.budget ?? COMMENT_BUDGET, SUMMARY_BUDGET);
    const failed = failedPlans(results);
    const head: string[] = [MARKER, "## istio-mesh plan", ""];
    if (results.length === 0) {
        head.push("No stack file or program change to plan in this pull request.", "");
    } else {
        head.push(...summaryTable(results), "");
        head.push(
            failed.length === 0
                ? results.length === 1 ? "**The plan is allowed.**" : `**All ${results.length} plans allowed.**`
                : `**${failed.length} of ${results.length} plan${results.length === 1 ? "" : "s"} not allowed** (refused, invalid or failed): this check fails until the change is fixed or split as the plan says.`,
            "",
        );
    }
    for (const r of opts.removed ?? []) {
        head.push(`⚠️ ${code(r.file)} is removed: the workflows never destroy a stack. When stack \`${r.stack}\` should go, run \`pulumi destroy -s ${r.stack}\` and \`pulumi stack rm ${r.stack}\` by hand.`, "");
    }
    if (opts.previews !== undefined) {
        head.push(
            opts.previews.length === 0
                ? "`pulumi preview`: no stack to preview (only examples under `stacks/` changed)."
                : `\`pulumi preview --diff\` runs for ${opts.previews.map((s) => `\`${s}\``).join(", ")} in the **preview** jobs, each with its own comment, when the repository has the cluster credentials (otherwise the job summary says why it was skipped).`,
            "",
        );
    }
    const foot: string[] = [];
    const meta = [opts.commit === undefined ? undefined : `commit ${opts.commit.slice(0, 12)}`, opts.runUrl === undefined ? undefined : `[workflow run](${opts.runUrl})`].filter((x) => x !== undefined);
    const footer = opts.footer ?? "Offline plan (`npm run plan`, no cluster), updated on every push";
    foot.push("---", `<sub>${footer}${meta.length > 0 ? ` · ${meta.join(" · ")}` : ""}.</sub>`, "");

    const limit = budget > GITHUB_COMMENT_LIMIT ? "the job summary's 1 MiB limit" : `GitHub's ${GITHUB_COMMENT_LIMIT.toLocaleString("en-US")}-character comment limit`;
    const sections = results.map(sectionOf);
    const compose = (parts: Block[][], cap: number) => {
        const counter = { omitted: 0 };
        const text = parts.map((p) => render(p, cap, counter)).join("\n\n");
        const note = counter.omitted > 0
            ? [`> [!NOTE]`, `> Shortened to fit ${limit}: ${counter.omitted} lines (resources, steps, items) are not shown. The full plans are in the job summary and the \`${ARTIFACT}\` artifact.`, ""]
            : [];
        return { body: [...head, ...note, text, ...foot].join("\n").replace(/\n{3,}/g, "\n\n"), omitted: counter.omitted };
    };

    const full = compose(sections, Infinity);
    if (bytes(full.body) <= budget) return full;
    // Water-filling: the largest cap for every item run that fits.
    const longest = Math.max(0, ...sections.flat().map((b) => (b.kind === "items" ? b.lines.reduce((n, l) => n + bytes(l) + 1, 0) : 0)));
    let lo = 0;
    let hi = longest;
    if (bytes(compose(sections, 0).body) <= budget) {
        while (lo < hi) {
            const mid = Math.ceil((lo + hi) / 2);
            if (bytes(compose(sections, mid).body) <= budget) lo = mid;
            else hi = mid - 1;
        }
        return compose(sections, lo);
    }
    // Still too long with every list cut: drop whole sections from the end (the most that fit: binary search).
    const keepFirst = (k: number) => {
        const dropped = results.slice(k).map((r) => code(r.target.file));
        const list = dropped.length > 20 ? `${dropped.slice(0, 20).join(", ")}, …` : dropped.join(", ");
        const more: Block = { kind: "text", lines: [`### … ${dropped.length} more plan${dropped.length === 1 ? "" : "s"} not shown (${list}): full plans in the job summary/artifact (\`${ARTIFACT}\`)`, ""] };
        return compose([...sections.slice(0, k), [more]], 0);
    };
    if (bytes(keepFirst(0).body) <= budget) {
        let k = 0;
        let top = sections.length - 1;
        while (k < top) {
            const mid = Math.ceil((k + top) / 2);
            if (bytes(keepFirst(mid).body) <= budget) k = mid;
            else top = mid - 1;
        }
        return keepFirst(k);
    }
    // Last resort (e.g. a huge table of stacks): cut the text at a line boundary.
    const notice = `\n\n_… cut to fit ${limit}; full plans in the job summary/artifact (\`${ARTIFACT}\`)_\n`;
    let body = compose([], 0).body;
    body = Buffer.from(body, "utf8").subarray(0, budget - bytes(notice)).toString("utf8").replace(/\uFFFD$/, "");
    body = body.slice(0, Math.max(body.lastIndexOf("\n"), MARKER.length));
    return { body: body + notice, omitted: full.omitted + 1 };
}

// ---------------------------------------------------------------------------------------------
// (d) Find-or-update

export interface ExistingComment {
    readonly id: number;
    readonly body?: string | null;
    readonly user?: { readonly login?: string; readonly type?: string } | null;
}

export type CommentAction = { readonly action: "create" } | { readonly action: "update"; readonly id: number };

/**
 * The comment to update: the oldest one whose body starts with the marker and that the
 * workflow's own identity wrote (`author`, default any Bot account: github-actions[bot]), so a
 * person quoting the marker is never overwritten. None: create one.
 */
export function decideComment(existing: readonly ExistingComment[], opts: { marker?: string; author?: string } = {}): CommentAction {
    const marker = opts.marker ?? MARKER;
    const mine = existing
        .filter((c) => (c.body ?? "").trimStart().startsWith(marker))
        .filter((c) => (opts.author !== undefined ? c.user?.login === opts.author : c.user?.type === "Bot"))
        .sort((a, b) => a.id - b.id);
    return mine.length === 0 ? { action: "create" } : { action: "update", id: mine[0].id };
}

// ---------------------------------------------------------------------------------------------
// CLI

const REPO = path.resolve(__dirname, "..");

class UsageError extends Error {}

function flags(argv: readonly string[], spec: Record<string, "value" | "bool">): Record<string, string | boolean> {
    const out: Record<string, string | boolean> = {};
    for (let i = 0; i < argv.length; i++) {
        const name = argv[i].replace(/^--/, "");
        if (!argv[i].startsWith("--") || spec[name] === undefined) throw new UsageError(`unknown argument "${argv[i]}"`);
        if (spec[name] === "bool") out[name] = true;
        else {
            const v = argv[++i];
            if (v === undefined) throw new UsageError(`--${name} needs a value`);
            out[name] = v;
        }
    }
    return out;
}
const str = (f: Record<string, string | boolean>, k: string) => (typeof f[k] === "string" ? (f[k] as string) : undefined);
const need = (f: Record<string, string | boolean>, k: string) => str(f, k) ?? (() => { throw new UsageError(`--${k} is required`); })();

function readStackDoc(file: string): Record<string, unknown> | undefined {
    try {
        const doc = parseYaml(fs.readFileSync(path.resolve(REPO, file), "utf8")) as unknown;
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
    const sel = selectStacks(changed, { stackFiles: rootStackFiles(), all, only: all ? undefined : only, readStackFile: readStackDoc });
    process.stdout.write(JSON.stringify(sel, null, 2) + "\n");
    const out = str(f, "github-output");
    if (out !== undefined) {
        fs.appendFileSync(out, [
            `selection=${JSON.stringify(sel)}`,
            `stacks=${JSON.stringify(sel.stacks)}`,
            `stack-names=${sel.stacks.map((s) => s.stack).join(" ")}`,
            `any-plan=${sel.plan.length > 0}`,
            `any-stack=${sel.stacks.length > 0}`,
            "",
        ].join("\n"));
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
                from = `${code(t.file)} on ${baseLabel}`;
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
