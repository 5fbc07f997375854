/**
 * Names that differ from a known name only by a character that looks like another one (a
 * Cyrillic 'а' for 'a', a non-breaking space, a zero-width space, a fullwidth digit): pasted
 * from a chat or a web page, they read the same on screen, so a message that only quotes the
 * name ("prоd" is not a revision) cannot be acted on. These helpers name the code point, and
 * the plain-ASCII name it stands for.
 */
import { ConfigIssue } from "./errors";

/** Characters that look like an ASCII one (the common confusables of Latin names), by code point. */
const LOOKS_LIKE: ReadonlyMap<number, { readonly ascii: string; readonly name: string }> = new Map([
    // Cyrillic
    [0x0430, { ascii: "a", name: "Cyrillic small a" }],
    [0x0435, { ascii: "e", name: "Cyrillic small ie" }],
    [0x043e, { ascii: "o", name: "Cyrillic small o" }],
    [0x0440, { ascii: "p", name: "Cyrillic small er" }],
    [0x0441, { ascii: "c", name: "Cyrillic small es" }],
    [0x0443, { ascii: "y", name: "Cyrillic small u" }],
    [0x0445, { ascii: "x", name: "Cyrillic small ha" }],
    [0x0456, { ascii: "i", name: "Cyrillic small Byelorussian-Ukrainian i" }],
    [0x0458, { ascii: "j", name: "Cyrillic small je" }],
    [0x0455, { ascii: "s", name: "Cyrillic small dze" }],
    [0x04bb, { ascii: "h", name: "Cyrillic small shha" }],
    [0x0501, { ascii: "d", name: "Cyrillic small komi de" }],
    [0x0410, { ascii: "A", name: "Cyrillic capital a" }],
    [0x0415, { ascii: "E", name: "Cyrillic capital ie" }],
    [0x041e, { ascii: "O", name: "Cyrillic capital o" }],
    [0x0420, { ascii: "P", name: "Cyrillic capital er" }],
    [0x0421, { ascii: "C", name: "Cyrillic capital es" }],
    // Greek
    [0x03bf, { ascii: "o", name: "Greek small omicron" }],
    [0x03b1, { ascii: "a", name: "Greek small alpha" }],
    [0x03b5, { ascii: "e", name: "Greek small epsilon" }],
    [0x03b9, { ascii: "i", name: "Greek small iota" }],
    [0x03bd, { ascii: "v", name: "Greek small nu" }],
    [0x03c1, { ascii: "p", name: "Greek small rho" }],
    // Dashes and minus signs (a word processor's "smart" hyphen)
    [0x2010, { ascii: "-", name: "hyphen" }],
    [0x2011, { ascii: "-", name: "non-breaking hyphen" }],
    [0x2012, { ascii: "-", name: "figure dash" }],
    [0x2013, { ascii: "-", name: "en dash" }],
    [0x2014, { ascii: "-", name: "em dash" }],
    [0x2212, { ascii: "-", name: "minus sign" }],
    // Spaces that are not U+0020
    [0x00a0, { ascii: " ", name: "non-breaking space" }],
    [0x2007, { ascii: " ", name: "figure space" }],
    [0x202f, { ascii: " ", name: "narrow non-breaking space" }],
    [0x3000, { ascii: " ", name: "ideographic space" }],
    // Letters without a dot or with a stroke that pass for ASCII ones
    [0x0131, { ascii: "i", name: "Latin small dotless i" }],
    [0x0269, { ascii: "i", name: "Latin small iota" }],
]);

/** Invisible characters: they add nothing on screen, so the name they stand for drops them. */
const INVISIBLE: ReadonlyMap<number, string> = new Map([
    [0x00ad, "soft hyphen"],
    [0x200b, "zero-width space"],
    [0x200c, "zero-width non-joiner"],
    [0x200d, "zero-width joiner"],
    [0x2060, "word joiner"],
    [0xfeff, "zero-width no-break space (BOM)"],
    [0x200e, "left-to-right mark"],
    [0x200f, "right-to-left mark"],
]);

/** One character of a name that is not what it looks like. */
export interface OddCharacter {
    /** 1-based position in the name, counting characters (code points). */
    readonly position: number;
    /** "U+0430" */
    readonly codePoint: string;
    /** What it is, in words ("Cyrillic small a", "zero-width space", "fullwidth digit 3"). */
    readonly name: string;
    /** The ASCII text it passes for ("a", "" for an invisible one), when it passes for one. */
    readonly looksLike?: string;
}

export function codePointOf(cp: number): string {
    return `U+${cp.toString(16).toUpperCase().padStart(4, "0")}`;
}

function describe(cp: number): { name: string; looksLike?: string } {
    const known = LOOKS_LIKE.get(cp);
    if (known !== undefined) return { name: known.name, looksLike: known.ascii };
    const invisible = INVISIBLE.get(cp);
    if (invisible !== undefined) return { name: invisible, looksLike: "" };
    // Fullwidth forms U+FF01..U+FF5E are ASCII U+0021..U+007E, 0xFEE0 higher.
    if (cp >= 0xff01 && cp <= 0xff5e) {
        const ascii = String.fromCodePoint(cp - 0xfee0);
        return { name: `fullwidth ${/\d/.test(ascii) ? "digit" : /[a-z]/i.test(ascii) ? "letter" : "sign"} ${ascii}`, looksLike: ascii };
    }
    if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) return { name: "a control character", looksLike: "" };
    return { name: "not an ASCII character" };
}

/** The characters of `s` outside printable ASCII, or [] when every one is plain ASCII. */
export function oddCharacters(s: string): OddCharacter[] {
    const out: OddCharacter[] = [];
    let position = 0;
    for (const ch of s) {
        position++;
        const cp = ch.codePointAt(0) as number;
        if (cp >= 0x20 && cp < 0x7f) continue;
        out.push({ position, codePoint: codePointOf(cp), ...describe(cp) });
    }
    return out;
}

/** `s` with every look-alike replaced by the ASCII it passes for (invisible ones dropped). */
export function plainSpelling(s: string): string {
    let out = "";
    for (const ch of s) {
        const cp = ch.codePointAt(0) as number;
        if (cp >= 0x20 && cp < 0x7f) {
            out += ch;
            continue;
        }
        const d = describe(cp);
        out += d.looksLike ?? ch;
    }
    return out;
}

/**
 * "contains U+0430 (Cyrillic small a, looks like "a") at character 3": the sentence part that
 * names each odd character of `s`, or undefined when `s` is plain ASCII.
 */
export function oddCharacterNote(s: string): string | undefined {
    const odd = oddCharacters(s);
    if (odd.length === 0) return undefined;
    const parts = odd.slice(0, 4).map((o) => {
        const like = o.looksLike === undefined ? "" : o.looksLike === "" ? ", invisible" : `, looks like ${JSON.stringify(o.looksLike)}`;
        return `${o.codePoint} (${o.name}${like}) at character ${o.position}`;
    });
    const more = odd.length > 4 ? ` and ${odd.length - 4} more` : "";
    return `${JSON.stringify(s)} contains ${parts.join(", ")}${more}`;
}

/** The known name `s` passes for once its look-alikes are read as ASCII, if exactly that. */
export function lookalikeOf(s: string, known: Iterable<string>): string | undefined {
    if (oddCharacters(s).length === 0) return undefined;
    const plain = plainSpelling(s);
    for (const k of known) {
        if (k !== s && (k === plain || k === plain.toLowerCase())) return k;
    }
    return undefined;
}

/** Quoted strings ("...") in a message, as JSON reads them. */
function quotedStrings(message: string): string[] {
    const out: string[] = [];
    for (const m of message.matchAll(/"(?:[^"\\]|\\.)*"/g)) {
        try {
            out.push(JSON.parse(m[0]) as string);
        } catch {
            // not a JSON string literal: not a value the message quotes
        }
    }
    return out;
}

/**
 * Every issue whose path's last key, or a value its message quotes, holds a character that is
 * not plain ASCII gets the code point named: one place, so no message can forget it.
 */
export function withCodePoints(issues: readonly ConfigIssue[]): ConfigIssue[] {
    return issues.map((issue) => {
        if (/U\+[0-9A-F]{4}/.test(issue.message)) return issue; // the message names it already
        const lastKey = /[^.\]]*$/.exec(issue.path)?.[0] ?? "";
        const notes = new Set<string>();
        for (const s of [lastKey, ...quotedStrings(issue.message)]) {
            const note = oddCharacterNote(s);
            if (note !== undefined) notes.add(note);
        }
        if (notes.size === 0) return issue;
        return { path: issue.path, message: `${issue.message} (${[...notes].join("; ")}; retype it in plain ASCII)` };
    });
}
