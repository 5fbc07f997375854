/**
 * `npm run probe -- --since <time>`: the availability probe's report for a window, read from
 * the probe pods' log with kubectl and the stack's own kubeconfig and context (from the stack
 * file, as the program uses them), never the shell's defaults unless the stack names none.
 *
 *   --since <RFC3339 | 15m | 2h>   window start (required)
 *   --until <RFC3339>              window end (default: now)
 *   --stack-file <file>            stack file naming the probe and the cluster (default Pulumi.dev.yaml)
 *   --namespace / --context / --kubeconfig   override what the stack file says
 *   --save <file.jsonl>            merge the records into this file and report from all of it:
 *                                  history that outlives a replaced probe pod
 *   --watch <seconds>              keep reading (and saving) every N seconds until Ctrl-C, then report
 *   --log <file>                   read a saved `kubectl logs --prefix --timestamps` output instead
 *   --json                         the report as JSON
 */
import * as fs from "fs";
import { parseStackConfig } from "../components/config/stackConfig";
import { kubectlSync } from "../components/kubectl/sync";
import { PROBE_CONTAINER, PROBE_SELECTOR } from "../components/probe/manifest";
import { formatReport, parseLog, probeReport, ProbeRecord } from "../components/probe/report";
import { readStackYaml } from "../components/config/stackYaml";
import { kubeconfigFileProblem } from "../components/kubectl/sync";
import { bool, parseCommandLine, str } from "./cli";

export interface ProbeArgs {
    since: number;
    until?: number;
    stackFile: string;
    namespace?: string;
    context?: string;
    kubeconfig?: string;
    save?: string;
    watch?: number;
    log?: string;
    json: boolean;
}

const USAGE = `usage: npm run --silent probe -- --since <RFC3339 | 15m | 2h> [--until <RFC3339 | 15m>] [--stack-file FILE]
                 [--namespace NS] [--context C] [--kubeconfig F] [--save FILE.jsonl] [--watch SECONDS] [--log FILE] [--json]
  --since        window start: an RFC3339 time (2026-11-24T10:00:00Z) or a duration back from now (required)
  --until        window end (default: now); after --since, not in the future
  --stack-file   the stack file naming the probe and the cluster (default Pulumi.dev.yaml)
  --namespace, --context, --kubeconfig   override what the stack file says
  --save         merge the records into this file and report from all of it
  --watch        keep reading (and saving) every N seconds until Ctrl-C, then report
  --log          read a saved \`kubectl logs --prefix --timestamps\` output instead of the cluster
  --json         the report as JSON`;

const RFC3339 = /^(\d{4})-(\d\d)-(\d\d)[Tt ](\d\d):(\d\d):(\d\d)(\.\d+)?([Zz]|[+-]\d\d:\d\d)$/;

/** `--since`/`--until`: an RFC3339 time that exists (no Feb 30, no hour 25), or a duration back from NOW (`90s`, `15m`, `2h`). */
export function parseSince(text: string, now: number, flag = "--since"): number {
    const rel = /^(\d+)(s|m|h)$/.exec(text);
    if (rel !== null) {
        return now - Number(rel[1]) * { s: 1000, m: 60_000, h: 3_600_000 }[rel[2] as "s" | "m" | "h"];
    }
    const m = RFC3339.exec(text);
    const hint = "give an RFC3339 time (2026-11-24T10:00:00Z) or a duration back from now (15m, 2h)";
    if (m === null) throw new Error(`${flag} ${JSON.stringify(text)}: ${hint}`);
    const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
    const days = new Date(Date.UTC(year, month, 0)).getUTCDate(); // days in that month
    if (month < 1 || month > 12 || day < 1 || day > days || hour > 23 || minute > 59 || second > 59) {
        throw new Error(`${flag} ${JSON.stringify(text)}: no such time (${month < 1 || month > 12 ? `month ${month}` : day < 1 || day > days ? `${year}-${String(month).padStart(2, "0")} has ${days} days` : "hours 00-23, minutes and seconds 00-59"}); ${hint}`);
    }
    return Date.parse(text.replace(" ", "T"));
}

/** The probe command's options, or the usage error thrown (help: the usage itself). */
export function parseArgs(argv: readonly string[], now: number): ProbeArgs | "help" {
    const value = { type: "string" } as const;
    const p = parseCommandLine(argv, { since: value, until: value, "stack-file": value, namespace: value, context: value, kubeconfig: value, save: value, watch: value, log: value, json: { type: "boolean" } });
    if (typeof p === "string") throw new Error(`${p}\n${USAGE}`);
    if (p.help) return "help";
    const since = str(p, "since");
    if (since === undefined) {
        throw new Error("--since is required: the start of the window to report on (e.g. --since 2026-11-24T10:00:00Z or --since 30m)");
    }
    const watch = str(p, "watch");
    if (watch !== undefined && !(/^\d+$/.test(watch) && Number(watch) >= 1)) {
        throw new Error("--watch takes a whole number of seconds >= 1");
    }
    const start = parseSince(since, now);
    const untilText = str(p, "until");
    const until = untilText === undefined ? undefined : parseSince(untilText, now, "--until");
    if (start > now) throw new Error(`--since ${since} is in the future (now is ${new Date(now).toISOString()}); the window must have started`);
    if (until !== undefined && until > now) throw new Error(`--until ${untilText} is in the future (now is ${new Date(now).toISOString()}); leave it out to report up to now`);
    if (until !== undefined && until <= start) throw new Error(`--until ${untilText} is not after --since ${since}; the window would be empty`);
    return {
        since: start,
        until,
        stackFile: str(p, "stack-file") ?? "Pulumi.dev.yaml",
        namespace: str(p, "namespace"),
        context: str(p, "context"),
        kubeconfig: str(p, "kubeconfig"),
        save: str(p, "save"),
        watch: watch === undefined ? undefined : Number(watch),
        log: str(p, "log"),
        json: bool(p, "json"),
    };
}

/** Where the probe runs and how to reach the cluster: the stack file, then the overrides. */
export function probeTarget(args: ProbeArgs, stackConfig: Record<string, unknown> | undefined): { namespace: string; context?: string; kubeconfig?: string } {
    let namespace = args.namespace;
    let context = args.context;
    let kubeconfig = args.kubeconfig;
    if (stackConfig !== undefined) {
        const config = parseStackConfig(stackConfig);
        namespace ??= config.probe?.namespace;
        if (config.cluster.kind === "existing") {
            context ??= config.cluster.context;
            kubeconfig ??= config.cluster.kubeconfig;
        } else if (kubeconfig === undefined) {
            throw new Error(`the stack creates its cluster (${config.cluster.kind}); pass --kubeconfig with its kubeconfig (pulumi stack output kubeconfig --show-secrets > kubeconfig)`);
        }
    }
    if (namespace === undefined) {
        throw new Error(`no probe: ${args.stackFile} ${stackConfig === undefined ? "does not exist" : "has no mesh.probe"}; pass --namespace or --stack-file of a stack with a probe`);
    }
    if (kubeconfig === "[secret]") {
        throw new Error(`the stack's kubeconfig is a Pulumi secret this command cannot decrypt; pass --kubeconfig <file> (and --context)`);
    }
    return { namespace, context, kubeconfig };
}

/** kubectl's arguments (after --kubeconfig/--context) for every probe pod's lines since SINCE. */
export function logsArgs(namespace: string, since: number): string[] {
    const selector = Object.entries(PROBE_SELECTOR).map(([k, v]) => `${k}=${v}`).join(",");
    // --tail=-1: with a selector kubectl shows only the last 10 lines per pod unless told otherwise.
    return ["logs", "-n", namespace, "-l", selector, "-c", PROBE_CONTAINER, "--prefix", "--timestamps", `--since-time=${new Date(since).toISOString()}`, "--tail=-1", "--max-log-requests=20"];
}

function readLogs(target: { namespace: string; context?: string; kubeconfig?: string }, since: number): string {
    const r = kubectlSync(target, logsArgs(target.namespace, since), { timeoutMs: 120_000 });
    if (r.status !== 0) {
        throw new Error(`kubectl logs failed (${r.status ?? r.error?.message}): ${(r.stderr ?? "").trim()}`);
    }
    return r.stdout;
}

const recordKey = (r: ProbeRecord) => `${r.pod}|${r.at}|${r.code}|${r.seconds}|${r.exit}`;

/** RECORDS merged into the saved ones (JSON lines), without duplicates; returns all of them. */
export function mergeRecords(saved: readonly ProbeRecord[], records: readonly ProbeRecord[]): ProbeRecord[] {
    const all = new Map(saved.map((r) => [recordKey(r), r]));
    for (const r of records) {
        all.set(recordKey(r), r);
    }
    return [...all.values()].sort((a, b) => a.at - b.at);
}

function readSaved(file: string): ProbeRecord[] {
    return fs.existsSync(file)
        ? fs.readFileSync(file, "utf8").split("\n").filter((l) => l.trim() !== "").map((l) => JSON.parse(l) as ProbeRecord)
        : [];
}

async function main(argv: string[]): Promise<void> {
    const parsed = parseArgs(argv, Date.now());
    if (parsed === "help") {
        console.log(USAGE);
        return;
    }
    const args = parsed;
    if (args.kubeconfig !== undefined && kubeconfigFileProblem(args.kubeconfig) !== undefined) throw new Error(kubeconfigFileProblem(args.kubeconfig)!);
    const fetch = (): ProbeRecord[] => {
        if (args.log !== undefined) {
            return parseLog(fs.readFileSync(args.log, "utf8")).records;
        }
        const read = fs.existsSync(args.stackFile) ? readStackYaml(fs.readFileSync(args.stackFile, "utf8")) : undefined;
        if (read !== undefined && "problem" in read) throw new Error(`${args.stackFile}: ${read.problem.message}`);
        const stack = read === undefined ? undefined : ((read.value as { config?: unknown } | null)?.config as Record<string, unknown> | undefined);
        return parseLog(readLogs(probeTarget(args, stack), args.since)).records;
    };
    let records: ProbeRecord[] = [];
    const collect = () => {
        records = mergeRecords(args.save === undefined ? records : readSaved(args.save), fetch());
        if (args.save !== undefined) {
            fs.writeFileSync(args.save, records.map((r) => JSON.stringify(r)).join("\n") + "\n");
        }
    };
    const print = () => {
        const report = probeReport(records, args.since, args.until ?? Date.now());
        console.log(args.json ? JSON.stringify(report, null, 2) : formatReport(report));
    };
    collect();
    if (args.watch === undefined) {
        print();
        return;
    }
    await new Promise<void>((resolve) => {
        const timer = setInterval(() => {
            collect();
            const r = probeReport(records, args.since, Date.now());
            console.error(`${new Date().toISOString()} requests ${r.requests}, failed ${r.requests - r.ok}, longest gap ${r.longestGapWithout2xx.seconds.toFixed(1)} s`);
        }, args.watch! * 1000);
        process.once("SIGINT", () => {
            clearInterval(timer);
            resolve();
        });
    });
    print();
}

if (require.main === module) {
    main(process.argv.slice(2)).catch((e: Error) => {
        console.error(`probe: ${e.message}`);
        process.exit(1);
    });
}
