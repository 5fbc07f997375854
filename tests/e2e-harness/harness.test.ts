// Unit tests of the e2e harness's pure parts (the e2e tier itself needs the built binaries).
import { expect } from "chai";
import { injectionPatch } from "../e2e/harness/injector";
import { atLeast, semver } from "../e2e/harness/provider";
import { compare, explain, KNOWN } from "../e2e/tools/differential";
import type { SuiteRecord } from "../e2e/harness/record";

describe("e2e harness: istiod stand-in's injection patch", () => {
    it("adds the proxy container and sidecar.istio.io/status naming its revision", () => {
        const ops = injectionPatch({ metadata: { generateName: "web-" }, spec: { containers: [{ name: "app" }] } }, "1-30-3") as any[];
        expect(ops[0]).to.deep.equal({ op: "add", path: "/metadata/annotations", value: {} });
        expect(ops[1].path).to.equal("/metadata/annotations/sidecar.istio.io~1status");
        expect(JSON.parse(ops[1].value).revision).to.equal("1-30-3");
        expect(ops[2]).to.include({ op: "add", path: "/spec/containers/-" });
        expect(ops[2].value.name).to.equal("istio-proxy");
    });
    it("keeps existing annotations and leaves an injected pod alone", () => {
        const ops = injectionPatch({ metadata: { annotations: { a: "b" } }, spec: {} }, "1-29-6") as any[];
        expect(ops.map((o) => o.path)).to.deep.equal(["/metadata/annotations/sidecar.istio.io~1status", "/spec/containers/-"]);
        expect(injectionPatch({ metadata: { annotations: { "sidecar.istio.io/status": "{}" } } }, "1-29-6")).to.equal(undefined);
    });
});

describe("e2e harness: provider versions", () => {
    it("compares versions by number, not text", () => {
        expect(semver("v4.25.0")).to.deep.equal([4, 25, 0]);
        expect(atLeast("4.25.0", "4.29.0")).to.equal(false);
        expect(atLeast("4.29.0", "4.29.0")).to.equal(true);
        expect(atLeast("4.100.0", "4.29.0")).to.equal(true);
        expect(() => semver("stand-in")).to.throw("not a version");
    });
});

describe("e2e harness: differential check", () => {
    const rec = (state: Record<string, Record<string, unknown>>, steps: string[]): SuiteRecord => ({
        suite: "mesh",
        provider: "p",
        kind: "k",
        version: "v",
        scenarios: { "1. install": { state, steps: [{ what: "up", steps }] } },
    });
    it("finds no difference between equal records", () => {
        expect(compare([rec({ a: { x: 1 } }, ["create t::n"])], [rec({ a: { x: 1 } }, ["create t::n"])])).to.deep.equal([]);
    });
    it("names the object and the operation that differ, and a scenario missing on one side", () => {
        const d = compare([rec({ a: { x: 1 } }, ["create t::n"])], [rec({ a: { x: 2, y: 1 } }, ["update t::n"])]);
        expect(d.map((x) => x.where)).to.deep.equal(["state a x", "state a y", "steps up"]);
        const missing = compare([rec({}, [])], [{ ...rec({}, []), scenarios: {} }]);
        expect(missing.map((x) => x.where)).to.deep.equal(["scenario"]);
    });
    it("explains only the differences a KNOWN row matches", () => {
        const d = { suite: "mesh", scenario: "13. a tag pre-created", where: "steps up", real: [], standin: [] };
        expect(explain(d)?.reason).to.match(/#2926/);
        expect(explain({ ...d, where: "state namespaces /bookinfo" })).to.equal(undefined);
        expect(explain({ ...d, scenario: "2. canary" })).to.equal(undefined);
        expect(KNOWN.every((k) => k.reason.length > 0)).to.equal(true);
    });
    it("explains an istiod Deployment's replicas as the HPA's, and nothing else about it", () => {
        const dep = (replicas: number, image = "pilot:1.29.6") => ({ labels: {}, spec: { replicas, template: { spec: { containers: [{ image }] } } } });
        const d = { suite: "mesh", scenario: "5. rollback", where: "state deployments istio-system/istiod-1-29-6", real: dep(1), standin: dep(2) };
        expect(explain(d)?.reason).to.match(/HPA/);
        expect(explain({ ...d, standin: dep(2, "pilot:1.30.3") })).to.equal(undefined);
        expect(explain({ ...d, where: "state deployments bookinfo/web" })).to.equal(undefined);
    });
    it("ignores nodePorts and helm's modifiedAt label, which differ by run, and nothing else", () => {
        const svc = (nodePort: number, port = 80) => ({ spec: { ports: [{ name: "http2", port, nodePort }] } });
        const sec = (modifiedAt: string, status = "deployed") => ({ labels: { modifiedAt, status }, type: "helm.sh/release.v1" });
        expect(compare([rec({ services: { "ns/gw": svc(30001) }, secrets: { "ns/r": sec("1") } }, [])], [rec({ services: { "ns/gw": svc(31999) }, secrets: { "ns/r": sec("2") } }, [])])).to.deep.equal([]);
        const d = compare([rec({ services: { "ns/gw": svc(30001) }, secrets: { "ns/r": sec("1") } }, [])], [rec({ services: { "ns/gw": svc(30001, 81) }, secrets: { "ns/r": sec("1", "failed") } }, [])]);
        expect(d.map((x) => x.where)).to.deep.equal(["state services ns/gw", "state secrets ns/r"]);
        const mwc = (caBundle?: string) => ({ webhooks: [{ clientConfig: { ...(caBundle ? { caBundle } : {}) } }] });
        expect(compare([rec({ mutatingwebhookconfigurations: { "/t": mwc("QQ==") } }, [])], [rec({ mutatingwebhookconfigurations: { "/t": mwc("Qg==") } }, [])])).to.deep.equal([]);
        expect(compare([rec({ mutatingwebhookconfigurations: { "/t": mwc("QQ==") } }, [])], [rec({ mutatingwebhookconfigurations: { "/t": mwc() } }, [])])).to.have.length(1);
    });
});
