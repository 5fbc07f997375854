/**
 * Waypoints per Service, through the real program under mocks: the waypoint Gateway
 * (istio.io/waypoint-for: service), the use-waypoint label on the existing Service applied after
 * it, the record that plans the next change, and the plan's steps.
 */
import { expect } from "chai";
import { parseStackConfig } from "../../components/config/stackConfig";
import { RegisteredResource, runProgram } from "../../components/plan/mockRun";
import { planSteps } from "../../components/plan/steps";
import { fromStackOutput, stateOf } from "../../components/state/deployed";
import { meshConfigMap } from "../support/fixtures";

const GATEWAY = "kubernetes:gateway.networking.k8s.io/v1:Gateway";
const SERVICE_PATCH = "kubernetes:core/v1:ServicePatch";
const mesh = (services: Record<string, unknown> | undefined, dataplane = "sidecar") =>
    meshConfigMap({
        revisions: [{ version: "1.29.6" }],
        tags: { prod: "1-29-6" },
        defaultRevision: "prod",
        cni: { enabled: true },
        dataplane: "ambient",
        gatewayApi: { version: "v1.4.1" },
        namespaces: { shop: { revision: "prod", dataplane, ...(services === undefined ? {} : { services }) } },
    });
const find = (rs: RegisteredResource[], type: string) => rs.filter((r) => r.type === type);
type Meta = { name: string; namespace: string; labels: Record<string, string>; annotations: Record<string, string> };

describe("ambient: waypoints per Service (program under mocks)", function () {
    this.timeout(120_000);
    const bound = mesh({ reviews: { waypoint: {} }, ratings: { waypoint: { name: "reviews-waypoint" } }, api: { waypoint: { name: "edge", for: "all" } } });

    it("one waypoint Gateway per name, for Service traffic (or all), and a label patch per Service under its own field manager, after its Gateway", async () => {
        const seen = new Map<string, string[]>();
        const run = await runProgram(bound, null, {
            onResource: (r) => {
                if (r.type === SERVICE_PATCH) seen.set(r.name, ((r.opts.dependsOn ?? []) as { __name?: string }[]).map((d) => d.__name ?? ""));
            },
        });
        const gateways = find(run.resources, GATEWAY).map((g) => g.inputs.metadata as Meta);
        expect(gateways.map((g) => [g.name, g.labels]).sort((x, y) => (String(x[0]) < String(y[0]) ? -1 : 1))).to.deep.equal([
            ["edge", { "istio.io/waypoint-for": "all", "istio.io/rev": "prod" }],
            ["reviews-waypoint", { "istio.io/waypoint-for": "service", "istio.io/rev": "prod" }],
        ]);
        const patches = find(run.resources, SERVICE_PATCH).map((p) => p.inputs.metadata as Meta);
        expect(patches.map((p) => [p.namespace, p.name, p.labels])).to.deep.equal([
            ["shop", "api", { "istio.io/use-waypoint": "edge" }],
            ["shop", "ratings", { "istio.io/use-waypoint": "reviews-waypoint" }],
            ["shop", "reviews", { "istio.io/use-waypoint": "reviews-waypoint" }],
        ]);
        for (const p of patches) expect(p.annotations, p.name).to.deep.equal({ "pulumi.com/patchForce": "true", "pulumi.com/patchFieldManager": "istio-mesh-waypoint" });
        // No ServiceAccount is touched: Istio never reads istio.io/use-waypoint from one.
        expect(run.resources.filter((r) => /ServiceAccount/.test(r.type)).map((r) => r.name)).to.deep.equal([]);
        const cases: [string, string][] = [
            ["mesh-svc-shop-api", "mesh-waypoint-shop-edge"],
            ["mesh-svc-shop-ratings", "mesh-waypoint-shop-reviews-waypoint"],
            ["mesh-svc-shop-reviews", "mesh-waypoint-shop-reviews-waypoint"],
        ];
        expect([...seen.keys()].sort()).to.deep.equal(cases.map(([p]) => p));
        for (const [patch, gateway] of cases) expect(seen.get(patch), patch).to.include(gateway);
        // The record plans the next change: it reads back as what the config says.
        expect(fromStackOutput(run.outputs.deployed)).to.deep.equal(stateOf(parseStackConfig(bound)));
    });

    it("the old serviceAccounts key stops the program before any resource is registered", async () => {
        const registered: string[] = [];
        const cfg = meshConfigMap({ revisions: [{ version: "1.29.6" }], cni: { enabled: true }, dataplane: "ambient", gatewayApi: { version: "v1.4.1" }, namespaces: { shop: { revision: "1-29-6", serviceAccounts: { reviews: { waypoint: {} } } } } });
        let error: unknown;
        try {
            await runProgram(cfg, null, { onResource: (r) => registered.push(r.name) });
        } catch (e) {
            error = e;
        }
        expect(String(error)).to.include("istio-mesh:mesh.namespaces.shop.serviceAccounts: Istio binds waypoints to namespaces, Services and pods, never to a ServiceAccount");
        expect(registered.filter((n) => n !== "mesh")).to.deep.equal([]);
    });

    const stepCases: { what: string; from: Record<string, unknown> | undefined; to: Record<string, unknown> | undefined; has: string[]; lacks: RegExp[] }[] = [
        {
            what: "binding a Service deploys its waypoint, then labels the Service",
            from: undefined,
            to: { reviews: { waypoint: {} } },
            has: ["Create waypoint shop/reviews-waypoint", "Label Service shop/reviews istio.io/use-waypoint=reviews-waypoint (after waypoint shop/reviews-waypoint is Programmed)"],
            lacks: [/ServiceAccount/],
        },
        {
            what: "removing one of two bindings of a waypoint removes that label only",
            from: { reviews: { waypoint: {} }, ratings: { waypoint: { name: "reviews-waypoint" } } },
            to: { reviews: { waypoint: {} } },
            has: ['Remove istio.io/use-waypoint from Service shop/ratings: traffic addressed to it stops going through waypoint "reviews-waypoint"'],
            lacks: [/^Delete waypoint/, /^Label Service/],
        },
        {
            what: "moving a Service to another waypoint relabels it",
            from: { reviews: { waypoint: {} } },
            to: { reviews: { waypoint: { name: "edge" } } },
            has: ["Label Service shop/reviews istio.io/use-waypoint=edge (after waypoint shop/edge is Programmed)"],
            lacks: [/^Remove istio.io\/use-waypoint from Service/],
        },
    ];
    for (const c of stepCases) {
        it(`plan steps: ${c.what}`, () => {
            const steps = planSteps(stateOf(parseStackConfig(mesh(c.from))), stateOf(parseStackConfig(mesh(c.to))));
            let last = -1;
            for (const h of c.has) {
                const i = steps.findIndex((s) => s.startsWith(h));
                expect(i, `${h}\n--- steps:\n${steps.join("\n")}`).to.be.greaterThan(last);
                last = i;
            }
            for (const l of c.lacks) expect(steps.filter((s) => l.test(s)), l.source).to.deep.equal([]);
        });
    }
});
