// A local Helm chart repository serving the fixture charts (tests/e2e/charts/<chart>) once per
// requested Istio version, so a helm.v3.Release with {repositoryOpts: {repo: url}, chart: "istiod",
// version: "1.30.3"} pulls from it exactly as from the official repo. Node builtins + `tar` only.
import * as child_process from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as http from "http";
import * as net from "net";
import * as os from "os";
import * as path from "path";

export interface ChartRepoOptions {
    /** Charts to package (default: every directory under chartsDir with a Chart.yaml). */
    charts?: string[];
    /** Where the fixture charts live (default: tests/e2e/charts). */
    chartsDir?: string;
}

export interface ChartRepo {
    /** http://127.0.0.1:<port> (no trailing slash) */
    url: string;
    /** The served directory (index.yaml and <chart>-<version>.tgz). */
    dir: string;
    /** false: stop listening (connection refused, as a repository that is down); true: serve again on the same port. */
    setReachable(reachable: boolean): Promise<void>;
    stop(): Promise<void>;
}

export function defaultChartsDir(): string {
    // harness/ -> ../charts, whether run from .ts (ts-node) or compiled next to it
    const candidates = [path.resolve(__dirname, "..", "charts"), path.resolve(process.cwd(), "tests", "e2e", "charts")];
    const found = candidates.find((c) => fs.existsSync(path.join(c, "istiod", "Chart.yaml")));
    if (!found) {
        throw new Error(`fixture charts not found in ${candidates.join(" or ")}`);
    }
    return found;
}

/** Rewrites the top-level `version:` and `appVersion:` of a Chart.yaml text. */
export function setChartVersion(chartYaml: string, version: string): string {
    let out = chartYaml;
    for (const key of ["version", "appVersion"]) {
        const re = new RegExp(`^${key}:.*$`, "m");
        out = re.test(out) ? out.replace(re, `${key}: ${version}`) : `${out.trimEnd()}\n${key}: ${version}\n`;
    }
    return out;
}

function descriptionOf(chartYaml: string): string {
    const m = /^description:\s*(.*)$/m.exec(chartYaml);
    return m ? m[1].replace(/^["']|["']$/g, "") : "";
}

export async function startChartRepo(versions: string[], opts: ChartRepoOptions = {}): Promise<ChartRepo> {
    if (versions.length === 0) {
        throw new Error("startChartRepo: no versions");
    }
    const chartsDir = opts.chartsDir ?? defaultChartsDir();
    const charts =
        opts.charts ??
        fs
            .readdirSync(chartsDir)
            .filter((c) => fs.existsSync(path.join(chartsDir, c, "Chart.yaml")))
            .sort();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "istio-mesh-e2e-charts-"));
    const stage = path.join(dir, ".stage");

    interface Entry {
        apiVersion: string;
        name: string;
        version: string;
        appVersion: string;
        description: string;
        urls: string[];
        digest: string;
        created: string;
    }
    const packaged: Array<Omit<Entry, "urls"> & { file: string }> = [];
    const created = new Date().toISOString();
    try {
        for (const version of [...new Set(versions)]) {
            for (const chart of charts) {
                const src = path.join(chartsDir, chart);
                const work = path.join(stage, `${chart}-${version}`);
                fs.mkdirSync(work, { recursive: true });
                fs.cpSync(src, path.join(work, chart), { recursive: true });
                const chartFile = path.join(work, chart, "Chart.yaml");
                const chartYaml = setChartVersion(fs.readFileSync(chartFile, "utf8"), version);
                fs.writeFileSync(chartFile, chartYaml);
                const file = `${chart}-${version}.tgz`;
                const r = child_process.spawnSync("tar", ["-czf", path.join(dir, file), "-C", work, chart], {
                    encoding: "utf8",
                });
                if (r.status !== 0) {
                    throw new Error(`tar ${file}: ${r.stderr || r.error}`);
                }
                const digest = crypto.createHash("sha256").update(fs.readFileSync(path.join(dir, file))).digest("hex");
                packaged.push({
                    apiVersion: "v2",
                    name: chart,
                    version,
                    appVersion: version,
                    description: descriptionOf(chartYaml),
                    digest,
                    created,
                    file,
                });
            }
        }
    } finally {
        fs.rmSync(stage, { recursive: true, force: true });
    }

    const files = new Set(packaged.map((p) => p.file).concat("index.yaml"));
    const server = http.createServer((req, res) => {
        const name = decodeURIComponent((req.url ?? "/").split("?")[0]).replace(/^\/+/, "");
        if ((req.method !== "GET" && req.method !== "HEAD") || !files.has(name)) {
            res.writeHead(404, { "Content-Type": "text/plain" }).end("not found\n");
            return;
        }
        const data = fs.readFileSync(path.join(dir, name));
        res.writeHead(200, {
            "Content-Type": name.endsWith(".tgz") ? "application/gzip" : "application/x-yaml",
            "Content-Length": data.length,
        });
        res.end(req.method === "HEAD" ? undefined : data);
    });
    const sockets = new Set<net.Socket>();
    server.on("connection", (s) => {
        sockets.add(s);
        s.on("close", () => sockets.delete(s));
    });
    await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(0, "127.0.0.1", () => resolve());
    });
    server.unref(); // never keeps a test process alive on its own
    const port = (server.address() as net.AddressInfo).port;
    const url = `http://127.0.0.1:${port}`;

    // index.yaml as JSON (valid YAML), newest version first like `helm repo index`.
    const entries: Record<string, Entry[]> = {};
    for (const p of packaged) {
        const { file, ...rest } = p;
        (entries[p.name] ??= []).push({ ...rest, urls: [`${url}/${file}`] });
    }
    const cmpSemver = (a: string, b: string): number => {
        const pa = a.split(/[.-]/).map((x) => (/^\d+$/.test(x) ? Number(x) : x));
        const pb = b.split(/[.-]/).map((x) => (/^\d+$/.test(x) ? Number(x) : x));
        for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
            if (pa[i] === pb[i]) continue;
            if (pa[i] === undefined) return -1;
            if (pb[i] === undefined) return 1;
            const x = pa[i]!;
            const y = pb[i]!;
            if (typeof x === "number" && typeof y === "number") return x < y ? -1 : 1;
            return String(x) < String(y) ? -1 : 1;
        }
        return 0;
    };
    for (const list of Object.values(entries)) {
        list.sort((a, b) => cmpSemver(b.version, a.version));
    }
    fs.writeFileSync(
        path.join(dir, "index.yaml"),
        JSON.stringify({ apiVersion: "v1", entries, generated: created }, null, 2) + "\n",
    );

    let stopped = false;
    let listening = true;
    return {
        url,
        dir,
        setReachable: async (reachable: boolean) => {
            if (stopped || reachable === listening) return;
            listening = reachable;
            if (reachable) {
                await new Promise<void>((resolve, reject) => {
                    server.once("error", reject);
                    server.listen(port, "127.0.0.1", () => resolve());
                });
            } else {
                for (const s of sockets) s.destroy();
                await new Promise<void>((resolve) => server.close(() => resolve()));
            }
        },
        stop: async () => {
            if (stopped) return;
            stopped = true;
            for (const s of sockets) s.destroy();
            if (listening) await new Promise<void>((resolve) => server.close(() => resolve()));
            fs.rmSync(dir, { recursive: true, force: true });
        },
    };
}
