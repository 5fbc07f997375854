/** mesh.probe: its config and refusals, the Deployment the program registers, and the command's pure parts. */
import { expect } from "chai";
import { ConfigError } from "../../components/config/errors";
import { runProgram } from "../../components/plan/mockRun";
import { PROBE_SCRIPT } from "../../components/probe/manifest";
import { logsArgs, mergeRecords, parseArgs, parseSince, ProbeArgs, probeTarget } from "../../scripts/probe";
import { meshConfigMap, parseMesh } from "../support/fixtures";

const MESH = {
    revisions: [{ version: "1.29.6" }],
    tags: { "prod-stable": "1-29-6" },
    defaultRevision: "prod-stable",
    namespaces: { probe: { revision: "prod-stable", create: true } },
};
const withProbe = (probe: Record<string, unknown>) => ({ ...MESH, probe });
const issuesOf = (mesh: Record<string, unknown>) => {
    try {
        parseMesh(mesh);
    } catch (e) {
        if (e instanceof ConfigError) return e.issues.map((i) => `${i.path}: ${i.message}`);
        throw e;
    }
    return [];
};

describe("probe: config", function () {
    it("applies defaults", function () {
        expect(parseMesh(withProbe({ namespace: "probe", url: "http://productpage.bookinfo:9080/productpage" })).probe).to.deep.equal({
            namespace: "probe",
            url: "http://productpage.bookinfo:9080/productpage",
            intervalSeconds: 1,
            timeoutSeconds: 2,
            image: "docker.io/curlimages/curl:8.11.1",
            replicas: 1,
        });
        expect(parseMesh(MESH).probe).to.equal(undefined);
    });

    it("refuses a namespace the mesh does not enroll (it must follow a tag), a bad URL, rates out of range", function () {
        expect(issuesOf(withProbe({ namespace: "elsewhere", url: "productpage:9080", intervalSeconds: 0, timeoutSeconds: 120 }))).to.deep.equal([
            `istio-mesh:mesh.probe.namespace: "elsewhere" is not one of mesh.namespaces (probe); add it there with the tag the probe should follow, e.g. elsewhere: {revision: prod-stable, create: true}`,
            `istio-mesh:mesh.probe.url: "productpage:9080" is not an http(s) URL; write e.g. http://productpage.bookinfo:9080/productpage`,
            "istio-mesh:mesh.probe.intervalSeconds: 0 is outside 0.1-3600; the probe pauses this many seconds between requests",
            "istio-mesh:mesh.probe.timeoutSeconds: 120 is outside 0.1-60; a request taking longer counts as failed",
        ]);
        expect(issuesOf(withProbe({ namespace: "probe", url: "http://x", rate: 3 }))[0]).to.match(/^istio-mesh:mesh\.probe/);
    });
});

describe("probe: what the program registers", function () {
    it("one Deployment in the probe namespace, after the mesh, running the curl loop with the config's values", async function () {
        const deps = new Map<string, string[]>();
        const run = await runProgram(meshConfigMap(withProbe({ namespace: "probe", url: "http://productpage.bookinfo:9080/productpage", intervalSeconds: 0.5 })), null, {
            onResource: (a) => {
                const d = a.opts.dependsOn;
                deps.set(a.name, (Array.isArray(d) ? d : d === undefined ? [] : [d]).map((r: any) => (r as any).__name ?? "?"));
            },
        });
        expect(deps.get("probe")).to.deep.equal(["mesh"]);
        const d = run.resources.filter((r) => r.type === "kubernetes:apps/v1:Deployment" && r.name === "probe-deployment");
        expect(d).to.have.length(1);
        const inputs = d[0].inputs as any;
        expect(inputs.metadata.namespace).to.equal("probe");
        const c = inputs.spec.template.spec.containers[0];
        expect(c.command).to.deep.equal(["/bin/sh", "-c", PROBE_SCRIPT]);
        expect(c.env).to.deep.equal([
            { name: "PROBE_URL", value: "http://productpage.bookinfo:9080/productpage" },
            { name: "PROBE_INTERVAL", value: "0.5" },
            { name: "PROBE_TIMEOUT", value: "2" },
        ]);
        expect(inputs.spec.template.metadata.labels["app.kubernetes.io/name"]).to.equal("istio-mesh-probe");
        expect((run.outputs.probe as any).namespace).to.equal("probe");
        const without = await runProgram(meshConfigMap(MESH), null);
        expect(without.resources.filter((r) => r.name.startsWith("probe"))).to.deep.equal([]);
    });
});

describe("probe: the command's pure parts", function () {
    const now = Date.parse("2026-11-24T12:00:00Z");

    it("--since takes an RFC3339 time or a duration back from now; refuses anything else", function () {
        expect(parseSince("2026-11-24T10:00:00Z", now)).to.equal(Date.parse("2026-11-24T10:00:00Z"));
        expect(parseSince("30m", now)).to.equal(now - 30 * 60_000);
        expect(() => parseSince("yesterday", now)).to.throw(/give an RFC3339 time/);
        expect(() => parseArgs([], now)).to.throw(/--since is required/);
        expect(() => parseArgs(["--since", "1h", "--sinse", "x"], now)).to.throw(/unknown option --sinse/);
    });

    it("a window that cannot be is an error, never '0 failed requests'", function () {
        const rows: [string[], RegExp][] = [
            [["--since", "2026-02-30T10:00:00Z"], /^--since "2026-02-30T10:00:00Z": no such time \(2026-02 has 28 days\)/],
            [["--since", "2024-02-30T10:00:00Z"], /2024-02 has 29 days/],
            [["--since", "2026-13-01T10:00:00Z"], /no such time \(month 13\)/],
            [["--since", "2026-11-24T24:00:00Z"], /no such time \(hours 00-23/],
            [["--since", "2026-11-24"], /give an RFC3339 time/],
            [["--since", "2026-11-24T13:00:00Z"], /^--since 2026-11-24T13:00:00Z is in the future \(now is 2026-11-24T12:00:00\.000Z\)/],
            [["--since", "2h", "--until", "3h"], /^--until 3h is not after --since 2h; the window would be empty/],
            [["--since", "2026-11-24T11:00:00Z", "--until", "2026-11-24T10:00:00Z"], /is not after --since/],
            [["--since", "1h", "--until", "2026-11-25T00:00:00Z"], /^--until 2026-11-25T00:00:00Z is in the future/],
            [["--since", "1h", "--since", "2h"], /^--since is given twice; give it once/],
            [["--since", ""], /^--since needs a value \(it is blank\)/],
            [["--since", "1h", "--watch", "1.5"], /--watch takes a whole number/],
        ];
        for (const [argv, m] of rows) expect(() => parseArgs(argv, now), argv.join(" ")).to.throw(m);
        expect(parseArgs(["--since", "2024-02-29T10:00:00+01:00", "--until", "1h"], now)).to.deep.include({ since: Date.parse("2024-02-29T09:00:00Z"), until: now - 3_600_000 });
        expect(parseArgs(["--help"], now)).to.equal("help");
        expect(parseArgs(["-h"], now)).to.equal("help");
    });

    it("reads every probe pod's whole log since the window start (not kubectl's 10-line default)", function () {
        expect(logsArgs("probe", Date.parse("2026-11-24T10:00:00Z"))).to.deep.equal([
            "logs", "-n", "probe", "-l", "app.kubernetes.io/name=istio-mesh-probe", "-c", "probe", "--prefix", "--timestamps",
            "--since-time=2026-11-24T10:00:00.000Z", "--tail=-1", "--max-log-requests=20",
        ]);
    });

    it("finds the probe and the cluster in the stack file; flags override; a secret kubeconfig is refused", function () {
        const args = parseArgs(["--since", "1h"], now) as ProbeArgs;
        const stack = meshConfigMap(withProbe({ namespace: "probe", url: "http://x" }), { kind: "existing", context: "kind-dev", kubeconfig: "/k" });
        expect(probeTarget(args, stack)).to.deep.equal({ namespace: "probe", context: "kind-dev", kubeconfig: "/k" });
        expect(probeTarget(parseArgs(["--since", "1h", "--context", "other"], now) as ProbeArgs, stack).context).to.equal("other");
        expect(() => probeTarget(args, meshConfigMap(MESH))).to.throw(/has no mesh.probe/);
        expect(() => probeTarget(args, meshConfigMap(withProbe({ namespace: "probe", url: "http://x" }), { kind: "existing", kubeconfig: { secure: "v1:abc" } }))).to.throw(/pass --kubeconfig/);
    });

    it("--save merges records without duplicates, so history outlives a replaced pod", function () {
        const a = { pod: "a", at: 1, code: "200", seconds: 0.1, exit: 0 };
        const b = { pod: "b", at: 2, code: "503", seconds: 0.1, exit: 0 };
        expect(mergeRecords([b, a], [a])).to.deep.equal([a, b]);
    });
});
