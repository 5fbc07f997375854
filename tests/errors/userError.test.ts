/**
 * One user-error class, mapped to pulumi.RunError by index.ts: bad config, a bad `deployed`
 * output read back, a refused transition. The program's `main` runs under Pulumi mocks; the
 * thrown object itself is checked, not just its text.
 */
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { ConfigError } from "../../components/config/errors";
import { parseStackConfig } from "../../components/config/stackConfig";
import { UserError } from "../../components/errors";
import { TransitionRefused } from "../../components/plan/guard";
import { runtimeConfig } from "../../components/plan/mockRun";
import { ProgramOptions } from "../../components/program";
import { DeployedStateError, fromStackOutput, MeshState, STATE_SCHEMA, stateOf, toStackOutput } from "../../components/state/deployed";
import { stackFile } from "../support/fixtures";

type Main = (options?: ProgramOptions) => Promise<Record<string, unknown>>;

/**
 * Runs index.ts's main for a stack file's config. `deployed` is what the StackReference to the
 * stack itself returns as its `deployed` output (the real read path) unless `options.previous`
 * is given. Resolves to what main threw (fails when it threw nothing).
 */
async function mainThrows(config: Record<string, unknown>, deployed: unknown, options: ProgramOptions): Promise<unknown> {
    await pulumi.runtime.setMocks(
        {
            newResource: (args) =>
                args.type === "pulumi:pulumi:StackReference"
                    ? { id: args.inputs.name, state: { name: args.inputs.name, outputs: deployed === undefined ? {} : { deployed }, secretOutputNames: [] } }
                    : { id: `${args.name}-id`, state: args.inputs },
            call: (args) => args.inputs,
        },
        "istio-mesh",
        "errors",
        true,
        "organization",
    );
    pulumi.runtime.setAllConfig(runtimeConfig(config));
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const main: Main = require("../../index");
    try {
        await pulumi.runtime.runInPulumiStack(() => main({ report: () => undefined, allowUnsafe: [], ...options }));
    } catch (e) {
        return e;
    }
    return expect.fail("main threw nothing");
}

const stateFor = (name: string): MeshState => stateOf(parseStackConfig(stackFile(name)));

describe("errors: one user-error class, shown as a RunError", () => {
    it("ConfigError, TransitionRefused and DeployedStateError are UserErrors (and Errors)", () => {
        for (const e of [new ConfigError([{ path: "istio-mesh:mesh", message: "x" }]), new TransitionRefused([{ code: "c", message: "m" }]), new DeployedStateError([{ path: "deployed", message: "x" }])]) {
            expect(e).to.be.instanceOf(UserError);
            expect(e).to.be.instanceOf(Error);
        }
        expect(() => fromStackOutput({ schema: 2 })).to.throw(UserError);
    });

    it("a refused transition in main is thrown as a pulumi.RunError with the refusal", async () => {
        const e = await mainThrows(stackFile("04-complete"), undefined, { previous: stateFor("01-install") });
        expect(e).to.be.instanceOf(pulumi.RunError);
        expect(pulumi.RunError.isInstance(e)).to.equal(true);
        expect(e).to.not.be.instanceOf(TransitionRefused);
        expect((e as Error).message).to.match(/^istio-mesh refused this change[\s\S]*replace-all-revisions/);
    });

    it("invalid config in main is thrown as a pulumi.RunError", async () => {
        const config = stackFile("01-install");
        const e = await mainThrows({ ...config, "istio-mesh:mesh": { ...(config["istio-mesh:mesh"] as object), typo: 1 } }, undefined, { previous: null });
        expect(e).to.be.instanceOf(pulumi.RunError);
        expect((e as Error).message).to.include("istio-mesh:mesh.typo: unknown key");
    });

    describe("the deployed output read through the StackReference to the stack itself", () => {
        it("without `namespaces`: a pulumi.RunError naming deployed.namespaces (it used to pass as 'no namespaces')", async () => {
            const deployed = JSON.parse(JSON.stringify(toStackOutput(stateFor("01-install"))));
            delete deployed.namespaces;
            const e = await mainThrows(stackFile("02-canary"), deployed, {});
            expect(e).to.be.instanceOf(pulumi.RunError);
            expect((e as Error).message).to.include("deployed.namespaces: missing");
        });

        it("with a version that is not one: a pulumi.RunError naming the field, not an internal error", async () => {
            const deployed = JSON.parse(JSON.stringify(toStackOutput(stateFor("01-install"))));
            deployed.baseVersion = "1.29";
            const e = await mainThrows(stackFile("02-canary"), deployed, {});
            expect(e).to.be.instanceOf(pulumi.RunError);
            expect((e as Error).message).to.include("deployed.baseVersion: is not a full Istio release").and.not.include("internal");
        });

        it("written by a newer istio-mesh: a pulumi.RunError saying to upgrade", async () => {
            const deployed = { ...JSON.parse(JSON.stringify(toStackOutput(stateFor("01-install")))), schema: STATE_SCHEMA + 1 };
            const e = await mainThrows(stackFile("02-canary"), deployed, {});
            expect(e).to.be.instanceOf(pulumi.RunError);
            expect((e as Error).message).to.include("written by a newer istio-mesh; upgrade istio-mesh");
        });

        it("a good output is what the rules check against: install -> complete is refused", async () => {
            const deployed = JSON.parse(JSON.stringify(toStackOutput(stateFor("01-install"))));
            const e = await mainThrows(stackFile("04-complete"), deployed, {});
            expect(e).to.be.instanceOf(pulumi.RunError);
            expect((e as Error).message).to.include("replace-all-revisions");
        });
    });
});
