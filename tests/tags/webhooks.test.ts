import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { parseAllDocuments } from "yaml";
import { tagLabels, tagServiceSpec, tagWebhookName, tagWebhooks } from "../../components/tags/webhooks";
import { ISTIO_FIXTURES } from "../support/fixtures";

/** Objects of `helm template` output, by kind/name. */
function rendered(version: string): Map<string, Record<string, any>> {
    const docs = parseAllDocuments(fs.readFileSync(path.join(ISTIO_FIXTURES, "rendered", version, "revision-tags.yaml"), "utf8"));
    return new Map(docs.map((d) => d.toJSON()).filter(Boolean).map((o) => [`${o.kind}/${o.metadata.name}`, o]));
}

for (const version of ["1.29.6", "1.30.3"]) {
    describe(`tags: webhooks match istiod ${version}'s own revision-tags templates`, () => {
        const objects = rendered(version);
        const revision = version.replace(/\./g, "-");
        for (const tag of ["prod-stable", "default"]) {
            it(`${tag}: webhooks, selectors, service and labels`, () => {
                const target = { tag, revision, namespace: "istio-system" };
                const mwc = objects.get(`MutatingWebhookConfiguration/istio-revision-tag-${tag}`)!;
                expect(tagWebhooks(target)).to.deep.equal(mwc.webhooks);
                expect(tagLabels(target)).to.include({ "istio.io/tag": tag, "istio.io/rev": revision });
                const svc = objects.get(`Service/istiod-revision-tag-${tag}`)!;
                expect(tagServiceSpec(target)).to.deep.equal(svc.spec);
            });
        }
    });
}

describe("tags: names", () => {
    it("appends the namespace outside istio-system, as the chart does", () => {
        expect(tagWebhookName("prod", "istio-system")).to.equal("istio-revision-tag-prod");
        expect(tagWebhookName("prod", "mesh")).to.equal("istio-revision-tag-prod-mesh");
    });
});
