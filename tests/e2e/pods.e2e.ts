/**
 * Pods that run: the runbook against a real API server with kube-controller-manager,
 * kube-scheduler and kwok (a simulated kubelet: pods are scheduled to a fake Node and become
 * Running and Ready, without a container runtime). So a restart really replaces running pods,
 * `restarts.wait` really waits for the rollout (and times out on a Deployment that never becomes
 * ready), and the in-use check and the removal gate read pods that ReplicaSets made.
 *
 * No istiod runs (kwok runs no containers). As on a cluster, the API server sends every pod of an
 * enrolled namespace to the revision's injector webhook, which fails closed: so the istiod
 * stand-in (harness/injector.ts) answers there, at the loopback clusterIP of each istiod Service,
 * and the pods carry the revision it injected. A pod of an unmanaged namespace gets its revision
 * from its template (the `sidecar.istio.io/status` annotation the injector writes).
 */
import { expect } from "chai";
import * as path from "path";
import { ChartRepo, startChartRepo } from "./harness/chart-repo";
import { Cluster, startCluster } from "./harness/cluster";
import { Injectors, startInjectors } from "./harness/injector";
import { failure, kubernetesProvider, MeshStack } from "./harness/pulumi";
import { Recorder } from "./harness/record";
import { recordPassed, runbookConfig, runbookMesh, teardown } from "./harness/runbook";
import { MeshSnapshot, snapshot } from "./harness/snapshot";
import { podClusterTools } from "./harness/tools";

const REPO = path.resolve(__dirname, "..", "..");
// eslint-disable-next-line @typescript-eslint/no-var-requires
const program = () => require(path.join(REPO, "index"))();
const APP_NAMESPACES = ["bookinfo", "payments"];
/** The runbook's in-place gateway's Service (snapshot.gatewayServices key). */
const GATEWAY = "istio-ingress/istio-ingressgateway";

interface PodInfo {
    name: string;
    uid: string;
    phase: string;
    ready: boolean;
    node: string;
    /** The revision in sidecar.istio.io/status ("none" without one). */
    revision: string;
}

describe("e2e: pods that run (kube-scheduler + kwok)", function () {
    let cluster: Cluster;
    let repo: ChartRepo;
    let mesh: MeshStack;
    let recorder: Recorder;
    let injectors: Injectors;

    const config = (step: string) =>
        runbookConfig(step, cluster, repo, {
            // Rollouts finish in seconds under kwok; one that has not after 45 s never will.
            restarts: { wait: true, timeoutSeconds: 45 },
            gateways: { "istio-ingressgateway": { ...runbookMesh(step).gateways["istio-ingressgateway"], service: { type: "ClusterIP" } } },
        });
    const kubectl = async (args: string[]) => {
        const r = await cluster.kubectl(args);
        expect(r.code, `kubectl ${args.join(" ")}: ${r.stderr}`).to.equal(0);
        return r.stdout.trim();
    };
    const pods = async (ns: string, selector: string): Promise<PodInfo[]> =>
        JSON.parse(await kubectl(["get", "pods", "-n", ns, "-l", selector, "-o", "json"])).items
            .filter((p: any) => !p.metadata.deletionTimestamp)
            .map((p: any) => ({
                name: p.metadata.name,
                uid: p.metadata.uid,
                phase: p.status?.phase ?? "",
                ready: (p.status?.conditions ?? []).some((c: any) => c.type === "Ready" && c.status === "True"),
                node: p.spec?.nodeName ?? "",
                revision: p.metadata.annotations?.["sidecar.istio.io/status"] ? JSON.parse(p.metadata.annotations["sidecar.istio.io/status"]).revision : "none",
            }));
    /** Waits until exactly `count` pods match, all Running and Ready (kwok makes them so). */
    const running = async (ns: string, selector: string, count: number, revision?: string): Promise<PodInfo[]> => {
        const deadline = Date.now() + 60_000;
        for (;;) {
            const ps = await pods(ns, selector);
            if (ps.length === count && ps.every((p) => p.phase === "Running" && p.ready && (revision === undefined || p.revision === revision))) return ps;
            if (Date.now() > deadline) throw new Error(`${ns} ${selector}: wanted ${count} Running and Ready pods${revision ? ` injected by ${revision}` : ""}, have ${JSON.stringify(ps)}`);
            await new Promise((r) => setTimeout(r, 500));
        }
    };
    /** Waits until no pod matches (a deleted Deployment's pods leave a moment after it). */
    const gone = async (ns: string, selector: string): Promise<void> => {
        const deadline = Date.now() + 60_000;
        while ((await pods(ns, selector)).length > 0) {
            if (Date.now() > deadline) throw new Error(`${ns} ${selector}: pods did not go away`);
            await new Promise((r) => setTimeout(r, 500));
        }
    };
    const uids = (ps: PodInfo[]) => ps.map((p) => p.uid).sort();
    const istiodDeployments = async () =>
        (await kubectl(["get", "deployments", "-n", "istio-system", "-o", "jsonpath={.items[*].metadata.name}"])).split(" ").filter((n) => n.startsWith("istiod")).sort();
    const up = async (step: string) => {
        await mesh.setConfig(config(step));
        await mesh.up(`pods: up ${step}`);
        await mesh.preview(`pods: preview ${step} (expect no changes)`, { expectNoChanges: true });
    };

    before(async function () {
        const binDir = podClusterTools(this);
        if (binDir === undefined) return;
        // A loopback service range: the API server calls each istiod Service's clusterIP, where the
        // injector listens (injection.e2e.ts uses 127.77/16).
        cluster = await startCluster({ binDir, pods: true, serviceClusterIPRange: "127.78.0.0/16" });
        injectors = await startInjectors(cluster, { log: (m) => console.log(`      ${m}`) });
        repo = await startChartRepo(["1.29.6", "1.30.3"]);
        mesh = await MeshStack.create(binDir, "pods", program);
        const provider = kubernetesProvider(binDir);
        console.log(`      kubernetes provider: ${provider.describe}`);
        recorder = new Recorder("pods", provider);
        for (const ns of ["bookinfo", "payments", "legacy"]) await kubectl(["create", "namespace", ns]);
        for (const ns of ["bookinfo", "payments"]) {
            await kubectl(["create", "deployment", "web", "--image=registry.invalid/web:1", "--replicas=2", "-n", ns]);
            await running(ns, "app=web", 2);
        }
    });

    afterEach(async function () {
        await recordPassed(this.currentTest, recorder, cluster, mesh);
    });

    after(async function () {
        await teardown({ recorder, injectors, repo, cluster });
    });

    let before01: Record<string, string[]>;
    let after02: Record<string, string[]>;

    it("the workloads run on the kwok Node before the mesh exists", async () => {
        const ps = await pods("bookinfo", "app=web");
        expect(ps.map((p) => p.node)).to.deep.equal(["kwok-node-0", "kwok-node-0"]);
        before01 = { bookinfo: uids(ps), payments: uids(await pods("payments", "app=web")) };
    });

    it("install replaces every running pod of the enrolled namespaces and waits for the rollouts", async () => {
        await up("01-install");
        // restarts.wait: the update returned only after `rollout status`, so the new pods are there,
        // injected by 1-29-6 (the API server called the stand-in through the prod-stable tag).
        const now = { bookinfo: uids(await running("bookinfo", "app=web", 2, "1-29-6")), payments: uids(await running("payments", "app=web", 2, "1-29-6")) };
        for (const ns of ["bookinfo", "payments"] as const) {
            expect(now[ns].filter((u) => before01[ns].includes(u)), `${ns}: no pod of before the install is left`).to.deep.equal([]);
        }
        before01 = now;
    });

    it("canary replaces bookinfo's running pods and not one of payments'", async () => {
        await up("02-canary");
        after02 = { bookinfo: uids(await running("bookinfo", "app=web", 2, "1-30-3")), payments: uids(await running("payments", "app=web", 2, "1-29-6")) };
        expect(after02.payments, "payments did not move").to.deep.equal(before01.payments);
        expect(after02.bookinfo.filter((u) => before01.bookinfo.includes(u)), "bookinfo: every pod replaced").to.deep.equal([]);
        expect(await istiodDeployments()).to.deep.equal(["istiod-1-29-6", "istiod-1-30-3"]);
    });

    it("rollback by revert, with a Deployment in bookinfo that never becomes ready: the update fails naming it, and 1-30-3 is not removed", async () => {
        // Pending for ever: no Node has this label. Its rollout after the restart never completes.
        await kubectl(["create", "deployment", "stuck", "--image=registry.invalid/stuck:1", "-n", "bookinfo"]);
        await kubectl(["patch", "deployment", "stuck", "-n", "bookinfo", "--type=merge", "-p", JSON.stringify({ spec: { template: { spec: { nodeSelector: { "e2e.istio-mesh/no-such-node": "true" } } } } })]);
        await mesh.setConfig(config("01-install"));
        const message = await failure(mesh.up("pods: up 01-install (revert of the canary) with bookinfo/stuck never ready"));
        expect(message).to.match(/bookinfo[\s\S]*stuck/);
        expect(await istiodDeployments(), "the removal waited for the restarts: 1-30-3 is still installed").to.deep.equal(["istiod-1-29-6", "istiod-1-30-3"]);
        const webhooks = await kubectl(["get", "mutatingwebhookconfigurations", "-o", "jsonpath={.items[*].metadata.name}"]);
        expect(webhooks, "the canary tag is still there").to.match(/prod-canary/);
    });

    it("once the stuck Deployment is gone, the same revert converges in one up: bookinfo back on 1-29-6 with new running pods, 1-30-3 removed", async () => {
        await kubectl(["delete", "deployment", "stuck", "-n", "bookinfo", "--wait=true"]);
        await up("01-install");
        const bookinfo = uids(await running("bookinfo", "app=web", 2, "1-29-6"));
        expect(bookinfo.filter((u) => after02.bookinfo.includes(u)), "bookinfo's canary pods were replaced (by the failed run or this one)").to.deep.equal([]);
        expect(uids(await running("payments", "app=web", 2)), "payments never moved").to.deep.equal(before01.payments);
        expect(await istiodDeployments()).to.deep.equal(["istiod-1-29-6"]);
    });

    let snap02: MeshSnapshot;

    it("canary again; a running pod on 1-30-3 in legacy, which the revert does not move, refuses the revert at preview and at up, by name; nothing changes", async () => {
        await up("02-canary");
        snap02 = await snapshot(cluster, APP_NAMESPACES);
        after02 = { bookinfo: uids(await running("bookinfo", "app=web", 2, "1-30-3")), payments: uids(await running("payments", "app=web", 2, "1-29-6")) };
        const status = JSON.stringify({ containers: ["istio-proxy"], revision: "1-30-3" });
        await kubectl(["create", "deployment", "canary-old", "--image=registry.invalid/old:1", "-n", "legacy"]);
        await kubectl(["patch", "deployment", "canary-old", "-n", "legacy", "--type=merge", "-p", JSON.stringify({ spec: { template: { metadata: { annotations: { "sidecar.istio.io/status": status } } } } })]);
        const [old] = await running("legacy", "app=canary-old", 1, "1-30-3");
        await mesh.setConfig(config("01-install"));
        for (const op of ["preview", "up"] as const) {
            const message = await failure(op === "preview" ? mesh.preview("pods: preview 01-install (revert of the canary) with legacy/canary-old on 1-30-3") : mesh.up("pods: up 01-install (revert of the canary) with legacy/canary-old on 1-30-3"));
            expect(message, op).to.match(/removed-revision-in-use[\s\S]*"1-30-3"/);
            expect(message, op).to.include(`legacy/${old.name}`);
            // bookinfo's pods are on 1-30-3 too, but this update restarts them itself: not refused.
            expect(message, op).to.not.include("bookinfo/");
        }
        expect(await snapshot(cluster, APP_NAMESPACES), "nothing changed").to.deep.equal(snap02);
        expect(uids(await running("bookinfo", "app=web", 2, "1-30-3")), "bookinfo was not restarted").to.deep.equal(after02.bookinfo);
        await kubectl(["delete", "deployment", "canary-old", "-n", "legacy", "--wait=true"]);
        await gone("legacy", "app=canary-old");
    });

    it("promote, then its revert in ONE up: payments back on 1-29-6 with new pods, bookinfo untouched, the mesh as the canary left it (gateway Service: same UID and clusterIP)", async () => {
        await up("03-promote");
        const promoted = { bookinfo: uids(await running("bookinfo", "app=web", 2, "1-30-3")), payments: uids(await running("payments", "app=web", 2, "1-30-3")) };
        expect(promoted.payments.filter((u) => after02.payments.includes(u)), "promote replaced payments' pods").to.deep.equal([]);
        expect(promoted.bookinfo, "bookinfo stays on 1-30-3 under prod-stable: no restart").to.deep.equal(after02.bookinfo);
        await up("02-canary");
        const reverted = { bookinfo: uids(await running("bookinfo", "app=web", 2, "1-30-3")), payments: uids(await running("payments", "app=web", 2, "1-29-6")) };
        expect(reverted.payments.filter((u) => promoted.payments.includes(u)), "the revert replaced payments' pods").to.deep.equal([]);
        expect(reverted.bookinfo, "bookinfo untouched").to.deep.equal(promoted.bookinfo);
        const s = await snapshot(cluster, APP_NAMESPACES);
        expect(s.gatewayServices[GATEWAY], "the gateway Service").to.deep.equal(snap02.gatewayServices[GATEWAY]);
        expect(s).to.deep.equal(snap02);
    });

    it("promote again; a ReplicaSet's running pods on 1-29-6 in an unmanaged namespace block complete at preview, by name", async () => {
        await up("03-promote");
        const status = JSON.stringify({ containers: ["istio-proxy"], revision: "1-29-6" });
        await kubectl(["create", "deployment", "old", "--image=registry.invalid/old:1", "-n", "legacy"]);
        await kubectl(["patch", "deployment", "old", "-n", "legacy", "--type=merge", "-p", JSON.stringify({ spec: { template: { metadata: { annotations: { "sidecar.istio.io/status": status } } } } })]);
        const [old] = await running("legacy", "app=old", 1);
        await mesh.setConfig(config("04-complete"));
        const message = await failure(mesh.preview("pods: preview 04-complete with legacy/old on 1-29-6"));
        expect(message).to.match(/removed-revision-in-use/);
        expect(message).to.include(`legacy/${old.name}`);
        expect(await istiodDeployments(), "nothing changed").to.deep.equal(["istiod-1-29-6", "istiod-1-30-3"]);
    });

    it("after the Deployment is gone, complete passes and a second up changes nothing", async () => {
        await kubectl(["delete", "deployment", "old", "-n", "legacy", "--wait=true"]);
        await gone("legacy", "app=old");
        const before04 = { bookinfo: uids(await running("bookinfo", "app=web", 2)), payments: uids(await running("payments", "app=web", 2)) };
        await up("04-complete");
        expect(await istiodDeployments()).to.deep.equal(["istiod-1-30-3"]);
        // Nobody's effective revision changed at complete (both already on 1-30-3): no restart.
        expect({ bookinfo: uids(await running("bookinfo", "app=web", 2)), payments: uids(await running("payments", "app=web", 2)) }).to.deep.equal(before04);
    });
});
