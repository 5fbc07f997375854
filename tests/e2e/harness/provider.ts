/**
 * Which pulumi-resource-kubernetes the e2e engine runs, and what its version means.
 *
 * The real provider: the binary tools/build-tools.sh builds from the module proxy, which serves
 * pulumi-kubernetes up to v4.25.0 only. The program's @pulumi/kubernetes 4.34.2 registers every
 * resource with plugin version 4.34.2, and the engine loads the plugin installed under that
 * version (PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: nothing else is looked for). So the
 * harness installs the 4.25.0 binary *under the plugin version the SDK requests*, and reports it
 * everywhere by the version the binary itself answers to GetPluginInfo (tools/plugin-info.js),
 * never as 4.34.2. The differences between 4.25 and 4.34 the program relies on are listed in
 * tests/e2e/PROVIDER-VERSIONS.md, with the scenario covering each; where 4.25 behaves differently
 * a scenario branches on `capabilities` below (named after the behaviour, not the version).
 *
 * The stand-in (tests/e2e/standin): imitates 4.29+ behaviour read from the provider's source;
 * the fallback when the binary cannot be built, and the second side of the differential check.
 *
 * E2E_K8S_PROVIDER=real|standin chooses; unset = the real one when the bin dir has it.
 */
import * as child_process from "child_process";
import * as fs from "fs";
import * as path from "path";

const STANDIN = path.join(__dirname, "..", "standin", "pulumi-resource-kubernetes");
const PLUGIN_INFO = path.join(__dirname, "..", "tools", "plugin-info.js");
const REPO = path.resolve(__dirname, "..", "..", "..");

export interface KubernetesProvider {
    /** The executable installed as the kubernetes plugin. */
    file: string;
    real: boolean;
    /** "real" or "standin": the name used for record directories and in E2E_K8S_PROVIDER. */
    kind: "real" | "standin";
    /** The version the binary reports (GetPluginInfo) for the real one; the imitated one for the stand-in. */
    version: string;
    /** The plugin version it is installed under: the one the program's @pulumi/kubernetes requests. */
    pluginVersion: string;
    /** Behaviours that differ between provider versions, for the scenarios that depend on them. */
    capabilities: {
        /**
         * Create is a plain POST (AlreadyExists for an existing object unless upsertExistingObjects):
         * pulumi-kubernetes 4.29.0 (#2926). Before it, create is a server-side apply that adopts.
         */
        createIsPost: boolean;
    };
    /** One line for the console and the CI log. */
    describe: string;
}

/** The plugin version @pulumi/kubernetes (the program's dependency) asks the engine for. */
export function sdkPluginVersion(): string {
    const pkg = JSON.parse(fs.readFileSync(require.resolve("@pulumi/kubernetes/package.json", { paths: [REPO] }), "utf8"));
    return pkg.pulumi?.version ?? pkg.version;
}

/** The version a provider binary reports for itself over gRPC (GetPluginInfo). */
export function reportedVersion(file: string): string {
    const r = child_process.spawnSync(process.execPath, [PLUGIN_INFO, file], { encoding: "utf8", timeout: 90_000 });
    if (r.status !== 0) throw new Error(`GetPluginInfo on ${file} failed: ${r.stderr}`);
    return r.stdout.trim().replace(/^v/, ""); // the -X stamp is "v4.25.0"
}

/** [major, minor, patch] of a version, for comparisons. */
export function semver(v: string): number[] {
    const m = /^v?(\d+)\.(\d+)\.(\d+)/.exec(v);
    if (!m) throw new Error(`not a version: ${v}`);
    return [Number(m[1]), Number(m[2]), Number(m[3])];
}

export function atLeast(v: string, min: string): boolean {
    const [a, b] = [semver(v), semver(min)];
    for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] > b[i];
    return true;
}

const chosen = new Map<string, KubernetesProvider>();

export function kubernetesProvider(binDir: string): KubernetesProvider {
    const want = process.env.E2E_K8S_PROVIDER ?? "";
    const key = `${binDir}\0${want}`;
    const hit = chosen.get(key);
    if (hit) return hit;
    if (!["", "real", "standin"].includes(want)) throw new Error(`E2E_K8S_PROVIDER=${want}: use real or standin`);
    const realFile = path.join(binDir, "pulumi-resource-kubernetes");
    const pluginVersion = sdkPluginVersion();
    let p: KubernetesProvider;
    if (want === "real" || (want === "" && fs.existsSync(realFile))) {
        if (!fs.existsSync(realFile)) throw new Error(`E2E_K8S_PROVIDER=real but ${realFile} is missing (tests/e2e/tools/build-tools.sh builds it)`);
        const version = reportedVersion(realFile);
        p = {
            file: realFile,
            real: true,
            kind: "real",
            version,
            pluginVersion,
            capabilities: { createIsPost: atLeast(version, "4.29.0") },
            describe:
                `the real pulumi-resource-kubernetes ${version} (its GetPluginInfo answer; ${realFile}), installed as plugin ` +
                `kubernetes ${pluginVersion} because @pulumi/kubernetes ${pluginVersion} requests that version`,
        };
    } else {
        p = {
            file: STANDIN,
            real: false,
            kind: "standin",
            version: "stand-in",
            pluginVersion,
            capabilities: { createIsPost: true },
            describe:
                `STAND-IN (tests/e2e/standin, imitating 4.29+ behaviour), installed as plugin kubernetes ${pluginVersion}` +
                (want === "standin" ? " (E2E_K8S_PROVIDER=standin)" : `: ${realFile} is missing (see tests/e2e/tools/build-tools.sh)`),
        };
    }
    chosen.set(key, p);
    return p;
}
