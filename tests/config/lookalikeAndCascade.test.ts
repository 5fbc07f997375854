/**
 * Issue 21, messages: one mistake gives one issue; no list ends empty; a name with a
 * look-alike character names its code point; a key under the wrong namespace is unknown; a
 * `__proto__` key is never dropped without a word (through the YAML reader and JSON.parse).
 */
import { expect } from "chai";
import * as fc from "fast-check";
import { readStackYaml } from "../../components/config/stackYaml";
import { lookalikeOf, oddCharacterNote, oddCharacters, plainSpelling, withCodePoints } from "../../components/config/lookalike";
import { unsafeKeyIssues } from "../../components/config/unsafeKeys";
import { configIssues, meshIssues } from "../support/fixtures";

const M = "istio-mesh:mesh";
const REV = [{ version: "1.30.3" }];

/** The issues of a stack file's text, read as the plan reads it. */
function fileIssues(text: string): string[] {
    const read = readStackYaml(text) as { value?: { config: Record<string, unknown> } };
    expect(read.value, text).to.not.equal(undefined);
    return configIssues(read.value!.config);
}

describe("config: look-alike characters", () => {
    const cases: [string, string, string, string][] = [
        // [written, plain, code point, what]
        ["pr\u043Ed", "prod", "U+043E", "Cyrillic small o"],
        ["c\u0430nary", "canary", "U+0430", "Cyrillic small a"],
        ["prod\u00A0", "prod ", "U+00A0", "non-breaking space"],
        ["1-30-3\u200B", "1-30-3", "U+200B", "zero-width space"],
        ["1-\uFF130-3", "1-30-3", "U+FF13", "fullwidth digit 3"],
        ["1\u20130-3", "1-0-3", "U+2013", "en dash"],
        ["\u0440rod", "prod", "U+0440", "Cyrillic small er"],
    ];
    for (const [written, plain, cp, what] of cases) {
        it(`${cp} (${what}): named in the note, read as ASCII for "did you mean"`, () => {
            expect(plainSpelling(written)).to.equal(plain);
            expect(oddCharacterNote(written)).to.contain(`${cp} (${what}`);
        });
    }

    it("plain ASCII has no odd character, no note and no look-alike (property)", () => {
        fc.assert(fc.property(fc.string({ unit: fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz0123456789-. ") }), (s) => {
            expect(oddCharacters(s)).to.deep.equal([]);
            expect(oddCharacterNote(s)).to.equal(undefined);
            expect(lookalikeOf(s, [s, "prod"])).to.equal(undefined);
        }));
    });

    it("a message already naming a code point is left as it is; others quoting an odd value get one note", () => {
        const already = { path: `${M}.x`, message: 'line 3 is indented with U+00A0' };
        expect(withCodePoints([already])).to.deep.equal([already]);
        const [i] = withCodePoints([{ path: `${M}.tags.pr\u043Ed`, message: '"pr\u043Ed" is not a DNS label' }]);
        expect(i.message.match(/U\+043E/g)).to.have.length(1);
    });

    it("a reference that differs from a revision or tag by a look-alike: the code point and the name it passes for", () => {
        const mesh = { revisions: REV, tags: { prod: "1-30-3" } };
        expect(meshIssues({ ...mesh, namespaces: { shop: "pr\u043Ed" } })).to.deep.equal([
            `${M}.namespaces.shop: "pr\u043Ed" is neither a revision (1-30-3) nor a tag (prod); point it at one of them (did you mean "prod"?) ("pr\u043Ed" contains U+043E (Cyrillic small o, looks like "o") at character 3; retype it in plain ASCII)`,
        ]);
        const [d] = meshIssues({ revisions: REV, defaultRevision: "1-30-3\u200B" });
        expect(d).to.match(/^istio-mesh:mesh\.defaultRevision: .*\(did you mean "1-30-3"\?\) .*U\+200B \(zero-width space, invisible\) at character 7/);
        const [t] = meshIssues({ revisions: REV, tags: { prod: "1-\uFF130-3" } });
        expect(t).to.match(/tags\.prod: points at "1-\uFF130-3", which is not a revision \(did you mean "1-30-3"\?\); tags point at one of: 1-30-3 .*U\+FF13 \(fullwidth digit 3/);
        const [g] = meshIssues({ ...mesh, gateways: { gw: { revision: "c\u0430nary" } } });
        expect(g).to.match(/gateways\.gw\.revision: .*U\+0430 \(Cyrillic small a/);
    });

    it("a name with a look-alike (tag, namespace, revision name) names the code point in its DNS-label issue", () => {
        expect(meshIssues({ revisions: REV, tags: { "pr\u043Ed": "1-30-3" } })[0]).to.match(/tags\.pr\u043Ed: "pr\u043Ed" is not a DNS label.*U\+043E/);
        expect(meshIssues({ revisions: REV, namespaces: { "sh\u043Ep\u00A0": "1-30-3" } })[0]).to.match(/U\+043E .*U\+00A0 \(non-breaking space/);
        expect(meshIssues({ revisions: [{ version: "1.30.3", name: "c\u0430nary" }] })[0]).to.match(/revisions\[0\]\.name: .*U\+0430/);
    });
});

describe("config: one mistake, one issue", () => {
    it("a tag in error with a look-alike, referenced in plain ASCII: only the tag's issue", () => {
        expect(meshIssues({ revisions: REV, tags: { "pr\u043Ed": "1-30-3" }, defaultRevision: "prod", namespaces: { shop: "prod" }, gateways: { gw: { revision: "prod" } } })).to.have.length(1);
    });
    it("a revision name in error, referenced in another case or spelling of it: only the revision's issue", () => {
        expect(meshIssues({ revisions: [{ version: "1.30.3", name: "C\u0430nary" }], tags: { prod: "canary" }, namespaces: { shop: "canary" } })).to.have.length(1);
        expect(meshIssues({ revisions: [{ version: "1.30.3", name: "Canary" }], tags: { prod: "canary" }, namespaces: { shop: "prod" } })).to.have.length(1);
    });
    it("a revision whose version is in error: its tags, namespaces and default are not reported again", () => {
        const issues = meshIssues({ revisions: [{ version: "1.30.99" }, { version: "1.29.6" }], tags: { canary: "1-30-99" }, defaultRevision: "canary", namespaces: { shop: "canary" }, gateways: { gw: { revision: "canary" } } });
        expect(issues).to.have.length(1);
        expect(issues[0]).to.match(/revisions\[0\]\.version/);
    });
});

describe("config: no list that ends empty", () => {
    it("with no valid revision, a tag to an unknown name says there is none and what to fix", () => {
        const issues = meshIssues({ revisions: [{ version: "1.30.x" }], tags: { prod: "canary" } });
        expect(issues).to.deep.equal([
            `${M}.revisions[0].version: "1.30.x" is not a full Istio release; write MAJOR.MINOR.PATCH, e.g. "1.30.3"`,
            `${M}.tags.prod: points at "canary", which is not a revision; no revision is valid yet (fix the issues under mesh.revisions first)`,
        ]);
    });
    it("no tags: says mesh.tags defines none", () => {
        expect(meshIssues({ revisions: REV, namespaces: { shop: "x" } })).to.deep.equal([`${M}.namespaces.shop: "x" is neither a revision (1-30-3) nor a tag (mesh.tags defines none); point it at one of them`]);
    });
    it("no message of any bad reference ends in an empty list (property over names and revision sets)", () => {
        const name = fc.stringMatching(/^[a-z][a-z0-9-]{0,8}[a-z0-9]$/);
        fc.assert(fc.property(fc.array(fc.constantFrom("1.30.3", "1.29.6", "1.30.x", "1.28.99"), { minLength: 1, maxLength: 3 }), name, name, (versions, tag, target) => {
            const revisions = [...new Set(versions)].map((version) => ({ version }));
            for (const line of meshIssues({ revisions, tags: { [tag]: target }, namespaces: { shop: target }, defaultRevision: target })) {
                expect(line).to.not.match(/(one of|:|\(|,)\s*(\)|;|$)/);
            }
        }), { numRuns: 60 });
    });
});

describe("config: keys under the wrong namespace", () => {
    it("istio:mesh is reported as unknown with the fix, and not again as istio-mesh:mesh missing", () => {
        expect(configIssues({ "istio:mesh": { revisions: REV } })).to.deep.equal([
            "istio:mesh: unknown key (wrong namespace istio:): write the key as `istio-mesh:mesh`; the program reads istio-mesh:cluster and istio-mesh:mesh",
        ]);
        expect(configIssues({ "istio:cluster": { kind: "existing" }, [M]: { revisions: REV } })).to.have.length(1);
    });
    it("from a stack file: a key of a namespace nothing reads is reported", () => {
        const issues = fileIssues(`config:\n  istio-mesh:mesh:\n    revisions:\n      - version: 1.30.3\n  aws:region: eu-west-1\n  kubernetes:context: prod\n`);
        expect(issues).to.have.length(1);
        expect(issues[0]).to.match(/^aws:region: unknown key: nothing in this program reads the aws: namespace/);
    });
});

describe("config: __proto__ and other Object member names", () => {
    const mesh = (extra: string) => `config:\n  istio-mesh:mesh:\n    revisions:\n      - version: 1.30.3\n${extra}`;
    for (const [where, extra, path] of [
        ["a tag", "    tags:\n      __proto__: 1-30-3\n", `${M}.tags.__proto__`],
        ["a namespace", "    namespaces:\n      __proto__: 1-30-3\n", `${M}.namespaces.__proto__`],
        ["a gateway", "    gateways:\n      __proto__: {revision: 1-30-3}\n", `${M}.gateways.__proto__`],
        ["a label key", "    namespaces:\n      shop: {revision: 1-30-3, labels: {__proto__: x}}\n", `${M}.namespaces.shop.labels.__proto__`],
        ["a Helm value", "    revisions:\n      - version: 1.29.6\n        values: {__proto__: {a: 1}}\n    defaultRevision: 1-30-3\n", `${M}.revisions[1].values.__proto__`],
    ]) {
        it(`as ${where}: one issue at its path, from the YAML reader and from JSON (the runtime's form)`, () => {
            const text = mesh(extra).replace("    revisions:\n      - version: 1.30.3\n    revisions:\n", "    revisions:\n      - version: 1.30.3\n");
            const issues = fileIssues(text);
            expect(issues, text).to.have.length(1);
            expect(issues[0]).to.match(new RegExp(`^${path.replace(/[.[\]]/g, "\\$&")}: "__proto__" cannot be a name here`));
            const read = readStackYaml(text) as { value: { config: Record<string, unknown> } };
            const asJson = Object.fromEntries(Object.entries(read.value.config).map(([k, v]) => [k, JSON.stringify(v)]));
            expect(configIssues(asJson)).to.deep.equal(issues);
        });
    }
    it("keeps every other key, and the value untouched where there is none", () => {
        const v = JSON.parse('{"tags":{"__proto__":"a","prod":"b"},"x":[{"__proto__":1,"y":2}]}');
        const out = unsafeKeyIssues(M, v);
        expect(out.issues.map((i) => i.path)).to.deep.equal([`${M}.tags.__proto__`, `${M}.x[0].__proto__`]);
        expect(out.value).to.deep.equal({ tags: { prod: "b" }, x: [{ y: 2 }] });
        const plain = { tags: { prod: "b" } };
        expect(unsafeKeyIssues(M, plain).value).to.equal(plain);
    });
    it("constructor, hasOwnProperty, toString: names like any other (refused only as non-DNS labels)", () => {
        expect(meshIssues({ revisions: REV, tags: { constructor: "1-30-3" } })).to.deep.equal([]);
        expect(meshIssues({ revisions: REV, tags: { hasOwnProperty: "1-30-3" } })[0]).to.match(/tags\.hasOwnProperty: "hasOwnProperty" is not a DNS label/);
        expect(meshIssues({ revisions: REV, namespaces: { tostring: "1-30-3" } })).to.deep.equal([]);
    });
});
