// Unit tests of harness/events.ts: reading the engine event log's step order.
import { expect } from "chai";
import type * as auto from "@pulumi/pulumi/automation";
import { loggedSteps, orderProblems, stepOf } from "../e2e/harness/events";

const RELEASE = "kubernetes:helm.sh/v3:Release";
const urn = (name: string) => `urn:pulumi:e2e::istio-mesh::istio-mesh:mesh:Mesh$${RELEASE}::${name}`;
let seq = 0;
const ev = (kind: "pre" | "outputs" | "failed", op: string, name: string, diffs?: string[]): auto.EngineEvent => {
    const metadata = { op, urn: urn(name), type: RELEASE, provider: "", ...(diffs ? { diffs } : {}) } as any;
    const body = kind === "pre" ? { resourcePreEvent: { metadata } } : kind === "outputs" ? { resOutputsEvent: { metadata } } : { resOpFailedEvent: { metadata, status: 1, steps: 1 } };
    return { sequence: seq++, timestamp: 0, ...body } as auto.EngineEvent;
};
const cniFirst = stepOf(RELEASE, "-cni-release", ["create"]);
const istiodChange = stepOf(RELEASE, "-istiod", ["update", "replace", "create-replacement"]);

describe("e2e harness: engine event log order", () => {
    it("reads step events in sequence order, with the resource's name and changed keys, skipping other events", () => {
        const a = ev("pre", "update", "mesh-rev-1-29-6-istiod", ["values"]);
        const b = ev("outputs", "update", "mesh-rev-1-29-6-istiod");
        const steps = loggedSteps([b, { sequence: -1, timestamp: 0, diagnosticEvent: { message: "x" } } as any, a]);
        expect(steps.map((s) => [s.index, s.phase, s.op, s.name, s.diffs])).to.deep.equal([
            [0, "pre", "update", "mesh-rev-1-29-6-istiod", ["values"]],
            [1, "outputs", "update", "mesh-rev-1-29-6-istiod", []],
        ]);
    });
    it("holds when every istiod change starts after the CNI release's create is done", () => {
        const log = [ev("pre", "create", "mesh-cni-release"), ev("outputs", "create", "mesh-cni-release"), ev("pre", "update", "mesh-rev-1-29-6-istiod", ["values"]), ev("pre", "update", "mesh-rev-1-30-3-istiod", ["values"])];
        expect(orderProblems(loggedSteps(log), cniFirst, istiodChange)).to.deep.equal([]);
    });
    it("names each istiod change that started before the CNI release was done", () => {
        const log = [ev("pre", "create", "mesh-cni-release"), ev("pre", "update", "mesh-rev-1-29-6-istiod"), ev("outputs", "create", "mesh-cni-release"), ev("pre", "update", "mesh-rev-1-30-3-istiod")];
        expect(orderProblems(loggedSteps(log), cniFirst, istiodChange)).to.deep.equal(["update mesh-rev-1-29-6-istiod started (event 1) before mesh-cni-release was done (event 2)"]);
    });
    it("proves nothing, and says so, when the first step is missing, failed, or nothing follows it", () => {
        expect(orderProblems(loggedSteps([ev("pre", "update", "mesh-rev-1-29-6-istiod")]), cniFirst, istiodChange)).to.deep.equal(["expected one resource to go first, found 0: none"]);
        expect(orderProblems(loggedSteps([ev("pre", "create", "mesh-cni-release"), ev("failed", "create", "mesh-cni-release"), ev("pre", "update", "mesh-rev-1-29-6-istiod")]), cniFirst, istiodChange)[0]).to.match(/mesh-cni-release never finished \(pre create, failed create\)/);
        expect(orderProblems(loggedSteps([ev("pre", "create", "mesh-cni-release"), ev("outputs", "create", "mesh-cni-release")]), cniFirst, istiodChange)).to.deep.equal(["no step of the resources that should follow it"]);
        // A "same" step of an istiod release is not a change.
        expect(orderProblems(loggedSteps([ev("pre", "same", "mesh-rev-1-29-6-istiod"), ev("pre", "create", "mesh-cni-release"), ev("outputs", "create", "mesh-cni-release")]), cniFirst, istiodChange)).to.deep.equal(["no step of the resources that should follow it"]);
    });
});
