/**
 * Offline plan for PR comments:
 *   npm run --silent plan -- [--from FILE] --to FILE [--json] [--allow-unsafe CODE,...]
 * FILE is a Pulumi stack settings YAML. Exit 0 = allowed, 1 = refused, 2 = invalid input,
 * 3 = internal error (a bug).
 */
import * as fs from "fs";
import { Document, isScalar, parseAllDocuments, Schema, visit } from "yaml";
import { plan, StackFile } from "../components/plan/plan";
import { toJson, toMarkdown } from "../components/plan/report";
import { parseAllowUnsafe } from "../components/plan/guard";
import { KEEP_STACKS_ENV } from "../components/plan/mockRun";

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
 * Reads a stack settings file's `config:` map; any failure is a problem, not a crash. One YAML
 * document only (Pulumi reads one). Large files (tens of thousands of namespaces) take the
 * linear reader below; the `yaml` package's own duplicate-key check compares every key with
 * every other (minutes at 50,000 keys), so it is off and duplicates are found with a Set.
 */
export function readStackFile(path: string, flag: string): StackFile {
    let text: string;
    try {
        text = fs.readFileSync(path, "utf8");
    } catch (e) {
        return { problem: { code: "unreadable-file", message: `${flag} ${path}: ${(e as Error).message}` } };
    }
    const invalidYaml = (message: string): StackFile => ({ problem: { code: "invalid-yaml", message: `${flag} ${path}: ${message}` } });
    let doc: unknown;
    try {
        // The linear reader first: the yaml package took a tenth of a second for 1,000
        // namespaces, and minutes for 200,000 (tests/scripts/simpleYaml.test.ts: same values).
        const simple = readSimpleYaml(text);
        if (simple !== undefined) {
            doc = simple.value;
        } else {
            const docs = parseAllDocuments(text, { uniqueKeys: false, prettyErrors: true });
            if (docs.length > 1) {
                return invalidYaml(`the file has ${docs.length} YAML documents (separated by \`---\`); a Pulumi stack file has one`);
            }
            const [first] = docs;
            if (first === undefined) {
                doc = null;
            } else {
                const error = first.errors[0];
                if (error !== undefined) {
                    return invalidYaml(error.message.split("\n")[0]);
                }
                const duplicate = duplicateKey(first);
                if (duplicate !== undefined) {
                    return invalidYaml(`duplicate key ${JSON.stringify(duplicate.key)} at line ${lineOf(text, duplicate.offset)}; a key may appear once in a map`);
                }
                doc = first.toJS({ maxAliasCount: 100 });
            }
        }
    } catch (e) {
        return invalidYaml((e as Error).message.split("\n")[0]);
    }
    const config = (doc as { config?: unknown } | null)?.config;
    if (config === null || typeof config !== "object" || Array.isArray(config)) {
        const hint = config === null ? " (`config:` is empty)" : config !== undefined ? " (`config:` must be a map of keys such as istio-mesh:mesh)" : "";
        return { problem: { code: "invalid-stack-file", message: `${flag} ${path}: not a Pulumi stack settings file (no \`config:\` map)${hint}` } };
    }
    return { config: config as Record<string, unknown> };
}

function lineOf(text: string, offset: number): number {
    let line = 1;
    for (let i = text.indexOf("\n"); i >= 0 && i < offset; i = text.indexOf("\n", i + 1)) line++;
    return line;
}

/** The first key that appears twice in one map, in linear time. */
function duplicateKey(doc: Document): { key: string; offset: number } | undefined {
    let found: { key: string; offset: number } | undefined;
    visit(doc, {
        Map(_, map) {
            const seen = new Set<string>();
            for (const pair of map.items) {
                const key = isScalar(pair.key) ? String(pair.key.value) : JSON.stringify(pair.key);
                if (seen.has(key)) {
                    found = { key, offset: (pair.key as { range?: [number] } | null)?.range?.[0] ?? 0 };
                    return visit.BREAK;
                }
                seen.add(key);
            }
            return undefined;
        },
    });
    return found;
}

const CORE_SCALARS = new Schema({}).tags.filter((t) => t.default === true && t.test !== undefined && "resolve" in t);

/** A plain scalar as YAML 1.2's core schema resolves it (the `yaml` package's own tags). */
function plainScalar(text: string): unknown {
    if (/^[A-Za-z_]/.test(text) && !/^(null|true|false)$/i.test(text)) {
        return text; // names: no core tag starts with a letter, but for these words
    }
    const tag = CORE_SCALARS.find((t) => t.test!.test(text));
    if (tag === undefined) {
        return text;
    }
    const value = (tag as unknown as { resolve: (s: string, onError: (m: string) => void, o: object) => unknown }).resolve(text, () => undefined, {});
    return isScalar(value) ? value.value : value;
}

class NotSimple extends Error {}

/**
 * A linear reader for the block-style YAML stack files are written in (maps, lists, plain and
 * simply quoted scalars, comments, `{}` and `[]`). Anything else (flow collections, anchors,
 * tags, multi-line scalars, escapes, several documents) returns undefined: the `yaml` package
 * reads it. Same values as the `yaml` package for what it accepts; a duplicate key throws.
 */
export function readSimpleYaml(text: string): { value: unknown } | undefined {
    const lines: { indent: number; content: string; line: number }[] = [];
    const raw = text.replace(/^\uFEFF/, "").split("\n");
    for (let n = 0; n < raw.length; n++) {
        let l = raw[n];
        if (l.endsWith("\r")) l = l.slice(0, -1);
        if (/[\t\r]/.test(l)) return undefined;
        const content = l.trimStart();
        if (content === "" || content.startsWith("#")) continue;
        if (/^(---|\.\.\.|%)/.test(l)) return undefined;
        lines.push({ indent: l.length - content.length, content: content.trimEnd(), line: n + 1 });
    }
    let i = 0;
    const scalar = (s: string): unknown => {
        const c = s.replace(/\s+#.*$/, "");
        if (c === "{}") return {};
        if (c === "[]") return [];
        if (s.startsWith("'")) {
            const m = /^'((?:[^']|'')*)'(\s+#.*)?$/.exec(s);
            if (!m) throw new NotSimple();
            return m[1].replace(/''/g, "'");
        }
        if (s.startsWith('"')) {
            const m = /^"([^"\\]*)"(\s+#.*)?$/.exec(s);
            if (!m) throw new NotSimple();
            return m[1];
        }
        if (/^[\[\]{}&*!|>%@`?,#"']/.test(c) || /^-(\s|$)/.test(c) || /:(\s|$)/.test(c) || c.includes(" #")) throw new NotSimple();
        return plainScalar(c);
    };
    /** `key: rest` -> [key, rest], or undefined when the line is no map entry. */
    const entry = (content: string): [string, string] | undefined => {
        const m = /^([A-Za-z0-9_][A-Za-z0-9_.\/@+~-]*(?::[A-Za-z0-9_.\/@+~-]+)*):(?:\s+(.*))?$/.exec(content);
        if (!m) {
            if (/^[^\s'"]*:(\s|$)/.test(content) || /^['"?]/.test(content)) throw new NotSimple();
            return undefined;
        }
        if (m[1] === "__proto__" || plainScalar(m[1]) !== m[1]) throw new NotSimple();
        return [m[1], m[2] ?? ""];
    };
    const isItem = (content: string) => content === "-" || content.startsWith("- ");
    const block = (indent: number): unknown => (isItem(lines[i].content) ? seq(indent) : map(indent));
    /** The value after `key:` or `-` with nothing on the line: a nested block, or null. */
    const nested = (indent: number, seqAtSameIndent: boolean): unknown => {
        const next = lines[i];
        if (next !== undefined && (next.indent > indent || (seqAtSameIndent && next.indent === indent && isItem(next.content)))) {
            return block(next.indent);
        }
        return null;
    };
    const afterScalar = (indent: number) => {
        if (lines[i] !== undefined && lines[i].indent > indent) throw new NotSimple(); // a continued scalar
    };
    function map(indent: number): Record<string, unknown> {
        const out: Record<string, unknown> = {};
        while (i < lines.length && lines[i].indent === indent && !isItem(lines[i].content)) {
            const e = entry(lines[i].content);
            if (e === undefined) throw new NotSimple();
            const [key, rest] = e;
            if (Object.hasOwn(out, key)) {
                throw new Error(`duplicate key ${JSON.stringify(key)} at line ${lines[i].line}; a key may appear once in a map`);
            }
            i++;
            if (rest === "" || rest.startsWith("#")) {
                out[key] = nested(indent, true);
            } else {
                out[key] = scalar(rest);
                afterScalar(indent);
            }
        }
        if (i < lines.length && lines[i].indent >= indent) throw new NotSimple();
        return out;
    }
    function seq(indent: number): unknown[] {
        const out: unknown[] = [];
        while (i < lines.length && lines[i].indent === indent && isItem(lines[i].content)) {
            const rest = lines[i].content.slice(1).trimStart();
            if (rest === "" || rest.startsWith("#")) {
                i++;
                out.push(nested(indent, false));
            } else if (isItem(rest)) {
                throw new NotSimple();
            } else if (entry(rest) !== undefined) {
                const at = indent + lines[i].content.length - rest.length;
                lines[i] = { ...lines[i], indent: at, content: rest };
                out.push(map(at));
            } else {
                i++;
                out.push(scalar(rest));
                afterScalar(indent);
            }
        }
        if (i < lines.length && lines[i].indent > indent) throw new NotSimple();
        return out;
    }
    try {
        if (lines.length === 0) return undefined;
        const value = block(lines[0].indent);
        return i === lines.length ? { value } : undefined;
    } catch (e) {
        if (e instanceof NotSimple) return undefined;
        throw e;
    }
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
