/**
 * The one place text from outside the program (file names, stack names, config keys, messages
 * quoting config values) is made safe for GitHub Markdown: it stays on its line and in its
 * table cell, and cannot open or close HTML (`<details>`, `<!--`), post a live @mention, add a
 * link or image, or end the code span it is in. Pure.
 */

/** U+200B, written as an entity: GitHub's mention and autolink filters then see no word after `@` or `:`. */
const ZWSP = "&#8203;";

/** Line breaks of any kind (a table row or list item must stay one line). */
const BREAKS = /\r\n|[\r\n\u2028\u2029\u0085\v\f]/g;

/**
 * Markdown punctuation that can start or end inline syntax mid-line; escaped with a backslash.
 * Line-start syntax (`#`, `>`, `-`, `1.`) needs nothing: the text never starts a line.
 */
const PUNCTUATION = /[\\`*_[\]|~]/g;

/**
 * `s` as inline Markdown text that renders as itself: on one line, HTML and entities escaped,
 * Markdown punctuation backslash-escaped (so no emphasis, link, image, code span, table cell
 * break), `@` and `://` broken by a zero-width space (no mention, no autolink).
 */
export function text(s: string): string {
    return s
        .replace(BREAKS, " ")
        .replace(/&/g, "&amp;")
        .replace(/</g, "&lt;")
        .replace(PUNCTUATION, (c) => `\\${c}`)
        .replace(/@/g, `@${ZWSP}`)
        .replace(/:\/\//g, `:${ZWSP}//`)
        // `.` is not escaped above: the bare `www.` that GitHub autolinks.
        .replace(/\bwww\./gi, (w) => `${w.slice(0, 3)}${ZWSP}.`);
}

/**
 * `s` as a code span: on one line, backticks replaced (a code span cannot hold its own
 * delimiter), and `|` escaped so that a table row keeps its cells (GitHub reads `\|` as `|` in a
 * code span inside a table; outside a table prefer `text`). Inside a code span HTML, mentions
 * and links are inert.
 */
export function code(s: string): string {
    return `\`${s.replace(BREAKS, " ").replace(/`/g, "'").replace(/\|/g, "\\|")}\``;
}
