/**
 * The real program (index.ts) under Pulumi mocks: what it registers for each step of the
 * upgrade runbook. Mocks are per process, so every run goes through runProgram in turn.
 */
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { RegisteredResource, runProgram } from "../../components/plan/mockRun";
import { parseStackConfig } from "../../components/config/stackConfig";
import { gateInputOf, gateRecordOf, parseGateConfig } from "../../components/dataplane/gate";
import { fromStackOutput, MeshState, STATE_SCHEMA, stateOf } from "../../components/state/deployed";
import { meshConfigMap, stackFile } from "../support/fixtures";

const COMMAND = "command:local:Command";
const RELEASE = "kubernetes:helm.sh/v3:Release";
const MWC = "kubernetes:admissionregistration.k8s.io/v1:MutatingWebhookConfiguration";

const byName = (rs: RegisteredResource[], type: string, name: string) => {
    const r = rs.find((x) => x.type === type && x.name === name);
    expect(r, `${type} ${name}`).to.not.equal(undefined);
    return r!;
};
const names = (rs: RegisteredResource[], type: string) => rs.filter((r) => r.type === type).map((r) => r.name).sort();
const values = (r: RegisteredResource) => r.inputs.values as Record<string, any>;

/**
 * One `pulumi up` of the runbook. The next step plans from what this one exported (the
 * `deployed` output read back as the program reads it), never from a recomputed state, so an
 * output that loses part of the state breaks the chain here as it would in a real stack.
 */
async function step(name: string, previous: MeshState | null) {
    const config = stackFile(name);
    const messages: string[] = [];
    const graph = new Graph();
    const run = await runProgram(config, previous, { report: (level, m) => messages.push(`${level}: ${m}`), onResource: graph.record });
    const state = fromStackOutput(run.outputs.deployed);
    // What it exported is what this config deploys (computed here from the config, not taken from the program).
    expect(state, `${name}: deployed output`).to.deep.equal(stateOf(parseStackConfig(config), previous?.baseVersion));
    const steps = messages.find((m) => m.startsWith("info: istio-mesh steps:")) ?? "";
    return { run, state: state!, steps, graph };
}

/**
 * The order the program imposes, from the options each resource is constructed with: a
 * resource registers only after its parent and after every resource it dependsOn (a component
 * with all its children), transitively. Deletions (after all creates) are the engine's, seen
 * only by the e2e tier.
 */
class Graph {
    private readonly names = new Map<pulumi.Resource, string>();
    private readonly nodes: { name: string; resource: pulumi.Resource; parent?: pulumi.Resource; dependsOn: pulumi.Resource[] }[] = [];

    readonly record = (args: pulumi.ResourceTransformationArgs) => {
        this.names.set(args.resource, args.name);
        const deps = args.opts.dependsOn as pulumi.Resource | pulumi.Resource[] | undefined;
        const dependsOn = (Array.isArray(deps) ? deps : deps === undefined ? [] : [deps]).filter((d) => pulumi.Resource.isInstance(d));
        this.nodes.push({ name: args.name, resource: args.resource, parent: args.opts.parent, dependsOn });
    };

    /** Custom resources (what the engine creates) whose name starts with `prefix`. */
    custom(prefix: string): string[] {
        // Asked once constructed: a resource is marked custom only after its constructor ran.
        return this.nodes.filter((n) => pulumi.CustomResource.isInstance(n.resource) && n.name.startsWith(prefix)).map((n) => n.name);
    }

    /** Everything `name` waits for before it registers. */
    waitsFor(name: string): string[] {
        const node = (n: string) => this.nodes.find((x) => x.name === n);
        const descendants = (n: string): string[] => this.nodes.filter((x) => x.parent !== undefined && this.names.get(x.parent) === n).flatMap((x) => [x.name, ...descendants(x.name)]);
        const seen = new Set<string>();
        const todo = [name];
        while (todo.length > 0) {
            const n = node(todo.pop()!);
            expect(n, "resource in the graph").to.not.equal(undefined);
            const next = [
                ...(n!.parent !== undefined ? [this.names.get(n!.parent)!] : []),
                ...n!.dependsOn.flatMap((d) => [this.names.get(d)!, ...descendants(this.names.get(d)!)]),
            ];
            for (const x of next.filter((x) => x !== undefined && !seen.has(x))) {
                seen.add(x);
                todo.push(x);
            }
        }
        return [...seen].sort();
    }
}

describe("mesh: resources registered by the program (mocks)", () => {
    it("install: namespace, base, one istiod release, tags, labels, gateway", async () => {
        const { run } = await step("01-install", null);
        const rs = run.resources;
        expect(names(rs, RELEASE)).to.deep.equal(["mesh-base-release", "mesh-gw-istio-ingressgateway-release", "mesh-rev-1-29-6-istiod"]);
        const istiod = byName(rs, RELEASE, "mesh-rev-1-29-6-istiod").inputs;
        expect(istiod).to.deep.include({ name: "istiod-1-29-6", namespace: "istio-system", chart: "istiod", version: "1.29.6" });
        expect(istiod.repositoryOpts).to.deep.equal({ repo: "https://istio-release.storage.googleapis.com/charts" });
        expect(values(byName(rs, RELEASE, "mesh-rev-1-29-6-istiod"))).to.deep.include({ revision: "1-29-6", revisionTags: [] });
        expect(values(byName(rs, RELEASE, "mesh-base-release"))).to.deep.include({ defaultRevision: "1-29-6" });
        expect(names(rs, MWC)).to.deep.equal(["mesh-tag-default-webhook", "mesh-tag-prod-stable-webhook"]);
        const tag = byName(rs, MWC, "mesh-tag-prod-stable-webhook").inputs as any;
        expect(tag.metadata).to.deep.include({ name: "istio-revision-tag-prod-stable" });
        expect(tag.metadata.labels).to.include({ "istio.io/rev": "1-29-6", "istio.io/tag": "prod-stable" });
        expect(tag.webhooks.every((w: any) => w.clientConfig.service.name === "istiod-1-29-6")).to.equal(true);
        // 1.28+ renders the tag Service too.
        expect(names(rs, "kubernetes:core/v1:Service")).to.deep.equal(["mesh-tag-default-service", "mesh-tag-prod-stable-service"]);
        const label = byName(rs, "kubernetes:core/v1:NamespacePatch", "mesh-ns-payments-rev").inputs as any;
        expect(label.metadata.labels).to.deep.equal({ "istio.io/rev": "prod-stable" });
        // One patch per namespace: no second applier under the same field manager.
        expect(names(rs, "kubernetes:core/v1:NamespacePatch")).to.deep.equal(["mesh-ns-bookinfo-rev", "mesh-ns-payments-rev"]);
        // One label removal and one restart command for the whole mesh, not one per namespace, and
        // the removal gate, there from the start (it removes nothing now).
        expect(names(rs, "command:local:Command")).to.deep.equal(["mesh-ns-drop-injection", "mesh-removal-gate-verify", "mesh-restarts-rollout"]);
        expect(values(byName(rs, RELEASE, "mesh-gw-istio-ingressgateway-release"))).to.deep.include({ revision: "prod-stable" });
        expect(run.outputs.deployed).to.deep.include({ schema: STATE_SCHEMA, baseVersion: "1.29.6" });
    });

    it("canary -> promote -> complete: base first, tags retargeted in place, old revision last", async () => {
        const install = await step("01-install", null);
        const canary = await step("02-canary", install.state);
        let rs = canary.run.resources;
        expect(names(rs, RELEASE)).to.include.members(["mesh-rev-1-29-6-istiod", "mesh-rev-1-30-3-istiod"]);
        expect(byName(rs, RELEASE, "mesh-base-release").inputs.version).to.equal("1.30.3");
        expect(values(byName(rs, RELEASE, "mesh-base-release")).defaultRevision).to.equal("1-29-6");
        expect((byName(rs, MWC, "mesh-tag-prod-canary-webhook").inputs as any).metadata.labels["istio.io/rev"]).to.equal("1-30-3");
        // Planned from what install exported: bookinfo moves; payments and the gateway were already there.
        expect(canary.steps).to.include("Point namespace bookinfo at prod-canary (was prod-stable): revision 1-29-6 -> 1-30-3");
        expect(canary.steps).to.not.match(/namespace payments|gateway istio-ingressgateway/i);
        // Base first, then the revision, then its tag, then the namespace that follows the tag.
        expect(canary.graph.waitsFor("mesh-rev-1-30-3-istiod")).to.include("mesh-base-release");
        expect(canary.graph.waitsFor("mesh-base-release")).to.not.include("mesh-rev-1-30-3-istiod");
        for (const r of ["mesh-tag-prod-canary-webhook", "mesh-tag-prod-canary-service"]) {
            expect(canary.graph.waitsFor(r), r).to.include("mesh-rev-1-30-3-istiod");
        }
        const bookinfo = canary.graph.custom("mesh-ns-bookinfo");
        expect(bookinfo).to.not.deep.equal([]);
        for (const r of bookinfo) {
            expect(canary.graph.waitsFor(r), r).to.include.members(["mesh-tag-prod-canary-webhook", "mesh-rev-1-30-3-istiod"]);
        }
        expect(canary.graph.waitsFor("mesh-gw-istio-ingressgateway-release")).to.include.members(["mesh-tag-prod-stable-webhook", "mesh-rev-1-29-6-istiod"]);

        const promote = await step("03-promote", canary.state);
        rs = promote.run.resources;
        // Same resource names as before: the tags moved by an in-place update.
        expect(names(rs, MWC)).to.deep.equal(names(canary.run.resources, MWC));
        for (const tag of ["prod-stable", "default"]) {
            const w = byName(rs, MWC, `mesh-tag-${tag}-webhook`).inputs as any;
            expect(w.metadata.labels["istio.io/rev"], tag).to.equal("1-30-3");
            expect(w.webhooks[0].clientConfig.service.name, tag).to.equal("istiod-1-30-3");
        }
        expect(values(byName(rs, RELEASE, "mesh-base-release")).defaultRevision).to.equal("1-30-3");
        expect(byName(rs, RELEASE, "mesh-gw-istio-ingressgateway-release").inputs.version).to.equal("1.30.3");
        // Planned from what canary exported: the tag moves payments and the gateway, bookinfo comes back to it.
        expect(promote.steps).to.include("Gateway istio-ingressgateway follows prod-stable: revision 1-29-6 -> 1-30-3");
        expect(promote.steps).to.include("Namespace payments follows prod-stable: revision 1-29-6 -> 1-30-3");
        expect(promote.steps).to.include("Point namespace bookinfo at prod-stable (was prod-canary): revision 1-30-3 unchanged");
        expect(promote.graph.waitsFor("mesh-gw-istio-ingressgateway-release")).to.include.members(["mesh-tag-prod-stable-webhook", "mesh-rev-1-30-3-istiod"]);

        const complete = await step("04-complete", promote.state);
        rs = complete.run.resources;
        expect(names(rs, RELEASE)).to.deep.equal(["mesh-base-release", "mesh-gw-istio-ingressgateway-release", "mesh-rev-1-30-3-istiod"]);
        // Nothing refers to 1-29-6 any more but the removal gate's creation script (the state before,
        // which the engine ignores once the gate exists: its record says the same).
        expect(rs.filter((r) => JSON.stringify(r.inputs).includes("1-29-6")).map((r) => r.name)).to.deep.equal(["mesh-removal-gate-verify"]);
        expect(JSON.stringify((byName(rs, COMMAND, "mesh-removal-gate-verify").inputs as any).environment)).to.not.include("1-29-6");
        // Planned from what promote exported: only the old revision and the canary tag go.
        expect(complete.steps).to.match(/Remove tag prod-canary[\s\S]*Uninstall control plane revision 1-29-6/);
        expect(complete.steps).to.not.match(/namespace (bookinfo|payments)|gateway istio-ingressgateway/i);
    });

    it("preview and up show the change's steps and warnings", async () => {
        const install = await step("01-install", null);
        const messages: string[] = [];
        await runProgram(stackFile("04-complete"), install.state, { allowUnsafe: ["replace-all-revisions", "removed-revision-users-on-new-revision"], report: (level, m) => messages.push(`${level}: ${m}`) });
        expect(messages.filter((m) => m.startsWith("warn: [replace-all-revisions] OVERRIDDEN"))).to.have.length(1);
        const info = messages.find((m) => m.startsWith("info: istio-mesh steps:"));
        expect(info).to.match(/Install control plane revision 1-30-3[\s\S]*Uninstall control plane revision 1-29-6/);
    });

    it("rollback: reverting to install keeps base at the newest version it reached", async () => {
        const canary = await step("02-canary", null);
        const back = await step("01-install", canary.state);
        const base = byName(back.run.resources, RELEASE, "mesh-base-release");
        expect(base.inputs.version).to.equal("1.30.3");
        expect(names(back.run.resources, RELEASE)).to.not.include("mesh-rev-1-30-3-istiod");
    });

    it("rollback in one revert: the removal gate waits for every restart and gateway roll; it runs again only when the config changes", async () => {
        const install = await step("01-install", null);
        const canary = await step("02-canary", install.state);
        const gateOf = (r: { run: { resources: RegisteredResource[] } }) => byName(r.run.resources, COMMAND, "mesh-removal-gate-verify").inputs as any;
        const back = await step("01-install", canary.state);
        const check = gateOf(back);
        // Told what the config deploys; the removal (1-30-3) is what its record, the canary's, has more.
        expect(JSON.parse(check.environment.ISTIO_MESH_GATE)).to.deep.equal({ revisions: ["1-29-6"], tags: { "prod-stable": "1-29-6" }, addon: false });
        expect(JSON.parse(gateOf(canary).environment.ISTIO_MESH_GATE)).to.deep.equal({ revisions: ["1-29-6", "1-30-3"], tags: { "prod-canary": "1-30-3", "prod-stable": "1-29-6" }, addon: false });
        // Created in this update (a stack from before the permanent gate), it compares with the canary's state.
        expect(check.create).to.include(`export ISTIO_MESH_GATE_BEFORE='${JSON.stringify(gateRecordOf(canary.state))}'`);
        expect(check.update).to.match(/^unset ISTIO_MESH_GATE_BEFORE\n/);
        expect(check.addPreviousOutputInEnv).to.equal(true);
        expect(check.environment.ISTIO_MESH_TIMEOUT).to.equal("300");
        // Run in this checkout, where scripts/removal-gate.ts is, whatever the provider's working directory.
        expect(check.dir).to.equal(path.resolve(__dirname, "..", ".."));
        expect(fs.existsSync(path.join(check.dir, "scripts", "removal-gate.ts"))).to.equal(true);
        // After the restarts: the namespace labels, the restart command, the gateway's roll.
        expect(back.graph.waitsFor("mesh-removal-gate-verify")).to.include.members(["mesh-restarts-rollout", "mesh-ns-bookinfo-rev", "mesh-gw-istio-ingressgateway-release"]);
        // Nothing the restarts need waits for the gate (it comes last among creates and updates).
        for (const r of ["mesh-restarts-rollout", "mesh-gw-istio-ingressgateway-release", "mesh-tag-prod-stable-webhook"]) {
            expect(back.graph.waitsFor(r), r).to.not.include("mesh-removal-gate-verify");
        }
        // Before the removal: 1-30-3's release is a delete (not in this run), which the engine runs
        // only after every create and update, the gate's among them.
        expect(names(canary.run.resources, RELEASE)).to.include("mesh-rev-1-30-3-istiod");
        expect(names(back.run.resources, RELEASE)).to.not.include("mesh-rev-1-30-3-istiod");
        expect(back.steps).to.match(/Uninstall control plane revision 1-30-3 .* after bookinfo has rolled onto 1-29-6, once the removal gate has found no running or pending pod on 1-30-3/);
        // The same config again: the same command, so the engine runs nothing (no update, no delete).
        const again = await step("01-install", back.state);
        expect(gateOf(again).environment).to.deep.equal(check.environment);
        expect(gateOf(again).update).to.equal(check.update);
        expect(gateOf(again).dir).to.equal(check.dir);
        // Reverting promote removes nothing: what the gate is told moves with the tags, and it checks nothing.
        const promote = await step("03-promote", canary.state);
        const unpromote = await step("02-canary", promote.state);
        const config = parseGateConfig(gateOf(unpromote).environment.ISTIO_MESH_GATE);
        expect(gateInputOf(config, gateRecordOf(promote.state)).removed).to.deep.equal([]);
    });

    it("resource identity does not depend on list order", async () => {
        const mesh = (revisions: object[]) => meshConfigMap({ revisions, defaultRevision: "1-29-6", tags: { a: "1-30-3", b: "1-29-6" } });
        const a = await runProgram(mesh([{ version: "1.29.6" }, { version: "1.30.3" }]), null);
        const b = await runProgram(mesh([{ version: "1.30.3" }, { version: "1.29.6" }]), null);
        const key = (r: RegisteredResource) => `${r.type} ${r.name} ${JSON.stringify(r.inputs)}`;
        expect(a.resources.map(key).sort()).to.deep.equal(b.resources.map(key).sort());
    });

    it("skipAwait and chart source reach every release and awaited object", async () => {
        const { resources } = await runProgram(
            meshConfigMap({ revisions: [{ version: "1.30.3" }], chartRepository: "http://127.0.0.1:8879", namespaces: { shop: { revision: "1-30-3", create: true } } }, { kind: "existing", skipAwait: true, context: "e2e" }),
            null,
        );
        const releases = resources.filter((x) => x.type === RELEASE);
        expect(releases.map((r) => r.name).sort()).to.deep.equal(["mesh-base-release", "mesh-rev-1-30-3-istiod"]);
        for (const r of releases) {
            expect(r.inputs, r.name).to.deep.include({ skipAwait: true, repositoryOpts: { repo: "http://127.0.0.1:8879" } });
        }
        const awaited = resources.filter((x) => x.type === "kubernetes:core/v1:Namespace" || x.type === "kubernetes:core/v1:Service");
        expect(awaited.map((r) => r.name).sort()).to.deep.equal(["mesh-ns-shop-namespace", "mesh-tag-default-service"]);
        for (const r of awaited) {
            expect((r.inputs as any).metadata.annotations, r.name).to.deep.include({ "pulumi.com/skipAwait": "true" });
        }
        expect(byName(resources, "pulumi:providers:kubernetes", "cluster-provider").inputs).to.deep.include({ context: "e2e" });
    });

    it("a gateway in an enrolled namespace does not create that namespace twice", async () => {
        const { resources } = await runProgram(
            meshConfigMap({ revisions: [{ version: "1.30.3" }], namespaces: { edge: { revision: "1-30-3", create: true } }, gateways: { gw: { revision: "1-30-3", namespace: "edge" } } }),
            null,
        );
        expect(names(resources, "kubernetes:core/v1:Namespace")).to.deep.equal(["mesh-ns-edge-namespace"]);
        // Helm creates the control-plane and gateway namespaces when missing (they may exist).
        for (const r of resources.filter((x) => x.type === RELEASE)) {
            expect(r.inputs.createNamespace, r.name).to.equal(true);
        }
    });

    it("an invalid config fails the program with the config error, not a stack trace", async () => {
        let error: Error | undefined;
        try {
            await runProgram(meshConfigMap({ revisions: [{ version: "1.30" }] }), null);
        } catch (e) {
            error = e as Error;
        }
        expect(error?.message).to.match(/istio-mesh:mesh\.revisions\[0\]\.version/);
        // A RunError is what the CLI prints as a plain message, without the program's stack trace.
        expect(pulumi.RunError.isInstance(error), String(error?.stack)).to.equal(true);
    });

    it("a refused transition fails before any mesh resource is registered", async () => {
        const install = await step("01-install", null);
        // Every resource the program constructs, seen as it is constructed: also when the program then fails.
        const constructed: string[] = [];
        let error: Error | undefined;
        try {
            await runProgram(stackFile("04-complete"), install.state, { onResource: (r) => constructed.push(`${r.type} ${r.name}`) });
        } catch (e) {
            error = e as Error;
        }
        expect(error?.message).to.match(/refused this change[\s\S]*replace-all-revisions/);
        expect(pulumi.RunError.isInstance(error), String(error?.stack)).to.equal(true);
        expect(constructed).to.deep.equal([]);
        // The same run, allowed, does construct the mesh: the hook sees what the program builds.
        await runProgram(stackFile("04-complete"), install.state, { allowUnsafe: ["all"], onResource: (r) => constructed.push(`${r.type} ${r.name}`) });
        expect(constructed).to.include.members(["istio-mesh:mesh:Mesh mesh", "kubernetes:helm.sh/v3:Release mesh-rev-1-30-3-istiod"]);
    });
});
