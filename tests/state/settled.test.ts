/**
 * A failed update must not record the new `deployed`: the output resolves only once every
 * resource of the update has been registered successfully. Under mocks, a registration the
 * mock monitor fails (or never answers) stands for a create or update the engine failed.
 */
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { runProgram } from "../../components/plan/mockRun";
import { afterEvery, collectResources } from "../../components/state/settled";
import { stackFile } from "../support/fixtures";

/** A custom resource of a made-up type (mocks accept any). */
class Thing extends pulumi.CustomResource {
    constructor(name: string) {
        super("test:index:Thing", name, {});
    }
}

interface Monitor {
    registerResource: (req: { getType(): string; getName(): string }, cb: (err: Error | null, resp?: unknown) => void) => unknown;
    registerResourceOutputs: (req: { getUrn(): string; getOutputs(): { toJavaScript(): Record<string, unknown> } | undefined }, cb: (err: Error | null) => void) => unknown;
}
// eslint-disable-next-line @typescript-eslint/no-var-requires
const monitor = (): Monitor => require("@pulumi/pulumi/runtime/settings").getMonitor();

/**
 * Runs stack file `step` as a first update, failing (or, with `hang`, never answering) the
 * registration of resource `name`; returns whether the run failed and every output map the
 * stack registered.
 */
async function runFailing(step: string, name: string | undefined, hang = false): Promise<{ failed: boolean; stackOutputs: Record<string, unknown>[] }> {
    const stackOutputs: Record<string, unknown>[] = [];
    let wrapped = false;
    const wrap = () => {
        if (wrapped) return;
        wrapped = true;
        const m = monitor();
        const register = m.registerResource.bind(m);
        m.registerResource = (req, cb) => {
            if (req.getName() !== name) return register(req, cb);
            if (!hang) cb(new Error(`mock: creating ${name} failed`));
            return undefined;
        };
        const outputs = m.registerResourceOutputs.bind(m);
        m.registerResourceOutputs = (req, cb) => {
            if (req.getUrn().includes("::pulumi:pulumi:Stack::")) stackOutputs.push(req.getOutputs()?.toJavaScript() ?? {});
            return outputs(req, cb);
        };
    };
    const run = runProgram(stackFile(step), null, { onResource: wrap, preview: false }).then(
        () => "landed" as const,
        () => "failed" as const,
    );
    // A failed registration leaves `deployed` pending for good (as does one never answered): the
    // engine ends such a program; here, give it time to settle, then look.
    const outcome = await Promise.race([run, new Promise<"pending">((r) => setTimeout(() => r("pending"), name === undefined ? 60_000 : 1000))]);
    return { failed: outcome !== "landed", stackOutputs };
}

describe("state: `deployed` is written only by an update that fully landed", () => {
    it("a successful update registers `deployed` with the stack's outputs (the control for the cases below)", async () => {
        const r = await runFailing("02-canary", undefined);
        expect(r.failed).to.equal(false);
        expect(r.stackOutputs).to.have.length(1);
        expect(r.stackOutputs[0]).to.have.property("deployed");
    });

    for (const [what, name] of [
        ["the restart command", "mesh-restarts-rollout"],
        ["the istio-injection label removal", "mesh-ns-drop-injection"],
        ["a namespace's revision label", "mesh-ns-bookinfo-rev"],
        ["a revision tag's webhook", "mesh-tag-prod-canary-webhook"],
        ["the canary's istiod release", "mesh-rev-1-30-3-istiod"],
        ["the gateway's release", "mesh-gw-istio-ingressgateway-release"],
    ] as const) {
        it(`${what} failing: the update fails and registers no outputs, so the previous \`deployed\` stays`, async () => {
            const r = await runFailing("02-canary", name);
            expect(r.failed).to.equal(true);
            expect(r.stackOutputs).to.deep.equal([]);
        });
    }

    it("a registration never answered (an update interrupted mid-way) registers no outputs either", async () => {
        const r = await runFailing("02-canary", "mesh-restarts-rollout", true);
        expect(r.stackOutputs).to.deep.equal([]);
    });

    it("afterEvery resolves to the value only with every resource registered", async () => {
        await pulumi.runtime.setMocks({ newResource: (a) => ({ id: `${a.name}-id`, state: a.inputs }), call: (a) => a.inputs }, "p", "s", false);
        const value = await pulumi.runtime.runInPulumiStack(async () => {
            const resources = collectResources();
            new Thing("a");
            new Thing("b");
            expect(resources.map((r) => pulumi.CustomResource.isInstance(r))).to.deep.equal([true, true]);
            return { v: afterEvery(resources, { x: 1 }) };
        });
        expect(value).to.deep.equal({ v: { x: 1 } });
    });
});
