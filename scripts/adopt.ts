/**
 * Bring a running, Helm-installed mesh under a new stack:
 *   npm run --silent adopt -- --stack NAME [--context C] [--kubeconfig F] [--namespace istio-system] [--dir .] [--accept-changes] [--json]
 * Reads the cluster with `helm list`, `helm get values` and `kubectl get` only (never writes to
 * it), then writes Pulumi.<stack>.yaml (config describing what runs, with `mesh.adopt` listing the
 * objects the first `pulumi up` imports) and adopt-<stack>.md (the report). Exit 0 = written,
 * 1 = blocked or the first up would change something (nothing written; see the report),
 * 2 = bad arguments or the cluster could not be read.
 */
import * as child_process from "child_process";
import * as fs from "fs";
import * as path from "path";
import { accessFlags, ClusterAccess, collectLive, Runner } from "../components/adopt/collect";
import { adoptMesh } from "../components/adopt/mapping";
import { renderReport, renderStackFile, verdictOf } from "../components/adopt/report";
import { stackConfigOf, verifyAdoption } from "../components/adopt/verify";
import { DEFAULTS } from "../components/config/defaults";
import { bool, parseCommandLine, str } from "./cli";
import { dnsLabelProblem } from "../components/versions/version";

const USAGE = [
    "usage: npm run --silent adopt -- --stack NAME [--context C] [--kubeconfig F] [--namespace NS] [--chart-repository URL] [--dir DIR] [--accept-changes] [--json]",
    "  --stack NAME       the new stack (writes DIR/Pulumi.NAME.yaml and DIR/adopt-NAME.md)",
    "  --context C        kube context to read (default: the kubeconfig's current one); written to the stack",
    "  --kubeconfig F     kubeconfig path (default: $KUBECONFIG / ~/.kube/config); written to the stack",
    "  --namespace NS     control-plane namespace (default istio-system)",
    "  --chart-repository URL  where the stack fetches Istio charts (Helm does not record where a release's chart came from; default: Istio's repository)",
    "  --dir DIR          where to write (default: the current directory)",
    "  --accept-changes   write the stack even though its first up would change what the report lists",
    "  --json             print the report as JSON",
    "exit codes: 0 written, 1 blocked or changes not accepted (nothing written), 2 bad arguments or cluster unreadable",
].join("\n");

export interface AdoptArgs {
    stack: string;
    context?: string;
    kubeconfig?: string;
    chartRepository?: string;
    namespace: string;
    dir: string;
    acceptChanges: boolean;
    json: boolean;
}

export function parseAdoptArgs(argv: readonly string[]): AdoptArgs | string {
    const value = { type: "string" } as const;
    const p = parseCommandLine(argv, { stack: value, context: value, kubeconfig: value, namespace: value, dir: value, "chart-repository": value, "accept-changes": { type: "boolean" }, json: { type: "boolean" } });
    if (typeof p === "string") return p;
    const out = {
        stack: str(p, "stack"),
        context: str(p, "context"),
        kubeconfig: str(p, "kubeconfig"),
        namespace: str(p, "namespace") ?? DEFAULTS.namespace,
        dir: str(p, "dir") ?? ".",
        chartRepository: str(p, "chart-repository"),
        acceptChanges: bool(p, "accept-changes"),
        json: bool(p, "json"),
    };
    if (out.stack === undefined) {
        return "--stack is required";
    }
    if (!/^[A-Za-z0-9_.-]+$/.test(out.stack)) {
        return `--stack ${out.stack}: a stack name is letters, digits, -, _ and .`;
    }
    const nsProblem = dnsLabelProblem(out.namespace);
    if (nsProblem !== undefined) {
        return `--namespace: ${nsProblem}`;
    }
    return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined)) as unknown as AdoptArgs;
}

/** How the prerequisites are looked at (the real tools in main, recorded answers in tests). */
export interface PrerequisiteProbe {
    run(tool: string, args: readonly string[]): { ok: boolean; out: string };
    exists(file: string): boolean;
    writableDir(dir: string): boolean;
}

/** What adopt needs before it reads anything: helm 3 and kubectl on PATH, the kubeconfig and context, the output directory. */
export function adoptPrerequisites(args: AdoptArgs, probe: PrerequisiteProbe): string[] {
    const problems: string[] = [];
    const helm = probe.run("helm", ["version", "--short"]);
    if (!helm.ok) problems.push("helm is not on PATH: adopt reads the mesh's Helm releases with helm 3 (install it: https://helm.sh/docs/intro/install/)");
    else if (!/^v?3\./.test(helm.out.trim())) problems.push(`helm ${helm.out.trim()} is not helm 3: adopt needs helm 3 (https://helm.sh/docs/intro/install/)`);
    const kubectl = probe.run("kubectl", ["version", "--client"]);
    if (!kubectl.ok) problems.push("kubectl is not on PATH: adopt reads the cluster with kubectl (install it: https://kubernetes.io/docs/tasks/tools/)");
    const kubeconfigOk = args.kubeconfig === undefined || probe.exists(args.kubeconfig);
    if (!kubeconfigOk) problems.push(`--kubeconfig ${args.kubeconfig}: no such file`);
    if (kubectl.ok && kubeconfigOk && args.context !== undefined) {
        const contexts = probe.run("kubectl", ["config", "get-contexts", "-o", "name", ...(args.kubeconfig === undefined ? [] : ["--kubeconfig", args.kubeconfig])]);
        const names = contexts.out.split("\n").map((l) => l.trim()).filter((l) => l !== "");
        if (contexts.ok && !names.includes(args.context)) {
            problems.push(`--context ${args.context}: no such context in ${args.kubeconfig ?? "the kubeconfig"} (${names.length === 0 ? "it has none" : `its contexts: ${names.join(", ")}`})`);
        }
    }
    if (!probe.writableDir(args.dir)) problems.push(`--dir ${args.dir}: not a directory adopt can write to; create it or pick another`);
    return problems;
}

export interface AdoptDeps {
    /** Checks what adopt needs first (main: the real tools); omitted: nothing is checked. */
    prerequisites?: (args: AdoptArgs) => string[];
    run: Runner;
    exists: (file: string) => boolean;
    write: (file: string, text: string) => void;
    print: (text: string) => void;
    now: () => Date;
}

/** The command, with its effects injected (tests replay recorded cluster output). Returns the exit code. */
export function adoptCommand(argv: readonly string[], deps: AdoptDeps): number {
    const args = parseAdoptArgs(argv);
    if (typeof args === "string") {
        deps.print(`${args}\n${USAGE}`);
        return 2;
    }
    const missing = deps.prerequisites?.(args) ?? [];
    if (missing.length > 0) {
        deps.print(`adopt cannot start:\n${missing.map((m) => `  - ${m}`).join("\n")}`);
        return 2;
    }
    const stackFile = path.join(args.dir, `Pulumi.${args.stack}.yaml`);
    const reportFile = path.join(args.dir, `adopt-${args.stack}.md`);
    if (deps.exists(stackFile)) {
        deps.print(`${stackFile} exists: adoption starts a new stack; pick another --stack or move the file away`);
        return 2;
    }
    let live;
    try {
        live = collectLive(deps.run, args.namespace);
    } catch (e) {
        deps.print(`could not read the cluster: ${(e as Error).message}`);
        return 2;
    }
    const mapped = adoptMesh(live);
    // Helm keeps the chart, not the repository it came from: the stack's is the user's to name.
    const adoption = mapped.mesh === undefined || args.chartRepository === undefined ? mapped : { ...mapped, mesh: { chartRepository: args.chartRepository, ...mapped.mesh } };
    const cluster = { context: args.context, kubeconfig: args.kubeconfig };
    const findings = [...adoption.findings, ...verifyAdoption(live, adoption).findings];
    if (args.chartRepository === undefined && adoption.mesh !== undefined) {
        findings.push({ kind: "note", subject: "chart repository", message: `Helm does not record where a release's chart came from: the stack fetches charts from ${DEFAULTS.chartRepository} (set mesh.chartRepository, or pass --chart-repository, for a mirror)` });
    }
    const ctx = { stack: args.stack, context: args.context ?? "", namespace: args.namespace, readAt: deps.now().toISOString() };
    // Rendered before the verdict: a file that would not read back as its config blocks adoption.
    let stackText: string | undefined;
    if (adoption.mesh !== undefined) {
        try {
            stackText = renderStackFile(stackConfigOf(adoption, cluster), findings, adoption.imports, ctx);
        } catch (e) {
            findings.push({ kind: "blocker", subject: `stack file ${stackFile}`, message: `cannot be written so that Pulumi reads back what runs: ${(e as Error).message}`, fix: "change that value in the cluster (or report this as a bug of `npm run adopt`, with the adopt report), then run adopt again" });
        }
    }
    const verdict = verdictOf(findings, args.acceptChanges);
    if (args.json) {
        deps.print(JSON.stringify({ verdict: verdict.code === 0 ? "written" : "not-written", message: verdict.text, findings, imports: adoption.imports, mesh: adoption.mesh }, null, 2));
    } else {
        deps.print(renderReport(findings, adoption.imports, adoption.labelled, ctx, verdict.text));
    }
    if (verdict.code !== 0 || stackText === undefined) {
        return 1;
    }
    deps.write(stackFile, stackText);
    deps.write(reportFile, renderReport(findings, adoption.imports, adoption.labelled, ctx, verdict.text));
    if (!args.json) {
        deps.print(`wrote ${stackFile} and ${reportFile}`);
    }
    return 0;
}

/** Runs kubectl/helm against the cluster the arguments name; a failure carries stderr. */
export function cliRunner(access: ClusterAccess): Runner {
    return (tool, args) => {
        const r = child_process.spawnSync(tool, [...args, ...accessFlags(tool, access)], { encoding: "utf8", maxBuffer: 512 << 20 });
        if (r.error !== undefined) {
            throw new Error(`${tool}: ${r.error.message}`);
        }
        if (r.status !== 0) {
            throw new Error(`${tool} ${args.join(" ")}: ${(r.stderr ?? "").trim()}`);
        }
        return r.stdout;
    };
}

if (require.main === module) {
    const argv = process.argv.slice(2);
    if (argv.includes("--help") || argv.includes("-h")) {
        process.stdout.write(`${USAGE}\n`);
        process.exit(0);
    }
    const parsed = parseAdoptArgs(argv);
    const access = typeof parsed === "string" ? {} : { context: parsed.context, kubeconfig: parsed.kubeconfig };
    process.exitCode = adoptCommand(argv, {
        prerequisites: (args) =>
            adoptPrerequisites(args, {
                run: (tool, a) => {
                    const r = child_process.spawnSync(tool, [...a], { encoding: "utf8", timeout: 30_000 });
                    return { ok: r.error === undefined && r.status === 0, out: r.stdout ?? "" };
                },
                exists: (f) => fs.existsSync(f),
                writableDir: (d) => {
                    try {
                        fs.accessSync(d, fs.constants.W_OK);
                        return fs.statSync(d).isDirectory();
                    } catch {
                        return false;
                    }
                },
            }),
        run: cliRunner(access),
        exists: (f) => fs.existsSync(f),
        write: (f, text) => fs.writeFileSync(f, text, { flag: "wx" }),
        print: (text) => process.stdout.write(`${text}\n`),
        now: () => new Date(),
    });
}
