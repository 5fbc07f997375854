/**
 * The real Pulumi engine driving `command.local.Command` (@pulumi/command 1.2.1) through the
 * command provider the e2e tier installs (the real pulumi-resource-command 1.2.1 when the bin dir
 * has it, else the stand-in tests/e2e/standin/command-provider.ts). No cluster needed.
 */
import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import * as auto from "@pulumi/pulumi/automation";
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { commandProvider, failure, MeshStack } from "./harness/pulumi";
import { cleanupDirs, ensureTools, missingBinaries, tempDir } from "./harness/tools";

describe("e2e: command.local.Command through the real engine", function () {
    let binDir: string;
    let stack: MeshStack;
    let work: string;
    let journal: string;
    /** What the inline program registers; the tests change it between runs. */
    const knobs = { trigger: "a", greeting: "hello", failing: false, logging: undefined as string | undefined, gate: undefined as string | undefined };

    const program = async () => {
        const cmd = new command.local.Command("label", {
            create: `echo "create $TRIGGER" >> "${journal}"; echo "$GREETING-$TRIGGER"; echo "to-stderr" >&2`,
            delete: `echo "delete prev=$PULUMI_COMMAND_STDOUT" >> "${journal}"`,
            environment: { TRIGGER: knobs.trigger, GREETING: knobs.greeting, TOKEN: pulumi.secret("s3cr3t-token") },
            triggers: [knobs.trigger],
            ...(knobs.logging ? { logging: knobs.logging as command.types.enums.local.Logging } : {}),
        });
        const outputs: Record<string, unknown> = { stdout: cmd.stdout, stderr: cmd.stderr };
        if (knobs.gate !== undefined) {
            // The removal gate's pattern (components/dataplane/removalGate.ts): inputs from the config
            // only, ignoreChanges on create, a record read back from the previous stdout on update.
            const gate = new command.local.Command(
                "gate",
                {
                    create: `echo "record ${knobs.gate} (created)"`,
                    update: `if [ -f "${gateFlag}" ]; then echo "still in use" >&2; exit 1; fi; echo "record $CONFIG prev=[$PULUMI_COMMAND_STDOUT]"`,
                    environment: { CONFIG: knobs.gate },
                    addPreviousOutputInEnv: true,
                },
                { ignoreChanges: ["create"] },
            );
            outputs.gate = gate.stdout;
        }
        if (knobs.failing) {
            const bad = new command.local.Command("failing", { create: `echo "out-before-failing"; echo "kubectl: namespaces \\"nope\\" not found" >&2; exit 3` }, { dependsOn: [cmd] });
            outputs.bad = bad.stdout;
        }
        return outputs;
    };
    let gateFlag = "";
    const lines = () => (fs.existsSync(journal) ? fs.readFileSync(journal, "utf8").trim().split("\n").filter(Boolean) : []);
    const up = async (what: string) => {
        const events: auto.EngineEvent[] = [];
        const t0 = Date.now();
        const res = await stack.stack.up({ onEvent: (e) => events.push(e) });
        console.log(`      [time] ${what}: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
        return { res, events };
    };

    /** The command's lines as the provider logs them: ephemeral INFO diagnostics on the resource. */
    const providerLogs = (events: auto.EngineEvent[]) =>
        events
            .map((e) => e.diagnosticEvent)
            .filter((d) => d && d.severity === "info" && d.ephemeral && d.urn?.endsWith("::label"))
            .map((d) => d!.message.trim());

    before(async function () {
        binDir = ensureTools({ allowMissing: true });
        const missing = missingBinaries(binDir, ["pulumi"]);
        if (missing.length > 0) throw new Error(`e2e tools missing from ${binDir}: ${missing.join(", ")}`);
        const provider = commandProvider(binDir);
        console.log(provider.real ? `      command provider: the real pulumi-resource-command 1.2.1 (${provider.file})` : `      command provider: the e2e STAND-IN (${provider.file})`);
        work = tempDir("command");
        journal = path.join(work, "journal.txt");
        gateFlag = path.join(work, "gate-fails");
        stack = await MeshStack.create(binDir, "command", program, "command-e2e");
    });

    after(async function () {
        try {
            await stack?.destroy("destroy");
        } finally {
            cleanupDirs();
        }
    });

    it("create runs the command once; stdout and stderr are outputs", async function () {
        const { res } = await up("up 1");
        expect(lines()).to.deep.equal(["create a"]);
        expect(res.outputs.stdout.value).to.equal("hello-a");
        expect(res.outputs.stderr.value).to.equal("to-stderr");
        // Secret inputs (TOKEN) do not make stdout secret: only same-named outputs inherit secretness.
        expect(res.outputs.stdout.secret).to.equal(false);
        expect(res.summary.resourceChanges?.create).to.equal(2); // stack + command
    });

    it("keeps secret inputs secret in the state (inputs and the mirrored outputs)", async function () {
        // exportStack runs `stack export --show-secrets`: secrets appear as sig-wrapped plaintext.
        const SECRET = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", plaintext: JSON.stringify("s3cr3t-token") };
        const state = await stack.stack.exportStack();
        const label = (state.deployment.resources ?? []).find((r: { urn: string }) => r.urn.endsWith("::label"));
        expect(label.inputs.environment.TOKEN).to.deep.equal(SECRET);
        expect(label.outputs.environment.TOKEN).to.deep.equal(SECRET);
        expect(label.outputs.environment.GREETING).to.equal("hello");
        expect(label.outputs.stdout).to.equal("hello-a");
    });

    it("a second up runs nothing, and a preview shows no changes", async function () {
        const { res } = await up("up 2 (no change)");
        expect(lines()).to.deep.equal(["create a"]);
        expect(res.summary.resourceChanges?.same).to.equal(2);
        await stack.preview("preview (expect no changes)", { expectNoChanges: true });
    });

    it("preview of a changed trigger plans a replace and runs nothing", async function () {
        knobs.trigger = "b";
        const pre = await stack.preview("preview trigger a->b");
        expect(pre.changeSummary.replace).to.equal(1);
        expect(lines()).to.deep.equal(["create a"]);
    });

    it("a changed trigger replaces: the new create runs before the old delete (create-before-delete)", async function () {
        const { res } = await up("up trigger a->b");
        expect(res.summary.resourceChanges?.replace).to.equal(1);
        expect(lines()).to.deep.equal(["create a", "create b", "delete prev=hello-a"]);
        expect(res.outputs.stdout.value).to.equal("hello-b");
    });

    it("a changed non-trigger input updates in place, running `create` again (no `update` set)", async function () {
        knobs.greeting = "hi";
        const { res } = await up("up greeting change");
        expect(res.summary.resourceChanges?.update).to.equal(1);
        expect(lines().slice(3)).to.deep.equal(["create b"]);
        expect(res.outputs.stdout.value).to.equal("hi-b");
    });

    it("logs the command's output lines to the engine (logging default), not with logging: none", async function () {
        knobs.trigger = "c";
        const { events } = await up("up trigger b->c (logging default)");
        const logged = providerLogs(events);
        console.log(`      provider status logs: ${JSON.stringify(logged)}`);
        expect(logged).to.include.members(["hi-c", "to-stderr"]);
        knobs.trigger = "d";
        knobs.logging = "none";
        const quiet = await up("up trigger c->d (logging none)");
        expect(providerLogs(quiet.events)).to.deep.equal([]);
        expect(quiet.res.outputs.stdout.value).to.equal("hi-d");
    });

    it("a failing command fails the up with its output in the message and leaves no state for it", async function () {
        knobs.failing = true;
        const message = await failure(stack.up("up with a failing command"));
        console.log(`      failure: ${message.split("\n").find((l) => l.includes("creating failed"))?.trim()}`);
        expect(message).to.contain("exit status 3");
        expect(message).to.contain("nope");
        expect(message).to.contain("out-before-failing");
        const state = await stack.stack.exportStack();
        const types = (state.deployment.resources ?? []).map((r: { urn: string }) => r.urn);
        expect(types.some((u: string) => u.endsWith("::failing"))).to.equal(false);
        expect(types.some((u: string) => u.endsWith("::label"))).to.equal(true);
        knobs.failing = false;
    });

    it("a failing update keeps the old inputs and stdout, so the next up runs it again; then nothing", async function () {
        knobs.gate = "a";
        await up("up: the gate is created");
        const gateOf = async () => ((await stack.stack.exportStack()).deployment.resources ?? []).find((r: { urn: string }) => r.urn.endsWith("::gate"));
        expect((await gateOf()).outputs.stdout).to.equal("record a (created)");
        // A changed create (ignored) alone is no change.
        await stack.preview("preview: same config", { expectNoChanges: true });
        knobs.gate = "b";
        fs.writeFileSync(gateFlag, "");
        const message = await failure(stack.up("up: the gate fails"));
        expect(message).to.contain("still in use");
        const kept = await gateOf();
        expect(kept.inputs.environment.CONFIG, "the failed update is not recorded").to.equal("a");
        expect(kept.outputs.stdout).to.equal("record a (created)");
        fs.rmSync(gateFlag);
        const pre = await stack.preview("preview: the gate runs again");
        expect(pre.changeSummary.update).to.equal(1);
        const { res } = await up("up: the gate passes");
        expect(res.outputs.gate.value).to.equal("record b prev=[record a (created)]");
        await stack.preview("preview: then nothing", { expectNoChanges: true });
        knobs.gate = undefined;
        await up("up: the gate goes");
    });

    it("destroy runs `delete` with the last stdout in PULUMI_COMMAND_STDOUT", async function () {
        await stack.destroy("destroy");
        expect(lines().pop()).to.equal("delete prev=hi-d");
    });
});
