/** Every refusal of the sample's config, by path and in the user's words, and its mesh checks. */
import { expect } from "chai";
import { parseSample, SampleConfigError } from "../../examples/bookinfo/config";
import { meshLinkIssues } from "../../examples/bookinfo/meshLink";
import { MeshState, stateOf } from "../../components/state/deployed";
import { parseMesh } from "../support/fixtures";
import { exampleSample, sampleIssues } from "./fixtures";

const P = "bookinfo:sample";
/** The example with one change made by EDIT. */
const edited = (edit: (s: Record<string, any>) => void) => {
    const s = exampleSample();
    edit(s);
    return s;
};

describe("bookinfo: sample config validation", function () {
    it("the example config is valid", function () {
        expect(parseSample(exampleSample()).routes.map((r) => r.service)).to.deep.equal(["details", "productpage", "ratings", "reviews"]);
        // As the Pulumi runtime hands it over: a JSON string.
        expect(parseSample(JSON.stringify(exampleSample())).namespace).to.equal("bookinfo");
    });

    it("weights must sum to 100 per route", function () {
        const issues = sampleIssues(edited((s) => (s.routes.reviews[1].to[1].weight = 40)));
        expect(issues).to.deep.equal([{ path: `${P}.routes.reviews[1].to`, message: "weights sum to 90; they must sum to 100 (e.g. v1: 50, v3: 50)" }]);
    });

    it("with several destinations every one needs a weight; a weight is 0-100", function () {
        expect(sampleIssues(edited((s) => delete s.routes.reviews[1].to[1].weight))).to.deep.equal([
            { path: `${P}.routes.reviews[1].to[1].weight`, message: "missing; with 2 destinations every one needs a weight, and the weights must sum to 100" },
        ]);
        expect(sampleIssues(edited((s) => (s.routes.reviews[1].to = [{ subset: "v1", weight: 150 }, { subset: "v3", weight: -50 }])))).to.deep.equal([
            { path: `${P}.routes.reviews[1].to[0].weight`, message: "150 is outside 0-100; weights are percentages of the route's requests" },
            { path: `${P}.routes.reviews[1].to[1].weight`, message: "-50 is outside 0-100; weights are percentages of the route's requests" },
        ]);
    });

    it("a referenced subset must exist in the host's DestinationRule (routes and mirrors)", function () {
        expect(sampleIssues(edited((s) => (s.routes.reviews[0].to[0].subset = "v4")))).to.deep.equal([
            { path: `${P}.routes.reviews[0].to[0].subset`, message: `subset "v4" does not exist in reviews's DestinationRule; use one of v1, v2, v3` },
        ]);
        expect(sampleIssues(edited((s) => (s.routes.reviews[1].mirror.subset = "v9")))).to.deep.equal([
            { path: `${P}.routes.reviews[1].mirror.subset`, message: `subset "v9" does not exist in reviews's DestinationRule; use one of v1, v2, v3` },
        ]);
    });

    it("hosts must exist: routed services, destination and mirror hosts, the ingress service", function () {
        expect(sampleIssues(edited((s) => (s.routes.review = [{ to: [{ subset: "v1" }] }])))).to.deep.equal([
            { path: `${P}.routes.review`, message: `"review" is not a host of the sample; use one of productpage, details, ratings, reviews` },
        ]);
        expect(sampleIssues(edited((s) => (s.routes.reviews[0].to[0].host = "reviewz")))).to.deep.equal([
            { path: `${P}.routes.reviews[0].to[0].host`, message: `"reviewz" is not a host of the sample; use one of productpage, details, ratings, reviews` },
        ]);
        expect(sampleIssues(edited((s) => (s.routes.reviews[1].mirror.host = "shadow")))).to.deep.equal([
            { path: `${P}.routes.reviews[1].mirror.host`, message: `"shadow" is not a host of the sample; use one of productpage, details, ratings, reviews` },
        ]);
        expect(sampleIssues(edited((s) => (s.ingress[0].service = "frontpage")))).to.deep.equal([
            { path: `${P}.ingress[0].service`, message: `"frontpage" is not a host of the sample; use one of productpage, details, ratings, reviews` },
        ]);
    });

    it("mirror percentage must be 0-100", function () {
        for (const p of [-1, 100.5]) {
            expect(sampleIssues(edited((s) => (s.routes.reviews[1].mirror.percentage = p)))).to.deep.equal([
                { path: `${P}.routes.reviews[1].mirror.percentage`, message: `mirror percentage ${p} is outside 0-100; give a percentage of requests between 0 and 100` },
            ]);
        }
        expect(parseSample(edited((s) => (s.routes.reviews[1].mirror.percentage = 0))).routes[3].routes[1].mirror?.percentage).to.equal(0);
    });

    it("a VirtualService must be bound to a Gateway that exists", function () {
        expect(sampleIssues(edited((s) => (s.ingress[0].gateway = "bookinfo-gw")))).to.deep.equal([
            {
                path: `${P}.ingress[0].gateway`,
                message: `the VirtualService is bound to Gateway "bookinfo-gw", which does not exist; define it under gateways (e.g. gateways: {bookinfo-gw: {ingress: istio-ingressgateway}}) or bind to one of: bookinfo-gateway`,
            },
        ]);
    });

    it("durations, fault percentages and abort status are checked", function () {
        const issues = sampleIssues(
            edited((s) => {
                s.routes.reviews[1].timeout = "10";
                s.routes.reviews[1].retries.perTryTimeout = "0s";
                s.routes.ratings[0].fault = { delay: { fixedDelay: "2s", percentage: 101 }, abort: { httpStatus: 700, percentage: 1 } };
            }),
        );
        expect(issues).to.deep.equal([
            { path: `${P}.routes.ratings[0].fault.delay.percentage`, message: "fault delay percentage 101 is outside 0-100; give a percentage of requests between 0 and 100" },
            { path: `${P}.routes.ratings[0].fault.abort.httpStatus`, message: "700 is not an HTTP status Envoy can return; use 200-599 (e.g. 500 or 503)" },
            { path: `${P}.routes.reviews[1].timeout`, message: `"10" is not a duration of at least 1ms; write e.g. 10s, 500ms or 1m30s` },
            { path: `${P}.routes.reviews[1].retries.perTryTimeout`, message: `"0s" is not a duration of at least 1ms; write e.g. 10s, 500ms or 1m30s` },
        ]);
    });

    it("a header match sets exactly one of exact, prefix, regex; unknown keys are refused", function () {
        expect(sampleIssues(edited((s) => (s.routes.reviews[0].match.headers["end-user"] = { exact: "jason", prefix: "j" })))).to.deep.equal([
            { path: `${P}.routes.reviews[0].match.headers.end-user`, message: "set exactly one of exact, prefix or regex (got 2)" },
        ]);
        expect(sampleIssues(edited((s) => (s.routes.reviews[1].mirror.percent = 5)))).to.deep.equal([
            { path: `${P}.routes.reviews[1].mirror`, message: "unknown key percent; remove or correct it (see examples/bookinfo/README.md)" },
        ]);
    });

    it("collects every problem, not just the first, and is a SampleConfigError (a user error)", function () {
        try {
            parseSample(edited((s) => ((s.routes.reviews[1].to[0].weight = 10), (s.ingress[0].gateway = "nope"))));
            expect.fail("refused");
        } catch (e) {
            expect(e).to.be.instanceOf(SampleConfigError);
            expect((e as SampleConfigError).issues).to.have.length(2);
            expect((e as Error).message).to.match(/^invalid Bookinfo sample config \(2 problems\):\n {2}- bookinfo:sample\.ingress\[0\]\.gateway: /);
        }
    });
});

describe("bookinfo: what the sample needs from the mesh stack", function () {
    // Built from a mesh config as the mesh program would export it (not a hand-made state).
    const mesh: MeshState = stateOf(
        parseMesh({
            revisions: [{ version: "1.29.6" }],
            tags: { "prod-stable": "1-29-6" },
            defaultRevision: "prod-stable",
            namespaces: { bookinfo: { revision: "prod-stable", create: true }, pinned: { revision: "1-29-6", create: true } },
            gateways: { "istio-ingressgateway": { namespace: "istio-ingress", revision: "prod-stable" } },
        }),
    );
    const sample = (edit: (s: Record<string, any>) => void = () => undefined) => parseSample(edited(edit));

    it("links to the tag the namespace follows and the revision it points at", function () {
        expect(meshLinkIssues(sample(), mesh, "org/istio-mesh/dev")).to.deep.equal({ issues: [], link: { tag: "prod-stable", revision: "1-29-6" } });
    });

    it("refuses a namespace the mesh does not enroll, or one pinned to a revision", function () {
        expect(meshLinkIssues(sample((s) => (s.namespace = "shop")), mesh, "m").issues).to.deep.equal([
            {
                path: `${P}.namespace`,
                message: `"shop" is not one of the mesh stack's namespaces (bookinfo, pinned); add it to the mesh stack's mesh.namespaces, e.g. shop: {revision: <tag>, create: true}, and run its update first`,
            },
        ]);
        expect(meshLinkIssues(sample((s) => (s.namespace = "pinned")), mesh, "m").issues[0].message).to.equal(
            `"pinned" follows revision "1-29-6" directly; point it at a tag in the mesh stack (mesh.namespaces.pinned.revision: one of prod-stable, default) so an upgrade moves it by moving the tag`,
        );
    });

    it("refuses a Gateway on an ingress gateway the mesh does not deploy, and a mesh never deployed", function () {
        expect(meshLinkIssues(sample((s) => (s.gateways["bookinfo-gateway"].ingress = "edge")), mesh, "m").issues).to.deep.equal([
            { path: `${P}.gateways.bookinfo-gateway.ingress`, message: `"edge" is not an ingress gateway of the mesh stack (istio-ingressgateway); name one of them, or add it to the mesh stack's mesh.gateways` },
        ]);
        expect(meshLinkIssues(sample(), undefined, "org/istio-mesh/dev").issues[0]).to.deep.equal({
            path: "bookinfo:meshStack",
            message: 'stack "org/istio-mesh/dev" has no `deployed` output; deploy the mesh stack first (pulumi up in the repository root)',
        });
    });
});
