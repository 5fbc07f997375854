// Smoke check of the e2e harness, with timings. Reusable pieces for a mocha e2e suite are exported.
//
//   npx ts-node --transpile-only -P tsconfig.json tests/e2e/harness/smoke.ts
//
// Steps (each timed; a step whose binaries are missing is reported SKIPPED, not failed):
//   tools      build-tools.sh (E2E_BIN_DIR skips it)
//   cluster    etcd + kube-apiserver + kube-controller-manager
//   kubectl    Namespace + Service + Deployment; the controller-manager makes a ReplicaSet; Namespace
//              deletion completes
//   chartrepo  fixture charts packaged as 1.30.3 and served
//   helm       helm install/uninstall istiod 1.30.3 (revision 1-30-3) from the repo; objects checked
//   pulumi     Automation API, inline program (no language host needed), file backend, private
//              PULUMI_HOME: up + destroy of a dynamic-provider resource (engine + CLI + shim)
//   pulumi-k8s the brief's program (Namespace + Service with skipAwait, helm.v3.Release of istiod 1.30.3
//              from the repo, skipAwait, revision 1-30-3) up, kubectl checks, destroy, checks; needs
//              pulumi-resource-kubernetes 4.34.2 (plugin) — runs through the CLI when
//              pulumi-language-nodejs is in the bin dir, else as an inline program
import * as child_process from "child_process";
import * as fs from "fs";
import * as path from "path";
import { Cluster, startCluster } from "./cluster";
import { ChartRepo, startChartRepo } from "./chart-repo";
import { cleanupDirs, ensureTools, installPlugins, missingBinaries, pulumiEnv, tempDir } from "./tools";

export const ISTIO_VERSION = "1.30.3";
export const REVISION = "1-30-3";
const MAIN_DIR = path.resolve(__dirname, "..", "..", "..");

type Result = { step: string; ms: number; status: "ok" | "failed" | "skipped"; note?: string };
const results: Result[] = [];

function say(msg: string): void {
    process.stderr.write(`[smoke ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
}

async function step<T>(name: string, fn: () => Promise<T> | T): Promise<T | undefined> {
    const t = Date.now();
    say(`${name} ...`);
    try {
        const v = await fn();
        results.push({ step: name, ms: Date.now() - t, status: "ok" });
        say(`${name} ok in ${Date.now() - t} ms`);
        return v;
    } catch (err) {
        const e = err as Error & { skip?: boolean };
        const status = e.skip ? "skipped" : "failed";
        results.push({ step: name, ms: Date.now() - t, status, note: e.message.split("\n")[0] });
        say(`${name} ${status.toUpperCase()} after ${Date.now() - t} ms: ${e.message}`);
        return undefined;
    }
}

function skip(msg: string): Error {
    return Object.assign(new Error(msg), { skip: true });
}

async function must(c: Cluster, args: string[]): Promise<string> {
    const r = await c.kubectl(args);
    if (r.code !== 0) {
        throw new Error(`kubectl ${args.join(" ")}: ${r.stderr.trim()}`);
    }
    return r.stdout;
}

/** Polls until fn() is true (default 60 s). */
export async function eventually(what: string, fn: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await fn())) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 250));
    }
}

export async function exists(c: Cluster, kind: string, name: string, ns?: string): Promise<boolean> {
    const r = await c.kubectl(["get", kind, name, ...(ns ? ["-n", ns] : []), "-o", "name"]);
    return r.code === 0;
}

/** The istiod 1.30.3 / revision 1-30-3 objects the fixture chart renders in istio-system. */
export const ISTIOD_OBJECTS: Array<[kind: string, name: string, ns?: string]> = [
    ["service", `istiod-${REVISION}`, "istio-system"],
    ["deployment", `istiod-${REVISION}`, "istio-system"],
    ["configmap", `istio-${REVISION}`, "istio-system"],
    ["mutatingwebhookconfiguration", `istio-sidecar-injector-${REVISION}`],
    ["validatingwebhookconfiguration", `istio-validator-${REVISION}-istio-system`],
];

async function checkIstiod(c: Cluster, present: boolean): Promise<void> {
    for (const [kind, name, ns] of ISTIOD_OBJECTS) {
        await eventually(`${kind}/${name} ${present ? "present" : "gone"}`, async () => (await exists(c, kind, name, ns)) === present, 60_000);
    }
}

/** Async on purpose: the chart repo is served from this process, so a spawnSync would deadlock it. */
function runCmd(cmd: string, args: string[], env: NodeJS.ProcessEnv, cwd?: string): Promise<string> {
    return new Promise((resolve, reject) => {
        const child = child_process.spawn(cmd, args, { env, cwd, stdio: ["ignore", "pipe", "pipe"] });
        let out = "";
        let err = "";
        child.stdout.setEncoding("utf8").on("data", (d) => (out += d));
        child.stderr.setEncoding("utf8").on("data", (d) => (err += d));
        child.on("error", reject);
        child.on("close", (code) =>
            code === 0 ? resolve(out) : reject(new Error(`${path.basename(cmd)} ${args.join(" ")} (exit ${code}):\n${out}\n${err}`)),
        );
    });
}

/** Program source for the Pulumi k8s smoke (CLI mode); the inline mode runs the same resources. */
export const K8S_PROGRAM = `import * as k8s from "@pulumi/kubernetes";
const provider = new k8s.Provider("e2e", { kubeconfig: process.env.E2E_KUBECONFIG_CONTENT! });
const ns = new k8s.core.v1.Namespace("istio-system", {
    metadata: { name: "istio-system", annotations: { "pulumi.com/skipAwait": "true" } },
}, { provider });
new k8s.core.v1.Service("smoke", {
    metadata: { name: "smoke", namespace: "istio-system", annotations: { "pulumi.com/skipAwait": "true" } },
    spec: { selector: { app: "smoke" }, ports: [{ port: 80 }] },
}, { provider, dependsOn: [ns], customTimeouts: { create: "1m", update: "1m", delete: "1m" } });
new k8s.helm.v3.Release("istiod-${REVISION}", {
    name: "istiod-${REVISION}",
    chart: "istiod",
    version: "${ISTIO_VERSION}",
    namespace: "istio-system",
    repositoryOpts: { repo: process.env.E2E_CHART_REPO! },
    skipAwait: true,
    values: { revision: "${REVISION}" },
}, { provider, dependsOn: [ns], customTimeouts: { create: "2m", update: "2m", delete: "2m" } });
`;

async function main(): Promise<void> {
    let cluster: Cluster | undefined;
    let repo: ChartRepo | undefined;
    const t0 = Date.now();
    try {
        const binDir = await step("tools", () => ensureTools({ allowMissing: true }));
        if (!binDir) throw new Error("no tools");
        process.env.PATH = `${binDir}${path.delimiter}${process.env.PATH}`;

        cluster = await step("cluster", () => startCluster({ binDir, log: (m) => say(`  ${m}`) }));
        if (!cluster) throw new Error("no cluster");
        const c = cluster;

        await step("kubectl", async () => {
            await must(c, ["create", "namespace", "smoke-a"]);
            await must(c, ["-n", "smoke-a", "create", "service", "clusterip", "web", "--tcp=80:8080"]);
            await must(c, ["-n", "smoke-a", "create", "deployment", "web", "--image=example.invalid/web:1"]);
            await eventually("ReplicaSet from the Deployment", async () =>
                (await c.kubectl(["-n", "smoke-a", "get", "replicasets", "-o", "name"])).stdout.includes("replicaset"),
            );
            await must(c, ["delete", "namespace", "smoke-a", "--wait=false"]);
            await eventually("namespace smoke-a deleted", async () => !(await exists(c, "namespace", "smoke-a")));
        });

        repo = await step("chartrepo", () => startChartRepo([ISTIO_VERSION]));

        await step("helm", async () => {
            if (missingBinaries(binDir, ["helm"]).length) throw skip("no helm in the bin dir");
            if (!repo) throw skip("no chart repo");
            const helmHome = tempDir("helm");
            const env = {
                ...process.env,
                KUBECONFIG: c.kubeconfig,
                HELM_CACHE_HOME: path.join(helmHome, "cache"),
                HELM_CONFIG_HOME: path.join(helmHome, "config"),
                HELM_DATA_HOME: path.join(helmHome, "data"),
            };
            const helm = path.join(binDir, "helm");
            const common = ["--repo", repo.url, "--version", ISTIO_VERSION, "-n", "istio-system"];
            // base (CRD + default validator) -> istiod revision -> gateway, like a real install
            await runCmd(helm, ["install", "istio-base", "base", ...common, "--create-namespace", "--set", `defaultRevision=${REVISION}`], env);
            const svc = (await must(c, ["get", "validatingwebhookconfiguration", "istiod-default-validator", "-o", "jsonpath={.webhooks[0].clientConfig.service.name}"])).trim();
            if (svc !== `istiod-${REVISION}`) throw new Error(`default validator calls ${svc}`);
            await runCmd(helm, ["install", `istiod-${REVISION}`, "istiod", ...common, "--set", `revision=${REVISION}`], env);
            await checkIstiod(c, true);
            await runCmd(helm, ["install", "istio-ingressgateway", "gateway", "--repo", repo.url, "--version", ISTIO_VERSION,
                "-n", "istio-ingress", "--create-namespace", "--set", `revision=${REVISION}`], env);
            const podLabels = await must(c, ["-n", "istio-ingress", "get", "deployment", "istio-ingressgateway", "-o", "jsonpath={.spec.template.metadata.labels}"]);
            if (!podLabels.includes(`"istio.io/rev":"${REVISION}"`)) throw new Error(`gateway pod labels ${podLabels}`);
            await runCmd(helm, ["uninstall", "istio-ingressgateway", "-n", "istio-ingress", "--wait"], env);
            await runCmd(helm, ["uninstall", `istiod-${REVISION}`, "-n", "istio-system", "--wait"], env);
            await checkIstiod(c, false);
            await runCmd(helm, ["uninstall", "istio-base", "-n", "istio-system", "--wait"], env);
            if (await exists(c, "validatingwebhookconfiguration", "istiod-default-validator")) throw new Error("validator left");
            // helm.sh/resource-policy: keep
            if (!(await exists(c, "crd", "proxyconfigs.networking.istio.io"))) throw new Error("CRD not kept");
            await must(c, ["delete", "crd", "proxyconfigs.networking.istio.io"]);
            await must(c, ["delete", "namespace", "istio-ingress", "--wait=false"]);
            await must(c, ["delete", "namespace", "istio-system", "--wait=false"]);
            await eventually("namespace istio-system deleted", async () => !(await exists(c, "namespace", "istio-system")));
        });

        // ---- Pulumi ----
        const haveCli = missingBinaries(binDir, ["pulumi", "pulumi-resource-pulumi-nodejs"]).length === 0;
        const pulumiHome = tempDir("pulumi-home");
        const backend = tempDir("pulumi-backend");
        const env = pulumiEnv(binDir, pulumiHome, backend);
        let missingPlugins: string[] = [];
        if (haveCli) {
            missingPlugins = (await step("pulumi-plugins", () => installPlugins(binDir, pulumiHome))) ?? [];
        }
        // The Automation API module reads os.environ for the CLI; set ours for this process.
        Object.assign(process.env, env);
        const workDir = tempDir("pulumi-work");
        fs.symlinkSync(path.join(MAIN_DIR, "node_modules"), path.join(workDir, "node_modules"));

        await step("pulumi", async () => {
            if (!haveCli) throw skip("no pulumi CLI in the bin dir");
            const auto = await import("@pulumi/pulumi/automation");
            const pulumi = await import("@pulumi/pulumi");
            const program = async () => {
                const provider: import("@pulumi/pulumi").dynamic.ResourceProvider = {
                    async create(inputs: any) {
                        return { id: `smoke-${inputs.word}`, outs: { ...inputs, length: String(inputs.word).length } };
                    },
                };
                class Word extends pulumi.dynamic.Resource {
                    constructor(name: string, word: string) {
                        super(provider, name, { word, length: undefined }, {});
                    }
                }
                const w = new Word("w", "mesh");
                return { id: w.id };
            };
            const stack = await auto.LocalWorkspace.createOrSelectStack(
                { stackName: "smoke-engine", projectName: "istio-mesh-e2e-smoke", program },
                { workDir, envVars: env },
            );
            const t = Date.now();
            const up = await stack.up({ onOutput: () => undefined });
            if (up.outputs.id?.value !== "smoke-mesh") throw new Error(`unexpected outputs ${JSON.stringify(up.outputs)}`);
            say(`  up ${Date.now() - t} ms`);
            const t2 = Date.now();
            await stack.destroy({ onOutput: () => undefined });
            say(`  destroy ${Date.now() - t2} ms`);
            await stack.workspace.removeStack("smoke-engine");
        });

        await step("pulumi-k8s", async () => {
            if (!haveCli) throw skip("no pulumi CLI");
            if (missingPlugins.some((p) => p.startsWith("kubernetes@"))) {
                throw skip("pulumi-resource-kubernetes 4.34.2 not built (not served by the Go module proxy here)");
            }
            if (!repo) throw skip("no chart repo");
            const k8sEnv = { ...env, E2E_KUBECONFIG_CONTENT: c.kubeconfigContent, E2E_CHART_REPO: repo.url };
            const viaCli = missingBinaries(binDir, ["pulumi-language-nodejs"]).length === 0;
            let up: () => Promise<void>;
            let destroy: () => Promise<void>;
            if (viaCli) {
                const dir = tempDir("pulumi-k8s");
                fs.symlinkSync(path.join(MAIN_DIR, "node_modules"), path.join(dir, "node_modules"));
                fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: istio-mesh-e2e-smoke\nruntime:\n  name: nodejs\n  options:\n    typescript: true\n");
                fs.writeFileSync(path.join(dir, "index.ts"), K8S_PROGRAM);
                fs.writeFileSync(
                    path.join(dir, "tsconfig.json"),
                    JSON.stringify({ compilerOptions: { strict: true, target: "es2022", module: "commonjs", skipLibCheck: true }, files: ["index.ts"] }),
                );
                const pulumi = path.join(binDir, "pulumi");
                await runCmd(pulumi, ["stack", "init", "smoke-k8s", "--non-interactive"], k8sEnv, dir);
                up = async () => void (await runCmd(pulumi, ["up", "--yes", "--skip-preview", "--non-interactive"], k8sEnv, dir));
                destroy = async () => void (await runCmd(pulumi, ["destroy", "--yes", "--skip-preview", "--non-interactive"], k8sEnv, dir));
            } else {
                const auto = await import("@pulumi/pulumi/automation");
                Object.assign(process.env, k8sEnv);
                const program = async () => {
                    // same resources as K8S_PROGRAM
                    const m = { exports: {} as Record<string, unknown> };
                    const fn = new Function("require", "module", "exports", "process", require("typescript").transpile(K8S_PROGRAM));
                    fn(require, m, m.exports, process);
                    return m.exports;
                };
                const stack = await auto.LocalWorkspace.createOrSelectStack(
                    { stackName: "smoke-k8s", projectName: "istio-mesh-e2e-smoke", program },
                    { workDir, envVars: k8sEnv },
                );
                up = async () => void (await stack.up({ onOutput: (o) => process.stderr.write(o) }));
                destroy = async () => void (await stack.destroy({ onOutput: (o) => process.stderr.write(o) }));
            }
            let t = Date.now();
            await up();
            say(`  up (${viaCli ? "CLI" : "inline"}) ${Date.now() - t} ms`);
            t = Date.now();
            await checkIstiod(c, true);
            if (!(await exists(c, "service", "smoke", "istio-system"))) throw new Error("service smoke missing");
            say(`  checks ${Date.now() - t} ms`);
            t = Date.now();
            await destroy();
            say(`  destroy ${Date.now() - t} ms`);
            await checkIstiod(c, false);
            await eventually("namespace istio-system deleted", async () => !(await exists(c, "namespace", "istio-system")));
        });
    } finally {
        if (repo) await repo.stop();
        if (cluster) await step("cluster-stop", () => cluster!.stop());
        cleanupDirs();
        results.push({ step: "total", ms: Date.now() - t0, status: "ok" });
        console.log("\nstep            status    ms");
        for (const r of results) {
            console.log(`${r.step.padEnd(15)} ${r.status.padEnd(8)} ${String(r.ms).padStart(7)}${r.note ? `  ${r.note}` : ""}`);
        }
        const failed = results.filter((r) => r.status === "failed").length;
        const passed = results.filter((r) => r.status === "ok" && r.step !== "total").length;
        const skipped = results.filter((r) => r.status === "skipped").length;
        console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
        process.exitCode = failed ? 1 : 0;
    }
}

if (require.main === module) {
    void main();
}
