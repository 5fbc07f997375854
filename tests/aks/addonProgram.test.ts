/**
 * management: aks-addon, the real program (index.ts) under Pulumi mocks along the add-on
 * runbook (stacks/aks/addon-*.yaml): install, start, promote, complete, rollback. Each step
 * plans from the `deployed` output the previous one exported, as a real stack does.
 */
import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { parseStackConfig } from "../../components/config/stackConfig";
import { gateInputOf, gateRecordOf, parseGateConfig } from "../../components/dataplane/gate";
import { RegisteredResource, runProgram } from "../../components/plan/mockRun";
import { fromStackOutput, MeshState, STATE_SCHEMA, stateOf } from "../../components/state/deployed";
import { stackFile } from "../support/fixtures";

const MC = "azure-native:containerservice:ManagedCluster";
const CM = "kubernetes:core/v1:ConfigMap";
const HPA = "kubernetes:autoscaling/v2:HorizontalPodAutoscalerPatch";
const MWC = "kubernetes:admissionregistration.k8s.io/v1:MutatingWebhookConfiguration";
const NS_PATCH = "kubernetes:core/v1:NamespacePatch";

const names = (rs: RegisteredResource[], type: string) => rs.filter((r) => r.type === type).map((r) => r.name).sort();
const byName = (rs: RegisteredResource[], type: string, name: string) => {
    const r = rs.find((x) => x.type === type && x.name === name);
    expect(r, `${type} ${name}`).to.not.equal(undefined);
    return r!;
};
const profile = (rs: RegisteredResource[]) => byName(rs, MC, "cluster-aks").inputs.serviceMeshProfile as { mode: string; istio: { revisions: string[]; components: { ingressGateways: { enabled: boolean; mode: string }[] } } };
type Any = Record<string, any>;

/** One `pulumi up` of the runbook; also what the ManagedCluster and each resource wait for. */
async function step(file: string, previous: MeshState | null) {
    const config = stackFile(`aks/${file}`);
    const resourceNames = new Map<pulumi.Resource, string>();
    const waits = new Map<string, unknown>();
    const run = await runProgram(config, previous, {
        stack: "mesh-prod",
        onResource: (r) => {
            resourceNames.set(r.resource, r.name);
            waits.set(r.name, r.opts.dependsOn);
        },
    });
    const state = fromStackOutput(run.outputs.deployed)!;
    expect(state, `${file}: deployed output`).to.deep.equal(stateOf(parseStackConfig(config), previous?.baseVersion));
    /** The names a resource's dependsOn resolves to (a promise for the ManagedCluster). */
    const dependsOn = async (name: string): Promise<string[]> => {
        // An Input of (Inputs of) resources: a promise, a list, or a list holding a promise.
        const flat = async (d: unknown): Promise<unknown[]> => {
            // The SDK hands a promised dependsOn on as an Output; its (internal) promise() is the value.
            const v = pulumi.Output.isInstance(d) ? await (d as unknown as { promise(): Promise<unknown> }).promise() : await d;
            return v === undefined ? [] : Array.isArray(v) ? (await Promise.all(v.map(flat))).flat() : [v];
        };
        return (await flat(waits.get(name))).map((x) => resourceNames.get(x as pulumi.Resource) ?? "?").sort();
    };
    return { ...run, state, dependsOn };
}

describe("aks-addon: the runbook under mocks", function () {
    this.timeout(120000);
    let install: Awaited<ReturnType<typeof step>>;
    let canary: Awaited<ReturnType<typeof step>>;
    let promote: Awaited<ReturnType<typeof step>>;

    it("install: serviceMeshProfile [asm-1-29], no Helm release, the shared ConfigMap, HPA bounds, tag and labels on asm-1-29", async () => {
        install = await step("addon-01-install", null);
        const rs = install.resources;
        expect(profile(rs)).to.deep.equal({
            mode: "Istio",
            istio: { revisions: ["asm-1-29"], components: { ingressGateways: [{ enabled: true, mode: "External" }, { enabled: false, mode: "Internal" }] } },
        });
        expect(rs.filter((r) => r.type.startsWith("kubernetes:helm.sh"))).to.deep.equal([]);
        expect(install.outputs.releases).to.deep.equal({});
        const cm = byName(rs, CM, "mesh-addon-asm-1-29-meshconfig");
        expect((cm.inputs.metadata as Any)).to.deep.include({ name: "istio-shared-configmap-asm-1-29", namespace: "aks-istio-system" });
        expect(cm.inputs.data).to.deep.equal({ mesh: "accessLogFile: /dev/stdout\ndefaultConfig:\n  holdApplicationUntilProxyStarts: true\n" });
        expect(names(rs, HPA)).to.deep.equal(["mesh-addon-asm-1-29-hpa-external", "mesh-addon-asm-1-29-hpa-istiod"]);
        const istiodHpa = byName(rs, HPA, "mesh-addon-asm-1-29-hpa-istiod").inputs as Any;
        expect(istiodHpa.metadata).to.deep.include({ name: "istiod-asm-1-29", namespace: "aks-istio-system" });
        expect(istiodHpa.spec).to.deep.equal({ minReplicas: 2, maxReplicas: 5 });
        const gwHpa = byName(rs, HPA, "mesh-addon-asm-1-29-hpa-external").inputs as Any;
        expect(gwHpa.metadata).to.deep.include({ name: "aks-istio-ingressgateway-external-asm-1-29", namespace: "aks-istio-ingress" });
        expect(gwHpa.spec).to.deep.equal({ minReplicas: 2, maxReplicas: 6 });
        // The tag calls istiod-asm-1-29 in aks-istio-system; no `default` tag in add-on mode.
        expect(names(rs, MWC)).to.deep.equal(["mesh-tag-prod-stable-webhook"]);
        const hook = byName(rs, MWC, "mesh-tag-prod-stable-webhook").inputs as Any;
        expect(hook.metadata.name).to.equal("istio-revision-tag-prod-stable-aks-istio-system");
        expect(hook.webhooks[0].clientConfig.service).to.deep.include({ name: "istiod-asm-1-29", namespace: "aks-istio-system" });
        expect((byName(rs, NS_PATCH, "mesh-ns-bookinfo-rev").inputs as Any).metadata.labels).to.deep.include({ "istio.io/rev": "prod-stable" });
        // First install: nothing gates the cluster (the namespaces appear with the add-on); the HPAs wait for it.
        expect(await install.dependsOn("cluster-aks")).to.deep.equal([]);
        expect(await install.dependsOn("mesh-addon-asm-1-29-hpa-istiod")).to.deep.equal(["cluster-aks"]);
        expect(install.state).to.deep.include({ management: "aks-addon", namespace: "aks-istio-system", defaultRevision: "", baseVersion: "1.29" });
        expect(install.state.revisions).to.deep.equal([{ name: "asm-1-29", version: "1.29" }]);
        expect(install.outputs.deployed).to.deep.include({ schema: STATE_SCHEMA, management: "aks-addon" });
    });

    it("start: [asm-1-29, asm-1-30]; the ManagedCluster's update waits for both shared ConfigMaps", async () => {
        canary = await step("addon-02-canary", install.state);
        expect(profile(canary.resources).istio.revisions).to.deep.equal(["asm-1-29", "asm-1-30"]);
        expect(names(canary.resources, CM)).to.deep.equal(["mesh-addon-asm-1-29-meshconfig", "mesh-addon-asm-1-30-meshconfig"]);
        expect(await canary.dependsOn("cluster-aks")).to.deep.equal(["mesh-addon-asm-1-29-meshconfig", "mesh-addon-asm-1-30-meshconfig"]);
        expect(await canary.dependsOn("mesh-addon-asm-1-30-hpa-istiod")).to.deep.equal(["cluster-aks"]);
        // The canary tag waits for the revision (whose istiod HPA waits for the cluster).
        expect(await canary.dependsOn("mesh-tag-prod-canary")).to.deep.equal(["mesh-addon-asm-1-30"]);
        const hook = byName(canary.resources, MWC, "mesh-tag-prod-canary-webhook").inputs as Any;
        expect(hook.webhooks[0].clientConfig.service.name).to.equal("istiod-asm-1-30");
        expect((byName(canary.resources, NS_PATCH, "mesh-ns-bookinfo-rev").inputs as Any).metadata.labels["istio.io/rev"]).to.equal("prod-canary");
    });

    it("promote: the tag moves to asm-1-30 in place; the cluster's profile is unchanged", async () => {
        promote = await step("addon-03-promote", canary.state);
        expect(profile(promote.resources)).to.deep.equal(profile(canary.resources));
        const hook = byName(promote.resources, MWC, "mesh-tag-prod-stable-webhook").inputs as Any;
        expect(hook.webhooks[0].clientConfig.service.name).to.equal("istiod-asm-1-30");
    });

    it("complete: [asm-1-30]; asm-1-29's ConfigMap and HPAs leave the stack", async () => {
        const complete = await step("addon-04-complete", promote.state);
        expect(profile(complete.resources).istio.revisions).to.deep.equal(["asm-1-30"]);
        expect(names(complete.resources, CM)).to.deep.equal(["mesh-addon-asm-1-30-meshconfig"]);
        expect(names(complete.resources, HPA)).to.deep.equal(["mesh-addon-asm-1-30-hpa-external", "mesh-addon-asm-1-30-hpa-istiod"]);
        expect(complete.state.baseVersion).to.equal("1.30");
        expect(await complete.dependsOn("cluster-aks")).to.deep.equal(["mesh-addon-asm-1-30-meshconfig", "mesh-removal-gate"]);
    });

    it("rollback: from the canary back to [asm-1-29]", async () => {
        const rollback = await step("addon-01-install", canary.state);
        expect(profile(rollback.resources).istio.revisions).to.deep.equal(["asm-1-29"]);
        expect(names(rollback.resources, CM)).to.deep.equal(["mesh-addon-asm-1-29-meshconfig"]);
        expect(rollback.state.revisions).to.deep.equal([{ name: "asm-1-29", version: "1.29" }]);
        // The cluster's update (which removes asm-1-30) waits for the removal gate, the gate for the
        // restarts, and those never for the cluster: the kept revision already runs.
        expect(await rollback.dependsOn("cluster-aks")).to.deep.equal(["mesh-addon-asm-1-29-meshconfig", "mesh-removal-gate"]);
        expect(await rollback.dependsOn("mesh-tag-prod-stable")).to.deep.equal(["mesh-addon-asm-1-29-meshconfig"]);
        expect(await rollback.dependsOn("mesh-removal-gate")).to.include.members(["mesh-ns", "mesh-restarts"]);
        const gate = byName(rollback.resources, "command:local:Command", "mesh-removal-gate-verify").inputs as Any;
        // Told the config only; what it removes is its record (the canary's) against that.
        const config = parseGateConfig(gate.environment.ISTIO_MESH_GATE);
        expect(config).to.deep.equal({ revisions: ["asm-1-29"], tags: { "prod-stable": "asm-1-29" }, addon: true });
        expect(gateInputOf(config, gateRecordOf(canary.state))).to.deep.equal({ removed: ["asm-1-30"], tags: { "prod-canary": "asm-1-30", "prod-stable": "asm-1-29" }, addon: true, afterTags: { "prod-stable": "asm-1-29" }, kept: ["asm-1-29"] });
        // Nothing removed, nothing to wait for: the canary's cluster update does not wait for the gate.
        expect(await canary.dependsOn("cluster-aks")).to.not.include("mesh-removal-gate");
    });

    it("a refused step fails the program with the rule's message (no resources for it)", async () => {
        let error: unknown;
        try {
            await step("addon-04-complete", install.state);
        } catch (e) {
            error = e;
        }
        expect(String(error)).to.match(/addon-swap-without-canary/);
    });
});
