/**
 * Issue 20, part 1, on the real engine: a failed `up` records no new `deployed`, and its retry
 * restarts exactly the namespaces the failed run did not restart.
 *
 * The failure is a restart that cannot finish: with `restarts.wait`, the script waits for each
 * rollout, and this cluster has no scheduler or kubelet, so a Deployment with a replica never
 * becomes ready, while one scaled to 0 is rolled out as soon as the controller-manager has seen
 * the restart. The script restarts namespaces in name order: bookinfo (0 replicas) succeeds and
 * is marked in the cluster (istio-mesh/restarted-onto), payments (1 replica) fails.
 *
 * Unrun when written (the session had no e2e tools); run it alone with
 *   npx mocha --no-config -r ts-node/register/transpile-only --extension ts --timeout 3600000 tests/e2e/restarts.e2e.ts
 */
import { expect } from "chai";
import * as path from "path";
import { RESTARTED_MARK } from "../../components/kubectl/kubectl";
import { ChartRepo, startChartRepo } from "./harness/chart-repo";
import { Cluster, startCluster } from "./harness/cluster";
import { failure, kubernetesProvider, MeshStack } from "./harness/pulumi";
import { runbookConfig } from "./harness/runbook";
import { cleanupDirs, ensureTools } from "./harness/tools";

const REPO = path.resolve(__dirname, "..", "..");
// eslint-disable-next-line @typescript-eslint/no-var-requires
const program = () => require(path.join(REPO, "index"))();
const NAMESPACES = ["bookinfo", "payments"];
const WAIT = { wait: true, timeoutSeconds: 5 };

describe("e2e: a failed restart records nothing, and its retry restarts exactly what is left", function () {
    let cluster: Cluster;
    let repo: ChartRepo;
    let mesh: MeshStack;

    /** A runbook step without its gateway (no gateway is needed here), waiting for every restart. */
    const config = (step: string) => runbookConfig(step, cluster, repo, { gateways: undefined, restarts: WAIT });
    const kubectl = async (args: string[]) => {
        const r = await cluster.kubectl(args);
        expect(r.code, `kubectl ${args.join(" ")}: ${r.stderr}`).to.equal(0);
        return r.stdout.trim();
    };
    /** namespace -> the restartedAt annotation of its Deployment "web" ("" = never restarted). */
    const restartedAt = async () =>
        Object.fromEntries(await Promise.all(NAMESPACES.map(async (ns) => [ns, await kubectl(["get", "deployment", "web", "-n", ns, "-o", "jsonpath={.spec.template.metadata.annotations.kubectl\\.kubernetes\\.io/restartedAt}"])])));
    /** namespace -> how many ReplicaSets its "web" has had (one more per restart). */
    const replicaSets = async () => Object.fromEntries(await Promise.all(NAMESPACES.map(async (ns) => [ns, (await kubectl(["get", "replicasets", "-n", ns, "-o", "name"])).split("\n").filter(Boolean).length])));
    /** namespace -> the restart mark a failed run left on it ("" = none). */
    const marks = async () => Object.fromEntries(await Promise.all(NAMESPACES.map(async (ns) => [ns, await kubectl(["get", "namespace", ns, "-o", `jsonpath={.metadata.annotations.${RESTARTED_MARK.replace(/\./g, "\\.")}}`])])));
    const scale = (ns: string, replicas: number) => kubectl(["scale", "deployment", "web", "-n", ns, `--replicas=${replicas}`]);
    /** The stack's `deployed` output (undefined: none recorded). */
    const deployed = async (): Promise<Record<string, unknown> | undefined> => (await mesh.stack.outputs()).deployed?.value as Record<string, unknown> | undefined;
    const namespacesOf = (d: Record<string, unknown> | undefined) => ((d?.namespaces ?? []) as { name: string; revision: string }[]).map((n) => `${n.name}=${n.revision}`).sort();

    before(async function () {
        const binDir = ensureTools({ allowMissing: true });
        // The program asks the cluster with kubectl (the in-use check) from this process.
        process.env.PATH = `${binDir}${path.delimiter}${process.env.PATH ?? ""}`;
        cluster = await startCluster({ binDir });
        repo = await startChartRepo(["1.29.6", "1.30.3"]);
        mesh = await MeshStack.create(binDir, "restarts", program);
        console.log(`      kubernetes provider: ${kubernetesProvider(binDir).describe}`);
        for (const ns of NAMESPACES) {
            await kubectl(["create", "namespace", ns]);
            await kubectl(["create", "deployment", "web", "--image=registry.invalid/web:1", "-n", ns]);
        }
        // bookinfo's restart finishes (nothing to wait for); payments' never does.
        await scale("bookinfo", 0);
    });

    after(async function () {
        await repo?.stop();
        await cluster?.stop();
        cleanupDirs();
    });

    let firstAttempt: Record<string, string>;
    let firstReplicaSets: Record<string, number>;

    it("first up: bookinfo restarts, payments' restart fails; the update fails naming it and records no `deployed`", async () => {
        await mesh.setConfig(config("01-install"));
        const message = await failure(mesh.up("restarts: up 01-install, payments never ready"));
        expect(message).to.match(/namespace payments: deployment\.apps\/web did not become ready within 5s after the restart/);
        firstAttempt = await restartedAt();
        firstReplicaSets = await replicaSets();
        expect(firstAttempt.bookinfo, "bookinfo restarted").to.not.equal("");
        expect(firstAttempt.payments, "payments restarted too (its wait failed, not its restart)").to.not.equal("");
        const m = await marks();
        expect(m.bookinfo, "bookinfo marked as restarted onto its revision").to.match(/^1-29-6@1\.29\.6$/);
        expect(m.payments, "payments not marked: its restart did not finish").to.equal("");
        expect(await deployed(), "a failed update records no `deployed`").to.equal(undefined);
    });

    it("a retry that fails again restarts payments again and bookinfo not; still no `deployed`", async () => {
        await failure(mesh.up("restarts: retry 01-install, payments still never ready"));
        const now = await restartedAt();
        expect(now.bookinfo, "bookinfo not restarted again").to.equal(firstAttempt.bookinfo);
        expect((await replicaSets()).bookinfo, "no new ReplicaSet in bookinfo").to.equal(firstReplicaSets.bookinfo);
        expect(now.payments, "payments restarted again").to.not.equal(firstAttempt.payments);
        expect(await deployed()).to.equal(undefined);
    });

    let installed: Record<string, string>;
    let installedDeployed: Record<string, unknown> | undefined;

    it("the retry after the fix restarts exactly payments, then records `deployed` and clears the marks", async () => {
        await scale("payments", 0);
        const before0 = await restartedAt();
        const beforeRs = await replicaSets();
        await mesh.up("restarts: retry 01-install, payments fixed");
        installed = await restartedAt();
        expect(installed.bookinfo, "bookinfo not restarted again").to.equal(before0.bookinfo);
        expect(installed.payments, "payments restarted").to.not.equal(before0.payments);
        expect(await replicaSets()).to.deep.equal({ bookinfo: beforeRs.bookinfo, payments: beforeRs.payments + 1 });
        expect(await marks()).to.deep.equal({ bookinfo: "", payments: "" });
        installedDeployed = await deployed();
        expect(namespacesOf(installedDeployed)).to.deep.equal(["bookinfo=prod-stable", "payments=prod-stable"]);
        await mesh.preview("restarts: preview 01-install (expect no changes)", { expectNoChanges: true });
        await mesh.up("restarts: up 01-install again");
        expect(await restartedAt(), "a second up restarts nothing").to.deep.equal(installed);
    });

    it("an update whose restart fails keeps the previous `deployed`; its retry restarts the moved namespace once", async () => {
        // 02-canary moves bookinfo to prod-canary (1-30-3); bookinfo now never becomes ready.
        await scale("bookinfo", 1);
        await mesh.setConfig(config("02-canary"));
        const message = await failure(mesh.up("restarts: up 02-canary, bookinfo never ready"));
        expect(message).to.match(/namespace bookinfo: deployment\.apps\/web did not become ready within 5s after the restart/);
        expect(await deployed(), "the install's `deployed` stays").to.deep.equal(installedDeployed);
        const failed = await restartedAt();
        expect(failed.payments, "payments did not move").to.equal(installed.payments);
        await scale("bookinfo", 0);
        const beforeRs = await replicaSets();
        await mesh.up("restarts: retry 02-canary, bookinfo fixed");
        const after = await restartedAt();
        expect(after.bookinfo, "bookinfo restarted onto 1-30-3 by the retry").to.not.equal(failed.bookinfo);
        expect(after.payments).to.equal(installed.payments);
        expect(await replicaSets()).to.deep.equal({ bookinfo: beforeRs.bookinfo + 1, payments: beforeRs.payments });
        const d = await deployed();
        expect(namespacesOf(d)).to.deep.equal(["bookinfo=prod-canary", "payments=prod-stable"]);
        expect(((d?.revisions ?? []) as { name: string }[]).map((r) => r.name).sort()).to.deep.equal(["1-29-6", "1-30-3"]);
        await mesh.preview("restarts: preview 02-canary (expect no changes)", { expectNoChanges: true });
    });
});
