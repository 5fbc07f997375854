/**
 * scripts/istio-fixtures.ts: the recorded Istio facts are what a reference copy gives, and the
 * repository's own fixtures are complete (the suite reads nothing beside the repository).
 */
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { crdDocuments, CRD_KINDS, CRD_VERSION, defaultsOf, differences, fixturesFrom, FIXTURES, releasesOf } from "../../scripts/istio-fixtures";

/** A reference copy with one release, one chart, a schema, a two-CRD bundle and a rendered file. */
function referenceCopy(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "istio-ref-"));
    const put = (p: string, text: string) => {
        fs.mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
        fs.writeFileSync(path.join(dir, p), text);
    };
    put("SOURCES.md", `# x\n\n## ${CRD_VERSION}  (git tag \`${CRD_VERSION}\`, commit \`${"a".repeat(40)}\`, committed 2026-07-13)\n`);
    put(`${CRD_VERSION}/istiod/values.yaml`, "# comment\n_internal_defaults_do_not_set:\n  pilot:\n    replicaCount: 1\n");
    put(`${CRD_VERSION}/gateway/values.schema.json`, '{"$defs":{}}\n');
    const crd = (kind: string) => `apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nspec:\n  names:\n    kind: ${kind}\n`;
    put(`${CRD_VERSION}/crds/crd-all.gen.yaml`, `# DO NOT EDIT\n${[...CRD_KINDS, "EnvoyFilter"].map(crd).join("---\n")}`);
    put("rendered/1.30.3/revision-tags.yaml", "# helm template ...\nkind: Service\n");
    return dir;
}

describe("scripts: istio-fixtures", () => {
    it("reads each release's tag and commit from the reference copy's headings", () => {
        const md = "## 1.29.6  (git tag `1.29.6`, commit `" + "b".repeat(40) + "`, committed x)\n| row |\n## 1.30.3  (git tag `1.30.3`, commit `" + "c".repeat(40) + "`)";
        expect(releasesOf(md)).to.deep.equal([
            { version: "1.29.6", tag: "1.29.6", commit: "b".repeat(40) },
            { version: "1.30.3", tag: "1.30.3", commit: "c".repeat(40) },
        ]);
        expect(releasesOf("## 1.30.3 (no tag)")).to.deep.equal([]);
    });

    it("defaults: the tree inside either wrapper, or the whole document", () => {
        expect(defaultsOf("defaults:\n  a: 1\n")).to.deep.equal({ a: 1 });
        expect(defaultsOf("_internal_defaults_do_not_set:\n  b: 2\n")).to.deep.equal({ b: 2 });
        expect(defaultsOf("c: 3\n")).to.deep.equal({ c: 3 });
        expect(defaultsOf("")).to.deep.equal({});
    });

    it("CRDs: only the kinds asked for, each document's text unchanged", () => {
        const bundle = "kind: CustomResourceDefinition\nspec:\n  names:\n    kind: A\n---\nspec:\n  names:\n    kind: B\n---\n";
        const docs = crdDocuments(bundle, ["B"]);
        expect([...docs.keys()]).to.deep.equal(["B"]);
        expect(docs.get("B")).to.equal("spec:\n  names:\n    kind: B\n");
    });

    it("writes every fixture with its source, and reports each difference", () => {
        const ref = referenceCopy();
        const files = fixturesFrom(ref);
        expect([...files.keys()].sort()).to.deep.equal([`${CRD_VERSION}/crds.yaml`, `${CRD_VERSION}/gateway.values.schema.json`, `${CRD_VERSION}/istiod.defaults.json`, "SOURCES.md", "rendered/1.30.3/revision-tags.yaml"]);
        const istiod = JSON.parse(files.get(`${CRD_VERSION}/istiod.defaults.json`)!);
        expect(istiod).to.deep.equal({ source: `istio/istio tag ${CRD_VERSION} (commit ${"a".repeat(40)}) manifests/charts/istio-control/istio-discovery/values.yaml`, defaults: { pilot: { replicaCount: 1 } } });
        const crds = files.get(`${CRD_VERSION}/crds.yaml`)!;
        expect(crds.split("\n")[0]).to.match(/^# istio\/istio tag 1\.30\.3 \(commit a{40}\) manifests\/charts\/base\/files\/crd-all\.gen\.yaml: the CRDs of Gateway, /);
        expect(crds).to.not.include("EnvoyFilter");
        expect(files.get("SOURCES.md")).to.include(`| ${CRD_VERSION}/istiod.defaults.json | ${CRD_VERSION} | ${"a".repeat(40)} |`);

        const out = fs.mkdtempSync(path.join(os.tmpdir(), "istio-fx-"));
        expect(differences(files, out)).to.have.length(files.size);
        for (const [name, text] of files) {
            fs.mkdirSync(path.dirname(path.join(out, name)), { recursive: true });
            fs.writeFileSync(path.join(out, name), text);
        }
        expect(differences(files, out)).to.deep.equal([]);
        fs.writeFileSync(path.join(out, "SOURCES.md"), "edited");
        fs.writeFileSync(path.join(out, "extra.json"), "{}");
        expect(differences(files, out)).to.deep.equal(["differs: SOURCES.md", "not from the reference copy: extra.json"]);
    });

    it("refuses a reference copy whose SOURCES.md names no release, or whose bundle lacks a kind", () => {
        const ref = referenceCopy();
        fs.writeFileSync(path.join(ref, "SOURCES.md"), "# nothing\n");
        expect(() => fixturesFrom(ref)).to.throw(/names no release/);
        const ref2 = referenceCopy();
        fs.writeFileSync(path.join(ref2, CRD_VERSION, "crds", "crd-all.gen.yaml"), "spec:\n  names:\n    kind: Gateway\n");
        expect(() => fixturesFrom(ref2)).to.throw(/has no CRD for VirtualService, DestinationRule, Telemetry, PeerAuthentication/);
    });

    it("the repository carries the recorded facts: every supported minor's charts, the CRDs, the rendered tags", () => {
        const versions = fs.readdirSync(FIXTURES).filter((d) => /^\d+\.\d+\.\d+$/.test(d));
        expect(versions.length).to.be.at.least(9);
        for (const v of versions) {
            for (const chart of ["base", "istiod", "gateway", "cni"]) {
                expect(fs.existsSync(path.join(FIXTURES, v, `${chart}.defaults.json`)), `${v}/${chart}`).to.equal(true);
            }
        }
        expect(fs.existsSync(path.join(FIXTURES, CRD_VERSION, "crds.yaml"))).to.equal(true);
        expect(fs.readdirSync(path.join(FIXTURES, "rendered"))).to.include.members(["1.29.6", "1.30.3"]);
    });
});
