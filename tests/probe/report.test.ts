/**
 * The probe report on a recorded-format log (tests/probe/fixtures/promote.log: kubectl logs
 * --prefix --timestamps of a probe pod replaced by another during a promote, with two 503s, a
 * timeout and a 6 s stretch without a 2xx), and its rules one by one.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { formatReport, parseLine, parseLog, percentile, probeReport, ProbeRecord } from "../../components/probe/report";
import { PROBE_SCRIPT } from "../../components/probe/manifest";

const LOG = fs.readFileSync(path.join(__dirname, "fixtures", "promote.log"), "utf8");
const T0 = Date.parse("2026-11-24T10:00:00Z");
const at = (s: number) => T0 + s * 1000;
const rec = (s: number, code = "200", seconds = 0.01, pod = "p"): ProbeRecord => ({ pod, at: at(s), code, seconds, exit: code === "000" ? 28 : 0 });

describe("probe: report on recorded responses", function () {
    // Per test, not when the file loads (the mutation run then knows which test runs which line).
    let records: ProbeRecord[];
    let skipped: number;
    let report: ReturnType<typeof probeReport>;
    beforeEach(() => {
        ({ records, skipped } = parseLog(LOG));
        report = probeReport(records, T0, at(60));
    });

    it("parses every record line and skips the rest (kubectl's notes)", function () {
        expect(records).to.have.length(60);
        expect(skipped).to.equal(1);
        expect(records[0]).to.deep.equal({ pod: "pod/istio-mesh-probe-7d9f8-abcde/probe", at: at(0.25), code: "200", seconds: 0.010123, exit: 0 });
    });

    it("counts requests and non-2xx by code, a failed connection by curl's reason", function () {
        expect(report.requests).to.equal(60);
        expect(report.ok).to.equal(57);
        expect(report.failedByCode).to.deep.equal({ "503": 2, "000 timed out": 1 });
    });

    it("finds the longest stretch without a 2xx", function () {
        expect(report.longestGapWithout2xx).to.deep.equal({ seconds: 6, from: at(29.25), to: at(35.25) });
    });

    it("p50 and p99 latency (nearest rank) of requests that got a response", function () {
        expect(report.latencyMs).to.deep.equal({ p50: 15.123, p99: 480, max: 480 });
    });

    it("shows which pods' logs it saw: the replaced pod and its successor", function () {
        expect(report.pods.map((p) => [p.pod.split("/")[1], p.requests])).to.deep.equal([
            ["istio-mesh-probe-7d9f8-abcde", 38],
            ["istio-mesh-probe-5c6b4-vwxyz", 22],
        ]);
    });

    it("prints the verdict", function () {
        const text = formatReport(report);
        expect(text).to.include("requests: 60 (57 2xx, 3 failed)");
        expect(text).to.include("non-2xx by code: 000 timed out: 1, 503: 2");
        expect(text).to.include("longest gap without a 2xx: 6 s (2026-11-24T10:00:29.250Z .. 2026-11-24T10:00:35.250Z)");
        expect(text).to.include("latency: p50 15.1 ms, p99 480 ms, max 480 ms");
        expect(text).to.match(/verdict: 3 failed requests$/);
    });

    it("time the window holds no record counts as time without a 2xx (a lost log never reads as no failures)", function () {
        // The old pod's log is gone: the window starts 40 s before the new pod's first line.
        const onlyNew = records.filter((r) => r.pod.includes("vwxyz"));
        const r = probeReport(onlyNew, T0, at(60));
        expect(r.longestGapWithout2xx).to.deep.equal({ seconds: 38.5, from: T0, to: at(38.5) });
        expect(formatReport(r)).to.match(/verdict: zero failed requests$/);
        const none = probeReport([], T0, at(60));
        expect(none.longestGapWithout2xx.seconds).to.equal(60);
        expect(formatReport(none)).to.include("(and no records: is the probe running?)");
    });

    it("only records inside the window count", function () {
        const r = probeReport([rec(-1, "503"), rec(1), rec(2, "500"), rec(11, "503")], T0, at(10));
        expect([r.requests, r.failedByCode]).to.deep.equal([2, { "500": 1 }]);
        expect(r.longestGapWithout2xx).to.deep.equal({ seconds: 9, from: at(1), to: at(10) });
    });

    it("any 2xx is a success (204, 206), any other status a failure (3xx, 4xx)", function () {
        const r = probeReport([rec(1, "204"), rec(2, "206"), rec(3, "301"), rec(4, "404")], T0, at(5));
        expect([r.ok, r.failedByCode]).to.deep.equal([2, { "301": 1, "404": 1 }]);
    });

    it("percentile is nearest-rank", function () {
        expect(percentile([1, 2, 3, 4], 50)).to.equal(2);
        expect(percentile([1, 2, 3, 4], 99)).to.equal(4);
        expect(percentile([7], 1)).to.equal(7);
        expect(percentile(Array.from({ length: 100 }, (_, i) => i + 1), 99)).to.equal(99);
    });

    it("parses what the probe's own loop prints (the -w format), without --prefix too", function () {
        const w = /-w '([^']+)\\n'/.exec(PROBE_SCRIPT)![1];
        const line = `2026-11-24T10:00:00.5Z ${w.replace("%{http_code}", "503").replace("%{time_total}", "0.004").replace("%{exitcode}", "0")}`;
        expect(parseLine(line, "pod-x")).to.deep.equal({ pod: "pod-x", at: at(0.5), code: "503", seconds: 0.004, exit: 0 });
        expect(parseLine("2026-11-24T10:00:00Z curl: (7) Failed to connect")).to.equal(undefined);
    });
});
