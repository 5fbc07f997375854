/**
 * The real-engine tier: the real Pulumi CLI, Kubernetes provider and API server run the
 * upgrade runbook (stacks/01..04) end to end, with rollbacks, a refusal, webhook drift, an
 * interrupted update and destroy, checked with kubectl. Timings go to the console.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { startChartRepo, ChartRepo } from "./harness/chart-repo";
import { Cluster, startCluster } from "./harness/cluster";
import { failure, killCli, kubernetesProvider, MeshStack } from "./harness/pulumi";
import { MeshSnapshot, snapshot } from "./harness/snapshot";
import { cleanupDirs, ensureTools, missingBinaries } from "./harness/tools";

const REPO = path.resolve(__dirname, "..", "..");
const APP_NAMESPACES = ["bookinfo", "payments"];
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

function stackConfig(step: string, cluster: Cluster, repo: ChartRepo, meshOverride: Record<string, unknown> = {}): Record<string, unknown> {
    const config = parse(fs.readFileSync(path.join(REPO, "stacks", `${step}.yaml`), "utf8")).config;
    return {
        "istio-mesh:cluster": { kind: "existing", kubeconfig: cluster.kubeconfig, context: "e2e", kubernetesVersion: "1.34", skipAwait: true },
        "istio-mesh:mesh": { ...config["istio-mesh:mesh"], chartRepository: repo.url, ...meshOverride },
    };
}

const extraTimings: { what: string; ms: number }[] = [];

describe("e2e: the real Pulumi engine against a real API server", function () {
    let cluster: Cluster;
    let repo: ChartRepo;
    let mesh: MeshStack;
    let binDir: string;
    const snapshots: Record<string, MeshSnapshot> = {};

    /** up, then a preview that must show no changes (idempotency). */
    const apply = async (step: string) => {
        await mesh.setConfig(stackConfig(step, cluster, repo));
        await mesh.up(`up ${step}`);
        await mesh.preview(`preview ${step} (expect no changes)`, { expectNoChanges: true });
        return snapshot(cluster, APP_NAMESPACES);
    };

    before(async function () {
        binDir = tools();
        const provider = kubernetesProvider(binDir);
        console.log(
            provider.real
                ? `      kubernetes provider: the real pulumi-resource-kubernetes 4.34.2 (${provider.file})`
                : `      kubernetes provider: STAND-IN (tests/e2e/standin): the real pulumi-resource-kubernetes 4.34.2 cannot be built here\n` +
                      `      (the Go proxy refuses github.com/pulumi/pulumi-kubernetes/provider/v4); put the real binary in the bin dir to use it`,
        );
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

    after(async function () {
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
        snapshots["01-install"] = s;
    });

    it("6. refusal: an unsafe change fails at preview with the planner's message; nothing changes", async () => {
        await mesh.setConfig(stackConfig("04-complete", cluster, repo));
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
    });

    it("3. promote: prod-stable and the default revision move to 1-30-3", async () => {
        const s = await apply("03-promote");
        expect(s.tags["prod-stable"]).to.deep.equal({ rev: "1-30-3", services: ["istiod-1-30-3"] });
        expect(s.tags.default).to.deep.equal({ rev: "1-30-3", services: ["istiod-1-30-3"] });
        expect(s.validator).to.equal("istiod-1-30-3");
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
        it(`5. rollback: ${from} -> ${to} restores what ${to} produced`, async () => {
            const s = await apply(to);
            expect(s).to.deep.equal(snapshots[to]);
        });
    }

    it("8. interrupted update: SIGKILL mid-up, recover as the README says, converge", async () => {
        await mesh.setConfig(stackConfig("02-canary", cluster, repo));
        let killed = false;
        const up = mesh.stack.up({
            onOutput: (out) => {
                // Kill the CLI (SIGKILL, no cleanup) once the engine has started changing the cluster.
                if (!killed && /(creating|updating|deleting) \(/.test(out)) {
                    killed = true;
                    killCli(mesh.pidFile);
                }
            },
        });
        const message = await failure(up);
        expect(killed, message).to.equal(true);
        // The README's recovery: cancel (the stale lock), refresh (dropping creates that never
        // finished), then one up that may adopt what the killed update had already created.
        expect(mesh.locks(), "the killed update's lock").to.not.deep.equal([]);
        await mesh.cancel("recover: cancel");
        expect(mesh.locks()).to.deep.equal([]);
        await mesh.refresh("recover: refresh --clear-pending-creates", { clearPendingCreates: true });
        mesh.setEnv("PULUMI_K8S_UPSERT_EXISTING_OBJECTS", "true");
        await mesh.up("recover: up adopting objects of the killed update");
        mesh.setEnv("PULUMI_K8S_UPSERT_EXISTING_OBJECTS", undefined);
        const s = await apply("02-canary");
        expect(s).to.deep.equal(snapshots["02-canary"]);
    });

    it("9. destroy leaves no webhook, release or label of the program", async () => {
        await mesh.destroy("destroy");
        const s = await snapshot(cluster, APP_NAMESPACES);
        expect(s.releases).to.deep.equal([]);
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
            await mesh.setConfig(stackConfig("01-install", cluster, repo, { namespaces }));
            await mesh.up(`up mesh with ${n} namespaces`);
            await mesh.preview(`no-op preview, ${n} namespaces`, { expectNoChanges: true });
        }
        await mesh.destroy("destroy (perf mesh)");
    });
});
