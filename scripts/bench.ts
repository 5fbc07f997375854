/**
 * How fast the offline plan is for big meshes (a benchmark, not a test):
 *   npm run bench [-- --sizes 10,100,1000 --repeat 3]
 * 1. growth: the canary -> promote plan (both sides rendered) in-process for each size;
 * 2. the two figures a PR check pays, as users run them (`npm run plan`, a fresh process):
 *    `--to` a 1,000-namespace stack, and canary -> promote with both sides;
 * 3. the floor: loading the Pulumi SDKs, and the mock runtime registering 1,000 bare
 *    NamespacePatch resources (what any plan of 1,000 namespaces costs at least).
 * Wall times depend on load; CPU time (user+sys of this process) much less so: both are shown.
 */
import * as child_process from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { stringify } from "yaml";
import { parseCommandLine, str } from "./cli";

function stack(namespaces: number, promoted: boolean): { config: Record<string, unknown> } {
    const ns: Record<string, string> = {};
    for (let i = 0; i < namespaces; i++) {
        ns[`app-${String(i).padStart(4, "0")}`] = i % 10 === 0 ? "prod-canary" : "prod-stable";
    }
    return {
        config: {
            "istio-mesh:cluster": { kind: "existing" },
            "istio-mesh:mesh": {
                revisions: [{ version: "1.29.6" }, { version: "1.30.3" }],
                tags: { "prod-stable": promoted ? "1-30-3" : "1-29-6", "prod-canary": "1-30-3" },
                defaultRevision: "prod-stable",
                namespaces: ns,
                gateways: { "istio-ingressgateway": { revision: "prod-stable" } },
            },
        },
    };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const cpuMs = (u: NodeJS.CpuUsage): number => (u.user + u.system) / 1000;

/** Median wall and CPU time of a fresh process, as `npm run` would start it. */
function timeProcess(args: string[], repeat: number): { wall: number; cpu: number } {
    const walls: number[] = [];
    const cpus: number[] = [];
    for (let i = 0; i < repeat; i++) {
        const t0 = process.hrtime.bigint();
        const r = child_process.spawnSync("npm", ["run", "--silent", ...args], { encoding: "utf8", maxBuffer: 1 << 28 });
        walls.push(Number(process.hrtime.bigint() - t0) / 1e6);
        if (r.status !== 0) throw new Error(`npm run ${args.join(" ")}: exit ${r.status}\n${r.stderr}`);
        // The child prints its own CPU time on stderr (ISTIO_MESH_BENCH_CPU).
        cpus.push(Number(/bench-cpu-ms=(\d+)/.exec(r.stderr)?.[1] ?? NaN));
    }
    return { wall: median(walls), cpu: median(cpus) };
}

/** Child mode: load the SDKs, then register `n` bare NamespacePatch resources under mocks. */
async function floor(n: number): Promise<void> {
    const t0 = process.hrtime.bigint();
    const c0 = process.cpuUsage();
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const pulumi = require("@pulumi/pulumi") as typeof import("@pulumi/pulumi");
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const k8s = require("@pulumi/kubernetes") as typeof import("@pulumi/kubernetes");
    const load = { wall: Number(process.hrtime.bigint() - t0) / 1e6, cpu: cpuMs(process.cpuUsage(c0)) };
    await pulumi.runtime.setMocks({ newResource: (a) => ({ id: `${a.name}-id`, state: a.inputs }), call: (a) => a.inputs }, "floor", "floor", true);
    // As runProgram runs the program: no source-mapped stacks for the SDK's bookkeeping.
    Error.stackTraceLimit = 0;
    const t1 = process.hrtime.bigint();
    const c1 = process.cpuUsage();
    await pulumi.runtime.runInPulumiStack(async () => {
        for (let i = 0; i < n; i++) {
            new k8s.core.v1.NamespacePatch(`ns-${i}`, { metadata: { name: `app-${i}`, labels: { "istio.io/rev": "prod-stable" } } });
        }
        return {};
    });
    await pulumi.runtime.disconnect(); // waits for the outstanding registrations
    const reg = { wall: Number(process.hrtime.bigint() - t1) / 1e6, cpu: cpuMs(process.cpuUsage(c1)) };
    process.stdout.write(JSON.stringify({ load, reg }));
}

const USAGE = [
    "usage: npm run bench -- [--sizes N,N,...] [--repeat N] | --floor N",
    "  --sizes   namespace counts of the in-process canary -> promote plans (default 10,100,1000)",
    "  --repeat  runs per figure, the median reported (default 3)",
    "  --floor   only the floor: loading the SDKs and N bare registrations under mocks",
].join("\n");

async function main(argv: string[]): Promise<void> {
    const p = parseCommandLine(argv, { sizes: { type: "string" }, repeat: { type: "string" }, floor: { type: "string" } });
    if (typeof p === "string") throw new Error(`${p}\n${USAGE}`);
    if (p.help) {
        console.log(USAGE);
        return;
    }
    const number = (name: string, dflt: string) => {
        const v = str(p, name) ?? dflt;
        if (!/^\d+(,\d+)*$/.test(v) || v.split(",").some((n) => Number(n) < 1)) throw new Error(`--${name} ${v}: ${name === "sizes" ? "comma-separated counts >= 1" : "a count >= 1"}`);
        return v;
    };
    if (str(p, "floor") !== undefined) {
        return floor(Number(number("floor", "1000")));
    }
    const sizes = number("sizes", "10,100,1000").split(",").map(Number);
    const repeat = Number(number("repeat", "3"));
    const biggest = Math.max(...sizes);

    // 1. Growth, in-process (module loading paid once by a warm-up run).
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const { plan } = require("../components/plan/plan") as typeof import("../components/plan/plan");
    await plan(stack(1, false), stack(1, true));
    console.log(`load: ${os.loadavg()[0].toFixed(1)} (1-min load average, ${os.cpus().length} CPUs)\n`);
    console.log("canary -> promote, in-process");
    console.log("namespaces  resources  wall ms   cpu ms  growth (wall) vs previous size");
    let prev: { n: number; wall: number } | undefined;
    for (const n of sizes) {
        const walls: number[] = [];
        const cpus: number[] = [];
        let resources = 0;
        for (let i = 0; i < repeat; i++) {
            const t0 = process.hrtime.bigint();
            const c0 = process.cpuUsage();
            const p = await plan(stack(n, false), stack(n, true));
            cpus.push(cpuMs(process.cpuUsage(c0)));
            walls.push(Number(process.hrtime.bigint() - t0) / 1e6);
            resources = p.resources.length;
            if (p.verdict !== "allowed") throw new Error(`unexpected verdict ${p.verdict}`);
        }
        const wall = median(walls);
        const growth = prev === undefined ? "" : `x${(wall / prev.wall).toFixed(1)} for x${(n / prev.n).toFixed(0)} namespaces`;
        console.log(`${String(n).padStart(10)}  ${String(resources).padStart(9)}  ${wall.toFixed(0).padStart(7)}  ${median(cpus).toFixed(0).padStart(7)}  ${growth}`);
        prev = { n, wall };
    }

    // 2. The figures a PR check pays: a fresh `npm run plan` process each.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "istio-mesh-bench-"));
    const canary = path.join(dir, "canary.yaml");
    const promote = path.join(dir, "promote.yaml");
    fs.writeFileSync(canary, stringify(stack(biggest, false)));
    fs.writeFileSync(promote, stringify(stack(biggest, true)));
    const env = { ...process.env, ISTIO_MESH_BENCH_CPU: "1" };
    Object.assign(process.env, env);
    const to = timeProcess(["plan", "--", "--to", promote, "--json"], repeat);
    const both = timeProcess(["plan", "--", "--from", canary, "--to", promote, "--json"], repeat);
    console.log(`\nnpm run plan, ${biggest} namespaces (fresh process, median of ${repeat})  target  wall ms  cpu ms`);
    console.log(`  --to promote --json                                  3000  ${to.wall.toFixed(0).padStart(7)}  ${to.cpu.toFixed(0).padStart(6)}`);
    console.log(`  --from canary --to promote --json (both sides)       5000  ${both.wall.toFixed(0).padStart(7)}  ${both.cpu.toFixed(0).padStart(6)}`);

    // 3. The floor.
    const r = child_process.spawnSync(process.execPath, [...process.execArgv, __filename, "--floor", String(biggest)], { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`floor: ${r.stderr}`);
    const f = JSON.parse(r.stdout) as { load: { wall: number; cpu: number }; reg: { wall: number; cpu: number } };
    console.log("\nfloor                                                         wall ms  cpu ms");
    console.log(`  load @pulumi/pulumi + @pulumi/kubernetes                      ${f.load.wall.toFixed(0).padStart(7)}  ${f.load.cpu.toFixed(0).padStart(6)}`);
    console.log(`  ${biggest} bare NamespacePatch registrations under mocks            ${f.reg.wall.toFixed(0).padStart(7)}  ${f.reg.cpu.toFixed(0).padStart(6)}`);
    // The plan as a multiple of the floor (goal: within 2x). CPU: the plan process's own (no
    // npm, no build check) against the floor's; wall: what `npm run plan` took in all.
    const floorWall = f.load.wall + f.reg.wall;
    const floorCpu = f.load.cpu + f.reg.cpu;
    console.log(`\nplan / floor (${biggest} namespaces; goal: within 2x)                wall      cpu`);
    console.log(`  --to promote                                               x${(to.wall / floorWall).toFixed(2).padStart(5)}   x${(to.cpu / floorCpu).toFixed(2).padStart(5)}`);
    console.log(`  --from canary --to promote (both sides)                    x${(both.wall / floorWall).toFixed(2).padStart(5)}   x${(both.cpu / floorCpu).toFixed(2).padStart(5)}`);
    fs.rmSync(dir, { recursive: true, force: true });
}

main(process.argv.slice(2)).catch((e) => {
    console.error(e);
    process.exit(1);
});
