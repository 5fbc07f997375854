/**
 * Renders every Helm release the program would install, with the values it would pass, through
 * the REAL Istio chart of that release's version (`helm template`, which also validates the
 * values against a chart's values.schema.json, e.g. the gateway chart's). The unit tests check the
 * values against the charts' recorded defaults (tests/fixtures/istio); only the charts' templates
 * show whether a value is one a template can render. Needs a clone of istio/istio with its
 * release tags (the charts are read with `git archive <tag> manifests/charts/...`) and `helm`;
 * neither is a dependency of the project, so this is a maintainer's check (README, "Testing"),
 * run when a version is added or a values function changes.
 *
 *   npx ts-node --transpile-only scripts/render-check.ts --istio-repo ~/src/istio [--matrix] [stacks/…yaml …]
 *
 * Exit 0 when every release of every file renders; 1 with each failure (file, release, chart,
 * version, helm's message).
 */
import * as child_process from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseAllDocuments } from "yaml";
import { readStackYaml } from "../components/config/stackYaml";
import { runProgram } from "../components/plan/mockRun";
import { parseCommandLine, str } from "./cli";

const USAGE = "usage: npx ts-node --transpile-only scripts/render-check.ts --istio-repo DIR [--helm PATH] [--kube-version 1.34] [--matrix] [STACK_FILE ...] (default: every stacks/**/*.yaml; --matrix adds every supported version with every chart-reaching option)";

/** The chart directory of istio/istio for each chart name the program installs. */
const CHART_DIRS: Readonly<Record<string, string>> = {
    base: "manifests/charts/base",
    istiod: "manifests/charts/istio-control/istio-discovery",
    gateway: "manifests/charts/gateway",
    cni: "manifests/charts/istio-cni",
    ztunnel: "manifests/charts/ztunnel",
};

export interface Release {
    readonly file: string;
    readonly resource: string;
    readonly chart: string;
    readonly version: string;
    readonly name: string;
    readonly namespace: string;
    readonly values: unknown;
}

/**
 * `--matrix`: per supported version (each minor's newest recorded patch, plus the patches where
 * values change: 1.28.5/1.28.6, 1.29.1/1.29.2, 1.30.0), a sidecar mesh with every option that
 * reaches a chart (HA control plane, CNI, hub, gateways in place, egress, canary with one PDB,
 * host network; gateways from 1.25.5) and, from 1.24, an ambient mesh (CNI, ztunnel, waypoint).
 */
export const MATRIX_VERSIONS = ["1.22.8", "1.23.6", "1.24.6", "1.25.5", "1.26.8", "1.27.9", "1.28.5", "1.28.6", "1.28.10", "1.29.1", "1.29.2", "1.29.6", "1.30.0", "1.30.3"];

export function matrixConfigs(): { label: string; config: Record<string, unknown> }[] {
    const atLeast = (v: string, min: number[]) => {
        const p = v.split(".").map(Number);
        for (let i = 0; i < 3; i++) if (p[i] !== min[i]) return p[i] > min[i];
        return true;
    };
    return MATRIX_VERSIONS.flatMap((version) => {
        const rev = version.replace(/\./g, "-");
        const common = { revisions: [{ version }], tags: { "prod-stable": rev }, defaultRevision: "prod-stable" };
        const gateways = {
            "istio-ingressgateway": {
                revision: "prod-stable", replicas: 3, autoscaling: { enabled: true, minReplicas: 3, maxReplicas: 6 },
                service: { type: "LoadBalancer", annotations: { "service.beta.kubernetes.io/azure-load-balancer-internal": "true" }, externalTrafficPolicy: "Local" },
                resources: { requests: { cpu: "100m" } }, podDisruptionBudget: { minAvailable: 1 }, strategy: { maxUnavailable: 1, maxSurge: 1 },
                tolerations: [{ key: "edge", operator: "Exists", effect: "NoSchedule" }],
            },
            egress: { kind: "egress", namespace: "istio-egress", revision: "prod-stable" },
            edge: { namespace: "istio-edge", canary: { "prod-stable": { replicas: 2 } }, podDisruptionBudget: { maxUnavailable: 1 }, service: { type: "ClusterIP" } },
            host: { namespace: "istio-host", revision: "prod-stable", replicas: 1, hostNetwork: true, netBindService: true, nodeSelector: { "kubernetes.io/hostname": "edge-1" } },
        };
        const sidecar = {
            ...common, hub: "registry.example.com/istio", mtls: "STRICT",
            cni: { enabled: true, excludeNamespaces: ["kube-system", "istio-system"], logLevel: "debug" },
            controlPlane: { replicas: 3, autoscaling: { enabled: true, minReplicas: 3, maxReplicas: 7 }, resources: { requests: { cpu: "500m", memory: "1Gi" } }, pdb: { minAvailable: 2 }, meshConfig: { accessLogFile: "/dev/stdout" } },
            namespaces: { bookinfo: "prod-stable" },
            ...(atLeast(version, [1, 25, 5]) ? { gateways } : {}),
        };
        const ambient = {
            ...common, cni: { enabled: true }, dataplane: "ambient", gatewayApi: { version: "v1.5.1" },
            ztunnel: { revision: rev, logLevel: "debug", terminationGracePeriodSeconds: 45 },
            namespaces: { bookinfo: { revision: "prod-stable", waypoint: {} }, payments: { revision: "prod-stable", dataplane: "sidecar" } },
        };
        const cluster = { kind: "existing" };
        return [
            { label: `matrix sidecar ${version}`, config: { "istio-mesh:cluster": cluster, "istio-mesh:mesh": sidecar } },
            ...(atLeast(version, [1, 24, 0]) ? [{ label: `matrix ambient ${version}`, config: { "istio-mesh:cluster": cluster, "istio-mesh:mesh": ambient } }] : []),
        ];
    });
}

/** Every Helm release the program registers for the stack file at `file` (a first install of it). */
export async function releasesOf(file: string): Promise<Release[]> {
    const read = readStackYaml(fs.readFileSync(file, "utf8"));
    if ("problem" in read) throw new Error(`${file}: ${read.problem.message}`);
    const config = (read.value as { config?: Record<string, unknown> }).config ?? {};
    return releasesOfConfig(file, config);
}

/** Every Helm release the program registers for `config` (a first install of it); `file` labels them. */
export async function releasesOfConfig(file: string, config: Record<string, unknown>): Promise<Release[]> {
    const run = await runProgram(config, null, { stack: path.basename(file, ".yaml").replace(/^Pulumi\./, "").replace(/\W+/g, "-") });
    return run.resources
        .filter((r) => r.type === "kubernetes:helm.sh/v3:Release")
        .map((r) => ({
            file,
            resource: r.name,
            chart: String(r.inputs.chart),
            version: String(r.inputs.version),
            name: String(r.inputs.name ?? r.name),
            namespace: String(r.inputs.namespace ?? "default"),
            values: r.inputs.values ?? {},
        }));
}

type Obj = { kind?: string; metadata?: { name?: string; labels?: Record<string, string> }; spec?: any; data?: Record<string, string> };

const get = (o: unknown, ...keys: string[]): unknown => keys.reduce<unknown>((v, k) => (v !== null && typeof v === "object" ? (v as Record<string, unknown>)[k] : undefined), o);
const containers = (o: Obj): { name?: string; image?: string; env?: { name: string; value?: string }[] }[] => [...(o.spec?.template?.spec?.containers ?? []), ...(o.spec?.template?.spec?.initContainers ?? [])];
const envOf = (o: Obj, name: string): string | undefined => containers(o).flatMap((c) => c.env ?? []).find((e) => e.name === name)?.value;

/**
 * What the rendered objects must say for the program's intent to hold, beyond "it renders":
 * revision labels and names, the ambient switches in istiod, istio-cni and ztunnel, ztunnel's
 * control-plane address, the hub of every image the chart sets. Each problem as a sentence.
 */
export function expectations(r: Release, objects: readonly Obj[]): string[] {
    const problems: string[] = [];
    const revision = get(r.values, "revision") as string | undefined;
    const hub = get(r.values, "global", "hub") as string | undefined;
    const ambient = get(r.values, "profile") === "ambient";
    const of = (kind: string) => objects.filter((o) => o.kind === kind);
    const expect = (ok: boolean, what: string) => {
        if (!ok) problems.push(what);
    };
    if (hub !== undefined && r.chart !== "gateway") {
        // The gateway chart's image is "auto" (the injector fills it), so it names no hub.
        for (const o of [...of("Deployment"), ...of("DaemonSet")]) {
            for (const c of containers(o)) expect(c.image === undefined || c.image === "auto" || c.image.startsWith(`${hub}/`), `${o.kind} ${o.metadata?.name} container ${c.name}: image ${c.image} is not from hub ${hub}`);
        }
    }
    if (r.chart === "istiod") {
        const name = revision ? `istiod-${revision}` : "istiod";
        const deployment = of("Deployment").find((o) => o.metadata?.name === name);
        expect(deployment !== undefined, `no Deployment ${name}`);
        if (revision) {
            expect(of("MutatingWebhookConfiguration").some((o) => o.metadata?.name === `istio-sidecar-injector-${revision}`), `no MutatingWebhookConfiguration istio-sidecar-injector-${revision}`);
            for (const o of objects.filter((x) => x.metadata?.labels?.["istio.io/rev"] !== undefined)) {
                expect(o.metadata?.labels?.["istio.io/rev"] === revision, `${o.kind} ${o.metadata?.name}: istio.io/rev ${o.metadata?.labels?.["istio.io/rev"]}, not ${revision}`);
            }
        }
        if (deployment && ambient) expect(envOf(deployment, "PILOT_ENABLE_AMBIENT") === "true", `Deployment ${name}: PILOT_ENABLE_AMBIENT is not "true" with profile ambient`);
    }
    if (r.chart === "cni") {
        expect(of("DaemonSet").length === 1, `${of("DaemonSet").length} DaemonSets, not 1`);
        const config = of("ConfigMap").find((o) => o.data?.AMBIENT_ENABLED !== undefined);
        if (ambient) expect(config?.data?.AMBIENT_ENABLED === "true", `ConfigMap ${config?.metadata?.name ?? "istio-cni-config"}: AMBIENT_ENABLED is not "true" with profile ambient`);
    }
    if (r.chart === "ztunnel") {
        const ds = of("DaemonSet")[0];
        expect(ds !== undefined, "no DaemonSet");
        if (ds && revision) {
            for (const e of ["CA_ADDRESS", "XDS_ADDRESS"]) {
                const v = envOf(ds, e);
                expect(v === undefined || v.startsWith(`istiod-${revision}.`), `DaemonSet ${ds.metadata?.name}: ${e} ${v} is not revision ${revision}'s istiod`);
            }
        }
    }
    if (r.chart === "gateway" && revision) {
        const d = of("Deployment")[0];
        expect(d !== undefined, "no Deployment");
        if (d) expect(d.spec?.template?.metadata?.labels?.["istio.io/rev"] === revision, `Deployment ${d.metadata?.name}: pod label istio.io/rev ${d.spec?.template?.metadata?.labels?.["istio.io/rev"]}, not ${revision}`);
    }
    return problems;
}

function stackFiles(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
        const p = path.join(dir, e.name);
        return e.isDirectory() ? stackFiles(p) : e.name.endsWith(".yaml") ? [p] : [];
    });
}

async function main(argv: string[]): Promise<number> {
    const parsed = parseCommandLine(argv, { "istio-repo": { type: "string" }, helm: { type: "string" }, "kube-version": { type: "string" }, matrix: { type: "boolean" } }, true);
    if (typeof parsed === "string") {
        console.error(`${parsed}\n${USAGE}`);
        return 2;
    }
    if (parsed.help) {
        console.log(USAGE);
        return 0;
    }
    const repo = str(parsed, "istio-repo");
    if (repo === undefined) {
        console.error(`--istio-repo is required\n${USAGE}`);
        return 2;
    }
    const helm = str(parsed, "helm") ?? "helm";
    const kubeVersion = str(parsed, "kube-version") ?? "1.34";
    const files = parsed.positionals.length > 0 ? parsed.positionals : stackFiles(path.join(__dirname, "..", "stacks")).sort();
    // A stack file may be one the program is meant to refuse (reported); a matrix entry never is (a failure).
    const sources: { label: string; mustRender: boolean; releases: () => Promise<Release[]> }[] = [
        ...files.map((file) => ({ label: path.relative(process.cwd(), file), mustRender: false, releases: () => releasesOf(file) })),
        ...(parsed.values.matrix === true ? matrixConfigs().map((m) => ({ label: m.label, mustRender: true, releases: () => releasesOfConfig(m.label, m.config) })) : []),
    ];
    const work = fs.mkdtempSync(path.join(os.tmpdir(), "istio-mesh-render-"));
    const charts = new Map<string, string>();
    const chartDir = (chart: string, version: string): string => {
        const key = `${version}/${chart}`;
        const known = charts.get(key);
        if (known !== undefined) return known;
        const sub = CHART_DIRS[chart];
        if (sub === undefined) throw new Error(`no istio/istio chart directory known for chart "${chart}"`);
        const out = path.join(work, version);
        fs.mkdirSync(out, { recursive: true });
        const archive = child_process.spawnSync("git", ["--git-dir", repo, "archive", version, sub], { maxBuffer: 1 << 28 });
        if (archive.status !== 0) throw new Error(`git archive ${version} ${sub}: ${archive.stderr.toString().trim()}`);
        const tar = child_process.spawnSync("tar", ["-x", "-C", out], { input: archive.stdout });
        if (tar.status !== 0) throw new Error(`tar: ${tar.stderr.toString().trim()}`);
        const dir = path.join(out, sub);
        charts.set(key, dir);
        return dir;
    };
    let failures = 0;
    let rendered = 0;
    try {
        for (const { label, mustRender, releases: read } of sources) {
            let releases: Release[];
            try {
                releases = await read();
            } catch (e) {
                if (mustRender) failures++;
                console.log(`${mustRender ? "FAIL" : "SKIP"} ${label}: the program refuses it: ${(e as Error).message.replace(/\s*\n\s*/g, " ")}`);
                continue;
            }
            for (const r of releases) {
                const values = path.join(work, `values-${rendered + failures}.json`);
                fs.writeFileSync(values, JSON.stringify(r.values));
                let result: child_process.SpawnSyncReturns<string>;
                try {
                    result = child_process.spawnSync(helm, ["template", r.name, chartDir(r.chart, r.version), "-n", r.namespace, "-f", values, "--kube-version", kubeVersion], { encoding: "utf8", maxBuffer: 1 << 28 });
                } catch (e) {
                    result = { status: 1, stderr: (e as Error).message, stdout: "" } as child_process.SpawnSyncReturns<string>;
                }
                const problems = result.status === 0 ? expectations(r, parseAllDocuments(result.stdout).map((d) => d.toJS() as Obj).filter((o) => o !== null)) : [];
                if (result.status === 0 && problems.length === 0) {
                    rendered++;
                    const kinds = (result.stdout.match(/^kind: \S+/gm) ?? []).length;
                    console.log(`ok   ${label}: ${r.resource} (${r.chart} ${r.version}): ${kinds} objects`);
                } else if (result.status === 0) {
                    failures++;
                    console.log(`FAIL ${label}: ${r.resource} (${r.chart} ${r.version}): renders, but ${problems.join("; ")}`);
                } else {
                    failures++;
                    console.log(`FAIL ${label}: ${r.resource} (${r.chart} ${r.version}): ${result.stderr.trim()}`);
                }
            }
        }
    } finally {
        fs.rmSync(work, { recursive: true, force: true });
    }
    console.log(`${rendered} releases rendered, ${failures} failed`);
    return failures === 0 ? 0 : 1;
}

if (require.main === module) {
    main(process.argv.slice(2)).then(
        (code) => process.exit(code),
        (e) => {
            console.error(e);
            process.exit(3);
        },
    );
}
