/**
 * The adopted stack run through the real program (index.ts) under Pulumi mocks: the first
 * update registers the resources it always registers and adds `import` to exactly the objects
 * the adoption found, under exactly the names the adoption report gives; once something is
 * deployed, nothing is imported.
 */
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { collectLive } from "../../components/adopt/collect";
import { adoptMesh } from "../../components/adopt/mapping";
import { stackConfigOf } from "../../components/adopt/verify";
import { runProgram } from "../../components/plan/mockRun";
import { fromStackOutput } from "../../components/state/deployed";
import { recordedRunner } from "./recorded";

interface Seen {
    type: string;
    name: string;
    import?: string;
    ignoreChanges?: string[];
    props: Record<string, any>;
}

async function run(config: Record<string, unknown>, previous: Parameters<typeof runProgram>[1]) {
    const seen: Seen[] = [];
    const result = await runProgram(config, previous, {
        onResource: (args: pulumi.ResourceTransformationArgs) => {
            seen.push({ type: args.type, name: args.name, import: (args.opts as pulumi.CustomResourceOptions).import as string | undefined, ignoreChanges: args.opts.ignoreChanges, props: args.props as Record<string, any> });
        },
    });
    return { seen, result };
}

describe("adopt: the first up imports what runs, under the program's own names", function () {
    this.timeout(120000);
    const adoption = adoptMesh(collectLive(recordedRunner("helm-1.28-1.29").run, "istio-system"));
    const config: Record<string, unknown> = { ...stackConfigOf(adoption, {}), "istio-mesh:cluster": { kind: "existing", skipAwait: true } };

    it("every adopted object gets `import: <id>` on the resource the adoption names, and nothing else does", async () => {
        const { seen } = await run(config, null);
        const imported = seen.filter((s) => s.import !== undefined).map((s) => `${s.type} ${s.name} <- ${s.import}`).sort();
        expect(imported).to.deep.equal(adoption.imports.map((i) => `${i.type} ${i.resource} <- ${i.id}`).sort());
        expect(imported.length).to.equal(10);
        // Nothing is created where something runs: every release, tag webhook and tag Service is adopted.
        for (const type of ["kubernetes:helm.sh/v3:Release", "kubernetes:admissionregistration.k8s.io/v1:MutatingWebhookConfiguration", "kubernetes:core/v1:Service"]) {
            expect(seen.filter((s) => s.type === type && s.import === undefined).map((s) => s.name), type).to.deep.equal([]);
        }
    });

    it("the import id is what the resource's own inputs name (namespace/name of the release, the webhook's name)", async () => {
        const { seen } = await run(config, null);
        const imported = seen.filter((x) => x.import !== undefined);
        expect(imported, "something is imported").to.not.be.empty;
        for (const s of imported) {
            const id = s.type === "kubernetes:helm.sh/v3:Release" ? `${s.props.namespace}/${s.props.name}` : s.type.endsWith("Service") ? `${s.props.metadata.namespace}/${s.props.metadata.name}` : s.props.metadata.name;
            expect(s.import, s.name).to.equal(id);
        }
    });

    it("once something is deployed, nothing is imported; adopted Services keep ignoring the clusterIP the API server owns", async () => {
        const first = await run(config, null);
        const deployed = fromStackOutput(first.result.outputs.deployed);
        const second = await run(config, deployed ?? null);
        expect(second.seen.filter((s) => s.import !== undefined).map((s) => s.name)).to.deep.equal([]);
        for (const { seen } of [first, second]) {
            const services = seen.filter((s) => s.type === "kubernetes:core/v1:Service");
            expect(services, "the adopted tag Services are registered").to.not.be.empty;
            expect(services.map((s) => [s.name, s.ignoreChanges])).to.deep.equal(services.map((s) => [s.name, ["spec.clusterIP", "spec.clusterIPs"]]));
        }
    });

    it("adopted namespaces are not restarted on the first up (they already run that revision); enrolled ones are", async () => {
        // The restart command's first run (its `create` script) restarts the namespaces it lists.
        const firstRun = async (c: Record<string, unknown>) => {
            const { result } = await run(c, null);
            const rollout = result.resources.find((r) => r.type === "command:local:Command" && r.name === "mesh-restarts-rollout");
            expect(rollout, "the restart command").to.not.equal(undefined);
            return String(rollout!.inputs.create);
        };
        const listed = (script: string) => /listed=" ([^"]*) "/.exec(script)?.[1] ?? "";
        expect(listed(await firstRun(config)).trim()).to.equal("");
        // The same namespaces enrolled without adoption: their workloads get proxies by a restart.
        const { adopt: _adopt, ...plain } = config["istio-mesh:mesh"] as Record<string, unknown>;
        expect(listed(await firstRun({ ...config, "istio-mesh:mesh": plain }))).to.equal("bookinfo payments");
    });
});
