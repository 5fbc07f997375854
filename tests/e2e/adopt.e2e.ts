/**
 * Adoption, end to end: a mesh installed by hand (the helm CLI, istioctl-style tag webhooks and
 * Services applied under field manager istioctl, kubectl labels; no Pulumi), then `npm run adopt`
 * (the real CLI, against the real API server), then the adopted stack's first `up`: every release,
 * tag and label is imported or patched in place, nothing the mesh consists of changes (release
 * manifests, webhooks, Services, namespace labels compared before and after), a preview after it
 * shows no changes, and a canary upgrade through the adopted stack works.
 */
import { expect } from "chai";
import * as child_process from "child_process";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { startChartRepo, ChartRepo } from "./harness/chart-repo";
import { Cluster, startCluster } from "./harness/cluster";
import { kubernetesProvider, MeshStack } from "./harness/pulumi";
import { Recorder } from "./harness/record";
import { snapshot } from "./harness/snapshot";
import { cleanupDirs, ensureTools, missingBinaries, tempDir } from "./harness/tools";

const REPO = path.resolve(__dirname, "..", "..");
const NAMESPACES = ["bookinfo", "payments"];
// eslint-disable-next-line @typescript-eslint/no-var-requires
const program = () => require(path.join(REPO, "index"))();

/** What `istioctl tag set <tag> --revision <rev>` applies (its own labels: no istio-mesh marker). */
function istioctlTag(tag: string, rev: string) {
    const labels = { app: "sidecar-injector", "istio.io/rev": rev, "istio.io/tag": tag, "install.operator.istio.io/owning-resource": "unknown", "operator.istio.io/component": "Pilot" };
    const notDisabled = { key: "sidecar.istio.io/inject", operator: "NotIn", values: ["false"] };
    const absent = (key: string) => ({ key, operator: "DoesNotExist" });
    const hook = (name: string, namespaceSelector: unknown, objectSelector: unknown) => ({
        name,
        clientConfig: { service: { name: `istiod-${rev}`, namespace: "istio-system", path: "/inject", port: 443 } },
        sideEffects: "None",
        rules: [{ operations: ["CREATE"], apiGroups: [""], apiVersions: ["v1"], resources: ["pods"] }],
        failurePolicy: "Fail",
        reinvocationPolicy: "Never",
        admissionReviewVersions: ["v1"],
        namespaceSelector,
        objectSelector,
    });
    const webhooks = [
        hook("rev.namespace.sidecar-injector.istio.io", { matchExpressions: [{ key: "istio.io/rev", operator: "In", values: [tag] }, absent("istio-injection")] }, { matchExpressions: [notDisabled] }),
        hook("rev.object.sidecar-injector.istio.io", { matchExpressions: [absent("istio.io/rev"), absent("istio-injection")] }, { matchExpressions: [notDisabled, { key: "istio.io/rev", operator: "In", values: [tag] }] }),
        ...(tag === "default"
            ? [
                  hook("namespace.sidecar-injector.istio.io", { matchExpressions: [{ key: "istio-injection", operator: "In", values: ["enabled"] }] }, { matchExpressions: [notDisabled] }),
                  hook("object.sidecar-injector.istio.io", { matchExpressions: [absent("istio-injection"), absent("istio.io/rev")] }, { matchExpressions: [{ key: "sidecar.istio.io/inject", operator: "In", values: ["true"] }, absent("istio.io/rev")] }),
              ]
            : []),
    ];
    const webhook = { apiVersion: "admissionregistration.k8s.io/v1", kind: "MutatingWebhookConfiguration", metadata: { name: `istio-revision-tag-${tag}`, labels }, webhooks };
    const service = {
        apiVersion: "v1",
        kind: "Service",
        metadata: { name: `istiod-revision-tag-${tag}`, namespace: "istio-system", labels: { ...labels, app: "istiod", istio: "pilot" } },
        spec: {
            ports: [
                { port: 15010, name: "grpc-xds", protocol: "TCP" },
                { port: 15012, name: "https-dns", protocol: "TCP" },
                { port: 443, name: "https-webhook", targetPort: 15017, protocol: "TCP" },
                { port: 15014, name: "http-monitoring", protocol: "TCP" },
            ],
            selector: { app: "istiod", "istio.io/rev": rev },
        },
    };
    return { webhook, service };
}

describe("e2e: adopt a mesh installed with helm, istioctl and kubectl", function () {
    let cluster: Cluster;
    let repo: ChartRepo;
    let mesh: MeshStack;
    let binDir: string;
    let stackDir: string;

    // Asynchronous: the chart repository is served by this process and must keep answering.
    const run = (file: string, args: string[]) =>
        new Promise<{ code: number; out: string; stdout: string }>((resolve) => {
            child_process.execFile(file, args, { encoding: "utf8", env: { ...process.env, PATH: `${binDir}${path.delimiter}${process.env.PATH}` }, cwd: REPO, maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
                resolve({ code: error === null ? 0 : typeof error.code === "number" ? error.code : -1, out: `${stdout}${stderr}`, stdout });
            });
        });
    const helm = async (args: string[]) => {
        const r = await run(path.join(binDir, "helm"), ["--kubeconfig", cluster.kubeconfig, "--kube-context", "e2e", ...args]);
        expect(r.code, `helm ${args.join(" ")}: ${r.out}`).to.equal(0);
        return r.stdout;
    };
    const kubectl = async (args: string[], input?: string) => {
        const r = await cluster.kubectl(args, { input });
        expect(r.code, `kubectl ${args.join(" ")}: ${r.stderr}`).to.equal(0);
        return r.stdout;
    };
    const RELEASES = [
        ["istio-system", "istio-base"],
        ["istio-system", "istiod-1-29-6"],
        ["istio-ingress", "istio-ingressgateway"],
    ];

    /** Everything the mesh consists of, as the cluster has it (minus what only bookkeeping touches). */
    const state = async () => {
        const manifests: Record<string, string> = {};
        const releaseRevisions: Record<string, number> = {};
        for (const [ns, name] of RELEASES) {
            manifests[`${ns}/${name}`] = await helm(["get", "manifest", name, "-n", ns]);
            releaseRevisions[`${ns}/${name}`] = JSON.parse(await helm(["list", "-n", ns, "--filter", `^${name}$`, "-o", "json"]))[0].revision;
        }
        const mwcs = JSON.parse(await kubectl(["get", "mutatingwebhookconfigurations", "-o", "json"])).items;
        const webhooks = Object.fromEntries(mwcs.map((m: any) => [m.metadata.name, { labels: m.metadata.labels, webhooks: m.webhooks }]));
        const svcs = JSON.parse(await kubectl(["get", "services", "-n", "istio-system", "-o", "json"])).items;
        const services = Object.fromEntries(svcs.map((s: any) => [s.metadata.name, { labels: s.metadata.labels, spec: s.spec, uid: s.metadata.uid }]));
        const vwcs = JSON.parse(await kubectl(["get", "validatingwebhookconfigurations", "-o", "json"])).items;
        const validators = Object.fromEntries(vwcs.map((v: any) => [v.metadata.name, v.webhooks]));
        const nss = JSON.parse(await kubectl(["get", "namespaces", "-o", "json"])).items;
        const namespaces = Object.fromEntries(nss.map((n: any) => [n.metadata.name, n.metadata.labels]));
        const deployments = JSON.parse(await kubectl(["get", "deployments", "-A", "-o", "json"])).items.map((d: any) => `${d.metadata.namespace}/${d.metadata.name} ${JSON.stringify(d.spec.template)}`).sort();
        return { manifests, releaseRevisions, webhooks, validators, services, namespaces, deployments, snapshot: await snapshot(cluster, NAMESPACES) };
    };

    let recorder: Recorder;
    before(async function () {
        binDir = ensureTools({ allowMissing: true });
        const missing = missingBinaries(binDir, ["pulumi", "kube-apiserver", "kube-controller-manager", "kubectl", "etcd", "helm"]);
        if (missing.length > 0) throw new Error(`e2e tools missing from ${binDir}: ${missing.join(", ")}`);
        const provider = kubernetesProvider(binDir);
        console.log(`      kubernetes provider: ${provider.describe}`);
        recorder = new Recorder("adopt", provider);
        cluster = await startCluster({ binDir });
        repo = await startChartRepo(["1.29.6", "1.30.3"]);
        mesh = await MeshStack.create(binDir, "adopted", program);
        stackDir = tempDir("adopt-stack");

        // The mesh as the Istio docs install it, by hand.
        await helm(["install", "istio-base", "base", "--repo", repo.url, "--version", "1.29.6", "-n", "istio-system", "--create-namespace", "--set", "defaultRevision=1-29-6"]);
        // global.tag: the published chart's default (Istio's release build writes the version there);
        // the fixture chart leaves it empty, and adopt would rightly report the stack setting it.
        await helm(["install", "istiod-1-29-6", "istiod", "--repo", repo.url, "--version", "1.29.6", "-n", "istio-system", "--set", "revision=1-29-6", "--set", "global.tag=1.29.6"]);
        await helm(["install", "istio-ingressgateway", "gateway", "--repo", repo.url, "--version", "1.29.6", "-n", "istio-ingress", "--create-namespace", "--set", "revision=prod-stable"]);
        for (const [tag, rev] of [["default", "1-29-6"], ["prod-stable", "1-29-6"]]) {
            const { webhook, service } = istioctlTag(tag, rev);
            await kubectl(["apply", "--server-side", "--field-manager=istioctl", "-f", "-"], JSON.stringify(webhook));
            await kubectl(["apply", "--server-side", "--field-manager=istioctl", "-f", "-"], JSON.stringify(service));
        }
        for (const ns of NAMESPACES) {
            await kubectl(["create", "namespace", ns]);
        }
        await kubectl(["label", "namespace", "bookinfo", "istio.io/rev=prod-stable"]);
        await kubectl(["label", "namespace", "payments", "istio-injection=enabled"]);
        // What a running istiod does to the default validator once it serves (there is no kubelet here).
        const flip = JSON.stringify([{ op: "replace", path: "/webhooks/0/failurePolicy", value: "Fail" }]);
        await kubectl(["patch", "validatingwebhookconfiguration", "istiod-default-validator", "--type=json", `-p=${flip}`, "--field-manager=pilot-discovery"]);
    });

    afterEach(async function () {
        if (this.currentTest?.state === "passed") await recorder.add(this.currentTest.title, cluster, mesh.stepLists);
    });

    after(async function () {
        if (recorder) console.log(`      recorded: ${recorder.write()}`);
        console.log("\n      timings:\n" + (mesh?.timings ?? []).map((t) => `        ${t.what.padEnd(48)} ${(t.ms / 1000).toFixed(1).padStart(6)} s`).join("\n"));
        await repo?.stop();
        await cluster?.stop();
        cleanupDirs();
    });

    let before0: Awaited<ReturnType<typeof state>>;
    let config: Record<string, any>;

    it("adopt reads the cluster (read-only) and writes the stack file and report", async () => {
        before0 = await state();
        const r = await run(process.execPath, ["-r", "ts-node/register/transpile-only", "scripts/adopt.ts", "--stack", "adopted", "--context", "e2e", "--kubeconfig", cluster.kubeconfig, "--chart-repository", repo.url, "--dir", stackDir]);
        expect(r.code, r.out).to.equal(0);
        expect(r.out).to.contain("adoptable");
        // Left alone, and said so.
        expect(r.out).to.contain("**namespace payments**: uses istio-injection=enabled");
        config = parse(fs.readFileSync(path.join(stackDir, "Pulumi.adopted.yaml"), "utf8")).config;
        expect(config["istio-mesh:mesh"].adopt.releases).to.deep.equal(["istio-ingress/istio-ingressgateway", "istio-system/istio-base", "istio-system/istiod-1-29-6"]);
        expect(config["istio-mesh:mesh"].namespaces).to.deep.equal({ bookinfo: "prod-stable" });
        // Reading changed nothing.
        expect(await state()).to.deep.equal(before0);
    });

    it("the first up imports instead of creating, and nothing the mesh consists of changes", async () => {
        // The e2e cluster runs no pods: no waits (the only setting the test adds to the written file).
        config["istio-mesh:cluster"] = { ...config["istio-mesh:cluster"], kind: "existing", kubernetesVersion: "1.34", skipAwait: true };
        await mesh.setConfig(config);
        const preview = await mesh.preview("preview of the adopted stack");
        expect(preview.changeSummary.import, JSON.stringify(preview.changeSummary)).to.equal(7);
        await mesh.up("first up of the adopted stack");
        const after = await state();
        // Releases render exactly what they rendered (same chart versions and manifests); the
        // provider's import cannot read Pulumi-only settings, so Helm records one upgrade each.
        // base pins base.validationFailurePolicy=Fail (the report says so): the release manifest
        // moves from the chart's Ignore to Fail, the live validator (already Fail) does not change.
        const pinned = (m: Record<string, string>) => ({ ...m, "istio-system/istio-base": m["istio-system/istio-base"].replace("failurePolicy: Ignore", "failurePolicy: Fail") });
        expect(after.manifests).to.deep.equal(pinned(before0.manifests));
        expect(after.validators).to.deep.equal(before0.validators);
        expect(Object.fromEntries(Object.entries(after.snapshot.charts).map(([k, v]) => [k, v.version]))).to.deep.equal(Object.fromEntries(Object.entries(before0.snapshot.charts).map(([k, v]) => [k, v.version])));
        for (const [id, rev] of Object.entries(before0.releaseRevisions)) {
            expect(Number(after.releaseRevisions[id]), id).to.equal(Number(rev) + 1);
        }
        expect(after.deployments).to.deep.equal(before0.deployments);
        expect(after.namespaces).to.deep.equal(before0.namespaces);
        expect({ ...after.snapshot, charts: {} }).to.deep.equal({ ...before0.snapshot, charts: {} });
        // Tag webhooks and Services: same webhooks and specs, same objects (UIDs); the stack's ownership label added.
        for (const name of ["istio-revision-tag-default", "istio-revision-tag-prod-stable"]) {
            expect(after.webhooks[name].webhooks, name).to.deep.equal(before0.webhooks[name].webhooks);
            expect(after.webhooks[name].labels, name).to.deep.equal({ ...before0.webhooks[name].labels, "app.kubernetes.io/managed-by": "istio-mesh" });
        }
        for (const name of ["istiod-revision-tag-default", "istiod-revision-tag-prod-stable"]) {
            expect(after.services[name].spec, name).to.deep.equal(before0.services[name].spec);
            expect(after.services[name].uid, name).to.equal(before0.services[name].uid);
        }
        await mesh.preview("preview after the adopting up (expect no changes)", { expectNoChanges: true });
    });

    it("a canary upgrade through the adopted stack works", async () => {
        const m = config["istio-mesh:mesh"];
        const canary = {
            ...config,
            "istio-mesh:mesh": { ...m, revisions: [...m.revisions, { version: "1.30.3" }], tags: { ...m.tags, "prod-canary": "1-30-3" }, namespaces: { bookinfo: "prod-canary" } },
        };
        await mesh.setConfig(canary);
        await mesh.up("canary through the adopted stack");
        const s = await snapshot(cluster, NAMESPACES);
        expect(s.releases).to.include.members(["istio-system/istiod-1-29-6", "istio-system/istiod-1-30-3", "istio-system/istio-base"]);
        expect(s.charts["istio-system/istio-base"].version).to.equal("1.30.3");
        expect(s.tags["prod-canary"]).to.deep.equal({ rev: "1-30-3", services: ["istiod-1-30-3"] });
        expect(s.tags["prod-stable"].rev).to.equal("1-29-6");
        expect(s.namespaces).to.deep.equal({ bookinfo: { "istio.io/rev": "prod-canary" }, payments: { "istio-injection": "enabled" } });
        await mesh.preview("preview after the canary (expect no changes)", { expectNoChanges: true });
    });
});
