/** Renders a Plan as a PR comment (Markdown) or as the JSON contract of the plan command. */
import { code, text } from "../review/markdown";
import { redact } from "./mockRun";
import { Plan } from "./plan";

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
    if (plan.steps.length > 0) {
        out.push("### Steps, in order", "");
        plan.steps.forEach((s, i) => out.push(`${i + 1}. ${text(s)}`));
        out.push("");
    }
    if (plan.liveChecks.length > 0) {
        out.push("### Checked against the live cluster at preview", "", ...plan.liveChecks.map((c) => `- ${text(c)}`), "");
    }
    const { added, changed, removed } = plan.changes;
    if (plan.verdict !== "invalid") {
        out.push(`### Resources: ${added.length} to add, ${changed.length} to change, ${removed.length} to remove (${plan.resources.length} in the new config)`, "");
        if (added.length + changed.length + removed.length > 0) {
            out.push("| | type | name | changed inputs |", "|---|---|---|---|");
            for (const r of added) out.push(`| + | ${code(r.type)} | ${code(r.name)} | |`);
            for (const r of changed) out.push(`| ~ | ${code(r.type)} | ${code(r.name)} | ${text((r.fields ?? []).join(", "))} |`);
            for (const r of removed) out.push(`| - | ${code(r.type)} | ${code(r.name)} | |`);
            out.push("");
        }
    }
    return out.join("\n");
}
