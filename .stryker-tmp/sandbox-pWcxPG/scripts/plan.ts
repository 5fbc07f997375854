/**
 * Offline plan for PR comments:
 *   npm run --silent plan -- [--from FILE] --to FILE [--json] [--allow-unsafe CODE,...]
 * FILE is a Pulumi stack settings YAML. Exit 0 = allowed, 1 = refused, 2 = invalid input.
 */
// @ts-nocheck

import * as fs from "fs";
import { parse as parseYaml } from "yaml";
import { plan, StackFile } from "../components/plan/plan";
import { toJson, toMarkdown } from "../components/plan/report";
import { parseAllowUnsafe } from "../components/plan/guard";

const USAGE = "usage: npm run --silent plan -- [--from FILE] --to FILE [--json] [--allow-unsafe CODE,...]";
const EXIT = { allowed: 0, refused: 1, invalid: 2 } as const;

interface Args {
    from?: string;
    to?: string;
    json: boolean;
    allowUnsafe: string[];
}

function parseArgs(argv: string[]): Args | string {
    const args: Args = { json: false, allowUnsafe: [] };
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        const value = () => argv[++i];
        if (a === "--json") args.json = true;
        else if (a === "--from") args.from = value();
        else if (a === "--to") args.to = value();
        else if (a === "--allow-unsafe") args.allowUnsafe.push(...parseAllowUnsafe(value()));
        else return `unknown argument "${a}"`;
    }
    if (args.to === undefined) return "--to FILE is required";
    if (args.from === "" || args.to === "") return "a FILE argument is missing";
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

async function main(): Promise<number> {
    const args = parseArgs(process.argv.slice(2));
    if (typeof args === "string") {
        process.stderr.write(`${args}\n${USAGE}\n`);
        return EXIT.invalid;
    }
    const result = await plan(args.from === undefined ? undefined : readStackFile(args.from, "--from"), readStackFile(args.to!, "--to"), args.allowUnsafe);
    process.stdout.write((args.json ? toJson(result) : toMarkdown(result)) + "\n");
    return EXIT[result.verdict];
}

if (require.main === module) {
    main().then(
        (code) => process.exit(code),
        (e) => {
            process.stderr.write(`plan failed: ${(e as Error).stack ?? e}\n`);
            process.exit(2);
        },
    );
}
