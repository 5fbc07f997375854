/**
 * The sample's routing objects, each validated against its 1.30.3 CRD schema, and each
 * routing feature of the runbook present in them as Istio spells it.
 */
import { expect } from "chai";
import { parseSample } from "../../examples/bookinfo/config";
import { routingObjects } from "../../examples/bookinfo/routing";
import { bookinfoWorkloads } from "../../examples/bookinfo/workloads";
import { crdProblems } from "../istio/crdSchemas";
import { exampleSample } from "./fixtures";

const objects = () => routingObjects(parseSample(exampleSample()));
const vsNamed = (name: string) => {
    const vs = objects().virtualServices.find((v) => v.metadata.name === name);
    expect(vs, `VirtualService ${name}`).to.not.equal(undefined);
    return vs!;
};

describe("bookinfo: routing objects", function () {
    it("every emitted object validates against its CRD schema", function () {
        const r = objects();
        const all = [...r.destinationRules, ...r.gateways, ...r.virtualServices];
        expect(all.map((o) => `${o.kind}/${o.metadata.name}`)).to.deep.equal([
            "DestinationRule/productpage",
            "DestinationRule/details",
            "DestinationRule/ratings",
            "DestinationRule/reviews",
            "Gateway/bookinfo-gateway",
            "VirtualService/productpage-bookinfo-gateway",
            "VirtualService/details",
            "VirtualService/productpage",
            "VirtualService/ratings",
            "VirtualService/reviews",
        ]);
        for (const o of all) {
            expect(crdProblems(o), `${o.kind}/${o.metadata.name}`).to.deep.equal([]);
        }
    });

    it("DestinationRules: one subset per deployed version, selecting the Deployments' version label", function () {
        const reviews = objects().destinationRules.find((d) => d.metadata.name === "reviews")!;
        expect(reviews.spec).to.deep.equal({ host: "reviews", subsets: ["v1", "v2", "v3"].map((v) => ({ name: v, labels: { version: v } })) });
        const deployed = bookinfoWorkloads("bookinfo", { hub: "h", tag: "t" }).deployments.filter((d) => d.metadata.labels.app === "reviews");
        expect(deployed.map((d) => (d.spec as any).template.metadata.labels.version)).to.deep.equal(["v1", "v2", "v3"]);
    });

    it("Gateway on the mesh's ingress gateway pods; the ingress VirtualService is bound to it", function () {
        const gw = objects().gateways[0];
        expect(gw.spec).to.deep.equal({ selector: { istio: "ingressgateway" }, servers: [{ port: { number: 80, name: "http-80", protocol: "HTTP" }, hosts: ["*"] }] });
        const vs = vsNamed("productpage-bookinfo-gateway");
        expect(vs.spec.gateways).to.deep.equal(["bookinfo-gateway"]);
        expect(vs.spec.hosts).to.deep.equal(["*"]);
        expect(vs.spec.http![0].match!.map((m) => m.uri)).to.deep.include({ exact: "/productpage" });
        expect(vs.spec.http![0].route).to.deep.equal([{ destination: { host: "productpage", port: { number: 9080 } } }]);
    });

    it("reviews: header match for one user to v2 first, then 50/50 v1/v3 with a 10% mirror to v2, retries and a timeout", function () {
        const http = vsNamed("reviews").spec.http!;
        expect(http[0]).to.deep.equal({ name: "jason-to-v2", match: [{ headers: { "end-user": { exact: "jason" } } }], route: [{ destination: { host: "reviews", subset: "v2" } }] });
        expect(http[1]).to.deep.equal({
            name: "v1-v3-split",
            route: [
                { destination: { host: "reviews", subset: "v1" }, weight: 50 },
                { destination: { host: "reviews", subset: "v3" }, weight: 50 },
            ],
            mirror: { host: "reviews", subset: "v2" },
            mirrorPercentage: { value: 10 },
            retries: { attempts: 3, perTryTimeout: "2s", retryOn: "5xx,connect-failure,reset" },
            timeout: "10s",
        });
    });

    it("ratings: fault injection (delay and abort with percentages); all-to-v1 elsewhere", function () {
        expect(vsNamed("ratings").spec.http![0].fault).to.deep.equal({ delay: { fixedDelay: "2s", percentage: { value: 10 } }, abort: { httpStatus: 503, percentage: { value: 1 } } });
        expect(vsNamed("productpage").spec.http).to.deep.equal([{ route: [{ destination: { host: "productpage", subset: "v1" } }] }]);
    });

    it("an emitted object that breaks its CRD is caught (the check is live)", function () {
        const vs = structuredClone(vsNamed("reviews"));
        (vs.spec.http![1] as any).mirrorRatio = 10;
        vs.spec.http![1].timeout = "0s";
        expect(crdProblems(vs)).to.have.members([
            'VirtualService/reviews.spec.http[1]: unknown field "mirrorRatio" (the API server would prune it, or refuse it with strict field validation)',
            "VirtualService/reviews.spec.http[1].timeout: must be a valid duration greater than 1ms",
        ]);
    });
});
