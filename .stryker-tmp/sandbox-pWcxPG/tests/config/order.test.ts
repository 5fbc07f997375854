/**
 * Sorting that shapes resource names and output must not depend on the machine's locale.
 * The test machine's own collation happens to agree with code points for DNS labels, so the
 * locale of a machine that does not (numeric collation, punctuation ignored) is simulated by
 * replacing String.prototype.localeCompare for the duration of a test.
 */
// @ts-nocheck

import { expect } from "chai";
import { byCodePoint, byKey } from "../../components/config/order";
import { parseMesh } from "../support/fixtures";

/** Collation of a machine where "ns9" < "ns10" and '-' is ignored ("ab" < "a-c"). */
const foreign = new Intl.Collator("en-u-kn-true", { ignorePunctuation: true });

function underForeignLocale<T>(f: () => T): T {
    const original = String.prototype.localeCompare;
    // eslint-disable-next-line no-extend-native
    String.prototype.localeCompare = function (this: string, that: string) {
        return foreign.compare(this, that);
    };
    try {
        return f();
    } finally {
        // eslint-disable-next-line no-extend-native
        String.prototype.localeCompare = original;
    }
}

const NAMES = ["ns10", "ns9", "ns-b", "nsa", "a-c", "ab", "a1", "a-1"];
const CODE_POINT_ORDER = ["a-1", "a-c", "a1", "ab", "ns-b", "ns10", "ns9", "nsa"];

describe("config: locale-independent ordering", () => {
    it("byCodePoint orders by code point ('-' < digits < letters, no numeric collation)", () => {
        expect([...NAMES].sort(byCodePoint)).to.deep.equal(CODE_POINT_ORDER);
        expect(byCodePoint("a", "a")).to.equal(0);
        expect(byCodePoint("a", "ab")).to.be.lessThan(0);
        expect(byCodePoint("ab", "a")).to.be.greaterThan(0);
        // Code points, not UTF-16 units: U+FF61 sorts before U+1F600 (its surrogates are 0xD83D...).
        expect(byCodePoint("\uFF61", "\u{1F600}")).to.be.lessThan(0);
        expect(Object.entries({ b: 1, "a-1": 2, a1: 3 }).sort(byKey)).to.deep.equal([["a-1", 2], ["a1", 3], ["b", 1]]);
    });

    it("the simulated locale really orders these names differently (the test below is meaningful)", () => {
        const localized = underForeignLocale(() => [...NAMES].sort((a, b) => a.localeCompare(b)));
        expect(localized).to.not.deep.equal(CODE_POINT_ORDER);
    });

    it("revisions, tags, namespaces and gateways come out in code-point order under any locale", () => {
        const mesh = {
            revisions: [
                { version: "1.30.3", name: "r10" },
                { version: "1.29.6", name: "r9" },
                { version: "1.30.2", name: "r-b" },
                { version: "1.30.1", name: "ra" },
            ],
            tags: { t10: "r10", t9: "r9", "t-b": "r-b", ta: "ra" },
            defaultRevision: "r10",
            namespaces: Object.fromEntries(NAMES.map((n) => [n, "t10"])),
            gateways: Object.fromEntries(["g10", "g9", "g-b", "ga"].map((g) => [g, { revision: "t10" }])),
        };
        for (const config of [parseMesh(mesh), underForeignLocale(() => parseMesh(mesh))]) {
            expect(config.revisions.map((r) => r.name)).to.deep.equal(["r-b", "r10", "r9", "ra"]);
            expect(Object.keys(config.tags)).to.deep.equal(["t-b", "t10", "t9", "ta"]);
            expect(config.namespaces.map((n) => n.name)).to.deep.equal(CODE_POINT_ORDER);
            expect(config.gateways.map((g) => g.name)).to.deep.equal(["g-b", "g10", "g9", "ga"]);
        }
    });
});
