/**
 * Istio CNI through the real engine, with the order read from the engine's event log: turned on
 * for a live mesh, the CNI release is created, and done, before any istiod release's values change
 * (else istiods inject without istio-init while no node agent redirects traffic); on a fresh
 * install the other way round (every istiod first, the agent after it). Pods run (kube-scheduler +
 * kwok) and the stack waits for readiness (`skipAwait: false`), so "done" is helm's wait for the
 * istio-cni-node DaemonSet's pod on the Node, not only the objects' creation. No gateway: its pods
 * would need the injector stand-in, and the order under test is the control plane's.
 */
import { expect } from "chai";
import * as path from "path";
import { ChartRepo, startChartRepo } from "./harness/chart-repo";
import { Cluster, startCluster } from "./harness/cluster";
import { loggedSteps, orderProblems, stepOf } from "./harness/events";
import { kubernetesProvider, MeshStack } from "./harness/pulumi";
import { Recorder } from "./harness/record";
import { recordPassed, runbookConfig, teardown } from "./harness/runbook";
import { snapshot } from "./harness/snapshot";
import { podClusterTools } from "./harness/tools";

const REPO = path.resolve(__dirname, "..", "..");
// eslint-disable-next-line @typescript-eslint/no-var-requires
const program = () => require(path.join(REPO, "index"))();
const APP_NAMESPACES = ["bookinfo", "payments"];
const RELEASE = "kubernetes:helm.sh/v3:Release";
const REVISIONS = ["1-29-6", "1-30-3"];
/** The CNI release's create; each istiod release's change (resource names: components/mesh). */
const cniCreate = stepOf(RELEASE, "-cni-release", ["create"]);
const istiodChange = stepOf(RELEASE, "-istiod", ["update", "replace", "create-replacement"]);

describe("e2e: Istio CNI in the right order (engine event log)", function () {
    let cluster: Cluster;
    let repo: ChartRepo;
    let mesh: MeshStack;
    let recorder: Recorder;

    /** The canary step (two revisions, so "any istiod" means two), no gateway, CNI on or off. */
    const config = (cni: boolean) => {
        const c = runbookConfig("02-canary", cluster, repo, { gateways: {}, ...(cni ? { cni: { enabled: true } } : {}) });
        return { ...c, "istio-mesh:cluster": { ...(c["istio-mesh:cluster"] as object), skipAwait: false } };
    };
    const kubectl = async (args: string[]) => {
        const r = await cluster.kubectl(args);
        expect(r.code, `kubectl ${args.join(" ")}: ${r.stderr}`).to.equal(0);
        return r.stdout.trim();
    };
    const up = async (what: string, cni: boolean) => {
        await mesh.setConfig(config(cni));
        await mesh.up(`cni: up ${what}`);
        const steps = loggedSteps(mesh.events);
        await mesh.preview(`cni: preview ${what} (expect no changes)`, { expectNoChanges: true });
        return steps;
    };
    /** istiod release -> its user-supplied cni.enabled (undefined = not set). */
    const istiodCni = async () => {
        const s = await snapshot(cluster, APP_NAMESPACES);
        return Object.fromEntries(REVISIONS.map((r) => [r, (s.charts[`istio-system/istiod-${r}`]?.values as any)?.cni?.enabled]));
    };

    before(async function () {
        const binDir = podClusterTools(this);
        if (binDir === undefined) return;
        cluster = await startCluster({ binDir, pods: true });
        repo = await startChartRepo(["1.29.6", "1.30.3"]);
        mesh = await MeshStack.create(binDir, "cni", program);
        const provider = kubernetesProvider(binDir);
        console.log(`      kubernetes provider: ${provider.describe}`);
        recorder = new Recorder("cni", provider);
        for (const ns of APP_NAMESPACES) await kubectl(["create", "namespace", ns]);
    });

    afterEach(async function () {
        await recordPassed(this.currentTest, recorder, cluster, mesh);
    });

    after(async function () {
        await teardown({ recorder, repo, cluster });
    });

    it("a live mesh without CNI: two istiod revisions, neither with cni.enabled, no istio-cni release", async () => {
        await up("02-canary without CNI", false);
        expect(await istiodCni()).to.deep.equal({ "1-29-6": undefined, "1-30-3": undefined });
        expect((await snapshot(cluster, APP_NAMESPACES)).releases).to.not.include("istio-system/istio-cni");
    });

    it("CNI turned on for the live mesh, in one up: the CNI release is created and done (its DaemonSet ready) before any istiod release's values change", async () => {
        const steps = await up("02-canary with cni.enabled", true);
        expect(orderProblems(steps, cniCreate, istiodChange), "the event log's order").to.deep.equal([]);
        const changed = steps.filter((s) => s.phase === "pre" && istiodChange(s));
        expect(changed.map((s) => s.name.replace(/^.*-rev-/, "")).sort(), "both istiods change").to.deep.equal(REVISIONS.map((r) => `${r}-istiod`));
        for (const s of changed) expect(s.diffs, `${s.name}: what changes`).to.include("values");
        expect(await istiodCni()).to.deep.equal({ "1-29-6": true, "1-30-3": true });
        const s = await snapshot(cluster, APP_NAMESPACES);
        // The agent follows the newest revision.
        expect(s.charts["istio-system/istio-cni"]).to.include({ chart: "cni", version: "1.30.3" });
        const ds = JSON.parse(await kubectl(["get", "daemonset", "istio-cni-node", "-n", "istio-system", "-o", "json"]));
        expect(ds.status.numberReady, "skipAwait false: helm waited for the agent's pod").to.equal(1);
    });

    it("a fresh install with CNI keeps the other order: every istiod release is done before the CNI release starts", async () => {
        await mesh.destroy("cni: destroy");
        expect((await snapshot(cluster, APP_NAMESPACES)).releases).to.deep.equal([]);
        const steps = await up("02-canary with cni.enabled, fresh", true);
        const cniStarts = stepOf(RELEASE, "-cni-release", ["create"]);
        for (const r of REVISIONS) {
            expect(orderProblems(steps, stepOf(RELEASE, `-rev-${r}-istiod`, ["create"]), cniStarts), `istiod-${r} before istio-cni`).to.deep.equal([]);
        }
        expect(await istiodCni()).to.deep.equal({ "1-29-6": true, "1-30-3": true });
    });
});
