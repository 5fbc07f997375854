import { expect } from "chai";
import { expectations, Release } from "../../scripts/render-check";

const release = (chart: string, values: Record<string, unknown>): Release => ({ file: "f.yaml", resource: "r", chart, version: "1.30.3", name: "n", namespace: "istio-system", values });
const pod = (containers: unknown[], labels: Record<string, string> = {}) => ({ template: { metadata: { labels }, spec: { containers } } });

describe("scripts/render-check: what a rendered chart must say", () => {
    it("istiod: the revision's Deployment, injector webhook and labels; PILOT_ENABLE_AMBIENT with profile ambient; images from the hub", () => {
        const good = [
            { kind: "Deployment", metadata: { name: "istiod-1-30-3", labels: { "istio.io/rev": "1-30-3" } }, spec: pod([{ name: "discovery", image: "reg/pilot:1.30.3", env: [{ name: "PILOT_ENABLE_AMBIENT", value: "true" }] }]) },
            { kind: "MutatingWebhookConfiguration", metadata: { name: "istio-sidecar-injector-1-30-3" } },
        ];
        const values = { revision: "1-30-3", profile: "ambient", global: { hub: "reg" } };
        expect(expectations(release("istiod", values), good)).to.deep.equal([]);
        const bad = [{ ...good[0], metadata: { name: "istiod-1-30-3", labels: { "istio.io/rev": "default" } }, spec: pod([{ name: "discovery", image: "docker.io/istio/pilot:1.30.3" }]) }];
        expect(expectations(release("istiod", values), bad)).to.deep.equal([
            "Deployment istiod-1-30-3 container discovery: image docker.io/istio/pilot:1.30.3 is not from hub reg",
            "no MutatingWebhookConfiguration istio-sidecar-injector-1-30-3",
            "Deployment istiod-1-30-3: istio.io/rev default, not 1-30-3",
            'Deployment istiod-1-30-3: PILOT_ENABLE_AMBIENT is not "true" with profile ambient',
        ]);
        expect(expectations(release("istiod", { revision: "1-30-3" }), [])).to.include("no Deployment istiod-1-30-3");
    });

    it("cni: one DaemonSet, AMBIENT_ENABLED with profile ambient", () => {
        const ds = { kind: "DaemonSet", metadata: { name: "istio-cni-node" }, spec: pod([]) };
        expect(expectations(release("cni", { profile: "ambient" }), [ds, { kind: "ConfigMap", metadata: { name: "istio-cni-config" }, data: { AMBIENT_ENABLED: "true" } }])).to.deep.equal([]);
        expect(expectations(release("cni", { profile: "ambient" }), [ds, { kind: "ConfigMap", metadata: { name: "istio-cni-config" }, data: { AMBIENT_ENABLED: "false" } }])).to.deep.equal([
            'ConfigMap istio-cni-config: AMBIENT_ENABLED is not "true" with profile ambient',
        ]);
        expect(expectations(release("cni", {}), [])).to.deep.equal(["0 DaemonSets, not 1"]);
    });

    it("ztunnel: its control-plane addresses are its revision's istiod", () => {
        const ds = (addr: string) => ({ kind: "DaemonSet", metadata: { name: "ztunnel" }, spec: pod([{ name: "istio-proxy", env: [{ name: "XDS_ADDRESS", value: addr }] }]) });
        expect(expectations(release("ztunnel", { revision: "1-30-3" }), [ds("istiod-1-30-3.istio-system.svc:15012")])).to.deep.equal([]);
        expect(expectations(release("ztunnel", { revision: "1-30-3" }), [ds("istiod.istio-system.svc:15012")])).to.deep.equal([
            "DaemonSet ztunnel: XDS_ADDRESS istiod.istio-system.svc:15012 is not revision 1-30-3's istiod",
        ]);
    });

    it("gateway: its pods carry the revision (or tag) it follows; its image is the injector's", () => {
        const d = (rev: string) => ({ kind: "Deployment", metadata: { name: "gw" }, spec: pod([{ name: "istio-proxy", image: "auto" }], { "istio.io/rev": rev }) });
        expect(expectations(release("gateway", { revision: "prod-stable", global: { hub: "reg" } }), [d("prod-stable")])).to.deep.equal([]);
        expect(expectations(release("gateway", { revision: "prod-stable" }), [d("1-29-6")])).to.deep.equal(["Deployment gw: pod label istio.io/rev 1-29-6, not prod-stable"]);
    });
});
