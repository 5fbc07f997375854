/**
 * Times the offline plan (the canary -> promote change, program run under mocks on both
 * sides) for meshes of 10, 100 and 1000 namespaces and prints how the time grows.
 *   npm run bench [-- --sizes 10,100,1000 --repeat 3]
 */
// @ts-nocheck

import { plan } from "../components/plan/plan";

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

async function main() {
    const argv = process.argv.slice(2);
    const opt = (name: string, dflt: string) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : dflt);
    const sizes = opt("--sizes", "10,100,1000").split(",").map(Number);
    const repeat = Number(opt("--repeat", "3"));
    await plan(stack(1, false), stack(1, true)); // warm-up: module loading is not the plan's cost
    const rows: { n: number; ms: number; resources: number }[] = [];
    for (const n of sizes) {
        const times: number[] = [];
        let resources = 0;
        for (let i = 0; i < repeat; i++) {
            const t0 = process.hrtime.bigint();
            const p = await plan(stack(n, false), stack(n, true));
            times.push(Number(process.hrtime.bigint() - t0) / 1e6);
            resources = p.resources.length;
            if (p.verdict !== "allowed") throw new Error(`unexpected verdict ${p.verdict}`);
        }
        rows.push({ n, ms: times.sort((a, b) => a - b)[Math.floor(times.length / 2)], resources });
    }
    console.log("namespaces  resources  plan (median ms)  growth vs previous size");
    rows.forEach((r, i) => {
        const growth = i === 0 ? "" : `x${(r.ms / rows[i - 1].ms).toFixed(1)} for x${(r.n / rows[i - 1].n).toFixed(0)} namespaces`;
        console.log(`${String(r.n).padStart(10)}  ${String(r.resources).padStart(9)}  ${r.ms.toFixed(0).padStart(16)}  ${growth}`);
    });
}

main().catch((e) => {
    console.error(e);
    process.exit(1);
});
