/**
 * One argument parser for every command in scripts/ (node:util parseArgs, strict): unknown
 * options, a missing value, a value given twice (never "the last one wins") and a blank value
 * (`--allow-unsafe ""`, never "no override") are errors naming the option. `--help`/`-h` is
 * known to every command.
 */
import { parseArgs } from "util";

export interface OptionSpec {
    readonly type: "string" | "boolean";
    /** May be given several times (each value kept). Default: false (twice is an error). */
    readonly multiple?: boolean;
}

export type Parsed = { values: Record<string, string | boolean | string[] | undefined>; positionals: string[]; help: boolean };

/** ARGV parsed against SPEC, or the usage error as a string. */
export function parseCommandLine(argv: readonly string[], spec: Readonly<Record<string, OptionSpec>>, allowPositionals = false): Parsed | string {
    const options = { ...Object.fromEntries(Object.entries(spec).map(([k, s]) => [k, { type: s.type, multiple: s.multiple ?? false }])), help: { type: "boolean" as const, short: "h" } };
    let parsed;
    try {
        parsed = parseArgs({ args: [...argv], options, strict: true, allowPositionals, tokens: true });
    } catch (e) {
        const m = (e as Error).message;
        const unknown = /Unknown option '([^']+)'/.exec(m);
        if (unknown) return `unknown option ${unknown[1]}`;
        const missing = /Option '(?:-\w, )?(--[^ ']+)[^']*' argument missing/.exec(m);
        if (missing) return `${missing[1]} needs a value`;
        const ambiguous = /Option '(?:-\w, )?(--[^ ']+)[^']*' argument is ambiguous/.exec(m);
        if (ambiguous) return `${ambiguous[1]} needs a value (found ${argv[argv.indexOf(ambiguous[1]) + 1] ?? "nothing"})`;
        const positional = /Unexpected argument '([^']+)'/.exec(m);
        if (positional) return `unexpected argument "${positional[1]}"`;
        const bool = /Option '(?:-\w, )?(--[^ ']+)' does not take an argument/.exec(m);
        if (bool) return `${bool[1]} takes no value`;
        return m;
    }
    const seen = new Set<string>();
    for (const t of parsed.tokens ?? []) {
        if (t.kind !== "option") continue;
        const s = spec[t.name];
        if (t.name !== "help" && s?.multiple !== true && seen.has(t.name)) return `--${t.name} is given twice; give it once`;
        seen.add(t.name);
        if (s?.type === "string") {
            const v = t.value ?? "";
            if (v.trim() === "") return `--${t.name} needs a value (it is blank)`;
            if (t.inlineValue !== true && v.startsWith("--")) return `--${t.name} needs a value (found ${v})`;
        }
    }
    const values = parsed.values as Parsed["values"];
    return { values, positionals: parsed.positionals, help: values.help === true };
}

export const str = (p: Parsed, k: string): string | undefined => (typeof p.values[k] === "string" ? (p.values[k] as string) : undefined);
export const bool = (p: Parsed, k: string): boolean => p.values[k] === true;
