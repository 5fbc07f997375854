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
    const out: Partial<AdoptArgs> & { namespace: string; dir: string; acceptChanges: boolean; json: boolean } = { namespace: DEFAULTS.namespace, dir: ".", acceptChanges: false, json: false };
    const valued: Record<string, keyof AdoptArgs> = { "--stack": "stack", "--context": "context", "--kubeconfig": "kubeconfig", "--namespace": "namespace", "--dir": "dir", "--chart-repository": "chartRepository" };
    for (let i = 0; i < argv.length; i++) {
        const eq = argv[i].indexOf("=");
        const [flag, inline] = argv[i].startsWith("--") && eq > 0 ? [argv[i].slice(0, eq), argv[i].slice(eq + 1)] : [argv[i], undefined];
        if (Object.hasOwn(valued, flag)) {
            const value = inline ?? argv[++i];
            if (value === undefined || value === "" || (inline === undefined && value.startsWith("--"))) {
                return `${flag} needs a value`;
            }
            (out as Record<string, unknown>)[valued[flag]] = value;
        } else if (flag === "--accept-changes") {
            out.acceptChanges = true;
        } else if (flag === "--json") {
            out.json = true;
        } else {
            return `unknown argument ${argv[i]}`;
        }
    }
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
    return out as AdoptArgs;
}

export interface AdoptDeps {
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
    const verdict = verdictOf(findings, args.acceptChanges);
    const ctx = { stack: args.stack, context: args.context ?? "", namespace: args.namespace, readAt: deps.now().toISOString() };
    if (args.json) {
        deps.print(JSON.stringify({ verdict: verdict.code === 0 ? "written" : "not-written", message: verdict.text, findings, imports: adoption.imports, mesh: adoption.mesh }, null, 2));
    } else {
        deps.print(renderReport(findings, adoption.imports, adoption.labelled, ctx, verdict.text));
    }
    if (verdict.code !== 0 || adoption.mesh === undefined) {
        return 1;
    }
    deps.write(stackFile, renderStackFile(stackConfigOf(adoption, cluster), findings, adoption.imports, ctx));
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
        run: cliRunner(access),
        exists: (f) => fs.existsSync(f),
        write: (f, text) => fs.writeFileSync(f, text, { flag: "wx" }),
        print: (text) => process.stdout.write(`${text}\n`),
        now: () => new Date(),
    });
}
