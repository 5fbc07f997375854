/**
 * Offline plan for PR comments:
 *   npm run --silent plan -- [--from FILE] --to FILE [--json] [--allow-unsafe CODE,...]
 * FILE is a Pulumi stack settings YAML. Exit 0 = allowed, 1 = refused, 2 = invalid input,
 * 3 = internal error (a bug).
 */
import * as fs from "fs";
import * as path from "path";
import { plan, StackFile } from "../components/plan/plan";
import { toJson, toMarkdown } from "../components/plan/report";
import { ALLOW_UNSAFE_ENV, parseAllowUnsafe } from "../components/plan/guard";
import { bool, parseCommandLine, str } from "./cli";
import { KEEP_STACKS_ENV } from "../components/plan/mockRun";
import { readStackYaml } from "../components/config/stackYaml";

const USAGE = [
    "usage: npm run --silent plan -- [--from FILE] --to FILE [--stack NAME] [--json] [--allow-unsafe CODE,...] [--debug]",
    "  --from FILE          the stack settings file deployed now (omitted: nothing deployed yet)",
    "  --to FILE            the stack settings file to plan for",
    "  --stack NAME         the stack the files configure (names derived from it, e.g. an AKS cluster's); default: NAME of a --to file named Pulumi.NAME.yaml",
    "  --json               the JSON contract instead of Markdown",
    "  --allow-unsafe CODES override these refusal rules (comma-separated, or all); default: $ISTIO_MESH_ALLOW_UNSAFE, as pulumi up",
    "  --debug              stack traces for internal errors",
    "exit codes: 0 allowed, 1 refused, 2 invalid input, 3 internal error (a bug: please report it)",
].join("\n");
const EXIT = { allowed: 0, refused: 1, invalid: 2, internal: 3 } as const;

interface Args {
    from?: string;
    to?: string;
    stack?: string;
    json: boolean;
    debug: boolean;
    help: boolean;
    allowUnsafe: string[];
}

/**
 * Parses the command line (scripts/cli.ts: a flag twice or a blank value is an error); a string
 * is the usage error. Without --allow-unsafe the plan takes ISTIO_MESH_ALLOW_UNSAFE, as
 * `pulumi up` does; given both, they must name the same codes (never one silently ignored).
 */
export function parseArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Args | string {
    const p = parseCommandLine(argv, { from: { type: "string" }, to: { type: "string" }, stack: { type: "string" }, json: { type: "boolean" }, debug: { type: "boolean" }, "allow-unsafe": { type: "string" } });
    if (typeof p === "string") return p;
    const to = str(p, "to");
    const args: Args = { from: str(p, "from"), to, stack: str(p, "stack") ?? (to === undefined ? undefined : stackOfPath(to)), json: bool(p, "json"), debug: bool(p, "debug"), help: p.help, allowUnsafe: [] };
    if (args.stack !== undefined && !STACK_NAME.test(args.stack)) return `--stack ${JSON.stringify(args.stack)}: a stack name is letters, digits, '-', '_' and '.'`;
    try {
        const flag = str(p, "allow-unsafe");
        const fromEnv = parseAllowUnsafe(env[ALLOW_UNSAFE_ENV], ALLOW_UNSAFE_ENV);
        if (flag !== undefined) {
            args.allowUnsafe = parseAllowUnsafe(flag, "--allow-unsafe");
            const same = (a: string[], b: string[]) => [...new Set(a)].sort().join(",") === [...new Set(b)].sort().join(",");
            if (fromEnv.length > 0 && !same(args.allowUnsafe, fromEnv)) {
                return `--allow-unsafe ${flag} and ${ALLOW_UNSAFE_ENV}=${env[ALLOW_UNSAFE_ENV]} disagree; give the overrides once (pulumi up reads only ${ALLOW_UNSAFE_ENV})`;
            }
        } else {
            args.allowUnsafe = fromEnv;
        }
    } catch (e) {
        return (e as Error).message;
    }
    if (!args.help && args.to === undefined) return "--to FILE is required";
    return args;
}

/** What Pulumi accepts as a stack name (letters, digits, '-', '_', '.'). */
const STACK_NAME = /^[A-Za-z0-9_.-]+$/;

/** The stack a file configures, when it is named as Pulumi names them: Pulumi.<stack>.yaml. */
export function stackOfPath(file: string): string | undefined {
    const m = /^Pulumi\.(.+)\.ya?ml$/.exec(path.basename(file));
    return m !== null && STACK_NAME.test(m[1]) ? m[1] : undefined;
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
    const result = await plan(args.from === undefined ? undefined : readStackFile(args.from, "--from"), readStackFile(args.to!, "--to"), args.allowUnsafe, { stack: args.stack });
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
        // TypeScript lines in stack traces (npm run build writes source maps beside the JavaScript).
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
