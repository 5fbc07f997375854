// Locating the e2e binaries and preparing a private, download-free Pulumi environment.
import * as child_process from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

export const TOOLS_DIR = path.resolve(__dirname, "..", "tools");

export interface EnsureToolsOptions {
    /** Subset of build-tools.sh pieces (default: all). */
    pieces?: string[];
    /** Do not fail when a piece cannot be built (E2E_TOOLS_ALLOW_MISSING=1). */
    allowMissing?: boolean;
}

/**
 * The bin dir with the e2e binaries: $E2E_BIN_DIR when set, else the last stdout line of
 * tools/build-tools.sh (which builds on the first run, ~30-40 min cold, and answers in seconds after).
 */
export function ensureTools(opts: EnsureToolsOptions = {}): string {
    if (process.env.E2E_BIN_DIR) {
        return process.env.E2E_BIN_DIR;
    }
    const env: NodeJS.ProcessEnv = { ...process.env };
    if (opts.pieces) env.E2E_TOOLS_PIECES = opts.pieces.join(" ");
    if (opts.allowMissing) env.E2E_TOOLS_ALLOW_MISSING = "1";
    const r = child_process.spawnSync("bash", [path.join(TOOLS_DIR, "build-tools.sh")], {
        env,
        encoding: "utf8",
        stdio: ["ignore", "pipe", "inherit"],
        maxBuffer: 16 * 1024 * 1024,
    });
    const lines = (r.stdout ?? "").trim().split("\n");
    const binDir = lines[lines.length - 1];
    if (r.status !== 0 || !binDir || !fs.existsSync(binDir)) {
        throw new Error(`build-tools.sh failed (exit ${r.status}); see its stderr above`);
    }
    return binDir;
}

/** Names missing from binDir. */
export function missingBinaries(binDir: string, names: string[]): string[] {
    return names.filter((n) => !fs.existsSync(path.join(binDir, n)));
}

/**
 * The before() start of a file whose cluster runs pods (startCluster({pods: true})): the bin dir,
 * put first on this process's PATH (the program runs kubectl from here: the in-use check,
 * restarts). Throws when a core binary is missing; when only the two pieces pods need are (built
 * last, so .ci/run's time budget may stop the build before them) it skips the file, reported as
 * not run (pending), never as passed. Returns undefined then.
 */
export function podClusterTools(ctx: Mocha.Context): string | undefined {
    const binDir = ensureTools({ allowMissing: true });
    const missing = missingBinaries(binDir, ["pulumi", "kube-apiserver", "kube-controller-manager", "kubectl", "etcd", "helm"]);
    if (missing.length > 0) throw new Error(`e2e tools missing from ${binDir}: ${missing.join(", ")}`);
    const podPieces = missingBinaries(binDir, ["kube-scheduler", "kwok"]);
    if (podPieces.length > 0) {
        console.log(`      NOT RUN: ${podPieces.join(", ")} not built in ${binDir} (E2E_TOOLS_PIECES="kube-scheduler kwok" tests/e2e/tools/build-tools.sh)`);
        ctx.skip();
        return undefined;
    }
    process.env.PATH = `${binDir}${path.delimiter}${process.env.PATH ?? ""}`;
    return binDir;
}

/** Environment for the Pulumi CLI / Automation API that never downloads anything. */
export function pulumiEnv(
    binDir: string,
    pulumiHome: string,
    backendDir: string,
    passphrase = "e2e-passphrase",
): Record<string, string> {
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) {
        if (v !== undefined) env[k] = v;
    }
    return {
        ...env,
        PATH: `${binDir}${path.delimiter}${process.env.PATH ?? ""}`,
        PULUMI_HOME: pulumiHome,
        PULUMI_BACKEND_URL: `file://${backendDir}`,
        PULUMI_CONFIG_PASSPHRASE: passphrase,
        PULUMI_SKIP_UPDATE_CHECK: "true",
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
        // Only the plugins the harness installs into PULUMI_HOME run. Without this the engine
        // prefers any pulumi-resource-<name> on $PATH ("ambient" plugins, sdk/go/common/workspace
        // plugins.go getPluginInfoAndPath), and $PATH starts with the bin dir, which holds the real
        // pulumi-resource-kubernetes: every E2E_K8S_PROVIDER=standin run with it built ran the REAL
        // provider (measured 2026-12-02: the CLI's child was bin-…/pulumi-resource-kubernetes).
        PULUMI_IGNORE_AMBIENT_PLUGINS: "true",
        PULUMI_DISABLE_REGISTRY_RESOLVE: "true",
        PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: "true",
        PULUMI_SKIP_CONFIRMATIONS: "true",
        // no telemetry/cloud calls from a file backend run
        PULUMI_DIY_BACKEND_NO_LEGACY_WARNING: "true",
    };
}

/**
 * Installs the provider plugins found in binDir into pulumiHome (tools/install-plugins.sh).
 * Returns the plugins that could not be installed because their binary is missing.
 */
export function installPlugins(binDir: string, pulumiHome: string): string[] {
    const r = child_process.spawnSync("bash", [path.join(TOOLS_DIR, "install-plugins.sh"), binDir, pulumiHome], {
        encoding: "utf8",
    });
    if (r.status !== 0 && r.status !== 3) {
        throw new Error(`install-plugins.sh failed (exit ${r.status}):\n${r.stderr}`);
    }
    return [...(r.stderr ?? "").matchAll(/plugin (\S+) (\S+) not installed/g)].map((m) => `${m[1]}@${m[2]}`);
}

/** A fresh temp dir (removed by the caller, or by cleanupDirs()). */
const tempDirs: string[] = [];
export function tempDir(prefix: string): string {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), `istio-mesh-e2e-${prefix}-`));
    tempDirs.push(d);
    return d;
}
export function cleanupDirs(): void {
    for (const d of tempDirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
}
