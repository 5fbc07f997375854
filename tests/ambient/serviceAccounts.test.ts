/**
 * Waypoints per service account, through the real program under mocks: the waypoint Gateway
 * (istio.io/waypoint-for: workload), the use-waypoint label on the ServiceAccount applied after
 * it, the record that plans the next change, and the plan's steps.
 */
import { expect } from "chai";
import { parseStackConfig } from "../../components/config/stackConfig";
import { RegisteredResource, runProgram } from "../../components/plan/mockRun";
import { planSteps } from "../../components/plan/steps";
import { fromStackOutput, stateOf } from "../../components/state/deployed";
import { meshConfigMap } from "../support/fixtures";

const GATEWAY = "kubernetes:gateway.networking.k8s.io/v1:Gateway";
const SA_PATCH = "kubernetes:core/v1:ServiceAccountPatch";
const mesh = (serviceAccounts: Record<string, unknown> | undefined, dataplane = "sidecar") =>
    meshConfigMap({
        revisions: [{ version: "1.29.6" }],
        tags: { prod: "1-29-6" },
        defaultRevision: "prod",
        cni: { enabled: true },
        dataplane: "ambient",
        gatewayApi: { version: "v1.4.1" },
        namespaces: { shop: { revision: "prod", dataplane, ...(serviceAccounts === undefined ? {} : { serviceAccounts }) } },
    });
const find = (rs: RegisteredResource[], type: string) => rs.filter((r) => r.type === type);

describe("ambient: waypoints per service account (program under mocks)", function () {
    this.timeout(120_000);
    const bound = mesh({ reviews: { waypoint: {} }, ratings: { waypoint: { name: "reviews-waypoint" } } });

    it("one waypoint Gateway for the accounts sharing it, for workload traffic, and a label patch per account under its own field manager, after the Gateway", async () => {
        const seen: { name: string; dependsOn: string[] }[] = [];
        const run = await runProgram(bound, null, {
            onResource: (r) => {
                if (r.type === SA_PATCH) seen.push({ name: r.name, dependsOn: ((r.opts.dependsOn ?? []) as { __name?: string }[]).map((d) => d.__name ?? "") });
            },
        });
        const gateways = find(run.resources, GATEWAY);
        expect(gateways.map((g) => (g.inputs.metadata as { name: string }).name)).to.deep.equal(["reviews-waypoint"]);
        expect((gateways[0].inputs.metadata as { labels: Record<string, string> }).labels).to.deep.equal({ "istio.io/waypoint-for": "workload", "istio.io/rev": "prod" });
        const patches = find(run.resources, SA_PATCH).map((p) => p.inputs.metadata as { name: string; namespace: string; labels: Record<string, string>; annotations: Record<string, string> });
        expect(patches.map((p) => [p.namespace, p.name, p.labels["istio.io/use-waypoint"]])).to.deep.equal([
            ["shop", "ratings", "reviews-waypoint"],
            ["shop", "reviews", "reviews-waypoint"],
        ]);
        expect(patches[0].annotations).to.deep.equal({ "pulumi.com/patchForce": "true", "pulumi.com/patchFieldManager": "istio-mesh-waypoint" });
        expect(seen.map((s) => s.name)).to.deep.equal(["mesh-sa-shop-ratings", "mesh-sa-shop-reviews"]);
        for (const s of seen) expect(s.dependsOn, s.name).to.include("mesh-waypoint-shop-reviews-waypoint");
        // The record plans the next change: it reads back as what the config says.
        expect(fromStackOutput(run.outputs.deployed)).to.deep.equal(stateOf(parseStackConfig(bound)));
    });

    it("the plan's steps deploy the waypoint, then label the accounts; removing a binding removes the label only", () => {
        const before = stateOf(parseStackConfig(mesh(undefined)));
        const after = stateOf(parseStackConfig(bound));
        const steps = planSteps(before, after);
        const create = steps.findIndex((s) => s.startsWith("Create waypoint shop/reviews-waypoint"));
        const label = steps.findIndex((s) => s.startsWith("Label ServiceAccount shop/reviews istio.io/use-waypoint=reviews-waypoint (after waypoint shop/reviews-waypoint is Programmed)"));
        expect(create, steps.join("\n")).to.be.greaterThan(-1);
        expect(label, steps.join("\n")).to.be.greaterThan(create);
        const released = planSteps(after, stateOf(parseStackConfig(mesh({ reviews: { waypoint: {} } }))));
        expect(released).to.include("Remove istio.io/use-waypoint from ServiceAccount shop/ratings: its workloads' traffic stops going through waypoint \"reviews-waypoint\"");
        expect(released.some((s) => s.startsWith("Delete waypoint"))).to.equal(false);
    });
});
