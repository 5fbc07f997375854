/**
 * The real-engine tier: the real Pulumi CLI, Kubernetes provider and API server run the
 * upgrade runbook (stacks/01..04) end to end, with rollbacks, a refusal, webhook drift, an
 * interrupted update and destroy, checked with kubectl. Timings go to the console.
 */
import { expect } from "chai";
import * as child_process from "child_process";
import * as fs from "fs";
import * as path from "path";
import { tagLabels, tagWebhookName, tagWebhooks } from "../../components/tags/webhooks";
import { startChartRepo, ChartRepo } from "./harness/chart-repo";
import { Cluster, startCluster } from "./harness/cluster";
import { failure, kubernetesProvider, MeshStack } from "./harness/pulumi";
import { KubernetesProvider } from "./harness/provider";
import { Recorder } from "./harness/record";
import { runbookConfig, runbookMesh } from "./harness/runbook";
import { MeshSnapshot, snapshot } from "./harness/snapshot";
import { cleanupDirs, ensureTools, missingBinaries } from "./harness/tools";

const REPO = path.resolve(__dirname, "..", "..");
const APP_NAMESPACES = ["bookinfo", "payments"];
/** The runbook's in-place gateway's Service (snapshot.gatewayServices key). */
const GATEWAY = "istio-ingress/istio-ingressgateway";
/** The program under test: index.ts's main, run by the engine as an inline program. */
// eslint-disable-next-line @typescript-eslint/no-var-requires
const program = () => require(path.join(REPO, "index"))();

/** Tools, built or reused by tools/build-tools.sh; the Kubernetes provider may be the stand-in. */
function tools(): string {
    const binDir = ensureTools({ allowMissing: true });
    const missing = missingBinaries(binDir, ["pulumi", "kube-apiserver", "kube-controller-manager", "kubectl", "etcd", "helm"]);
    if (missing.length > 0) throw new Error(`e2e tools missing from ${binDir}: ${missing.join(", ")} (see tools/build-tools.sh output above)`);
    return binDir;
}

const extraTimings: { what: string; ms: number }[] = [];

/**
 * SIGKILLs a process and every descendant at once (read from /proc first), as a CI runner or an
 * OOM kill of the job's process group does: the CLI, its provider plugins and the helm they run.
 */
function killTree(root: number): number[] {
    const children = new Map<number, number[]>();
    for (const d of fs.readdirSync("/proc").filter((x) => /^\d+$/.test(x))) {
        try {
            const stat = fs.readFileSync(`/proc/${d}/stat`, "utf8");
            const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
            children.set(ppid, [...(children.get(ppid) ?? []), Number(d)]);
        } catch {
            /* exited meanwhile */
        }
    }
    const all: number[] = [];
    const walk = (p: number) => {
        all.push(p);
        (children.get(p) ?? []).forEach(walk);
    };
    walk(root);
    for (const p of all) {
        try {
            process.kill(p, "SIGKILL");
        } catch {
            /* already gone */
        }
    }
    return all;
}

describe("e2e: the real Pulumi engine against a real API server", function () {
    let cluster: Cluster;
    let repo: ChartRepo;
    let mesh: MeshStack;
    let binDir: string;
    let provider: KubernetesProvider;
    let recorder: Recorder;
    const snapshots: Record<string, MeshSnapshot> = {};

    /** up, then a preview that must show no changes (idempotency). */
    const apply = async (step: string) => {
        await mesh.setConfig(runbookConfig(step, cluster, repo));
        await mesh.up(`up ${step}`);
        await mesh.preview(`preview ${step} (expect no changes)`, { expectNoChanges: true });
        return snapshot(cluster, APP_NAMESPACES);
    };
    /** The helm CLI against the e2e cluster (for the recovery steps a user would type). */
    const helm = (args: string[]) => {
        const r = child_process.spawnSync(path.join(binDir, "helm"), ["--kubeconfig", cluster.kubeconfig, "--kube-context", "e2e", ...args], { encoding: "utf8" });
        return { code: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
    };
    const kubectlOk = async (args: string[], input?: string) => {
        const r = await cluster.kubectl(args, { input });
        expect(r.code, `kubectl ${args.join(" ")}: ${r.stderr}`).to.equal(0);
        return r.stdout;
    };

    before(async function () {
        binDir = tools();
        provider = kubernetesProvider(binDir);
        console.log(`      kubernetes provider: ${provider.describe}`);
        recorder = new Recorder("mesh", provider);
        cluster = await startCluster({ binDir });
        repo = await startChartRepo(["1.29.6", "1.30.3"]);
        mesh = await MeshStack.create(binDir, "e2e", program);
        // Namespaces that exist before the mesh: one with the classic istio-injection label,
        // which must be removed when it moves to istio.io/rev.
        for (const ns of APP_NAMESPACES) {
            expect((await cluster.kubectl(["create", "namespace", ns])).code).to.equal(0);
        }
        expect((await cluster.kubectl(["label", "namespace", "payments", "istio-injection=enabled"])).code).to.equal(0);
    });

    afterEach(async function () {
        if (this.currentTest?.state === "passed") await recorder.add(this.currentTest.title, cluster, mesh.stepLists);
    });

    after(async function () {
        if (recorder) console.log(`      recorded: ${recorder.write()}`);
        const all = [...(mesh?.timings ?? []), ...extraTimings];
        console.log("\n      timings:\n" + all.map((t) => `        ${t.what.padEnd(48)} ${(t.ms / 1000).toFixed(1).padStart(6)} s`).join("\n"));
        await repo?.stop();
        await cluster?.stop();
        cleanupDirs();
    });

    it("1. install: revision 1-29-6, tags, two labelled namespaces, a gateway", async () => {
        const s = await apply("01-install");
        expect(s.releases).to.include.members(["istio-system/istio-base", "istio-system/istiod-1-29-6", "istio-ingress/istio-ingressgateway"]);
        expect(s.tags).to.deep.equal({
            default: { rev: "1-29-6", services: ["istiod-1-29-6"] },
            "prod-stable": { rev: "1-29-6", services: ["istiod-1-29-6"] },
        });
        expect(s.validator).to.equal("istiod-1-29-6");
        expect(s.namespaces).to.deep.equal({ bookinfo: { "istio.io/rev": "prod-stable" }, payments: { "istio.io/rev": "prod-stable" } });
        expect(s.services).to.include.members(["istiod-1-29-6", "istiod-revision-tag-prod-stable", "istiod-revision-tag-default"]);
        // The gateway's client-facing Service, compared by UID and clusterIP by every later snapshot.
        expect(s.gatewayServices[GATEWAY]).to.include({ type: "LoadBalancer" });
        expect(s.gatewayServices[GATEWAY].clusterIP).to.match(/^\d+\.\d+\.\d+\.\d+$/);
        snapshots["01-install"] = s;
    });

    it("11. refresh -> up -> refresh -> up keeps every namespace label; a preview after each shows no changes", async () => {
        const labels = { bookinfo: { "istio.io/rev": "prod-stable" }, payments: { "istio.io/rev": "prod-stable" } };
        for (const round of [1, 2]) {
            await mesh.refresh(`refresh #${round}`);
            // (round 1 goes straight to up: what an operator running `pulumi refresh && pulumi up` gets)
            if (round > 1) await mesh.preview(`preview after refresh #${round} (expect no changes)`, { expectNoChanges: true });
            await mesh.up(`up after refresh #${round}`);
            expect((await snapshot(cluster, APP_NAMESPACES)).namespaces, `namespace labels after refresh + up #${round}`).to.deep.equal(labels);
            await mesh.preview(`preview after refresh + up #${round} (expect no changes)`, { expectNoChanges: true });
        }
        expect(await snapshot(cluster, APP_NAMESPACES)).to.deep.equal(snapshots["01-install"]);
    });

    it("12. chart repository down: preview fails naming the chart; nothing changes", async () => {
        await mesh.setConfig(runbookConfig("01-install", cluster, repo));
        await repo.setReachable(false);
        try {
            const message = await failure(mesh.preview("preview with the chart repository down"));
            // helm_release.go Check: a CheckFailure on `chart`; the engine prints the chart value.
            expect(message).to.match(/property chart value \{(base|istiod|gateway)\} has a problem/);
            expect(message).to.include(repo.url);
            expect(message).to.include("check the chart name and repository configuration");
            expect(await snapshot(cluster, APP_NAMESPACES)).to.deep.equal(snapshots["01-install"]);
            // A version the repository does not have is named with the chart.
            await repo.setReachable(true);
            const config = runbookMesh("01-install");
            await mesh.setConfig(runbookConfig("01-install", cluster, repo, { revisions: [{ ...config.revisions[0], name: "1-29-6", version: "1.29.7" }] }));
            const missing = await failure(mesh.preview("preview of a chart version the repository lacks"));
            expect(missing).to.match(/chart "(base|istiod)" version "1\.29\.7" not found/);
            expect(await snapshot(cluster, APP_NAMESPACES)).to.deep.equal(snapshots["01-install"]);
        } finally {
            await repo.setReachable(true);
            await mesh.setConfig(runbookConfig("01-install", cluster, repo));
        }
        await mesh.preview("preview with the repository back (expect no changes)", { expectNoChanges: true });
    });

    it("6. refusal: an unsafe change fails at preview with the planner's message; nothing changes", async () => {
        await mesh.setConfig(runbookConfig("04-complete", cluster, repo));
        expect(await failure(mesh.preview("preview of a refused change"))).to.match(/refused this change[\s\S]*replace-all-revisions/);
        expect(await failure(mesh.up("up of a refused change"))).to.match(/refused this change/);
        expect(await snapshot(cluster, APP_NAMESPACES)).to.deep.equal(snapshots["01-install"]);
    });

    it("2. canary: add 1-30-3 and prod-canary, move bookinfo", async () => {
        const s = await apply("02-canary");
        expect(s.releases).to.include.members(["istio-system/istiod-1-29-6", "istio-system/istiod-1-30-3"]);
        expect(s.tags["prod-canary"]).to.deep.equal({ rev: "1-30-3", services: ["istiod-1-30-3"] });
        expect(s.tags["prod-stable"].rev).to.equal("1-29-6");
        expect(s.namespaces.bookinfo).to.deep.equal({ "istio.io/rev": "prod-canary" });
        snapshots["02-canary"] = s;
    });

    it("7. drift: istiod's caBundle patches are not a diff", async () => {
        const ca = Buffer.from("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n").toString("base64");
        for (const mwc of ["istio-revision-tag-prod-stable", "istio-revision-tag-default", "istio-revision-tag-prod-canary", "istio-sidecar-injector-1-30-3"]) {
            const patch = JSON.stringify([{ op: "add", path: "/webhooks/0/clientConfig/caBundle", value: ca }]);
            const r = await cluster.kubectl(["patch", "mutatingwebhookconfiguration", mwc, "--type=json", `-p=${patch}`, "--field-manager=pilot-discovery"]);
            expect(r.code, r.stderr).to.equal(0);
        }
        await mesh.preview("preview after caBundle drift", { expectNoChanges: true });
        await mesh.preview("preview --refresh after caBundle drift", { expectNoChanges: true, refresh: true });
        // The caBundle survives the next apply (handleSSAIgnoreFields leaves istiod's field alone).
        const bundle = async () => JSON.parse(await kubectlOk(["get", "mutatingwebhookconfiguration", "istio-revision-tag-prod-canary", "-o", "json"])).webhooks[0].clientConfig.caBundle;
        expect(await bundle()).to.equal(ca);

        // Negative controls: drift on fields the program owns must show up, and refresh + up
        // repairs it. (Repaired by the program, not by kubectl: a kubectl-label restore would
        // leave kubectl co-owning the label, and destroy would then rightly leave it.)
        const drifts: string[][] = [
            ["label", "mutatingwebhookconfiguration", "istio-revision-tag-prod-stable", "app=drifted", "--overwrite"],
            ["label", "namespace", "payments", "istio.io/rev=drifted", "--overwrite"],
        ];
        for (const drift of drifts) {
            await kubectlOk(drift);
            const what = drift.slice(0, 3).join(" ");
            const message = await failure(mesh.preview(`preview --refresh after kubectl ${what} (must fail)`, { expectNoChanges: true, refresh: true }));
            expect(message).to.match(/no-changes|expect-no-changes|changes/i);
            await mesh.refresh(`refresh after kubectl ${what}`);
            await mesh.up(`up repairs kubectl ${what}`);
        }
        expect((await snapshot(cluster, APP_NAMESPACES)).namespaces.payments).to.deep.equal({ "istio.io/rev": "prod-stable" });
        await mesh.preview("preview --refresh after restoring (expect no changes)", { expectNoChanges: true, refresh: true });
    });

    it("13. a tag pre-created by `istioctl tag set`: up fails AlreadyExists (4.29+; 4.25 adopts); upsert once adopts it; it then moves like any tag", async () => {
        const target = { tag: "migrated", revision: "1-29-6", namespace: "istio-system" };
        const name = tagWebhookName(target.tag, target.namespace);
        const mwc = { apiVersion: "admissionregistration.k8s.io/v1", kind: "MutatingWebhookConfiguration", metadata: { name, labels: tagLabels(target) }, webhooks: tagWebhooks(target) };
        await kubectlOk(["apply", "--server-side", "--field-manager=istioctl", "-f", "-"], JSON.stringify(mwc));
        const base = runbookMesh("02-canary");
        const withTag = (rev: string) => runbookConfig("02-canary", cluster, repo, { tags: { ...base.tags, migrated: rev } });
        await mesh.setConfig(withTag("1-29-6"));
        if (provider.capabilities.createIsPost) {
            // 4.29+ (create = POST, #2926): a plain up refuses to take over the object (clear error).
            const exists = await failure(mesh.up("up with a tag webhook istioctl created (must fail)"));
            expect(exists).to.include("already exists").and.to.include("upsertExistingObjects");
            // The documented path: one up with upsert. The program applies tags with patchForce, so
            // istioctl's ownership of identical fields (atomic `rules` lists) is no conflict.
            mesh.setEnv("PULUMI_K8S_UPSERT_EXISTING_OBJECTS", "true");
            try {
                await mesh.up("up with PULUMI_K8S_UPSERT_EXISTING_OBJECTS=true (adopt)");
            } finally {
                mesh.setEnv("PULUMI_K8S_UPSERT_EXISTING_OBJECTS", undefined);
            }
        } else {
            // Before 4.29 create is a server-side apply (upsert always): the plain up adopts the
            // object; patchForce makes istioctl's identical fields no conflict. The documented
            // upsert path gives the same result on 4.29+ (the other branch).
            await mesh.up("up with a tag webhook istioctl created (4.25: create upserts, adopts)");
        }
        await mesh.preview("preview after adoption (expect no changes)", { expectNoChanges: true });
        // istioctl still co-owns some fields; force makes the retarget go through anyway.
        await mesh.setConfig(withTag("1-30-3"));
        await mesh.up("retarget the adopted tag");
        expect((await snapshot(cluster, APP_NAMESPACES)).tags.migrated).to.deep.equal({ rev: "1-30-3", services: ["istiod-1-30-3"] });
        await mesh.preview("preview after retarget (expect no changes)", { expectNoChanges: true });
        expect(await apply("02-canary")).to.deep.equal(snapshots["02-canary"]);
    });

    it("3. promote: prod-stable and the default revision move to 1-30-3", async () => {
        const s = await apply("03-promote");
        expect(s.tags["prod-stable"]).to.deep.equal({ rev: "1-30-3", services: ["istiod-1-30-3"] });
        expect(s.tags.default).to.deep.equal({ rev: "1-30-3", services: ["istiod-1-30-3"] });
        expect(s.validator).to.equal("istiod-1-30-3");
        // The in-place gateway follows prod-stable: its release is upgraded, its Service kept.
        expect(s.charts[GATEWAY].version).to.equal("1.30.3");
        expect(s.gatewayServices[GATEWAY]).to.deep.equal(snapshots["01-install"].gatewayServices[GATEWAY]);
        snapshots["03-promote"] = s;
    });

    it("4. complete: nothing of 1-29-6 is left", async () => {
        const s = await apply("04-complete");
        expect(s.releases).to.not.include("istio-system/istiod-1-29-6");
        expect(s.injectors).to.deep.equal(["istio-sidecar-injector-1-30-3"]);
        expect(s.services.filter((n) => n.includes("1-29-6"))).to.deep.equal([]);
        expect(JSON.stringify(s.tags)).to.not.include("1-29-6");
        snapshots["04-complete"] = s;
    });

    for (const [from, to] of [["04-complete", "03-promote"], ["03-promote", "02-canary"], ["02-canary", "01-install"]]) {
        // One revert = one `up` (apply: the preview after it must show no changes), converging to
        // the earlier snapshot: releases and chart versions, values, labels, tag webhooks, the
        // validator, and the gateway's Service as the same object at the same address.
        it(`5. rollback: ${from} -> ${to} in one up restores what ${to} produced, the gateway Service included`, async () => {
            const s = await apply(to);
            expect(s.gatewayServices[GATEWAY], "the gateway Service: same UID and clusterIP as at install").to.deep.equal(snapshots["01-install"].gatewayServices[GATEWAY]);
            const want: MeshSnapshot = JSON.parse(JSON.stringify(snapshots[to]));
            // The base chart is never downgraded (README): it stays at the newest version deployed.
            const base = "istio-system/istio-base";
            expect(s.charts[base].version >= want.charts[base].version, "base not downgraded").to.equal(true);
            want.charts[base].version = s.charts[base].version;
            expect(s).to.deep.equal(want);
        });
    }

    it("8. interrupted update: SIGKILL while helm is mid-install/upgrade leaves a pending release; the documented recovery converges", async () => {
        // Kill the CLI and its whole process tree (plugins and the helm they run) the moment a
        // Helm release of the update is pending; retry (after going back to 01-install) until one is.
        const pendingNow = async () => {
            const r = await cluster.request("GET", "/api/v1/secrets?labelSelector=owner%3Dhelm");
            const latest = new Map<string, any>();
            for (const sec of r.body.items ?? []) {
                const key = `${sec.metadata.namespace}/${sec.metadata.labels.name}`;
                if (!latest.has(key) || Number(latest.get(key).metadata.labels.version) < Number(sec.metadata.labels.version)) latest.set(key, sec);
            }
            return [...latest.values()].filter((sec) => sec.metadata.labels.status.startsWith("pending")).map((sec) => ({ namespace: sec.metadata.namespace, name: sec.metadata.labels.name, status: sec.metadata.labels.status }));
        };
        let pending: { namespace: string; name: string; status: string }[] = [];
        for (let attempt = 1; attempt <= 5 && pending.length === 0; attempt++) {
            if (attempt > 1) await apply("01-install");
            await mesh.setConfig(runbookConfig("02-canary", cluster, repo));
            let killed = false;
            let done = false;
            const up = mesh.stack.up().finally(() => (done = true));
            while (!done && !killed) {
                if ((await pendingNow()).length > 0) {
                    killTree(Number(fs.readFileSync(mesh.pidFile, "utf8").trim()));
                    killed = true;
                }
                await new Promise((r) => setTimeout(r, 5));
            }
            const outcome = await up.then(() => "finished", (e) => String(e));
            pending = killed ? await pendingNow() : [];
            console.log(`      kill attempt ${attempt}: ${killed ? "killed" : "update finished first"}; pending: ${JSON.stringify(pending)}`);
            if (killed && pending.length === 0) {
                // helm finished between the check and the kill: recover and try again.
                expect(outcome).to.not.equal("finished");
                await mesh.cancel("recover (no pending release): cancel");
                await mesh.refresh("recover (no pending release): refresh", { clearPendingCreates: true });
                mesh.setEnv("PULUMI_K8S_UPSERT_EXISTING_OBJECTS", "true");
                await mesh.up("recover (no pending release): up with upsert").finally(() => mesh.setEnv("PULUMI_K8S_UPSERT_EXISTING_OBJECTS", undefined));
            }
        }
        expect(pending, "a release left pending by the kill").to.not.deep.equal([]);
        // The documented recovery, in this order (helm first: a refresh before the rollback would
        // copy the pending revision's version and values into the state and hide the difference).
        expect(mesh.locks(), "the killed update's lock").to.not.deep.equal([]);
        await mesh.cancel("recover: pulumi cancel");
        expect(mesh.locks()).to.deep.equal([]);
        for (const p of pending) {
            const args = p.status === "pending-install" ? ["uninstall", p.name, "-n", p.namespace] : ["rollback", p.name, "-n", p.namespace];
            const r = helm(args);
            console.log(`      recover: helm ${args.join(" ")} -> ${r.code}: ${r.out.trim()}`);
            expect(r.code, r.out).to.equal(0);
        }
        await mesh.refresh("recover: pulumi refresh --clear-pending-creates", { clearPendingCreates: true });
        mesh.setEnv("PULUMI_K8S_UPSERT_EXISTING_OBJECTS", "true");
        try {
            await mesh.up("recover: PULUMI_K8S_UPSERT_EXISTING_OBJECTS=true pulumi up");
        } finally {
            mesh.setEnv("PULUMI_K8S_UPSERT_EXISTING_OBJECTS", undefined);
        }
        // No further up: the recovery itself converges.
        await mesh.preview("preview after recovery (expect no changes)", { expectNoChanges: true });
        await mesh.preview("preview --refresh after recovery (expect no changes)", { expectNoChanges: true, refresh: true });
        expect(await snapshot(cluster, APP_NAMESPACES)).to.deep.equal(snapshots["02-canary"]);
    });

    it("9. destroy leaves no webhook, release, tag Service or label of the program", async () => {
        await mesh.destroy("destroy");
        const s = await snapshot(cluster, APP_NAMESPACES);
        expect(s.releases).to.deep.equal([]);
        expect(s.charts).to.deep.equal({});
        expect(s.pending).to.deep.equal([]);
        expect(s.services.filter((n) => n.startsWith("istiod-"))).to.deep.equal([]);
        expect(s.tags).to.deep.equal({});
        expect(s.injectors).to.deep.equal([]);
        expect(s.validator).to.equal("");
        expect(s.namespaces).to.deep.equal({ bookinfo: {}, payments: {} });
    });

    it("10. no-op preview time for meshes of 10 and 100 namespaces, next to an empty program", async () => {
        const empty = await MeshStack.create(binDir, "floor", async () => ({}), "empty");
        await empty.up("empty program: up");
        await empty.preview("no-op preview, empty program (the engine's floor)", { expectNoChanges: true });
        extraTimings.push(...empty.timings);
        for (const n of [10, 100]) {
            const namespaces = Object.fromEntries(Array.from({ length: n }, (_, i) => [`app-${i}`, { revision: "prod-stable", create: true }]));
            await mesh.setConfig(runbookConfig("01-install", cluster, repo, { namespaces }));
            await mesh.up(`up mesh with ${n} namespaces`);
            await mesh.preview(`no-op preview, ${n} namespaces`, { expectNoChanges: true });
        }
        await mesh.destroy("destroy (perf mesh)");
    });
});
