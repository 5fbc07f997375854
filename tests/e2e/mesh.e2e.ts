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
import { PulumiProject } from "./harness/pulumi";
import { MeshSnapshot, snapshot } from "./harness/snapshot";
import { cleanupDirs, ensureTools } from "./harness/tools";

const REPO = path.resolve(__dirname, "..", "..");
const APP_NAMESPACES = ["bookinfo", "payments"];
const timings: string[] = [];

function stackConfig(step: string, cluster: Cluster, repo: ChartRepo, meshOverride: Record<string, unknown> = {}): Record<string, unknown> {
    const config = parse(fs.readFileSync(path.join(REPO, "stacks", `${step}.yaml`), "utf8")).config;
    return {
        "istio-mesh:cluster": { kind: "existing", kubeconfig: cluster.kubeconfig, context: "e2e", kubernetesVersion: "1.34", skipAwait: true },
        "istio-mesh:mesh": { ...config["istio-mesh:mesh"], chartRepository: repo.url, ...meshOverride },
    };
}

describe("e2e: the real Pulumi engine against a real API server", function () {
    let cluster: Cluster;
    let repo: ChartRepo;
    let project: PulumiProject;
    const snapshots: Record<string, MeshSnapshot> = {};

    const timed = async (what: string, args: string[], opts: { env?: Record<string, string> } = {}) => {
        const r = await project.must(what, args, opts);
        timings.push(`${what.padEnd(44)} ${(r.ms / 1000).toFixed(1).padStart(6)} s`);
        console.log(`      [time] ${what}: ${(r.ms / 1000).toFixed(1)} s`);
        return r;
    };
    /** up, then a preview that must show no changes (idempotency). */
    const apply = async (step: string) => {
        project.writeConfig(stackConfig(step, cluster, repo));
        await timed(`up ${step}`, ["up", "--yes", "--skip-preview"]);
        await timed(`preview ${step} (--expect-no-changes)`, ["preview", "--expect-no-changes"]);
        return snapshot(cluster, APP_NAMESPACES);
    };

    before(async function () {
        const binDir = ensureTools();
        cluster = await startCluster({ binDir });
        repo = await startChartRepo(["1.29.6", "1.30.3"]);
        project = new PulumiProject(binDir, "e2e");
        await project.init();
        // Namespaces that exist before the mesh: one with the classic istio-injection label,
        // which must be removed when it moves to istio.io/rev.
        for (const ns of APP_NAMESPACES) {
            expect((await cluster.kubectl(["create", "namespace", ns])).code).to.equal(0);
        }
        expect((await cluster.kubectl(["label", "namespace", "payments", "istio-injection=enabled"])).code).to.equal(0);
    });

    after(async function () {
        console.log("\n      timings:\n" + timings.map((t) => `        ${t}`).join("\n"));
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
        project.writeConfig(stackConfig("04-complete", cluster, repo));
        const r = await project.run(["preview"]);
        expect(r.code).to.not.equal(0);
        expect(r.stdout + r.stderr).to.match(/refused this change[\s\S]*replace-all-revisions/);
        const up = await project.run(["up", "--yes", "--skip-preview"]);
        expect(up.code).to.not.equal(0);
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
        await timed("preview after caBundle drift", ["preview", "--expect-no-changes"]);
        await timed("preview --refresh after caBundle drift", ["preview", "--refresh", "--expect-no-changes"]);
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
        project.writeConfig(stackConfig("02-canary", cluster, repo));
        let killed = false;
        const r = await project.run(["up", "--yes", "--skip-preview"], {
            onSpawn: (p) => {
                p.stdout!.on("data", (d: Buffer) => {
                    // Kill once the engine has started changing the cluster.
                    if (!killed && /creating|updating/.test(d.toString())) {
                        killed = true;
                        setTimeout(() => process.kill(-p.pid!, "SIGKILL"), 300);
                    }
                });
            },
        });
        expect(killed, r.stdout).to.equal(true);
        expect(r.code).to.not.equal(0);
        // The README's recovery: refresh (dropping pending creates), then up again.
        await timed("recover: refresh --clear-pending-creates", ["refresh", "--yes", "--clear-pending-creates"]);
        const s = await apply("02-canary");
        expect(s).to.deep.equal(snapshots["02-canary"]);
    });

    it("9. destroy leaves no webhook, release or label of the program", async () => {
        await timed("destroy", ["destroy", "--yes"]);
        const s = await snapshot(cluster, APP_NAMESPACES);
        expect(s.releases).to.deep.equal([]);
        expect(s.tags).to.deep.equal({});
        expect(s.injectors).to.deep.equal([]);
        expect(s.validator).to.equal("");
        expect(s.namespaces).to.deep.equal({ bookinfo: {}, payments: {} });
    });

    it("10. no-op preview time for meshes of 10 and 100 namespaces, next to an empty program", async () => {
        const empty = new PulumiProject(ensureTools(), "floor", {
            files: { "Pulumi.yaml": "name: empty\nruntime: nodejs\n", "package.json": '{"name":"empty","main":"index.js"}', "index.js": "" },
        });
        await empty.init();
        empty.writeConfig({});
        await empty.must("empty up", ["up", "--yes", "--skip-preview"]);
        const floor = await empty.must("empty preview", ["preview", "--expect-no-changes"]);
        timings.push(`${"no-op preview, empty program (floor)".padEnd(44)} ${(floor.ms / 1000).toFixed(1).padStart(6)} s`);
        for (const n of [10, 100]) {
            const namespaces = Object.fromEntries(Array.from({ length: n }, (_, i) => [`app-${i}`, { revision: "prod-stable", create: true }]));
            project.writeConfig(stackConfig("01-install", cluster, repo, { namespaces }));
            await timed(`up mesh with ${n} namespaces`, ["up", "--yes", "--skip-preview"]);
            await timed(`no-op preview, ${n} namespaces`, ["preview", "--expect-no-changes"]);
        }
        await timed("destroy (perf mesh)", ["destroy", "--yes"]);
    });
});
