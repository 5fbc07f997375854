/** Renders a Plan as a PR comment (Markdown) or as the JSON contract of the plan command. */
import { code, text } from "../review/markdown";
import { redact } from "./mockRun";
import { Plan, ResourceChange, ValueChange } from "./plan";

/** Longest value shown whole in a table cell; longer ones keep their start and end. */
export const FOLD_AT = 60;
/** Value changes shown per resource; the rest are counted. */
export const MAX_DIFFS = 6;

/** A long value folded to its start and end, saying how much it left out. */
export function fold(value: string, max = FOLD_AT): string {
    const chars = [...value];
    if (chars.length <= max) return value;
    const half = Math.floor((max - 1) / 2);
    return `${chars.slice(0, half).join("")}…(${chars.length - 2 * half} more)…${chars.slice(-half).join("")}`;
}

function valueCell(d: ValueChange): string {
    const show = (v: string | undefined) => (v === undefined ? "(none)" : code(fold(v)));
    return `${text(d.path)}: ${show(d.before)} → ${show(d.after)}`;
}

/** "metadata.labels["istio.io/rev"]: `"1-29-6"` → `"1-30-3"`; …", or the fields alone. */
function changedCell(r: ResourceChange): string {
    const diffs = r.diffs ?? [];
    if (diffs.length === 0) return text((r.fields ?? []).join(", "));
    const shown = diffs.slice(0, MAX_DIFFS).map(valueCell);
    if (diffs.length > MAX_DIFFS) shown.push(`and ${diffs.length - MAX_DIFFS} more`);
    return shown.join("; ");
}

const ICON = { allowed: "✅", refused: "⛔", invalid: "❌" } as const;

/** The JSON contract. Anything still marked secret is written as "[secret]" (plan() already redacts). */
export function toJson(plan: Plan): string {
    return JSON.stringify(
        redact({
            verdict: plan.verdict,
            problems: plan.problems,
            warnings: plan.warnings,
            steps: plan.steps,
            resources: plan.resources,
            changes: plan.changes,
            deletes: plan.deletes,
            liveChecks: plan.liveChecks,
        }, []),
        null,
        2,
    );
}

export function toMarkdown(plan: Plan): string {
    const out: string[] = [`## istio-mesh plan: ${ICON[plan.verdict]} ${plan.verdict}`, ""];
    if (plan.deletes.length > 0) {
        // First, whatever the verdict: a reviewer must not miss data loss.
        out.push("### ⚠️ This change deletes data", "", ...plan.deletes.map((d) => `- **${text(d)}**`), "");
    }
    if (plan.problems.length > 0) {
        out.push(plan.verdict === "invalid" ? "### Config errors" : "### Refused", "");
        for (const p of plan.problems) {
            // Messages quote config values and file names: text from outside, escaped.
            out.push(`- **${text(p.code)}**: ${text(p.message)}`);
        }
        out.push("");
    }
    if (plan.warnings.length > 0) {
        out.push("### Warnings", "");
        for (const w of plan.warnings) {
            out.push(`- **${text(w.code)}**: ${text(w.message)}`);
        }
        out.push("");
    }
    const refused = plan.verdict === "refused";
    if (plan.steps.length > 0) {
        // A refused change runs nothing: its steps are what it would do, not what will happen.
        out.push(refused ? "### Steps it would take once allowed (refused: none of them runs)" : "### Steps, in order", "");
        plan.steps.forEach((s, i) => out.push(`${i + 1}. ${refused ? "(would, once allowed) " : ""}${text(s)}`));
        out.push("");
    }
    if (plan.liveChecks.length > 0) {
        out.push("### Checked against the live cluster at preview", "", ...plan.liveChecks.map((c) => `- ${text(c)}`), "");
    }
    const { added, changed, removed, released } = plan.changes;
    if (plan.verdict !== "invalid") {
        const kept = released.length === 0 ? "" : `, ${released.length} released and kept`;
        out.push(`### Resources: ${added.length} to add, ${changed.length} to change, ${removed.length} to remove${kept} (${plan.resources.length} in the new config)${refused ? ", once allowed: refused, nothing changes" : ""}`, "");
        if (added.length + changed.length + removed.length + released.length > 0) {
            out.push("| | type | name | changed inputs (before → after) |", "|---|---|---|---|");
            for (const r of added) out.push(`| + | ${code(r.type)} | ${code(r.name)} | |`);
            for (const r of changed) out.push(`| ~ | ${code(r.type)} | ${code(r.name)} | ${changedCell(r)} |`);
            for (const r of removed) out.push(`| - | ${code(r.type)} | ${code(r.name)} | |`);
            // Retained on delete: the engine forgets it, the object stays in the cluster.
            for (const r of released) out.push(`| kept | ${code(r.type)} | ${code(r.name)} | released: the stack stops managing it; it stays in the cluster, with everything in it |`);
            out.push("");
        }
    }
    return out.join("\n");
}
