/** The probe report's rules on small hand-made record sets (components/probe/report.ts): window, order, gap, pods, text. */
import { expect } from "chai";
import { formatReport, probeReport, ProbeRecord } from "../../components/probe/report";

const T0 = Date.parse("2026-11-24T10:00:00Z");
const at = (s: number) => T0 + s * 1000;
const rec = (s: number, code = "200", pod = "p", seconds = 0.01): ProbeRecord => ({ pod, at: at(s), code, seconds, exit: code === "000" ? 7 : 0 });

describe("probe: report rules", () => {
    it("the window includes both ends; records are taken in time order whatever order they came in", () => {
        const r = probeReport([rec(10, "503", "b"), rec(0, "200", "a"), rec(-1), rec(5, "200", "b"), rec(11)], at(0), at(10));
        expect(r.requests).to.equal(3);
        expect(r.pods).to.deep.equal([
            { pod: "a", first: at(0), last: at(0), requests: 1 },
            { pod: "b", first: at(5), last: at(10), requests: 2 },
        ]);
        expect(r.longestGapWithout2xx, "two gaps of 5 s: the first").to.deep.equal({ seconds: 5, from: at(0), to: at(5) });
    });

    it("the longest gap is the first of equal ones, and counts the stretch before the first 2xx", () => {
        const r = probeReport([rec(4), rec(8)], at(0), at(12));
        expect(r.longestGapWithout2xx).to.deep.equal({ seconds: 4, from: at(0), to: at(4) });
        expect(probeReport([], at(0), at(3)).longestGapWithout2xx).to.deep.equal({ seconds: 3, from: at(0), to: at(3) });
    });

    it("the text: window length, codes sorted, curl's reason, pods, verdict in the singular and the plural", () => {
        const text = formatReport(probeReport([rec(1, "503", "a"), rec(2, "000", "a"), rec(3, "200", "b", 0.02)], at(0), at(4)));
        expect(text.split("\n")).to.deep.equal([
            "window 2026-11-24T10:00:00.000Z .. 2026-11-24T10:00:04.000Z (4 s)",
            "requests: 3 (1 2xx, 2 failed)",
            "non-2xx by code: 000 connection refused: 1, 503: 1",
            "longest gap without a 2xx: 3 s (2026-11-24T10:00:00.000Z .. 2026-11-24T10:00:03.000Z)",
            "latency: p50 10 ms, p99 20 ms, max 20 ms",
            "pods: a 2026-11-24T10:00:01.000Z .. 2026-11-24T10:00:02.000Z (2); b 2026-11-24T10:00:03.000Z .. 2026-11-24T10:00:03.000Z (1)",
            "verdict: 2 failed requests",
        ]);
        expect(formatReport(probeReport([rec(1, "503")], at(0), at(2)))).to.include("verdict: 1 failed request\n".trim());
        expect(formatReport(probeReport([rec(1, "503")], at(0), at(2)))).to.not.include("requests (");
        expect(formatReport(probeReport([rec(1)], at(0), at(2))).split("\n").slice(2)).to.deep.equal([
            "non-2xx by code: none",
            "longest gap without a 2xx: 1 s (2026-11-24T10:00:00.000Z .. 2026-11-24T10:00:01.000Z)",
            "latency: p50 10 ms, p99 10 ms, max 10 ms",
            "pods: p 2026-11-24T10:00:01.000Z .. 2026-11-24T10:00:01.000Z (1)",
            "verdict: zero failed requests",
        ]);
        const none = formatReport(probeReport([], at(0), at(2))).split("\n");
        expect(none.slice(4)).to.deep.equal(["latency: no responses", "pods: none (no records in the window)", "verdict: 0 failed requests (and no records: is the probe running?)"]);
    });
});
