/**
 * The data plane through the real engine and a real API server with kube-controller-manager
 * (Deployments get ReplicaSets; no scheduler, so pods stay Pending): restarts run exactly when
 * a namespace's effective revision changes, a pod still on the old revision blocks "complete"
 * at preview, and a canary gateway keeps one Service through the whole runbook.
 */
import { expect } from "chai";
import * as path from "path";
import { ChartRepo, startChartRepo } from "./harness/chart-repo";
import { Cluster, startCluster } from "./harness/cluster";
import { failure, kubernetesProvider, MeshStack } from "./harness/pulumi";
import { Recorder } from "./harness/record";
import { runbookConfig } from "./harness/runbook";
import { cleanupDirs, ensureTools } from "./harness/tools";

const REPO = path.resolve(__dirname, "..", "..");
// eslint-disable-next-line @typescript-eslint/no-var-requires
const program = () => require(path.join(REPO, "index"))();

/** Canary gateway entries per runbook step: the old revision's Deployment leaves last. */
const EDGE: Record<string, Record<string, { replicas: number }>> = {
    "01-install": { "1-29-6": { replicas: 2 } },
    "02-canary": { "1-29-6": { replicas: 2 }, "1-30-3": { replicas: 1 } },
    "03-promote": { "1-29-6": { replicas: 1 }, "1-30-3": { replicas: 2 } },
    "04-complete": { "1-30-3": { replicas: 2 } },
};

describe("e2e: the data plane moves with its revision", function () {
    let cluster: Cluster;
    let repo: ChartRepo;
    let mesh: MeshStack;

    const config = (step: string) =>
        runbookConfig(step, cluster, repo, { gateways: { edge: { namespace: "istio-ingress", service: { type: "ClusterIP" }, canary: EDGE[step] } } });
    const kubectl = async (args: string[]) => {
        const r = await cluster.kubectl(args);
        expect(r.code, `kubectl ${args.join(" ")}: ${r.stderr}`).to.equal(0);
        return r.stdout.trim();
    };
    /** namespace -> the restartedAt annotation of its Deployment "web" ("" = never restarted). */
    const restartedAt = async () =>
        Object.fromEntries(
            await Promise.all(
                ["bookinfo", "payments"].map(async (ns) => [ns, await kubectl(["get", "deployment", "web", "-n", ns, "-o", "jsonpath={.spec.template.metadata.annotations.kubectl\\.kubernetes\\.io/restartedAt}"])]),
            ),
        );
    const edgeService = () => kubectl(["get", "service", "edge", "-n", "istio-ingress", "-o", "jsonpath={.metadata.uid} {.spec.clusterIP}"]);
    const edgeDeployments = async () => (await kubectl(["get", "deployments", "-n", "istio-ingress", "-l", "app=edge", "-o", "jsonpath={.items[*].metadata.name}"])).split(" ").filter(Boolean).sort();
    const up = async (step: string) => {
        await mesh.setConfig(config(step));
        await mesh.up(`dataplane: up ${step}`);
        await mesh.preview(`dataplane: preview ${step} (expect no changes)`, { expectNoChanges: true });
    };

    let recorder: Recorder;
    before(async function () {
        const binDir = ensureTools({ allowMissing: true });
        // The program asks the cluster with kubectl (the in-use check) from this process.
        process.env.PATH = `${binDir}${path.delimiter}${process.env.PATH ?? ""}`;
        cluster = await startCluster({ binDir });
        repo = await startChartRepo(["1.29.6", "1.30.3"]);
        mesh = await MeshStack.create(binDir, "dataplane", program);
        const provider = kubernetesProvider(binDir);
        console.log(`      kubernetes provider: ${provider.describe}`);
        recorder = new Recorder("dataplane", provider);
        for (const ns of ["bookinfo", "payments", "legacy"]) {
            await kubectl(["create", "namespace", ns]);
        }
        for (const ns of ["bookinfo", "payments"]) {
            await kubectl(["create", "deployment", "web", "--image=registry.invalid/web:1", "-n", ns]);
        }
    });

    afterEach(async function () {
        if (this.currentTest?.state === "passed") await recorder.add(this.currentTest.title, cluster, mesh.stepLists);
    });

    after(async function () {
        if (recorder) console.log(`      recorded: ${recorder.write()}`);
        await repo?.stop();
        await cluster?.stop();
        cleanupDirs();
    });

    let installed: Record<string, string>;
    let service: string;

    it("install enrols existing namespaces and restarts their workloads once; a canary gateway gets one Service", async () => {
        await up("01-install");
        installed = await restartedAt();
        expect(installed.bookinfo, "bookinfo restarted on enrolment").to.not.equal("");
        expect(installed.payments, "payments restarted on enrolment").to.not.equal("");
        service = await edgeService();
        expect(service).to.match(/^\S+ \d+\.\d+\.\d+\.\d+$/);
        expect(await edgeDeployments()).to.deep.equal(["edge-1-29-6"]);
    });

    it("canary restarts exactly the moved namespace (bookinfo), once; a second up restarts nothing", async () => {
        await up("02-canary");
        const after = await restartedAt();
        expect(after.payments, "payments did not move").to.equal(installed.payments);
        expect(after.bookinfo, "bookinfo moved to 1-30-3").to.not.equal(installed.bookinfo);
        const replicaSets = await kubectl(["get", "replicasets", "-n", "bookinfo", "-o", "name"]);
        expect(replicaSets.split("\n").length, "a new ReplicaSet per restart").to.equal(3);
        await mesh.up("dataplane: up 02-canary again");
        expect(await restartedAt()).to.deep.equal(after);
        expect(await edgeService()).to.equal(service);
        expect(await edgeDeployments()).to.deep.equal(["edge-1-29-6", "edge-1-30-3"]);
        installed = after;
    });

    it("promote restarts payments (its tag moved) and not bookinfo (same revision under another tag)", async () => {
        await up("03-promote");
        const after = await restartedAt();
        expect(after.payments).to.not.equal(installed.payments);
        expect(after.bookinfo).to.equal(installed.bookinfo);
        expect(await edgeService()).to.equal(service);
    });

    it("a pod still on 1-29-6, in a namespace the stack does not manage, blocks complete at preview with its name", async () => {
        const status = JSON.stringify({ containers: ["istio-proxy"], revision: "1-29-6" });
        const pod = {
            apiVersion: "v1",
            kind: "Pod",
            metadata: { name: "old-proxy", namespace: "legacy", annotations: { "sidecar.istio.io/status": status } },
            spec: { containers: [{ name: "app", image: "registry.invalid/app:1" }] },
        };
        const r = await cluster.kubectl(["apply", "-f", "-"], { input: JSON.stringify(pod) });
        expect(r.code, r.stderr).to.equal(0);
        await mesh.setConfig(config("04-complete"));
        const message = await failure(mesh.preview("dataplane: preview complete with a pod on 1-29-6"));
        expect(message).to.match(/removed-revision-in-use[\s\S]*revision "1-29-6" is removed while 1 running or pending pod that this update does not restart still use its proxy: legacy\/old-proxy/);
        expect(await edgeDeployments(), "nothing changed").to.deep.equal(["edge-1-29-6", "edge-1-30-3"]);
        await kubectl(["delete", "pod", "old-proxy", "-n", "legacy", "--wait=false", "--grace-period=0", "--force"]);
    });

    it("after it is gone, complete passes; the canary gateway's Service is the same object with the same clusterIP", async () => {
        await up("04-complete");
        expect(await edgeDeployments()).to.deep.equal(["edge-1-30-3"]);
        expect(await edgeService()).to.equal(service);
    });
});
