/**
 * The plan's linear YAML reader (scripts/plan.ts readSimpleYaml) reads every stack file first,
 * whatever its size: it must give exactly what the `yaml` package gives, or leave the file to
 * it (undefined), or refuse a duplicate key as the plan does. Checked on generated files:
 * block YAML of random config-like values, then edited as people edit files (indentation
 * off by one, comments, trailing blanks, quotes, tabs, lines dropped or repeated).
 */
import { expect } from "chai";
import * as fc from "fast-check";
import { parse, stringify } from "yaml";
import { readSimpleYaml } from "../../scripts/plan";

/** Words people write in stack files, and the scalars YAML reads as something else. */
const SCALARS = ["1.30.3", "1.30", "1.3", "01", "0x1F", "0o17", "1e3", ".inf", "-.inf", ".nan", "yes", "no", "on", "true", "False", "NULL", "~", "", " ", "a b", "a:b", "a: b", "a #b", "#x", "-x", "- x", "x-", "'q'", "\"q\"", "it's", "k8s.io/rev", "istio.io/rev", "prod-stable", "1-30-3", "@x", "!x", "*x", "&x", "|", ">", "{}", "[]", "%x", "`x`", "é", "-1", "+1", "0", "1_000"];
/** Scalars the reader leaves to the yaml package. */
const ODD_SCALARS = ["?x", "x\ty", "a\nb", "\\", "x\"y"];
const KEYS = ["config", "istio-mesh:mesh", "istio-mesh:cluster", "revisions", "version", "tags", "namespaces", "prod-stable", "a", "b", "x:y", "k8s.io/rev", "toString"];
/** Keys the reader leaves to the yaml package (quoted, or not plain words). */
const ODD_KEYS = ["1", "true", "null", "a b", "-a", "__proto__", "é"];

/** A stack file is a map at the top. */
const file: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
    leaf: fc.oneof(
        { arbitrary: fc.constantFrom(...SCALARS), weight: 12 },
        fc.constantFrom(...ODD_SCALARS),
        fc.integer({ min: -1000, max: 1000 }),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.boolean(),
        fc.constant(null),
        fc.string({ maxLength: 6, unit: "grapheme-ascii" }),
    ),
    node: fc.oneof({ depthSize: "small", withCrossShrink: true }, tie("leaf"), tie("map"), tie("list")),
    map: fc.dictionary(fc.oneof({ arbitrary: fc.constantFrom(...KEYS), weight: 12 }, fc.constantFrom(...ODD_KEYS), fc.string({ minLength: 1, maxLength: 5, unit: "grapheme-ascii" })), tie("node"), { maxKeys: 4 }),
    list: fc.array(tie("node"), { maxLength: 4 }),
})).map;

type Edit = (lines: string[], at: number) => string[];
const EDITS: Edit[] = [
    (l, at) => l.map((s, i) => (i === at ? ` ${s}` : s)),
    (l, at) => l.map((s, i) => (i === at ? s.replace(/^ /, "") : s)),
    (l, at) => l.map((s, i) => (i === at ? `${s} # note` : s)),
    (l, at) => l.map((s, i) => (i === at ? `${s}   ` : s)),
    (l, at) => l.map((s, i) => (i === at ? s.replace(/: /, ":  ") : s)),
    (l, at) => l.map((s, i) => (i === at ? s.replace(/^(\s*)/, "$1\t") : s)),
    (l, at) => [...l.slice(0, at), "# comment", ...l.slice(at)],
    (l, at) => [...l.slice(0, at), ...l.slice(at + 1)],
    (l, at) => [...l.slice(0, at + 1), l[at] ?? "", ...l.slice(at + 1)],
    (l, at) => l.map((s, i) => (i === at ? s.replace(/: (.+)$/, ": '$1'") : s)),
    (l, at) => l.map((s, i) => (i === at ? s.replace(/: (.+)$/, ': "$1"') : s)),
    (l, at) => l.map((s, i) => (i === at ? s.replace(/^(\s*)- /, "$1-   ") : s)),
];

/** What the plan reads: the reader's value, else the `yaml` package's (a throw is a refusal). */
function outcome(read: () => unknown): { value: unknown } | { error: true } {
    try {
        return { value: read() };
    } catch {
        return { error: true };
    }
}

describe("scripts/plan.ts: the linear YAML reader agrees with the yaml package", () => {
    it("on block YAML of random values, and on the same files edited by hand", () => {
        let read = 0;
        fc.assert(
            fc.property(file, fc.array(fc.tuple(fc.nat(EDITS.length - 1), fc.nat(40)), { maxLength: 3 }), (v, edits) => {
                let lines = stringify(v).split("\n");
                for (const [e, at] of edits) lines = EDITS[e](lines, at % Math.max(lines.length, 1));
                const text = lines.join("\n");
                const expected = outcome(() => parse(text, { uniqueKeys: true }));
                let simple: { value: unknown } | undefined | "duplicate";
                try {
                    simple = readSimpleYaml(text);
                } catch (e) {
                    expect((e as Error).message, text).to.match(/^duplicate key/);
                    simple = "duplicate";
                }
                if (simple === undefined) return; // left to the yaml package: the same answer by construction
                read++;
                if (simple === "duplicate") {
                    expect(expected, `yaml reads a file the reader calls a duplicate:\n${text}`).to.deep.equal({ error: true });
                    return;
                }
                expect(expected, `the reader reads a file the yaml package refuses:\n${text}`).to.have.property("value");
                expect(simple.value, text).to.deep.equal((expected as { value: unknown }).value);
            }),
            { numRuns: 3000 },
        );
        // The property means something only if the reader takes many files itself (about one in six:
        // one odd key or scalar anywhere leaves the whole file to the yaml package).
        expect(read).to.be.greaterThan(300);
    });
});
