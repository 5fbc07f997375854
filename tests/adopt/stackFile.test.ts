/**
 * The stack file `npm run adopt` writes, against text from the cluster that tries to escape its
 * place: newlines, `#`, `---`, `: `, YAML 1.1 line breaks (U+2028, U+0085), tabs, quotes, merge
 * keys, numbers yaml.v3 reads differently. Read back with the program's own stack reader
 * (readStackYaml, yaml.v3's behaviour), the file holds exactly the config adopt meant: the key
 * `config` and nothing else, every value as it was read. Random strings (fast-check).
 */
import { expect } from "chai";
import * as fc from "fast-check";
import { collectLive } from "../../components/adopt/collect";
import { adoptMesh } from "../../components/adopt/mapping";
import { renderStackFile } from "../../components/adopt/report";
import { commentText, stackFileText } from "../../components/adopt/stackFile";
import { stackConfigOf } from "../../components/adopt/verify";
import { readStackYaml } from "../../components/config/stackYaml";
import { adoptCommand } from "../../scripts/adopt";
import { recordedWith } from "./recorded";
import { MUTATION_RUN_ENV } from "../support/mutationRun";

/** Pieces that mean something to YAML, to a comment or to a line reader. */
const PIECES = ["\n", "\r", "\r\n", "#", " #", "---", "...", ": ", ":", "- ", "\u2028", "\u2029", "\u0085", "\t", "'", '"', "\\", "<<", "1_000", "0777", "2026-01-01", "&a", "*a", "!!str", "{", "}", "[", "]", "|", ">", "%YAML 1.2", "@", "`", " ", "\u00A0", "\uFEFF", "\x00", "\x1b", "\x7f", "\u009f", "é", "😀", "secretsprovider: passphrase", "encryptionsalt: v1:x", "config:", "a"];
const hostile = fc.array(fc.oneof(fc.constantFrom(...PIECES), fc.string({ maxLength: 3 })), { minLength: 1, maxLength: 8 }).map((p) => p.join(""));

const readBack = (text: string): unknown => {
    const read = readStackYaml(text);
    expect(read, text).to.have.property("value");
    return (read as { value: unknown }).value;
};

describe("adopt: the stack file keeps cluster text in its place", () => {
    it("a comment line stays one line with nothing YAML or a line reader would act on", () => {
        fc.assert(
            fc.property(hostile, (s) => {
                const c = commentText(s);
                expect(c).to.not.match(/[\n\r\t\x00-\x1f\x7f-\x9f\u2028\u2029\uFEFF]/);
                expect(readBack(`# ${c}\nconfig: {}\n`)).to.deep.equal({ config: {} });
            }),
        );
        expect(commentText("a\nsecretsprovider: x")).to.equal("a\\nsecretsprovider: x");
        expect(commentText("a\u2028b\tc")).to.equal("a\\u2028b\\tc");
    });

    it("hostile keys and values in the config and hostile findings: the file reads back as exactly { config }", () => {
        const value = fc.oneof(hostile, fc.integer(), fc.boolean(), fc.constant(null), fc.array(hostile, { maxLength: 2 }));
        const values = fc.dictionary(hostile, fc.oneof(value, fc.dictionary(hostile, value, { maxKeys: 2 })), { maxKeys: 3 });
        const finding = fc.record({ kind: fc.constantFrom("change", "left-alone", "note" as const), subject: hostile, message: hostile, fix: fc.option(hostile, { nil: undefined }) });
        fc.assert(
            fc.property(values, hostile, hostile, fc.array(finding, { maxLength: 4 }), (gatewayValues, context, name, findings) => {
                const config = { "istio-mesh:cluster": { context }, "istio-mesh:mesh": { gateways: { [name]: { namespace: name, values: gatewayValues } } } };
                const text = renderStackFile(config, findings, [], { stack: "prod", context, namespace: "istio-system", readAt: "2026-11-24T10:00:00.000Z" });
                const back = readBack(text);
                expect(Object.keys(back as object)).to.deep.equal(["config"]);
                expect(back).to.deep.equal({ config });
                // Every line before `config:` is a comment: nothing reached column 0 as a key.
                const lines = text.split("\n");
                const start = lines.indexOf("config:");
                expect(lines.slice(0, start).every((l) => l.startsWith("#")), text).to.equal(true);
                expect(lines.slice(start + 1).every((l) => l === "" || l.startsWith("  ")), text).to.equal(true);
            }),
            // Fewer runs under a mutant (each surviving mutant runs them all); hostile strings hit every branch early.
            { numRuns: process.env[MUTATION_RUN_ENV] === "1" ? 30 : 300 },
        );
    });

    it("the issue's injection: a chart name with newlines adds no top-level key", () => {
        const chart = "evil-1.0.0\nsecretsprovider: hashivault://attacker\n---\nconfig:\n  istio-mesh:mesh: {}";
        const text = renderStackFile({ "istio-mesh:mesh": { revisions: [{ version: "1.29.6" }] } }, [{ kind: "left-alone", subject: "release istio-system/x", message: `chart ${chart} is not an Istio chart the stack manages` }], [], { stack: "prod", context: "", namespace: "istio-system", readAt: "t" });
        expect(readBack(text)).to.deep.equal({ config: { "istio-mesh:mesh": { revisions: [{ version: "1.29.6" }] } } });
        expect(text).to.contain("# - release istio-system/x: chart evil-1.0.0\\nsecretsprovider: hashivault://attacker\\n---\\nconfig:\\n  istio-mesh:mesh: {} is not");
    });

    it("refuses a config it cannot write faithfully instead of writing a different one", () => {
        expect(() => stackFileText({ "istio-mesh:mesh": { a: "x\uD800" } }, [])).to.throw(/lone UTF-16 surrogate/);
        expect(() => stackFileText({ "istio-mesh:mesh": { big: 2 ** 60 } }, [])).to.throw(/would be refused when read back/);
    });

    it("npm run adopt on a cluster whose release, chart, namespace and values carry hostile text writes exactly the intended config", () => {
        fc.assert(
            fc.property(hostile, hostile, hostile, hostile, hostile, hostile, (release, chart, namespace, annotationKey, annotationValue, contextTail) => {
                const context = `prod${contextTail}`; // the command refuses a blank --context
                const run = recordedWith("helm-1.28-1.29", {
                    "helm list --all-namespaces --all --output json": (doc) => [...doc, { name: release, namespace: "istio-system", revision: "1", status: "deployed", chart }],
                    "helm get values istio-ingressgateway --namespace istio-ingress --output json": (doc) => ({ ...doc, podAnnotations: { [annotationKey]: annotationValue } }),
                    "kubectl get namespaces --output json": (doc) => ({ ...doc, items: [...doc.items, { metadata: { name: namespace, labels: { "istio-injection": "disabled" } } }] }),
                });
                const written = new Map<string, string>();
                const printed: string[] = [];
                const code = adoptCommand(["--stack", "prod", "--context", context, "--accept-changes"], { run, exists: () => false, write: (f, t) => written.set(f, t), print: (t) => printed.push(t), now: () => new Date(0) });
                const intended = stackConfigOf(adoptMesh(collectLive(run, "istio-system")), { context });
                expect(code, printed.join("\n")).to.equal(0);
                const back = readBack(written.get("Pulumi.prod.yaml")!);
                expect(Object.keys(back as object)).to.deep.equal(["config"]);
                expect(back).to.deep.equal({ config: intended });
                const mesh = (back as { config: Record<string, { gateways: Record<string, { values: { podAnnotations: Record<string, string> } }> }> }).config["istio-mesh:mesh"];
                expect(mesh.gateways["istio-ingressgateway"].values.podAnnotations).to.deep.equal({ [annotationKey]: annotationValue });
            }),
            { numRuns: process.env[MUTATION_RUN_ENV] === "1" ? 10 : 100 },
        );
    });
});
