/** The adopt stack file's small rules (components/adopt/stackFile.ts): escapes, quoting, and what it refuses to write, with the path. */
import { expect } from "chai";
import { commentText, stackFileText } from "../../components/adopt/stackFile";

describe("adopt: stack file rules", () => {
    it("comment escapes are \\uXXXX in upper case, \\n and \\t by name", () => {
        expect(commentText("a\uFEFFb\x85c\nd\te\u2028")).to.equal("a\\uFEFFb\\u0085c\\nd\\te\\u2028");
        expect(commentText("plain é")).to.equal("plain é");
    });

    it("the merge key << and text yaml.v3 reads as a number are double-quoted; ordinary text is not", () => {
        const text = stackFileText({ "istio-mesh:mesh": { a: "<<", b: "0777", c: "plain" } }, []);
        expect(text).to.include('a: "<<"');
        expect(text).to.include('b: "0777"');
        expect(text).to.include("c: plain");
    });

    it("a lone surrogate anywhere is refused naming where: in a list, in a key, deep in a map", () => {
        expect(() => stackFileText({ "istio-mesh:mesh": { a: ["x", "y\uD800"] } }, [])).to.throw(/^config\.istio-mesh:mesh\.a\[1\]: the text "y\\ud800" holds a lone UTF-16 surrogate, which YAML cannot carry$/);
        expect(() => stackFileText({ "istio-mesh:mesh": { ["k\uDC00"]: 1 } }, [])).to.throw(/^config\.istio-mesh:mesh \(a key\): the text "k\\udc00" holds a lone UTF-16 surrogate/);
        expect(() => stackFileText({ "istio-mesh:mesh": { a: { b: [{ c: "\uD800" }] } } }, [])).to.throw(/^config\.istio-mesh:mesh\.a\.b\[0\]\.c: /);
        expect(stackFileText({ "istio-mesh:mesh": { a: ["x", null, { b: 1 }] } }, ["header"])).to.match(/^# header\n/);
    });
});
