/**
 * Offline plan for PR comments:
 *   npm run --silent plan -- [--from FILE] --to FILE [--json] [--allow-unsafe CODE,...]
 * FILE is a Pulumi stack settings YAML. Exit 0 = allowed, 1 = refused, 2 = invalid input,
 * 3 = internal error (a bug).
 */
import * as fs from "fs";
import { plan, StackFile } from "../components/plan/plan";
import { toJson, toMarkdown } from "../components/plan/report";
import { parseAllowUnsafe } from "../components/plan/guard";
import { KEEP_STACKS_ENV } from "../components/plan/mockRun";
import { readStackYaml } from "../components/config/stackYaml";

const USAGE = [
    "usage: npm run --silent plan -- [--from FILE] --to FILE [--json] [--allow-unsafe CODE,...] [--debug]",
    "  --from FILE          the stack settings file deployed now (omitted: nothing deployed yet)",
    "  --to FILE            the stack settings file to plan for",
    "  --json               the JSON contract instead of Markdown",
    "  --allow-unsafe CODES override these refusal rules (comma-separated, or all)",
    "  --debug              stack traces for internal errors",
    "exit codes: 0 allowed, 1 refused, 2 invalid input, 3 internal error (a bug: please report it)",
].join("\n");
const EXIT = { allowed: 0, refused: 1, invalid: 2, internal: 3 } as const;

interface Args {
    from?: string;
    to?: string;
    json: boolean;
    debug: boolean;
    help: boolean;
    allowUnsafe: string[];
}

/** Parses the command line; a string is the usage error. `--flag=value` and `--flag value` both work. */
export function parseArgs(argv: readonly string[]): Args | string {
    const args: Args = { json: false, debug: false, help: false, allowUnsafe: [] };
    const withValue = new Set(["--from", "--to", "--allow-unsafe"]);
    for (let i = 0; i < argv.length; i++) {
        const [flag, inline] = argv[i].startsWith("--") && argv[i].includes("=") ? [argv[i].slice(0, argv[i].indexOf("=")), argv[i].slice(argv[i].indexOf("=") + 1)] : [argv[i], undefined];
        let value: string | undefined;
        if (withValue.has(flag)) {
            value = inline ?? argv[i + 1];
            if (inline === undefined) i++;
            if (value === undefined || value === "" || (inline === undefined && value.startsWith("--"))) {
                return `${flag} needs a value (${flag === "--allow-unsafe" ? "rule codes" : "a stack file"})`;
            }
        } else if (inline !== undefined) {
            return `${flag} takes no value`;
        }
        if (flag === "--json") args.json = true;
        else if (flag === "--debug") args.debug = true;
        else if (flag === "--help" || flag === "-h") args.help = true;
        else if (flag === "--from") args.from = value;
        else if (flag === "--to") args.to = value;
        else if (flag === "--allow-unsafe") {
            try {
                args.allowUnsafe.push(...parseAllowUnsafe(value, "--allow-unsafe"));
            } catch (e) {
                return (e as Error).message;
            }
        } else return `unknown argument "${argv[i]}"`;
    }
    if (!args.help && args.to === undefined) return "--to FILE is required";
    return args;
}

/**
 * Reads a stack settings file's `config:` map as the Pulumi CLI reads it (yaml.v3:
 * components/config/stackYaml.ts); any failure is a problem, not a crash.
 */
export function readStackFile(path: string, flag: string): StackFile {
    let text: string;
    try {
        text = fs.readFileSync(path, "utf8");
    } catch (e) {
        return { problem: { code: "unreadable-file", message: `${flag} ${path}: ${(e as Error).message}` } };
    }
    const read = readStackYaml(text);
    if ("problem" in read) {
        return { problem: { code: "invalid-yaml", message: `${flag} ${path}: ${read.problem.message}` } };
    }
    const config = (read.value as { config?: unknown } | null)?.config;
    if (config === null || typeof config !== "object" || Array.isArray(config)) {
        const hint = config === null ? " (`config:` is empty)" : config !== undefined ? " (`config:` must be a map of keys such as istio-mesh:mesh)" : "";
        return { problem: { code: "invalid-stack-file", message: `${flag} ${path}: not a Pulumi stack settings file (no \`config:\` map)${hint}` } };
    }
    return { config: config as Record<string, unknown> };
}

/** The command for ARGV: its exit code and what it prints (internal errors are thrown). */
export async function planCommand(argv: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    const args = parseArgs(argv);
    if (typeof args === "string") {
        return { code: EXIT.invalid, stdout: "", stderr: `${args}\n${USAGE}\n` };
    }
    if (args.help) {
        return { code: EXIT.allowed, stdout: `${USAGE}\n`, stderr: "" };
    }
    const result = await plan(args.from === undefined ? undefined : readStackFile(args.from, "--from"), readStackFile(args.to!, "--to"), args.allowUnsafe);
    return { code: EXIT[result.verdict], stdout: (args.json ? toJson(result) : toMarkdown(result)) + "\n", stderr: "" };
}

async function main(argv: readonly string[]): Promise<number> {
    const r = await planCommand(argv);
    process.stdout.write(r.stdout);
    process.stderr.write(r.stderr);
    return r.code;
}

if (require.main === module) {
    const argv = process.argv.slice(2);
    // Stack traces of internal errors need the SDK's stacks kept (see runProgram).
    if (argv.includes("--debug")) {
        process.env[KEEP_STACKS_ENV] = "1";
        // TypeScript lines in stack traces (scripts/register.js emits inline source maps).
        process.setSourceMapsEnabled(true);
    }
    // `npm run bench` reads how much CPU the plan took.
    if (process.env.ISTIO_MESH_BENCH_CPU === "1") {
        process.on("exit", () => {
            const u = process.cpuUsage();
            process.stderr.write(`bench-cpu-ms=${Math.round((u.user + u.system) / 1000)}\n`);
        });
    }
    main(argv).then(
        (code) => process.exit(code),
        (e) => {
            // Not the user's input: a bug. One line, its own exit code; the stack with --debug.
            const err = e as Error;
            process.stderr.write(`istio-mesh plan: internal error (a bug, please report it): ${err?.message ?? String(e)}\n`);
            if (argv.includes("--debug")) process.stderr.write(`${err?.stack ?? ""}\n`);
            process.exit(EXIT.internal);
        },
    );
}
