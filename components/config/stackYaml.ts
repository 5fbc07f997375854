/**
 * Reads a Pulumi stack settings file (`Pulumi.<stack>.yaml`) as the Pulumi CLI reads it: with Go's
 * gopkg.in/yaml.v3 (v3.0.1), `yaml.Unmarshal` into an interface{}. The `yaml` package parses; this
 * module configures it to yaml.v3's behaviour:
 * - plain scalars resolve as yaml.v3's resolve.go does, which is YAML 1.2 core plus Go's number
 *   syntax: `1_000` is 1000, `0777` is octal (511), `0b101`, `+0x1F` and `-0o17` are numbers;
 *   `1e400` (out of float range) stays a string;
 * - `<<` merge keys (a map, or a list of maps; the map's own keys win, then the earlier maps);
 * - a key written twice in one map is refused, compared as yaml.v3 compares them (the text as
 *   written: `1` and `"1"` are the same key);
 * - a `%YAML 1.1` directive changes nothing (yaml.v3 has one schema).
 * Where yaml.v3 gives Pulumi a value that JSON (and so the program's config) cannot carry, or
 * that Pulumi would turn into something else, the file is refused ("unsupported") rather than
 * read differently: dates (a Go time.Time), `.nan`/`.inf`, integers beyond 2^53, map keys that
 * are not names (null, floats, lists, maps), explicit tags other than !!str/!!map/!!seq, several
 * documents (Pulumi reads the first and ignores the rest), and lines indented with look-alike
 * spaces such as U+00A0 (yaml.v3 reads those characters as part of a key at column 0).
 * tests/yaml/yamlv3.test.ts checks all of this against the real yaml.v3.
 */
import { CST, isAlias, isMap, isScalar, isSeq, Lexer, parseAllDocuments, Schema, visit } from "yaml";
import type { Node, ScalarTag } from "yaml";

/** A reason the file cannot be read: `syntax` (yaml.v3 refuses it too) or `unsupported` (the plan is stricter). */
export interface YamlProblem {
    readonly kind: "syntax" | "unsupported";
    readonly message: string;
}
export type YamlRead = { readonly value: unknown } | { readonly problem: YamlProblem };

/** A scalar yaml.v3 reads as something the plan will not guess at (see the module comment). */
class Unsupported {
    constructor(readonly why: string) {}
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

/** Digits of BASE (no prefix, no sign) as Go's strconv reads them; undefined if there are none or a bad one. */
function digitsOf(d: string, base: 2 | 8 | 10 | 16): bigint | undefined {
    const alphabet = { 2: /^[01]+$/, 8: /^[0-7]+$/, 10: /^[0-9]+$/, 16: /^[0-9a-fA-F]+$/ }[base];
    if (!alphabet.test(d)) return undefined;
    return BigInt({ 2: "0b", 8: "0o", 10: "", 16: "0x" }[base] + d);
}

/** strconv.ParseInt(s, base, 64) (signed) or ParseUint (no sign allowed); base 0 takes it from the prefix (a lone leading 0: octal). */
function goParse(s: string, base: 0 | 2 | 8, signed: boolean): bigint | undefined {
    let sign = 1n;
    let rest = s;
    if (signed && (s.startsWith("+") || s.startsWith("-"))) {
        sign = s.startsWith("-") ? -1n : 1n;
        rest = s.slice(1);
    }
    let b: 2 | 8 | 10 | 16 = base === 0 ? 10 : base;
    if (base === 0 && rest.length > 1 && rest[0] === "0") {
        const p = rest[1].toLowerCase();
        b = p === "b" ? 2 : p === "o" ? 8 : p === "x" ? 16 : 8;
        rest = p === "b" || p === "o" || p === "x" ? rest.slice(2) : rest.slice(1);
    }
    const u = digitsOf(rest, b);
    if (u === undefined) return undefined;
    const n = sign * u;
    return signed ? (n >= INT64_MIN && n <= INT64_MAX ? n : undefined) : n <= UINT64_MAX ? n : undefined;
}

const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
/** What yaml.v3's parseTimestamp could take for a date (refused; a looser test errs on the safe side). */
const TIMESTAMP_LIKE = /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:$|[Tt ])/;
const SPECIAL_FLOATS = new Set([".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF"]);

function integer(n: bigint): number | Unsupported {
    return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : new Unsupported(`an integer beyond 2^53 (JSON numbers lose its digits); quote it`);
}

function float(s: string, source: string): number | string {
    const n = Number(s);
    return Number.isFinite(n) ? n : source; // Go's ParseFloat fails out of range: yaml.v3 keeps the text
}

/**
 * A plain scalar starting with a digit, a sign or a dot, as yaml.v3's resolve() reads it (its
 * `case 'D', 'S'` and `case '.'`, in the same order). The words (null, true, ...) are the core
 * schema's, which match yaml.v3's resolve map exactly.
 */
export function resolveV3Number(source: string): number | string | Unsupported {
    if (!/^[-+0-9.]/.test(source)) return source; // yaml.v3's resolve table: no number hint
    if (SPECIAL_FLOATS.has(source)) return new Unsupported(`${source} is not a number JSON can carry`);
    if (source.startsWith(".")) {
        return /^\.[0-9]+([eE][-+]?[0-9]+)?$/.test(source) ? float(source, source) : source;
    }
    if (TIMESTAMP_LIKE.test(source)) {
        return new Unsupported("a date: Pulumi (yaml.v3) reads it as a timestamp, not as this text; quote it");
    }
    const plain = source.replace(/_/g, "");
    const base0 = goParse(plain, 0, true) ?? goParse(plain, 0, false);
    if (base0 !== undefined) return integer(base0);
    if (YAML_STYLE_FLOAT.test(plain)) return float(plain, source);
    // yaml.v3's own 0b / 0o fallbacks: the rest parsed with an explicit base, where Go allows a sign.
    for (const [prefix, base] of [["0b", 2], ["0o", 8]] as const) {
        if (plain.startsWith(prefix)) {
            const n = goParse(plain.slice(2), base, true) ?? goParse(plain.slice(2), base, false);
            if (n !== undefined) return integer(n);
        } else if (plain.startsWith(`-${prefix}`)) {
            const n = goParse(`-${plain.slice(3)}`, base, true);
            if (n !== undefined) return integer(n);
        }
    }
    return source;
}

const V3_NUMBER: ScalarTag = {
    tag: "tag:yaml.org,2002:int",
    default: true,
    test: /^[-+0-9.]/,
    resolve: (source: string) => resolveV3Number(source),
};

/** The core schema without its numbers (yaml.v3 reads them its own way), with merge keys. */
const SCHEMA = new Schema({
    merge: true,
    customTags: (tags) => [...tags.filter((t) => !(t as ScalarTag).tag.endsWith(":int") && !(t as ScalarTag).tag.endsWith(":float")), V3_NUMBER],
});
const PLAIN_TAGS = new Set(["tag:yaml.org,2002:str", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"]);

/** Unicode spaces that look like indentation but are not YAML white space. */
const LOOKALIKE_SPACE = /[\u00A0\u1680\u2000-\u200B\u202F\u205F\u3000\uFEFF]/;

export function codePoint(ch: string): string {
    return `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;
}

/** A line whose indentation holds a look-alike space (pasted from a web page). */
function lookalikeIndentation(text: string): string | undefined {
    if (!LOOKALIKE_SPACE.test(text)) return undefined; // the common case: one scan
    const lines = text.split("\n");
    for (let n = 0; n < lines.length; n++) {
        const m = /^[ \t\u00A0\u1680\u2000-\u200B\u202F\u205F\u3000\uFEFF]*/.exec(lines[n])![0];
        const odd = [...m].find((c) => LOOKALIKE_SPACE.test(c) && !(n === 0 && c === "\uFEFF" && m.startsWith(c)));
        if (odd !== undefined) {
            return `line ${n + 1} is indented with ${codePoint(odd)} (${odd === "\u00A0" ? "a non-breaking space" : "a Unicode space"}), which YAML does not read as indentation: Pulumi (yaml.v3) would read the text after it as a key at column 0; indent with ordinary spaces`;
        }
    }
    return undefined;
}

/** Why KEY cannot be a key of the program's config (undefined: it can): yaml.v3 gives Pulumi a non-string key. */
function keyProblem(key: Node | null): string | undefined {
    if (key === null) return "a key with no name";
    if (isAlias(key)) return `an alias used as a key (*${key.source}); write the key out`;
    if (!isScalar(key)) return "a map or list used as a key; a key is a name";
    const range = key.range;
    if (range && range[1] - range[0] > 1000) return `a key of ${range[1] - range[0]} characters (yaml.v3 reads keys of up to 1024 characters only)`;
    const v = key.value;
    if (typeof v === "string" || typeof v === "boolean" || (typeof v === "number" && Number.isInteger(v))) return undefined;
    if (typeof v === "symbol") return undefined; // the `<<` merge key
    const what = v === null ? "null" : v instanceof Unsupported ? "a value that is not a name" : "a number with a fraction";
    return `the key ${JSON.stringify(String((key as { source?: unknown }).source ?? ""))} is not a name (yaml.v3 reads it as ${what}); quote it`;
}

/** Characters yaml.v3's reader refuses anywhere ("control characters are not allowed"). */
const NOT_ALLOWED = /[^\t\n\r\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
/** Line breaks in YAML 1.1 (yaml.v3) that YAML 1.2 reads as text: a lone CR, NEL, LS, PS. */
const OTHER_BREAK = /\r(?!\n)|[\x85\u2028\u2029]/;

function lineAt(text: string, offset: number): number {
    let line = 1;
    for (let i = text.indexOf("\n"); i >= 0 && i < offset; i = text.indexOf("\n", i + 1)) line++;
    return line;
}

/**
 * Tabs where yaml.v3's scanner refuses them and the `yaml` package does not: in block context a
 * tab may separate tokens, but not indent a line, nor follow `-` or `?`; in a block scalar not
 * before the content's indentation. And, inside [...] or {...}, a plain scalar with a `?` or a
 * leading or final `:`, which yaml.v3 (libyaml) reads as an indicator there. Read from the `yaml`
 * package's own tokens.
 */
function misplacedToken(text: string): string | undefined {
    if (!text.includes("\t") && !/[[{]/.test(text)) return undefined;
    let offset = 0;
    let flow = 0;
    let lineStart = true;
    let previous: string | null | undefined;
    let blockScalar: "header" | "body" | undefined;
    for (const token of new Lexer().lex(text)) {
        const type = CST.tokenType(token);
        const synthetic = token.length === 1 && token.charCodeAt(0) < 0x20 && !"\t\n\r".includes(token);
        if (synthetic) {
            if (token === "\u001f") previous = "scalar";
            continue;
        }
        const at = offset;
        offset += token.length;
        if (blockScalar === "body") {
            blockScalar = undefined;
            let indent: number | undefined;
            const lines = token.split("\n");
            for (let n = 0; n < lines.length; n++) {
                const lead = /^[ \t]*/.exec(lines[n])![0];
                const spaces = /^ */.exec(lead)![0].length;
                const blank = lead.length === lines[n].length;
                if (lead.length > spaces && (indent === undefined || spaces < indent)) {
                    return `line ${lineAt(text, at) + n}: a tab in a block scalar's indentation (yaml.v3 refuses it); indent with spaces`;
                }
                if (indent === undefined && !blank) indent = spaces;
            }
            continue;
        }
        if (type === "block-scalar-header") blockScalar = "header";
        else if (blockScalar === "header" && type === "newline") blockScalar = "body";
        if (type === "flow-map-start" || type === "flow-seq-start") flow++;
        if ((type === "flow-map-end" || type === "flow-seq-end") && flow > 0) flow--;
        if (type === "space" && token.includes("\t") && flow === 0) {
            if (lineStart) return `line ${lineAt(text, at)} is indented with a tab (yaml.v3 refuses it: "found character that cannot start any token"); indent with spaces`;
            if (previous === "seq-item-ind" || previous === "explicit-key-ind") {
                return `line ${lineAt(text, at)}: a tab after \`${previous === "seq-item-ind" ? "-" : "?"}\` (yaml.v3 refuses it); use a space`;
            }
        }
        if (flow > 0 && previous === "scalar" && type === null && !/^["']/.test(token) && /\?|^:|:(?=[,[\]{}]|$)/.test(token)) {
            return `line ${lineAt(text, at)}: ${JSON.stringify(token.split("\n")[0])} inside [...] or {...}: yaml.v3 reads its \`${/[?:]/.exec(token)![0]}\` there as YAML syntax, not as text; quote the value`;
        }
        // A line of [...] or {...} that starts with a document marker: libyaml stops the flow
        // collection there ("did not find expected ',' or '}'"), the yaml package reads a key.
        if (flow > 0 && lineStart && type !== "space" && /^(---|\.\.\.)(\s|$)/.test(token)) {
            return `line ${lineAt(text, at)}: a line inside [...] or {...} starts with \`${token.slice(0, 3)}\` (yaml.v3 reads it as a document marker and refuses the file); quote the value`;
        }
        lineStart = type === "newline" || (lineStart && (type === "space" || type === "byte-order-mark"));
        if (type !== "space") previous = type ?? "scalar-text";
    }
    return undefined;
}

/** Refusals before parsing: what yaml.v3 reads differently character by character. */
function characterProblem(text: string): YamlProblem | undefined {
    const bad = NOT_ALLOWED.exec(text);
    if (bad !== null) {
        return { kind: "syntax", message: `line ${lineAt(text, bad.index)}: the character ${codePoint(bad[0])} is not allowed in YAML (yaml.v3: "control characters are not allowed"); remove it` };
    }
    const lineBreak = OTHER_BREAK.exec(text);
    if (lineBreak !== null) {
        return { kind: "unsupported", message: `line ${lineAt(text, lineBreak.index)}: ${codePoint(lineBreak[0])} ${lineBreak[0] === "\r" ? "(a carriage return without a line feed)" : ""} is a line break to Pulumi (yaml.v3, YAML 1.1) and text to YAML 1.2; write a plain line feed`.replace("  ", " ") };
    }
    const indent = lookalikeIndentation(text);
    if (indent !== undefined) return { kind: "unsupported", message: indent };
    const tab = misplacedToken(text);
    if (tab !== undefined) return { kind: "syntax", message: tab };
    return undefined;
}

/** Reads one stack file's text as yaml.v3 would, or says why it cannot. */
export function readStackYaml(text: string): YamlRead {
    const syntax = (message: string): YamlRead => ({ problem: { kind: "syntax", message } });
    const unsupported = (message: string): YamlRead => ({ problem: { kind: "unsupported", message } });
    const before = characterProblem(text);
    if (before !== undefined) return { problem: before };
    // uniqueKeys off: the package compares every key with every other (minutes at 50,000 keys);
    // duplicates are found below, in linear time and the way yaml.v3 compares keys.
    const docs = parseAllDocuments(text, { schema: SCHEMA, uniqueKeys: false, prettyErrors: true });
    if (!Array.isArray(docs) || docs.length === 0) return { value: null }; // an empty stream, or comments only
    const error = docs.flatMap((d) => d.errors)[0];
    if (error !== undefined) return syntax(error.message.split("\n")[0]);
    const directives = docs[0].directives;
    if (directives?.yaml.explicit === true && directives.yaml.version !== "1.1") {
        return syntax(`%YAML ${directives.yaml.version}: yaml.v3 (Pulumi) reads %YAML 1.1 documents only ("found incompatible YAML document"); remove the directive`);
    }
    if (docs.length > 1) {
        return unsupported(`the file has ${docs.length} YAML documents (separated by \`---\`); a Pulumi stack file has one (Pulumi would read the first and ignore the rest)`);
    }
    const [doc] = docs;
    const offsetOf = (node: { range?: [number, number, number] | null } | null | undefined) => node?.range?.[0] ?? 0;
    const line = (node: { range?: [number, number, number] | null } | null | undefined) => lineAt(text, offsetOf(node));
    const source = (node: unknown) => String((node as { source?: unknown }).source ?? (node as { value?: unknown }).value);
    let problem: YamlRead | undefined;
    const tagged = (node: Node): boolean => {
        if (node.tag !== undefined && !PLAIN_TAGS.has(node.tag)) {
            problem = unsupported(`the tag ${node.tag.replace("tag:yaml.org,2002:", "!!")} at line ${line(node)}: a stack file needs no YAML tags (only !!str); write the value plainly`);
            return true;
        }
        return false;
    };
    visit(doc, {
        Map(_, map) {
            if (tagged(map)) return visit.BREAK;
            const seen = new Map<string, number>();
            for (const pair of map.items) {
                const key = pair.key as Node | null;
                // yaml.v3 compares a key's kind and its text as written (not its value).
                const id = isScalar(key) ? `s:${source(key)}` : isAlias(key) ? `a:${key.source}` : isMap(key) ? "m:" : isSeq(key) ? "q:" : "s:";
                const first = seen.get(id);
                if (first !== undefined) {
                    const name = isAlias(key) ? `*${key.source}` : isScalar(key) ? source(key) : "";
                    problem = syntax(`duplicate key ${JSON.stringify(name)} at line ${line(key)} (first at line ${lineAt(text, first)}); a key may appear once in a map`);
                    return visit.BREAK;
                }
                seen.set(id, offsetOf(key));
                if (isScalar(key) && typeof key.value === "symbol") {
                    // yaml.v3 merges a map, an alias of a map, or a list of those; nothing else.
                    const isMapNode = (n: unknown) => isMap(n) || (isAlias(n) && isMap(n.resolve(doc)));
                    const v = pair.value;
                    if (!(isMap(v) || (isAlias(v) && isMapNode(v)) || (isSeq(v) && v.items.every(isMapNode)))) {
                        problem = syntax(`line ${line(key)}: \`<<\` merges a map, an alias of a map or a list of them (yaml.v3: "map merge requires map or sequence of maps as the value")`);
                        return visit.BREAK;
                    }
                }
                const why = keyProblem(key);
                if (why !== undefined) {
                    problem = unsupported(`line ${line(key ?? (pair.value as Node | null))}: ${why}`);
                    return visit.BREAK;
                }
            }
            return undefined;
        },
        Seq(_, seq) {
            return tagged(seq) ? visit.BREAK : undefined;
        },
        Alias(_, alias, path) {
            const target = alias.resolve(doc);
            if (target !== undefined && path.includes(target as never)) {
                problem = syntax(`line ${line(alias)}: the alias *${alias.source} is inside the node it names (yaml.v3: "anchor '${alias.source}' value contains itself")`);
                return visit.BREAK;
            }
            return undefined;
        },
        Scalar(_, node) {
            if (tagged(node)) return visit.BREAK;
            if (node.value instanceof Unsupported) {
                problem = unsupported(`${JSON.stringify(source(node))} at line ${line(node)} is ${node.value.why}`);
                return visit.BREAK;
            }
            return undefined;
        },
    });
    if (problem !== undefined) return problem;
    const warning = docs.flatMap((d) => d.warnings)[0];
    if (warning !== undefined) return unsupported(warning.message.split("\n")[0]);
    try {
        return { value: doc.toJS({ maxAliasCount: 100 }) };
    } catch (e) {
        return syntax((e as Error).message.split("\n")[0]);
    }
}
