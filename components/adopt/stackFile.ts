/**
 * The text of the stack file `npm run adopt` writes. Everything in it (the header comment as
 * well as the config) goes through the `yaml` library's Document: no text read from the cluster
 * (release and chart names, values, labels) is ever concatenated into YAML, so none can start a
 * line of its own, end a comment or add a key. What the library would still write in a form
 * Pulumi (yaml.v3) reads differently is quoted or escaped here, and the result is read back with
 * the program's own stack reader before it is returned: a file that would not read back as the
 * config it was made from is never written. Pure.
 */
import { Document, isScalar, Scalar, visit } from "yaml";
import { readStackYaml, resolveV3Number } from "../config/stackYaml";

/**
 * Characters a comment line may not carry as they are: line breaks of either YAML version
 * (LF, CR, NEL, LS, PS), other control characters, tabs, a BOM, lone surrogates and what
 * yaml.v3 refuses anywhere (U+FFFE, U+FFFF).
 */
const COMMENT_UNSAFE = /[^\x20-\x7E\xA0-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]|[\x85\u2028\u2029\uFEFF]/gu;

/** Characters that stay raw in the library's double-quoted output but must be escapes there. */
const RAW_IN_QUOTES = /[\x7F-\x9F\u2028\u2029\uFEFF\uFFFE\uFFFF]/g;

const escapeOf = (ch: string): string => `\\u${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;

/** TEXT as one line of a comment: every unsafe character shown as its `\uXXXX` escape (a newline as `\n`, a tab as `\t`). */
export function commentText(text: string): string {
    return text.replace(COMMENT_UNSAFE, (ch) => (ch === "\n" ? "\\n" : ch === "\t" ? "\\t" : escapeOf(ch)));
}

/**
 * Whether the library's own choice of style for the string S may be read back differently by
 * yaml.v3 or refused by the stack reader, so that it must be double-quoted: anything but
 * printable ASCII (line breaks, tabs, look-alike spaces at a line's start, characters that are
 * escapes only inside double quotes), the merge key `<<`, and plain text yaml.v3 reads as a
 * number or a date (`1_000`, `0777`, `2026-01-01`) where the YAML 1.2 core schema sees a string.
 */
function mustQuote(s: string): boolean {
    return /[^\x20-\x7E]/.test(s) || s === "<<" || typeof resolveV3Number(s) !== "string";
}

/** A string the file cannot carry so that both readers agree (a lone surrogate: yaml.v3 reads U+FFFD). */
function unwritable(value: unknown, at: string): string | undefined {
    if (typeof value === "string") {
        return /\p{Cs}/u.test(value) ? `${at}: the text ${JSON.stringify(value)} holds a lone UTF-16 surrogate, which YAML cannot carry` : undefined;
    }
    if (Array.isArray(value)) {
        for (const [i, v] of value.entries()) {
            const why = unwritable(v, `${at}[${i}]`);
            if (why !== undefined) return why;
        }
    } else if (value !== null && typeof value === "object") {
        for (const [k, v] of Object.entries(value)) {
            const why = unwritable(k, `${at} (a key)`) ?? unwritable(v, `${at}.${k}`);
            if (why !== undefined) return why;
        }
    }
    return undefined;
}

/**
 * The stack file for CONFIG (the `config:` map) with HEADER as its leading comment, one comment
 * line per entry ("" = an empty `#` line). Throws when the file would not read back, through
 * readStackYaml, as exactly `{ config: CONFIG }` (the message says why); nothing is to be
 * written then.
 */
export function stackFileText(config: Record<string, unknown>, header: readonly string[]): string {
    const why = unwritable(config, "config");
    if (why !== undefined) {
        throw new Error(why);
    }
    const doc = new Document({ config });
    visit(doc, {
        Scalar(_, node) {
            if (typeof node.value === "string" && mustQuote(node.value)) {
                node.type = Scalar.QUOTE_DOUBLE;
            }
        },
    });
    // The library prefixes every line of a comment with `#`; " " becomes a lone `#`.
    if (isScalar(doc.contents) || doc.contents === null) {
        throw new Error("internal: the stack file's document is not a map");
    }
    doc.contents.commentBefore = header.map((l) => ` ${commentText(l)}`).join("\n");
    const text = doc
        .toString({ lineWidth: 0, doubleQuotedMinMultiLineLength: Number.POSITIVE_INFINITY })
        // Only double-quoted scalars can hold these now (mustQuote; comments are escaped): escape them there.
        .replace(RAW_IN_QUOTES, escapeOf);
    const read = readStackYaml(text);
    if (!("value" in read)) {
        throw new Error(`the stack file would be refused when read back (${read.problem.message})`);
    }
    if (JSON.stringify(read.value) !== JSON.stringify({ config })) {
        throw new Error("the stack file would not read back as the config it was made from");
    }
    return text;
}
