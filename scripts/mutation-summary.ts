/**
 * Writes a small text summary of a StrykerJS run (score per module, every surviving mutant)
 * from its JSON report, to keep in git beside the code; the HTML report stays out of git.
 *
 *   ts-node --transpile-only scripts/mutation-summary.ts [report.json[,more.json]] [summary.txt] [--min 80]
 *
 * Exits 1 when a module scores below --min (when given).
 */
import * as fs from "fs";
import * as path from "path";
import { parseCommandLine, str } from "./cli";

interface Mutant {
    readonly mutatorName: string;
    readonly replacement?: string;
    readonly status: string;
    readonly location: { readonly start: { readonly line: number; readonly column: number } };
}

export interface Report {
    readonly files: Readonly<Record<string, { readonly mutants: readonly Mutant[] }>>;
}

/** Stryker's score: detected (killed, timed out) over valid mutants (not ignored, not compile errors). */
const DETECTED = new Set(["Killed", "Timeout"]);
const INVALID = new Set(["CompileError", "RuntimeError", "Ignored"]);

/**
 * Several reports merged file by file, a later one winning: a run restricted to some modules
 * updates those in the whole run's report.
 */
/** Detected over valid, in percent; nothing to detect scores 100. */
const score = (t: { killed: number; valid: number }): number => (t.valid === 0 ? 100 : (100 * t.killed) / t.valid);

export function mergeReports(reports: readonly Report[]): Report {
    return { files: Object.assign({}, ...reports.map((r) => r.files)) as Report["files"] };
}

export function summarize(report: Report, root: string): { text: string; below: (min: number) => string[] } {
    const rows: { file: string; score: number; killed: number; valid: number }[] = [];
    const survivors: string[] = [];
    for (const [file, { mutants }] of Object.entries(report.files).sort(([a], [b]) => (a < b ? -1 : 1))) {
        const name = path.relative(root, path.resolve(root, file));
        const valid = mutants.filter((m) => !INVALID.has(m.status));
        const killed = valid.filter((m) => DETECTED.has(m.status)).length;
        rows.push({ file: name, score: score({ killed, valid: valid.length }), killed, valid: valid.length });
        for (const m of valid.filter((x) => !DETECTED.has(x.status)).sort((a, b) => a.location.start.line - b.location.start.line)) {
            const replacement = (m.replacement ?? "").replace(/\s+/g, " ").slice(0, 100);
            survivors.push(`${name}:${m.location.start.line}:${m.location.start.column} ${m.status} ${m.mutatorName}: ${replacement}`);
        }
    }
    const sum = (rs: typeof rows) => rs.reduce((a, r) => ({ killed: a.killed + r.killed, valid: a.valid + r.valid }), { killed: 0, valid: 0 });
    const total = sum(rows);
    // A folder is a module of several files (config/): its score as a whole, too.
    const folders = [...new Set(rows.map((r) => path.dirname(r.file)))].filter((d) => rows.filter((r) => path.dirname(r.file) === d).length > 1);
    const folderLabel = (d: string) => `${d}/ (all files)`;
    const width = Math.max(...rows.map((r) => r.file.length), ...folders.map((d) => folderLabel(d).length), 5);
    const line = (label: string, t: { killed: number; valid: number }) => `${label.padEnd(width)}  ${score(t).toFixed(1).padStart(5)} %  ${t.killed}/${t.valid}`;
    const text = [
        `# StrykerJS mutation score per module (detected / valid mutants)`,
        ...rows.map((r) => line(r.file, r)),
        ...folders.map((d) => line(folderLabel(d), sum(rows.filter((r) => path.dirname(r.file) === d)))),
        line("all", total),
        ``,
        `# Surviving mutants (${survivors.length})`,
        ...survivors,
        ``,
    ].join("\n");
    return { text, below: (min) => rows.filter((r) => r.score < min).map((r) => `${r.file} ${r.score.toFixed(1)} %`) };
}

const USAGE = [
    "usage: ts-node scripts/mutation-summary.ts [REPORT.json[,REPORT.json...] [SUMMARY.txt]] [--min PERCENT]",
    "  REPORT.json  StrykerJS JSON reports, merged (default reports/mutation/mutation.json)",
    "  SUMMARY.txt  where the summary goes (default reports/mutation/summary.txt)",
    "  --min        exit 1 when a module scores below PERCENT",
].join("\n");

if (require.main === module) {
    const parsed = parseCommandLine(process.argv.slice(2), { min: { type: "string" } }, true);
    if (typeof parsed === "string" || parsed.positionals.length > 2 || (str(parsed, "min") !== undefined && !(Number(str(parsed, "min")) >= 0 && Number(str(parsed, "min")) <= 100))) {
        process.stderr.write(`${typeof parsed === "string" ? parsed : parsed.positionals.length > 2 ? "at most two arguments: the reports and the summary file" : "--min takes a percentage, 0-100"}\n${USAGE}\n`);
        process.exit(2);
    }
    if (parsed.help) {
        process.stdout.write(`${USAGE}\n`);
        process.exit(0);
    }
    const args = parsed.positionals;
    const min = str(parsed, "min") === undefined ? undefined : Number(str(parsed, "min"));
    const root = path.resolve(__dirname, "..");
    const inputs = (args[0] ?? path.join(root, "reports", "mutation", "mutation.json")).split(",");
    const output = args[1] ?? path.join(root, "reports", "mutation", "summary.txt");
    const reports = inputs.map((f) => JSON.parse(fs.readFileSync(f, "utf8")) as Report);
    const { text, below } = summarize(mergeReports(reports), root);
    fs.writeFileSync(output, text);
    process.stdout.write(text);
    const low = min === undefined ? [] : below(min);
    if (low.length > 0) {
        process.stderr.write(`modules below ${min} %: ${low.join(", ")}\n`);
        process.exit(1);
    }
}
