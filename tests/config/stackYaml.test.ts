/**
 * components/config/stackYaml.ts without Go: each class of difference between YAML 1.2 (the
 * `yaml` package's defaults) and yaml.v3 (the Pulumi CLI), one row each, with yaml.v3's answer
 * as tests/yaml/yamlv3.test.ts measures it against the real library.
 */
import { expect } from "chai";
import { readStackYaml, resolveV3Number } from "../../components/config/stackYaml";

const value = (text: string) => {
    const r = readStackYaml(text);
    expect(r, text).to.have.property("value");
    return (r as { value: unknown }).value;
};
const problem = (text: string) => {
    const r = readStackYaml(text);
    expect(r, text).to.have.property("problem");
    return (r as { problem: { kind: string; message: string } }).problem;
};

describe("config: stack files read as yaml.v3 reads them", () => {
    it("numbers as yaml.v3 resolves them (YAML 1.2 core plus Go's syntax)", () => {
        const rows: [string, unknown][] = [
            ["0777", 511], ["09", 9], ["00", 0], ["-0", 0], ["1_000", 1000], ["1__0", 10], ["1_", 1], ["_1", "_1"],
            ["0x1F", 31], ["0X1F", 31], ["+0x1F", 31], ["-0x1F", -31], ["0x", "0x"], ["0o17", 15], ["-0o17", -15], ["0o+7", 7],
            ["0b101", 5], ["-0b101", -5], ["0b2", "0b2"], ["1e3", 1000], ["1.", 1], [".5", 0.5], ["+.5", 0.5], ["1e400", "1e400"],
            ["1.30", 1.3], ["1.30.3", "1.30.3"], ["1-30-3", "1-30-3"], ["12:30", "12:30"], ["+", "+"], ["-", "-"],
        ];
        for (const [text, expected] of rows) expect(resolveV3Number(text), text).to.deep.equal(expected);
        expect(value("a: 0777\nb: 1_000\nc: yes\nd: True\ne: ~\nf:\ng: 'x'\nh: !!str 12\n")).to.deep.equal({ a: 511, b: 1000, c: "yes", d: true, e: null, f: null, g: "x", h: "12" });
        expect(value("%YAML 1.1\n---\na: yes\nb: 0777\n")).to.deep.equal({ a: "yes", b: 511 });
    });

    it("merge keys: the map's own keys win, then the earlier maps", () => {
        expect(value("a: &a {x: 1, y: 2}\nb: &b {y: 3, z: 4}\nc:\n  <<: [*a, *b]\n  z: 5\n")).to.deep.equal({ a: { x: 1, y: 2 }, b: { y: 3, z: 4 }, c: { x: 1, y: 2, z: 5 } });
        expect(value("a: &a {x: 1}\nc:\n  x: 0\n  <<: *a\n")).to.deep.equal({ a: { x: 1 }, c: { x: 0 } });
        expect(problem("a: &x 1\nc:\n  <<: *x\n").kind).to.equal("syntax");
    });

    it("a key written twice is refused, compared as written (as yaml.v3 does)", () => {
        for (const text of ["a: 1\na: 2\n", "a: 1\n'a': 2\n", "1: a\n\"1\": b\n", "c:\n  <<: {x: 1}\n  <<: {y: 2}\n", "a: {x: 1, x: 2}\n"]) {
            expect(problem(text).message, text).to.match(/^duplicate key ".*" at line \d+ \(first at line \d+\); a key may appear once in a map$/);
        }
        expect(problem("config:\n  a: 1\n  b: 2\n  a: 3\n").message).to.equal('duplicate key "a" at line 4 (first at line 2); a key may appear once in a map');
        expect(value("1: a\n01: b\n")).to.deep.equal({ 1: "b" }); // different text: yaml.v3 keeps the later one
    });

    it("refuses, naming the line and the fix, what yaml.v3 reads into something else", () => {
        const rows: [string, RegExp][] = [
            ["config:\n  istio-mesh:mesh:\n\u00a0\u00a0\u00a0\u00a0revisions: []\n", /^line 3 is indented with U\+00A0 \(a non-breaking space\).*indent with ordinary spaces$/],
            ["a:\n\u2003b: 1\n", /^line 2 is indented with U\+2003 \(a Unicode space\)/],
            ["a:\n\tb: 1\n", /^line 2 is indented with a tab/],
            ["- \ta\n", /^line 1: a tab after `-`/],
            ["a: |\n \tx\n", /^line 2: a tab in a block scalar's indentation/],
            ["a: [?b]\n", /^line 1: "\?b" inside \[\.\.\.\] or \{\.\.\.\}: yaml\.v3 reads its `\?`/],
            ["a: 2001-12-14\n", /^"2001-12-14" at line 1 is a date: Pulumi \(yaml\.v3\) reads it as a timestamp, not as this text; quote it$/],
            ["a: .nan\n", /is \.nan is not a number JSON can carry/],
            ["a: 9007199254740993\n", /an integer beyond 2\^53/],
            ["a: !!binary aGk=\n", /^the tag !!binary at line 1: a stack file needs no YAML tags/],
            ["~: a\n", /^line 1: the key "~" is not a name \(yaml\.v3 reads it as null\); quote it$/],
            ["1.5: a\n", /reads it as a number with a fraction/],
            ["? [a]\n: b\n", /a map or list used as a key/],
            ["a: 1\n---\nb: 2\n", /^the file has 2 YAML documents/],
            ["a: 1\rb: 2\n", /^line 1: U\+000D \(a carriage return without a line feed\) is a line break to Pulumi/],
            ["a: b\u2028c\n", /^line 1: U\+2028 is a line break to Pulumi/],
            ["a: \u0007\n", /^line 1: the character U\+0007 is not allowed in YAML/],
            ["%YAML 1.2\n---\na: 1\n", /^%YAML 1\.2: yaml\.v3 \(Pulumi\) reads %YAML 1\.1 documents only/],
            ["a: &a\n  b: *a\n", /the alias \*a is inside the node it names/],
            [`${"k".repeat(1001)}: a\n`, /a key of 1001 characters/],
        ];
        for (const [text, message] of rows) expect(problem(text).message, JSON.stringify(text)).to.match(message);
    });

    it("reads what stack files are made of, and an empty file as nothing", () => {
        expect(value("")).to.equal(null);
        expect(value("# a comment\n")).to.equal(null);
        expect(value("\ufeffconfig:\n  istio-mesh:mesh:\n    revisions:\n      - version: 1.29.6 # pinned\n    namespaces: {bookinfo: prod-stable}\n")).to.deep.equal({ config: { "istio-mesh:mesh": { revisions: [{ version: "1.29.6" }], namespaces: { bookinfo: "prod-stable" } } } });
        expect(value("a:\tb\nc: [1,\t2]\n")).to.deep.equal({ a: "b", c: [1, 2] }); // tabs between tokens are fine
        expect(value("__proto__: {b: 1}\n")).to.have.own.property("__proto__");
    });
});
