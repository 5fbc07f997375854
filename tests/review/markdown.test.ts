/**
 * Text from outside the program in the PR comment: whatever a file name, stack name or message
 * holds, it stays text on its line and in its cell (property tests over hostile strings).
 */
import { expect } from "chai";
import fc from "fast-check";
import { buildComment, MARKER, PlanResult } from "../../components/review/comment";
import { code, text } from "../../components/review/markdown";
import { toMarkdown } from "../../components/plan/report";
import { Plan } from "../../components/plan/plan";

/** Pieces an attacker would combine: HTML, comments, details, mentions, links, code spans, cells, line breaks. */
const HOSTILE = ["<!--", "-->", "<details>", "</details>", "<summary>", "<img src=x>", "@octocat", "@org/team", "[x](https://evil.example)", "![i](https://evil.example/i.png)", "https://evil.example", "www.evil.example", "`", "``", "|", "\n", "\r\n", "\u2028", "**", "_", "~~", "\\", "&lt;", "#", "> ", "- ", "1. "];
const hostile = fc.array(fc.oneof(fc.constantFrom(...HOSTILE), fc.string({ maxLength: 6 })), { maxLength: 12 }).map((parts) => parts.join(""));

/**
 * The comment without its code spans and backslash escapes, read left to right as CommonMark
 * does: outside a code span `\x` is an escape; inside one a backslash is literal.
 */
function proseOf(body: string): string {
    let out = "";
    for (let i = 0; i < body.length; i++) {
        const c = body[i];
        if (c === "\\") {
            i++;
        } else if (c === "`") {
            const end = body.indexOf("`", i + 1);
            i = end < 0 ? body.length : end;
        } else {
            out += c;
        }
    }
    return out;
}

/** What is left once every backslash escape is removed: must hold no live syntax. */
const unescaped = (s: string) => s.replace(/\\[\s\S]/g, "");

describe("review: Markdown escaping of outside text", () => {
    it("text(): one line, no HTML, no live @mention or autolink, every inline-syntax character escaped", () => {
        fc.assert(
            fc.property(hostile, (s) => {
                const t = text(s);
                expect(t).to.not.match(/[\r\n\u2028\u2029\u0085\v\f]/);
                expect(t).to.not.include("<");
                expect(t).to.not.match(/@(?!&#8203;)/);
                expect(t).to.not.match(/:\/\//);
                expect(t).to.not.match(/\bwww\\\.(?!)/i);
                expect(unescaped(t)).to.not.match(/[`*_[\]|~\\]/);
            }),
            { numRuns: 500 },
        );
        expect(text("a <b> @x `c` [l](u)")).to.equal("a &lt;b> @&#8203;x \\`c\\` \\[l\\](u)");
    });

    it("code(): one code span on one line (no backtick inside), `|` escaped for tables", () => {
        fc.assert(
            fc.property(hostile, (s) => {
                const c = code(s);
                expect(c.startsWith("`") && c.endsWith("`")).to.equal(true);
                expect(c.slice(1, -1)).to.not.include("`");
                expect(c).to.not.match(/[\r\n\u2028\u2029\u0085\v\f]/);
                expect(c.replace(/\\\|/g, "")).to.not.include("|");
            }),
            { numRuns: 500 },
        );
        expect(code("a`b")).to.equal("`a'b`");
    });

    it("a whole comment: one hidden comment (the marker), <details> balanced as the program wrote them, table rows keep their cells, no live mention", () => {
        const plan = (message: string): Plan =>
            ({
                verdict: "refused",
                problems: [{ code: "replace-all-revisions", message }],
                warnings: [{ code: "mtls-strict", message }],
                steps: [message],
                resources: [],
                changes: { added: [{ type: "kubernetes:core/v1:Namespace", name: message }], changed: [{ type: "t", name: message, fields: [message], diffs: [{ path: message, before: JSON.stringify(message), after: JSON.stringify(message + "x") }] }], removed: [], released: [{ type: "t", name: message }] },
                deletes: [message],
                liveChecks: [message],
            }) as unknown as Plan;
        fc.assert(
            fc.property(hostile, hostile, hostile, (file, stack, message) => {
                const results: PlanResult[] = [{ target: { kind: "stack", stack, file, reason: "file-changed" }, exitCode: 1, markdown: toMarkdown(plan(message)), from: `${code(file)} on ${text(message)}` }];
                const body = buildComment(results, { removed: [{ stack, file }], previews: [stack] }).body;
                expect(body.startsWith(MARKER)).to.equal(true);
                // Inside a code span (no backtick in it, by code()) HTML and mentions are inert.
                const prose = proseOf(body);
                expect(prose.split("<!--").length - 1, "only the marker").to.equal(1);
                expect(prose.match(/<details>/g)?.length ?? 0).to.equal(1);
                expect(prose.match(/<\/details>/g)?.length ?? 0).to.equal(1);
                expect(prose).to.not.match(/<(?!\/?details>|\/?summary>|\/?sub>|!-- istio-mesh-plan -->)/);
                // A live mention: `@` then a word character.
                expect(prose).to.not.match(/@\w/);
                // No link or image outside the program's own.
                expect(prose).to.not.match(/\]\(/);
                // Every table row has exactly the cells of its header.
                const rows = body.split("\n").filter((l) => l.startsWith("|"));
                const cells = (l: string) => l.replace(/\\\|/g, "").split("|").length;
                const summary = rows.filter((l) => cells(l) === cells(rows[0]));
                expect(summary.length).to.be.greaterThan(2);
                for (const l of rows) expect([5, 6], l).to.include(cells(l));
            }),
            { numRuns: 150 },
        );
    });
});
