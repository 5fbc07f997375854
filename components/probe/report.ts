/**
 * The probe's verdict for a window, from its log lines (`kubectl logs --prefix --timestamps`):
 * requests, non-2xx by code, the longest stretch without a 2xx, latency percentiles, and which
 * pods' logs it saw. Time not covered by any record counts as time without a 2xx: a probe pod
 * replaced during the window takes its log with it, and that must never read as "no failures".
 * Pure.
 */
import { PROBE_MARK } from "./manifest";

export interface ProbeRecord {
    /** Pod (and container) the line came from, as kubectl's --prefix prints it. */
    readonly pod: string;
    /** When kubelet wrote the line (the end of the request), ms since the epoch. */
    readonly at: number;
    /** HTTP status as curl prints it; "000" = no HTTP response. */
    readonly code: string;
    /** Request duration. */
    readonly seconds: number;
    /** curl's exit code (0 = a response arrived). */
    readonly exit: number;
}

/** curl exit codes a probe sees, in words. */
const CURL_EXIT: ReadonlyMap<number, string> = new Map([
    [6, "host not resolved"],
    [7, "connection refused"],
    [28, "timed out"],
    [35, "TLS handshake failed"],
    [52, "empty reply"],
    [56, "connection reset"],
]);

const LINE = new RegExp(`^(?:\\[([^\\]]+)\\] )?(\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d)(\\.\\d+)?Z ${PROBE_MARK} (\\d{3}) ([0-9.]+) (\\d+)\\s*$`);

/** One log line as a record; undefined for any other line (kubectl warnings, shell noise). */
export function parseLine(line: string, pod = ""): ProbeRecord | undefined {
    const m = LINE.exec(line);
    if (m === null) {
        return undefined;
    }
    const ms = (m[3] ?? ".0").slice(1, 4).padEnd(3, "0");
    return { pod: m[1] ?? pod, at: Date.parse(`${m[2]}.${ms}Z`), code: m[4], seconds: Number(m[5]), exit: Number(m[6]) };
}

export function parseLog(text: string): { records: ProbeRecord[]; skipped: number } {
    const records: ProbeRecord[] = [];
    let skipped = 0;
    for (const line of text.split("\n")) {
        if (line.trim() === "") {
            continue;
        }
        const r = parseLine(line);
        if (r === undefined) {
            skipped++;
        } else {
            records.push(r);
        }
    }
    return { records, skipped };
}

export interface ProbeReport {
    readonly since: number;
    readonly until: number;
    readonly requests: number;
    readonly ok: number;
    /** Non-2xx responses and failed requests by code ("503", "000 timed out"). */
    readonly failedByCode: Readonly<Record<string, number>>;
    /** The longest stretch of the window without a 2xx (uncovered time included). */
    readonly longestGapWithout2xx: { readonly seconds: number; readonly from: number; readonly to: number };
    /** Of requests that got an HTTP response; undefined when none did. */
    readonly latencyMs?: { readonly p50: number; readonly p99: number; readonly max: number };
    /** Each pod's first and last record in the window. */
    readonly pods: readonly { readonly pod: string; readonly first: number; readonly last: number; readonly requests: number }[];
}

export const is2xx = (code: string) => code.length === 3 && code[0] === "2";

/** Nearest-rank percentile of ascending values (p in 0-100). */
export function percentile(sorted: readonly number[], p: number): number {
    if (sorted.length === 0) {
        throw new Error("internal: percentile of nothing");
    }
    const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
    return sorted[rank - 1];
}

function codeKey(r: ProbeRecord): string {
    return r.code === "000" ? `000 ${CURL_EXIT.get(r.exit) ?? `curl exit ${r.exit}`}` : r.code;
}

/** The report for records within [since, until] (ms since the epoch). */
export function probeReport(all: readonly ProbeRecord[], since: number, until: number): ProbeReport {
    const records = all.filter((r) => r.at >= since && r.at <= until).sort((a, b) => a.at - b.at);
    const failedByCode: Record<string, number> = {};
    for (const r of records) {
        if (!is2xx(r.code)) {
            const k = codeKey(r);
            failedByCode[k] = (failedByCode[k] ?? 0) + 1;
        }
    }
    const okTimes = records.filter((r) => is2xx(r.code)).map((r) => r.at);
    const marks = [since, ...okTimes, until];
    let gap = { seconds: 0, from: since, to: since };
    for (let i = 1; i < marks.length; i++) {
        const s = (marks[i] - marks[i - 1]) / 1000;
        if (s > gap.seconds) {
            gap = { seconds: s, from: marks[i - 1], to: marks[i] };
        }
    }
    const latencies = records.filter((r) => r.code !== "000").map((r) => r.seconds * 1000).sort((a, b) => a - b);
    const pods = new Map<string, { pod: string; first: number; last: number; requests: number }>();
    for (const r of records) {
        const p = pods.get(r.pod);
        if (p === undefined) {
            pods.set(r.pod, { pod: r.pod, first: r.at, last: r.at, requests: 1 });
        } else {
            p.last = r.at;
            p.requests++;
        }
    }
    return {
        since,
        until,
        requests: records.length,
        ok: okTimes.length,
        failedByCode,
        longestGapWithout2xx: gap,
        latencyMs: latencies.length === 0 ? undefined : { p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: latencies[latencies.length - 1] },
        pods: [...pods.values()].sort((a, b) => a.first - b.first),
    };
}

const iso = (ms: number) => new Date(ms).toISOString();
const round = (n: number) => Math.round(n * 10) / 10;

/** The report as the command prints it. */
export function formatReport(r: ProbeReport): string {
    const failed = r.requests - r.ok;
    const codes = Object.entries(r.failedByCode).sort(([a], [b]) => (a < b ? -1 : 1));
    return [
        `window ${iso(r.since)} .. ${iso(r.until)} (${round((r.until - r.since) / 1000)} s)`,
        `requests: ${r.requests} (${r.ok} 2xx, ${failed} failed)`,
        `non-2xx by code: ${codes.length === 0 ? "none" : codes.map(([c, n]) => `${c}: ${n}`).join(", ")}`,
        `longest gap without a 2xx: ${round(r.longestGapWithout2xx.seconds)} s (${iso(r.longestGapWithout2xx.from)} .. ${iso(r.longestGapWithout2xx.to)})`,
        r.latencyMs === undefined ? "latency: no responses" : `latency: p50 ${round(r.latencyMs.p50)} ms, p99 ${round(r.latencyMs.p99)} ms, max ${round(r.latencyMs.max)} ms`,
        `pods: ${r.pods.length === 0 ? "none (no records in the window)" : r.pods.map((p) => `${p.pod} ${iso(p.first)} .. ${iso(p.last)} (${p.requests})`).join("; ")}`,
        failed === 0 && r.requests > 0 ? "verdict: zero failed requests" : `verdict: ${failed} failed request${failed === 1 ? "" : "s"}${r.requests === 0 ? " (and no records: is the probe running?)" : ""}`,
    ].join("\n");
}
