/**
 * Offline plan for PR comments:
 *   npm run --silent plan -- [--from FILE] --to FILE [--json] [--allow-unsafe CODE,...]
 * FILE is a Pulumi stack settings YAML. Exit 0 = allowed, 1 = refused, 2 = invalid input,
 * 3 = internal error (a bug).
 */
import * as fs from "fs";
import { parse as parseYaml } from "yaml";
import { plan, StackFile } from "../components/plan/plan";
import { toJson, toMarkdown } from "../components/plan/report";
import { parseAllowUnsafe } from "../components/plan/guard";

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

/** Reads a stack settings file's `config:` map; any failure is a problem, not a crash. */
export function readStackFile(path: string, flag: string): StackFile {
    let text: string;
    try {
        text = fs.readFileSync(path, "utf8");
    } catch (e) {
        return { problem: { code: "unreadable-file", message: `${flag} ${path}: ${(e as Error).message}` } };
    }
    let doc: unknown;
    try {
        doc = parseYaml(text);
    } catch (e) {
        return { problem: { code: "invalid-yaml", message: `${flag} ${path}: ${(e as Error).message.split("\n")[0]}` } };
    }
    const config = (doc as { config?: unknown } | null)?.config;
    if (config === null || typeof config !== "object" || Array.isArray(config)) {
        return { problem: { code: "invalid-stack-file", message: `${flag} ${path}: not a Pulumi stack settings file (no \`config:\` map)` } };
    }
    return { config: config as Record<string, unknown> };
}

async function main(argv: readonly string[]): Promise<number> {
    const args = parseArgs(argv);
    if (typeof args === "string") {
        process.stderr.write(`${args}\n${USAGE}\n`);
        return EXIT.invalid;
    }
    if (args.help) {
        process.stdout.write(`${USAGE}\n`);
        return EXIT.allowed;
    }
    const result = await plan(args.from === undefined ? undefined : readStackFile(args.from, "--from"), readStackFile(args.to!, "--to"), args.allowUnsafe);
    process.stdout.write((args.json ? toJson(result) : toMarkdown(result)) + "\n");
    return EXIT[result.verdict];
}

if (require.main === module) {
    const argv = process.argv.slice(2);
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
