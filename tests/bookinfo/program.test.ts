/**
 * The sample's real program (examples/bookinfo/index.ts) under Pulumi mocks, its mesh stack
 * given as a StackReference whose `deployed` output is what the mesh program exports.
 */
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { runtimeConfig } from "../../components/plan/mockRun";
import { stateOf, toStackOutput } from "../../components/state/deployed";
import { exampleConfig } from "./fixtures";
import { parseMesh } from "../support/fixtures";

interface Registered {
    type: string;
    name: string;
    inputs: Record<string, any>;
}

const CR = "kubernetes:networking.istio.io/v1:";
const MESH = {
    revisions: [{ version: "1.29.6" }],
    tags: { "prod-stable": "1-29-6" },
    defaultRevision: "prod-stable",
    namespaces: { bookinfo: { revision: "prod-stable", create: true } },
    gateways: { "istio-ingressgateway": { namespace: "istio-ingress", revision: "prod-stable" } },
};

async function run(config: Record<string, unknown>, deployed: unknown, resources: Registered[] = []): Promise<{ resources: Registered[]; outputs: Record<string, any> }> {
    await pulumi.runtime.setMocks(
        {
            newResource: (args) => {
                resources.push({ type: args.type, name: args.name, inputs: args.inputs });
                const state = args.type === "pulumi:pulumi:StackReference" ? { name: args.inputs.name, outputs: { deployed }, secretOutputNames: [] } : args.inputs;
                return { id: `${args.name}-id`, state };
            },
            call: (args) => args.inputs,
        },
        "bookinfo",
        "dev",
        false,
    );
    pulumi.runtime.setAllConfig(runtimeConfig(config));
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const main: () => Promise<Record<string, unknown>> = require("../../examples/bookinfo/index");
    const outputs = (await pulumi.runtime.runInPulumiStack(main)) as Record<string, unknown>;
    await pulumi.runtime.disconnect(); // waits for the outstanding registrations
    const resolved: Record<string, any> = {};
    for (const [k, v] of Object.entries(outputs ?? {})) {
        resolved[k] = pulumi.Output.isInstance(v) ? await new Promise((r) => v.apply(r)) : v;
    }
    return { resources, outputs: resolved };
}

const deployedOf = (mesh: Record<string, unknown>) => toStackOutput(stateOf(parseMesh(mesh)));

describe("bookinfo: the sample program under mocks", function () {
    it("reads the mesh stack, deploys Bookinfo and its routing into the tagged namespace", async function () {
        const { resources, outputs } = await run(exampleConfig(), deployedOf(MESH));
        const ref = resources.find((r) => r.type === "pulumi:pulumi:StackReference");
        expect(ref?.inputs.name).to.equal("organization/istio-mesh/dev");
        const names = (type: string) => resources.filter((r) => r.type === type).map((r) => r.name).sort();
        expect(names("kubernetes:apps/v1:Deployment")).to.deep.equal(
            ["details-v1", "productpage-v1", "ratings-v1", "reviews-v1", "reviews-v2", "reviews-v3"].map((d) => `bookinfo-deploy-${d}`),
        );
        expect(names("kubernetes:core/v1:Service")).to.deep.equal(["details", "productpage", "ratings", "reviews"].map((s) => `bookinfo-svc-${s}`));
        expect(names(`${CR}DestinationRule`)).to.have.length(4);
        expect(names(`${CR}Gateway`)).to.deep.equal(["bookinfo-gw-bookinfo-gateway"]);
        expect(names(`${CR}VirtualService`)).to.deep.equal(["bookinfo-vs-details", "bookinfo-vs-productpage", "bookinfo-vs-productpage-bookinfo-gateway", "bookinfo-vs-ratings", "bookinfo-vs-reviews"]);
        const reviews = resources.find((r) => r.name === "bookinfo-vs-reviews")!;
        expect(reviews.inputs.metadata.namespace).to.equal("bookinfo");
        expect(reviews.inputs.spec.http[1].mirrorPercentage).to.deep.equal({ value: 10 });
        const deploy = resources.find((r) => r.name === "bookinfo-deploy-reviews-v2")!;
        expect(deploy.inputs.spec.template.spec.containers[0].image).to.equal("docker.io/istio/examples-bookinfo-reviews-v2:1.20.3");
        expect(outputs.tag).to.equal("prod-stable");
        expect(outputs.revision).to.equal("1-29-6");
        expect(outputs.reach).to.deep.equal(["kubectl -n istio-ingress port-forward svc/istio-ingressgateway 8080:80  # then http://localhost:8080/productpage"]);
    });

    it("refuses, before creating anything of Bookinfo, a namespace the mesh does not enroll", async function () {
        const mesh = { ...MESH, namespaces: { shop: { revision: "prod-stable", create: true } } };
        const resources: Registered[] = [];
        try {
            await run(exampleConfig(), deployedOf(mesh), resources);
            expect.fail("refused");
        } catch (e) {
            expect(String((e as Error).message)).to.include('bookinfo:sample.namespace: "bookinfo" is not one of the mesh stack\'s namespaces (shop)');
        }
        expect(resources.map((r) => r.type)).to.deep.equal(["pulumi:pulumi:Stack", "pulumi:pulumi:StackReference"]);
    });
});
