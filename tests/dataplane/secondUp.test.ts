/**
 * Issue 19: the `up` after any update of the runbook (Helm and the AKS add-on, each step and
 * each revert) is a no-op. Under mocks: the second run of the same config, planning from what
 * the first exported, registers the same resources with the same inputs, except those a
 * resource's ignoreChanges keeps the engine from diffing (so the engine would propose no
 * create, update or delete). The removal gate is the resource this was not true of.
 */
import { expect } from "chai";
import { diffResources } from "../../components/plan/plan";
import { RegisteredResource, runProgram } from "../../components/plan/mockRun";
import { parseStackConfig } from "../../components/config/stackConfig";
import { fromStackOutput, MeshState, stateOf } from "../../components/state/deployed";
import { stackFile } from "../support/fixtures";

async function up(file: string, previous: MeshState | null) {
    const ignored = new Map<string, string[]>();
    const run = await runProgram(stackFile(file), previous, {
        stack: "mesh-prod",
        onResource: (r) => {
            if (r.opts.ignoreChanges !== undefined) ignored.set(`${r.type}\u0000${r.name}`, r.opts.ignoreChanges);
        },
    });
    return { resources: run.resources, ignored, state: fromStackOutput(run.outputs.deployed)! };
}

const GATE = (rs: readonly RegisteredResource[]) => rs.find((r) => r.name === "mesh-removal-gate-verify");

describe("the up after any runbook update is a no-op (mocks)", function () {
    this.timeout(120_000);
    const runbooks: [string | undefined, string][] = [
        [undefined, "01-install"],
        ["01-install", "02-canary"],
        ["02-canary", "01-install"],
        ["02-canary", "03-promote"],
        ["03-promote", "02-canary"],
        ["03-promote", "04-complete"],
        [undefined, "aks/addon-01-install"],
        ["aks/addon-01-install", "aks/addon-02-canary"],
        ["aks/addon-02-canary", "aks/addon-01-install"],
        ["aks/addon-02-canary", "aks/addon-03-promote"],
        ["aks/addon-03-promote", "aks/addon-04-complete"],
    ];
    for (const [from, to] of runbooks) {
        it(`${from ?? "nothing"} -> ${to}, then ${to} again`, async () => {
            const before = from === undefined ? null : stateOf(parseStackConfig(stackFile(from)));
            const first = await up(to, before);
            const second = await up(to, first.state);
            expect(second.state).to.deep.equal(first.state);
            expect(diffResources(first.resources, second.resources, second.ignored)).to.deep.equal({ added: [], changed: [], released: [], removed: [] });
            // The gate is in both runs (never a delete after a removal) and ignores its creation script.
            expect(GATE(first.resources), "gate in the first run").to.not.equal(undefined);
            expect(GATE(second.resources), "gate in the second run").to.not.equal(undefined);
            expect(second.ignored.get("command:local:Command\u0000mesh-removal-gate-verify")).to.deep.equal(["create"]);
        });
    }

    it("the test can fail: the first run after a removal does differ from the update before it (the gate is told the new config)", async () => {
        const canary = await up("02-canary", stateOf(parseStackConfig(stackFile("01-install"))));
        const back = await up("01-install", canary.state);
        const changed = diffResources(canary.resources, back.resources, back.ignored).changed.map((c) => `${c.name}: ${(c.fields ?? []).join(",")}`);
        expect(changed).to.include("mesh-removal-gate-verify: environment");
    });
});
