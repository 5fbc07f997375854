/**
 * The plan comment of a pull request: one Markdown body (hidden marker first) from several plan
 * outputs, always under a size budget (GitHub's comment limit is 65,536 characters), and the
 * find-or-update decision. Pure.
 */
import { code, text } from "./markdown";
import { PlanTarget } from "./select";

export { code, text };

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

export const bytes = (s: string) => Buffer.byteLength(s, "utf8");
export const label = (t: PlanTarget) => (t.kind === "stack" ? code(t.stack ?? "") : "example");

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
    const heading = t.kind === "stack" ? `### ${v.icon} ${code(t.stack ?? "")} (${code(t.file)}): ${v.word}` : `### ${v.icon} ${code(t.file)} (example, plan only): ${v.word}`;
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
        head.push(`⚠️ ${code(r.file)} is removed: the workflows never destroy a stack. When stack ${code(r.stack)} should go, run ${code(`pulumi destroy -s ${r.stack}`)} and ${code(`pulumi stack rm ${r.stack}`)} by hand.`, "");
    }
    if (opts.previews !== undefined) {
        head.push(
            opts.previews.length === 0
                ? "`pulumi preview`: no stack to preview (only examples under `stacks/` changed)."
                : `\`pulumi preview --diff\` runs for ${opts.previews.map((s) => code(s)).join(", ")} in the **preview** jobs, each with its own comment, when the repository has the cluster credentials (otherwise the job summary says why it was skipped).`,
            "",
        );
    }
    const foot: string[] = [];
    const meta = [opts.commit === undefined ? undefined : `commit ${text(opts.commit.slice(0, 12))}`, opts.runUrl === undefined ? undefined : `[workflow run](${encodeURI(opts.runUrl).replace(/[()]/g, encodeURIComponent)})`].filter((x) => x !== undefined);
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
