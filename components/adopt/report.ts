/**
 * What `npm run adopt` writes and prints: the stack file (config that describes what runs, every
 * finding as a comment above it) and the adoption report (blockers with their manual steps,
 * what the first `up` imports, changes, what is left alone, how to back out). Pure.
 */
import { AdoptedObject, Finding, FindingKind } from "./mapping";
import { stackFileText } from "./stackFile";

export interface ReportContext {
    readonly stack: string;
    /** The kube context read ("" = the kubeconfig's current one). */
    readonly context: string;
    readonly namespace: string;
    /** ISO time of the read. */
    readonly readAt: string;
}

const HEADINGS: Record<FindingKind, string> = {
    blocker: "Blocks adoption (nothing was written; do the step, then run adopt again)",
    change: "The first `pulumi up` changes these in the cluster",
    "left-alone": "Left as it is (running, not managed by the stack)",
    note: "Notes",
};
const ORDER: FindingKind[] = ["blocker", "change", "left-alone", "note"];

function line(f: Finding): string {
    return `${f.subject}: ${f.message}${f.fix === undefined ? "" : ` → ${f.fix}`}`;
}

/** Exit status and one-line verdict. */
export function verdictOf(findings: readonly Finding[], acceptChanges: boolean): { code: 0 | 1; text: string } {
    if (findings.some((f) => f.kind === "blocker")) {
        return { code: 1, text: "adoption blocked: nothing written. Do the manual steps listed, then run adopt again." };
    }
    if (findings.some((f) => f.kind === "change") && !acceptChanges) {
        return { code: 1, text: "the first `pulumi up` would change the cluster as listed: nothing written. Review, then re-run with --accept-changes (or change the cluster first)." };
    }
    return { code: 0, text: "adoptable: the first `pulumi up` imports what runs." };
}

/**
 * The stack file: a header comment with every finding, then the config, all written through the
 * YAML library (stackFile.ts): cluster text in a finding stays on its comment line. Throws when
 * the file would not read back as CONFIG (see stackFileText).
 */
export function renderStackFile(config: Record<string, unknown>, findings: readonly Finding[], imports: readonly AdoptedObject[], ctx: ReportContext): string {
    const header = [
        `Written by \`npm run adopt -- --stack ${ctx.stack}\` at ${ctx.readAt} from context ${ctx.context === "" ? "(current)" : ctx.context}, namespace ${ctx.namespace}.`,
        "It describes what ran then. `mesh.adopt` lists the objects that existed: the stack's first `pulumi up`",
        `imports them (${imports.length} objects) instead of creating them; after that update the block is inert.`,
        "Review it like any change: the comments below are everything adopt could not map, left alone, or the first up changes.",
        ...ORDER.flatMap((kind) => {
            const of = findings.filter((f) => f.kind === kind);
            return of.length === 0 ? [] : ["", `${HEADINGS[kind]}:`, ...of.map((f) => `- ${line(f)}`)];
        }),
    ];
    return stackFileText(config, header);
}

/** The report (Markdown), printed and written beside the stack file. */
export function renderReport(findings: readonly Finding[], imports: readonly AdoptedObject[], labelled: readonly string[], ctx: ReportContext, verdict: string): string {
    const out: string[] = [`# Adopting the mesh in context ${ctx.context === "" ? "(current)" : ctx.context} as stack ${ctx.stack}`, "", `**${verdict}**`, ""];
    for (const kind of ORDER) {
        const of = findings.filter((f) => f.kind === kind);
        if (of.length > 0) {
            out.push(`## ${HEADINGS[kind]}`, "", ...of.map((f) => `- **${f.subject}**: ${f.message}${f.fix === undefined ? "" : `\n  - fix: \`${f.fix}\``}`), "");
        }
    }
    if (!findings.some((f) => f.kind === "blocker")) {
        out.push(
            "## What the first `pulumi up` imports (instead of creating)",
            "",
            "| resource (the program's name) | type | existing object |",
            "|---|---|---|",
            ...imports.map((i) => `| \`${i.resource}\` | \`${i.type}\` | \`${i.id}\` |`),
            "",
            `Namespaces labelled through the stack's own patch (no import needed; the label already has the value): ${labelled.length === 0 ? "none" : labelled.join(", ")}.`,
            "",
            "## Steps",
            "",
            "```sh",
            `pulumi stack init ${ctx.stack}          # a NEW stack: adoption happens on its first update only`,
            `pulumi preview --diff --stack ${ctx.stack}   # shows "import" for the objects above; "create" only where this report says`,
            `pulumi up --stack ${ctx.stack}`,
            `pulumi preview --expect-no-changes --stack ${ctx.stack}`,
            "```",
            "",
            "## Back out",
            "",
            `Before the first up: delete Pulumi.${ctx.stack}.yaml. After it: \`pulumi stack rm --force ${ctx.stack}\` removes the stack's state`,
            "and leaves every object in the cluster as it is (releases, tags and labels keep running; Helm keeps its releases).",
            "",
        );
    }
    return out.join("\n");
}
