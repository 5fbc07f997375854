/** Tag object names and labels outside the defaults the rendered-chart comparison covers. */
import { expect } from "chai";
import { istiodServiceName, tagLabels, tagServiceName, tagWebhookName } from "../../components/tags/webhooks";

describe("tags: names and labels", () => {
    it("cluster-scoped webhook names carry the namespace outside istio-system", () => {
        expect(tagWebhookName("prod", "istio-system")).to.equal("istio-revision-tag-prod");
        expect(tagWebhookName("prod", "mesh-system")).to.equal("istio-revision-tag-prod-mesh-system");
        expect(tagServiceName("prod")).to.equal("istiod-revision-tag-prod");
        expect(istiodServiceName("1-30-3")).to.equal("istiod-1-30-3");
    });

    it("labels name the tag, its revision, the injector app and this program", () => {
        expect(tagLabels({ tag: "prod", revision: "1-30-3", namespace: "istio-system" })).to.deep.equal({
            "istio.io/tag": "prod",
            "istio.io/rev": "1-30-3",
            app: "sidecar-injector",
            "app.kubernetes.io/managed-by": "istio-mesh",
        });
    });
});
