/**
 * Sidecar injection decided by the API server: the program's tag webhooks and namespace labels,
 * an istiod stand-in per revision (harness/injector.ts) at the address the API server resolves
 * for that revision's Service, pods made by the controller-manager's ReplicaSets. Through the
 * runbook (install -> canary -> promote -> complete) every pod's injected revision is the one
 * its namespace should have, restarts happen exactly where the effective revision changed,
 * refresh + up keeps labels, webhooks and injection, restarts.wait fails naming a Deployment
 * that never becomes ready (no kubelet here; tried on the canary step) and removes nothing, and
 * the probe Deployment
 * follows its tag and is counted by the in-use check.
 *
 * No kubelet or scheduler: pods stay Pending. The test workloads use the Recreate strategy, so a
 * restart replaces their pods without waiting for readiness (unscheduled pods are deleted at
 * once); the probe keeps the program's RollingUpdate, so its old pod stays until its old
 * ReplicaSet goes, as on a cluster where the new pod never becomes ready.
 */
import { expect } from "chai";
import * as path from "path";
import { ChartRepo, startChartRepo } from "./harness/chart-repo";
import { Cluster, startCluster } from "./harness/cluster";
import { Injectors, startInjectors } from "./harness/injector";
import { failure, kubernetesProvider, MeshStack } from "./harness/pulumi";
import { Recorder } from "./harness/record";
import { snapshot } from "./harness/snapshot";
import { recordPassed, runbookConfig, teardown } from "./harness/runbook";
import { ensureTools } from "./harness/tools";

const REPO = path.resolve(__dirname, "..", "..");
// eslint-disable-next-line @typescript-eslint/no-var-requires
const program = () => require(path.join(REPO, "index"))();
const NAMESPACES = ["bookinfo", "payments"];
const PROBE = "istio-mesh-probe";
/** The revision each namespace's pods must run after each step (the stack files' tags). */
const EXPECTED: Record<string, Record<string, string>> = {
    "01-install": { bookinfo: "1-29-6", payments: "1-29-6" },
    "02-canary": { bookinfo: "1-30-3", payments: "1-29-6" },
    "03-promote": { bookinfo: "1-30-3", payments: "1-30-3" },
    "04-complete": { bookinfo: "1-30-3", payments: "1-30-3" },
};

describe("e2e: the API server injects each pod through the program's webhooks (istiod stand-in)", function () {
    let cluster: Cluster;
    let repo: ChartRepo;
    let mesh: MeshStack;
    let injectors: Injectors;
    let recorder: Recorder;

    const config = (step: string, extra: Record<string, unknown> = {}) =>
        runbookConfig(step, cluster, repo, { probe: { namespace: "payments", url: "http://productpage.bookinfo:9080/productpage" }, ...extra });
    const get = async (args: string[]) => {
        const r = await cluster.kubectl([...args, "-o", "json"]);
        expect(r.code, `kubectl ${args.join(" ")}: ${r.stderr}`).to.equal(0);
        return JSON.parse(r.stdout);
    };
    /** ns -> "<deployment> <revision of each live pod>" (pods not being deleted), sorted. */
    const podRevisions = async () => {
        const out: Record<string, string[]> = {};
        for (const ns of NAMESPACES) {
            const pods = (await get(["get", "pods", "-n", ns])).items.filter((p: any) => !p.metadata.deletionTimestamp);
            out[ns] = pods
                .map((p: any) => {
                    const owner = p.metadata.ownerReferences?.[0]?.name ?? "";
                    const status = p.metadata.annotations?.["sidecar.istio.io/status"];
                    return `${owner.replace(/-[a-z0-9]+$/, "")} ${status ? JSON.parse(status).revision : "none"}`;
                })
                .sort();
        }
        return out;
    };
    /** "<ns>/<deployment>" -> number of ReplicaSets (one more per restart). */
    const replicaSets = async () => {
        const counts: Record<string, number> = {};
        for (const rs of (await get(["get", "replicasets", "-A"])).items) {
            const k = `${rs.metadata.namespace}/${rs.metadata.ownerReferences?.[0]?.name}`;
            counts[k] = (counts[k] ?? 0) + 1;
        }
        return counts;
    };
    const podUids = async () => (await get(["get", "pods", "-A"])).items.map((p: any) => p.metadata.uid).sort();
    /**
     * Waits until each namespace's web pod is injected as `want` (Recreate: one pod at a time) and,
     * when given, the probe's pods are `probe` ("<revision>" each, sorted).
     */
    const settle = async (want: Record<string, string>, probe?: string[], timeoutMs = 90_000) => {
        const deadline = Date.now() + timeoutMs;
        let last: Record<string, string[]> = {};
        for (;;) {
            last = await podRevisions();
            const ok = NAMESPACES.every((ns) => {
                const web = last[ns].filter((l) => l.startsWith("web "));
                return web.length === 1 && web[0] === `web ${want[ns]}`;
            });
            const probeNow = last.payments.filter((l) => l.startsWith(`${PROBE} `)).map((l) => l.slice(PROBE.length + 1));
            if (ok && (probe === undefined || JSON.stringify(probeNow) === JSON.stringify(probe))) return last;
            if (Date.now() > deadline) throw new Error(`pods did not settle on ${JSON.stringify(want)}: ${JSON.stringify(last)}\n${cluster.logs(10)}`);
            await new Promise((r) => setTimeout(r, 500));
        }
    };
    const up = async (step: string, extra: Record<string, unknown> = {}) => {
        await mesh.setConfig(config(step, extra));
        await mesh.up(`injection: up ${step}`);
        await mesh.preview(`injection: preview ${step} (expect no changes)`, { expectNoChanges: true });
    };

    before(async function () {
        const binDir = ensureTools({ allowMissing: true });
        process.env.PATH = `${binDir}${path.delimiter}${process.env.PATH ?? ""}`; // the in-use check runs kubectl
        cluster = await startCluster({ binDir, serviceClusterIPRange: "127.77.0.0/16" });
        injectors = await startInjectors(cluster, { log: (m) => console.log(`      ${m}`) });
        repo = await startChartRepo(["1.29.6", "1.30.3"]);
        mesh = await MeshStack.create(binDir, "injection", program);
        const provider = kubernetesProvider(binDir);
        console.log(`      kubernetes provider: ${provider.describe}`);
        recorder = new Recorder("injection", provider);
        for (const ns of [...NAMESPACES, "legacy"]) await cluster.kubectl(["create", "namespace", ns]);
        await cluster.kubectl(["label", "namespace", "payments", "istio-injection=enabled"]);
        for (const ns of NAMESPACES) {
            const web = {
                apiVersion: "apps/v1",
                kind: "Deployment",
                metadata: { name: "web", namespace: ns },
                spec: {
                    replicas: 1,
                    strategy: { type: "Recreate" },
                    selector: { matchLabels: { app: "web" } },
                    template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "app", image: "registry.invalid/web:1" }] } },
                },
            };
            const r = await cluster.kubectl(["apply", "-f", "-"], { input: JSON.stringify(web) });
            expect(r.code, r.stderr).to.equal(0);
        }
        // Before the mesh there is no injector webhook: the pods run without a proxy.
        await settle({ bookinfo: "none", payments: "none" });
    });

    afterEach(async function () {
        await recordPassed(this.currentTest, recorder, cluster, mesh);
    });

    after(async function () {
        await teardown({ recorder, injectors, repo, cluster });
    });

    let rs: Record<string, number>;

    it("install: the API server sends every restarted pod to istiod-1-29-6 through the prod-stable tag", async () => {
        await up("01-install");
        await injectors.waitFor(["1-29-6"]);
        // The probe too is injected by its namespace's tag (settle waits for it).
        await settle(EXPECTED["01-install"], ["1-29-6"]);
        rs = await replicaSets();
        expect(rs["bookinfo/web"], "bookinfo restarted once on enrolment").to.equal(2);
        expect(rs["payments/web"], "payments restarted once on enrolment").to.equal(2);
        // istiod's caBundle drift is not a diff (the preview in up() expected no changes).
        const tag = (await get(["get", "mutatingwebhookconfiguration", "istio-revision-tag-prod-stable"])).webhooks;
        expect(tag.every((w: any) => typeof w.clientConfig.caBundle === "string" && w.clientConfig.caBundle.length > 0)).to.equal(true);
    });

    it("restarts.wait: a Deployment that never becomes ready fails the update naming it; nothing is removed", async () => {
        await mesh.setConfig(config("02-canary", { restarts: { wait: true, timeoutSeconds: 5 } }));
        const message = await failure(mesh.up("injection: up 02-canary with restarts.wait (no kubelet: never ready)"));
        expect(message).to.match(/namespace bookinfo: deployment\.apps\/web did not become ready within 5s after the restart/);
        const s = await snapshot(cluster, NAMESPACES);
        expect(s.releases).to.include.members(["istio-system/istiod-1-29-6", "istio-system/istiod-1-30-3"]);
        expect(s.tags["prod-stable"].rev, "the stable tag did not move").to.equal("1-29-6");
        expect((await replicaSets())["payments/web"], "payments not restarted").to.equal(rs["payments/web"]);
    });

    it("canary: only bookinfo gets new pods, from istiod-1-30-3 through prod-canary; a second up changes nothing", async () => {
        const before0 = await replicaSets();
        await up("02-canary");
        await injectors.waitFor(["1-29-6", "1-30-3"]);
        await settle(EXPECTED["02-canary"], ["1-29-6"]);
        const after = await replicaSets();
        // (the failed update's restart did not count: the command keeps its old state and runs again)
        expect(after["bookinfo/web"]).to.equal(before0["bookinfo/web"] + 1);
        expect(after["payments/web"]).to.equal(rs["payments/web"]);
        expect(after[`payments/${PROBE}`]).to.equal(rs[`payments/${PROBE}`]);
        const uids = await podUids();
        await mesh.up("injection: up 02-canary again");
        expect(await replicaSets()).to.deep.equal(after);
        expect(await podUids(), "no pod replaced").to.deep.equal(uids);
        rs = after;
    });

    it("refresh + up twice: labels, webhooks and injection unchanged", async () => {
        const before0 = await snapshot(cluster, NAMESPACES);
        const hooks = async () => (await get(["get", "mutatingwebhookconfigurations"])).items.map((m: any) => ({ name: m.metadata.name, labels: m.metadata.labels, webhooks: m.webhooks }));
        const hooks0 = await hooks();
        for (const round of [1, 2]) {
            await mesh.refresh(`injection: refresh #${round}`);
            await mesh.up(`injection: up after refresh #${round}`);
            expect(await snapshot(cluster, NAMESPACES), `after refresh + up #${round}`).to.deep.equal(before0);
            expect(await hooks(), "webhooks (with istiod's caBundle)").to.deep.equal(hooks0);
        }
        expect(await replicaSets(), "no restart").to.deep.equal(rs);
        // A pod made now is still injected by the revision its namespace's tag selects.
        for (const ns of NAMESPACES) await cluster.kubectl(["delete", "pods", "-n", ns, "-l", "app=web", "--wait=false"]);
        await settle(EXPECTED["02-canary"]);
    });

    it("promote: payments' pods move to 1-30-3; bookinfo (same revision, another tag) is not restarted", async () => {
        const before0 = await replicaSets();
        await up("03-promote");
        // The probe's new pod has 1-30-3; its old one stays (RollingUpdate; never ready here).
        await settle(EXPECTED["03-promote"], ["1-29-6", "1-30-3"]);
        const after = await replicaSets();
        expect(after["bookinfo/web"], "bookinfo not restarted").to.equal(before0["bookinfo/web"]);
        expect(after["payments/web"], "payments restarted").to.be.greaterThan(before0["payments/web"]);
    });

    it("complete: the probe's pod still on 1-29-6 is counted by the in-use check; once gone, 1-29-6 goes", async () => {
        await mesh.setConfig(config("04-complete"));
        const message = await failure(mesh.preview("injection: preview complete with the probe's old pod"));
        // The probe's old pod and the gateway's (its Helm release rolled it at promote; never ready here).
        expect(message).to.match(/removed-revision-in-use[\s\S]*revision "1-29-6" is removed while \d+ running or pending pods? that this update does not restart still use its proxy: /);
        expect(message).to.include("payments/istio-mesh-probe-");
        // What a finished rollout does: each Deployment's old ReplicaSets are scaled away (here: deleted).
        for (const ns of ["payments", "istio-ingress"]) {
            for (const d of (await get(["get", "deployments", "-n", ns])).items) {
                const revision = d.metadata.annotations?.["deployment.kubernetes.io/revision"];
                for (const r of (await get(["get", "replicasets", "-n", ns])).items) {
                    if (r.metadata.ownerReferences?.[0]?.name !== d.metadata.name || r.metadata.annotations?.["deployment.kubernetes.io/revision"] === revision) continue;
                    const del = await cluster.kubectl(["delete", "replicaset", r.metadata.name, "-n", ns, "--cascade=foreground", "--wait=true"], { timeoutMs: 60_000 });
                    expect(del.code, del.stderr).to.equal(0);
                }
            }
        }
        await up("04-complete");
        const pods = await settle(EXPECTED["04-complete"], ["1-30-3"]);
        expect(JSON.stringify(pods)).to.not.include("1-29-6");
        const s = await snapshot(cluster, NAMESPACES);
        expect(s.releases).to.not.include("istio-system/istiod-1-29-6");
        // istiod-1-29-6's Service is gone, so its stand-in stops serving.
        const deadline = Date.now() + 10_000;
        while (Object.keys(injectors.served()).includes("1-29-6") && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
        expect(Object.keys(injectors.served())).to.deep.equal(["1-30-3"]);
    });
});
