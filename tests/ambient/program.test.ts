/**
 * The real program (index.ts) under Pulumi mocks for the ambient runbook (stacks/ambient/):
 * what each step registers (ztunnel, the ambient profiles, namespace labels, waypoints,
 * Gateway API gateways, the CRDs) and that each step plans from the previous step's `deployed`.
 */
import { expect } from "chai";
import { RegisteredResource, runProgram } from "../../components/plan/mockRun";
import { parseStackConfig } from "../../components/config/stackConfig";
import { fromStackOutput, MeshState, stateOf } from "../../components/state/deployed";
import { stackFile } from "../support/fixtures";

const RELEASE = "kubernetes:helm.sh/v3:Release";
const PATCH = "kubernetes:core/v1:NamespacePatch";
const GATEWAY = "kubernetes:gateway.networking.k8s.io/v1:Gateway";
const COMMAND = "command:local:Command";

const find = (rs: RegisteredResource[], type: string, name: string) => {
    const r = rs.find((x) => x.type === type && x.name === name);
    expect(r, `${type} ${name} among ${rs.filter((x) => x.type === type).map((x) => x.name).join(", ")}`).to.not.equal(undefined);
    return r!.inputs as Record<string, any>;
};

async function step(file: string, previous: MeshState | null) {
    const config = stackFile(`ambient/${file}`);
    const messages: string[] = [];
    const run = await runProgram(config, previous, { report: (level, m) => messages.push(`${level}: ${m}`) });
    const state = fromStackOutput(run.outputs.deployed);
    expect(state, `${file}: deployed`).to.deep.equal(stateOf(parseStackConfig(config), previous?.baseVersion));
    return { run, state: state!, steps: messages.find((m) => m.startsWith("info: istio-mesh steps:")) ?? "", warnings: messages.filter((m) => m.startsWith("warn: ")) };
}

describe("ambient: the program under mocks, step by step (stacks/ambient)", () => {
    const runs: Awaited<ReturnType<typeof step>>[] = [];
    before(async function () {
        this.timeout(120_000);
        let previous: MeshState | null = null;
        for (const f of ["01-pieces", "02-waypoint", "03-bookinfo-ambient", "04-canary", "05-promote", "06-complete"]) {
            const s = await step(f, previous);
            runs.push(s);
            previous = s.state;
        }
    });

    it("step 1 installs ztunnel on the revision, with istiod and istio-cni on profile ambient", () => {
        const rs = runs[0].run.resources;
        const z = find(rs, RELEASE, "mesh-ztunnel-release");
        expect(z.chart).to.equal("ztunnel");
        expect(z.name).to.equal("ztunnel");
        expect(z.namespace).to.equal("istio-system");
        expect(z.version).to.equal("1.29.6");
        expect(z.values).to.deep.include({ hub: "docker.io/istio", tag: "1.29.6", revision: "1-29-6", istioNamespace: "istio-system", resourceName: "ztunnel" });
        expect(find(rs, RELEASE, "mesh-rev-1-29-6-istiod").values.profile).to.equal("ambient");
        expect(find(rs, RELEASE, "mesh-cni-release").values.profile).to.equal("ambient");
    });

    it("step 1 keeps both namespaces on sidecars: istio.io/rev, no dataplane-mode", () => {
        const labels = find(runs[0].run.resources, PATCH, "mesh-ns-bookinfo-rev").metadata.labels;
        expect(labels).to.deep.equal({ "istio.io/rev": "prod-stable" });
    });

    it("step 1 installs the CRDs at the pinned version, and the gateway of kind gateway-api as a Gateway following the tag", () => {
        const rs = runs[0].run.resources;
        const crds = find(rs, COMMAND, "mesh-gateway-api-crds-apply");
        expect(crds.environment.ISTIO_MESH_GWAPI_URL).to.equal("https://github.com/kubernetes-sigs/gateway-api/releases/download/v1.4.1/standard-install.yaml");
        expect(crds).not.to.have.property("delete");
        const gw = find(rs, GATEWAY, "mesh-gwapi-web-gateway");
        expect(gw.metadata).to.deep.include({ name: "web", namespace: "bookinfo", labels: { "istio.io/rev": "prod-stable" } });
        expect(gw.spec).to.deep.equal({ gatewayClassName: "istio", listeners: [{ name: "http", port: 80, protocol: "HTTP" }] });
    });

    it("step 2 adds the waypoint, following the namespace's tag, and binds the namespace", () => {
        const rs = runs[1].run.resources;
        const w = find(rs, GATEWAY, "mesh-waypoint-bookinfo-waypoint-gateway");
        expect(w.metadata).to.deep.include({ name: "waypoint", namespace: "bookinfo", labels: { "istio.io/rev": "prod-stable" } });
        expect(w.spec).to.deep.equal({ gatewayClassName: "istio-waypoint", listeners: [{ name: "mesh", port: 15008, protocol: "HBONE" }] });
        expect(find(rs, PATCH, "mesh-ns-bookinfo-rev").metadata.labels).to.deep.equal({ "istio.io/rev": "prod-stable", "istio.io/use-waypoint": "waypoint" });
    });

    it("step 3 moves bookinfo to ambient: dataplane-mode on, istio.io/rev off, a restart without sidecars", () => {
        const rs = runs[2].run.resources;
        expect(find(rs, PATCH, "mesh-ns-bookinfo-rev").metadata.labels).to.deep.equal({ "istio.io/dataplane-mode": "ambient", "istio.io/use-waypoint": "waypoint" });
        expect(find(rs, PATCH, "mesh-ns-payments-rev").metadata.labels).to.deep.equal({ "istio.io/rev": "prod-stable" });
        expect(find(rs, COMMAND, "mesh-restarts-rollout").environment.ISTIO_MESH_RESTARTS).to.equal("bookinfo=ambient@ztunnel payments=1-29-6@1.29.6");
    });

    it("step 4 adds the canary on profile ambient and upgrades the CRDs; ztunnel stays", () => {
        const rs = runs[3].run.resources;
        expect(find(rs, RELEASE, "mesh-rev-1-30-3-istiod").values.profile).to.equal("ambient");
        expect(find(rs, COMMAND, "mesh-gateway-api-crds-apply").environment.ISTIO_MESH_GWAPI_VERSION).to.equal("v1.5.1");
        expect(find(rs, RELEASE, "mesh-ztunnel-release").version).to.equal("1.29.6");
    });

    it("step 5 moves ztunnel in place, and warns about the node-by-node restart", () => {
        const z = find(runs[4].run.resources, RELEASE, "mesh-ztunnel-release");
        expect([z.version, z.values.revision]).to.deep.equal(["1.30.3", "1-30-3"]);
        expect(runs[4].warnings.join("\n")).to.match(/\[ztunnel-node-restart\]/);
        // The ambient namespace does not restart when its tag moves (it runs no proxy).
        expect(find(runs[4].run.resources, COMMAND, "mesh-restarts-rollout").environment.ISTIO_MESH_RESTARTS).to.equal("bookinfo=ambient@ztunnel payments=1-30-3@1.30.3");
    });

    it("every step records what the next plans from", () => {
        expect(runs.map((r) => r.state.ambient?.ztunnel?.version)).to.deep.equal(["1.29.6", "1.29.6", "1.29.6", "1.29.6", "1.30.3", "1.30.3"]);
        expect(runs.map((r) => r.state.gatewayApi?.crds?.version)).to.deep.equal(["v1.4.1", "v1.4.1", "v1.4.1", "v1.5.1", "v1.5.1", "v1.5.1"]);
    });

    it("the CRDs come before the base chart and every istiod, ztunnel after them and the CNI agent", async () => {
        const order: { name: string; deps: string[] }[] = [];
        const names = new Map<unknown, string>();
        await runProgram(stackFile("ambient/01-pieces"), null, {
            onResource: (a) => {
                names.set(a.resource, a.name);
                const d = a.opts.dependsOn;
                order.push({ name: a.name, deps: (Array.isArray(d) ? d : d === undefined ? [] : [d]).map((x) => names.get(x) ?? "?") });
            },
        });
        expect(order.find((o) => o.name === "mesh-rev-1-29-6")?.deps).to.include("mesh-gateway-api-crds");
        // The base chart (which everything else of the mesh waits for) waits for the CRD command's downgrade check.
        expect(order.find((o) => o.name === "mesh-base")?.deps).to.deep.equal(["mesh-gateway-api-crds"]);
        expect(order.find((o) => o.name === "mesh-ztunnel")?.deps).to.include.members(["mesh-rev-1-29-6", "mesh-cni"]);
    });
});
