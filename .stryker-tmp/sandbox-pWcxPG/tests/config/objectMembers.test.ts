/** Names that are also JavaScript object members are just names (own-property lookups only). */
// @ts-nocheck

import { expect } from "chai";
import { parseMesh } from "../support/fixtures";
import { runProgram } from "../../components/plan/mockRun";
import { planSteps } from "../../components/plan/steps";
import { stateOf } from "../../components/state/deployed";
import { meshConfigMap } from "../support/fixtures";

describe("config: names that are Object members", () => {
    it("`constructor` as a revision, tag, namespace and gateway name works end to end", async () => {
        const mesh = {
            revisions: [{ version: "1.30.3", name: "constructor" }, { version: "1.29.6" }],
            tags: { prototype: "constructor" },
            defaultRevision: "prototype",
            namespaces: { constructor: "prototype", tostring: "constructor" },
            gateways: { constructor: { revision: "prototype" } },
        };
        const config = parseMesh(mesh);
        expect(config.tags).to.deep.equal({ prototype: "constructor" });
        const { resources } = await runProgram(meshConfigMap(mesh), null);
        const tagWebhook = resources.find((r) => r.name === "mesh-tag-prototype-webhook")!.inputs as any;
        expect(tagWebhook.metadata.labels["istio.io/rev"]).to.equal("constructor");
        expect(resources.map((r) => r.name)).to.include.members(["mesh-ns-constructor-rev", "mesh-gw-constructor-release", "mesh-rev-constructor-istiod"]);
        expect(planSteps(undefined, stateOf(config))).to.include("Create tag prototype -> revision constructor (MutatingWebhookConfiguration istio-revision-tag-prototype)");
    });

    it("a reference to an Object member that is not configured is an error, not a silent hit", () => {
        expect(() => parseMesh({ revisions: [{ version: "1.30.3" }], namespaces: { shop: "constructor" } })).to.throw(/namespaces\.shop: "constructor" is neither a revision/);
        expect(() => parseMesh({ revisions: [{ version: "1.30.3" }, { version: "1.29.6" }], defaultRevision: "constructor" })).to.throw(/defaultRevision: "constructor" is neither a revision/);
    });
});
