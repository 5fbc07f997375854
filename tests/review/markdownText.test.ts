/** `text()` and `code()` (components/review/markdown.ts) on one input per rule: each row is one replacement. */
import { expect } from "chai";
import { code, text } from "../../components/review/markdown";

const Z = "&#8203;";

describe("review: Markdown escaping, rule by rule", () => {
    const rows: [string, string][] = [
        ["a\nb\r\nc\u2028d", "a b c d"],
        ["a&b", "a&amp;b"],
        ["<!-- x", "&lt;!-- x"],
        ["*a* _b_ `c` [d] |e| ~f~ \\g", "\\*a\\* \\_b\\_ \\`c\\` \\[d\\] \\|e\\| \\~f\\~ \\\\g"],
        ["@octocat", `@${Z}octocat`],
        ["https://evil.example", `https:${Z}//evil.example`],
        ["see www.evil.example and WWW.EVIL.EXAMPLE", `see www${Z}.evil.example and WWW${Z}.EVIL.EXAMPLE`],
        ["awww.x", "awww.x"],
    ];
    for (const [input, want] of rows) {
        it(`text(${JSON.stringify(input)})`, () => expect(text(input)).to.equal(want));
    }

    it("code(): one line, backticks replaced, table pipes escaped, nothing else touched", () => {
        expect(code("a\nb|c`d <x> @y")).to.equal("`a b\\|c'd <x> @y`");
    });
});
