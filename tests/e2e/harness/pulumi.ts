/**
 * The real Pulumi CLI and engine driving the real program (index.ts) as an Automation API
 * inline program: the CLI runs `up`/`preview`/`refresh`/`destroy` and talks to this process
 * for the program (no `pulumi-language-nodejs` needed). Private PULUMI_HOME, file backend,
 * plugins installed from local files only.
 */
import * as auto from "@pulumi/pulumi/automation";
import * as child_process from "child_process";
import * as fs from "fs";
import * as path from "path";
import { KubernetesProvider, kubernetesProvider } from "./provider";
import { pulumiEnv, tempDir } from "./tools";

export { kubernetesProvider } from "./provider";

const REPO = path.resolve(__dirname, "..", "..", "..");

export interface Timed {
    what: string;
    ms: number;
}

/** One engine operation and the steps it took (resource pre-events that are not "same"). */
export interface StepList {
    what: string;
    /** "<op> <type>::<name>", sorted (the engine runs steps in parallel, so their order varies). */
    steps: string[];
}

/** Which command provider (1.2.1, the plugin @pulumi/command 1.2.1 asks for) the engine runs: the real binary, or the e2e stand-in. */
export function commandProvider(binDir: string): { file: string; real: boolean } {
    const real = path.join(binDir, "pulumi-resource-command");
    return fs.existsSync(real) ? { file: real, real: true } : { file: path.join(__dirname, "..", "standin", "pulumi-resource-command"), real: false };
}

export class MeshStack {
    readonly timings: Timed[] = [];
    /** Every up/preview/refresh/destroy's steps, in order (for the differential check). */
    readonly stepLists: StepList[] = [];
    /**
     * The engine event log of the latest operation, every event in order (the Automation API runs
     * the CLI with `--event-log <file>` and passes each line to onEvent; harness/events.ts reads it).
     */
    events: auto.EngineEvent[] = [];
    /** PID of the running `pulumi` CLI (written by the PATH wrapper), for the kill scenario. */
    readonly pidFile: string;

    /** Set once an operation that ran the Kubernetes provider has been checked (see checkProvider). */
    private providerChecked = false;

    private constructor(
        readonly stack: auto.Stack,
        readonly env: Record<string, string>,
        pidFile: string,
        readonly backendDir: string,
        private readonly provider: KubernetesProvider,
        private readonly standinMarker: string,
    ) {
        this.pidFile = pidFile;
    }

    /**
     * The provider that ran is the one chosen: the stand-in writes its PID to $E2E_STANDIN_MARKER
     * when it starts, the real binary writes nothing. Checked after the first operation whose steps
     * touch a kubernetes: resource (an empty program never starts the provider).
     */
    private checkProvider(steps: string[]): void {
        if (this.providerChecked || !steps.some((s) => s.includes("kubernetes:"))) return;
        this.providerChecked = true;
        const ran = fs.existsSync(this.standinMarker);
        if (ran !== !this.provider.real) {
            throw new Error(
                `the engine ran the ${ran ? "stand-in" : "real"} Kubernetes provider, but the harness chose ${this.provider.describe}: ` +
                    "a pulumi-resource-kubernetes on $PATH or in PULUMI_HOME other than the one installed (see PULUMI_IGNORE_AMBIENT_PLUGINS in harness/tools.ts)",
            );
        }
    }

    /** Update locks the file backend holds for this stack (a killed update leaves one). */
    locks(): string[] {
        const dir = path.join(this.backendDir, ".pulumi", "locks", "organization", "istio-mesh", this.stack.name);
        return fs.existsSync(dir) ? fs.readdirSync(dir) : [];
    }

    static async create(binDir: string, name: string, program: auto.PulumiFn, projectName = "istio-mesh"): Promise<MeshStack> {
        const home = tempDir("pulumi-home");
        const backend = tempDir("backend");
        const wrapRoot = tempDir("wrap");
        const wrapDir = path.join(wrapRoot, "bin");
        fs.mkdirSync(wrapDir);
        const pidFile = path.join(wrapRoot, "pulumi.pid");
        // A `pulumi` in front of the real one that records its PID and execs it (same process).
        fs.writeFileSync(path.join(wrapDir, "pulumi"), `#!/bin/sh\necho $$ > "${pidFile}"\nexec "${path.join(binDir, "pulumi")}" "$@"\n`, { mode: 0o755 });
        const base = pulumiEnv(binDir, home, backend);
        const standinMarker = path.join(wrapRoot, "standin-started");
        const env = { ...base, PATH: `${wrapDir}${path.delimiter}${base.PATH}`, ISTIO_MESH_REPO: REPO, E2E_STANDIN_MARKER: standinMarker };
        const provider = kubernetesProvider(binDir);
        // Under the plugin version the SDK requests (see provider.ts); reported by its own version.
        const r = child_process.spawnSync(path.join(binDir, "pulumi"), ["plugin", "install", "resource", "kubernetes", provider.pluginVersion, "--file", provider.file], { env, encoding: "utf8" });
        if (r.status !== 0) throw new Error(`plugin install failed: ${r.stderr}`);
        const rc = child_process.spawnSync(path.join(binDir, "pulumi"), ["plugin", "install", "resource", "command", "1.2.1", "--file", commandProvider(binDir).file], { env, encoding: "utf8" });
        if (rc.status !== 0) throw new Error(`plugin install (command) failed: ${rc.stderr}`);
        const stack = await auto.LocalWorkspace.createOrSelectStack(
            { projectName, stackName: name, program },
            {
                envVars: env,
                pulumiCommand: await auto.PulumiCommand.get({ root: wrapRoot, skipVersionCheck: true }),
                projectSettings: { name: projectName, runtime: "nodejs", backend: { url: `file://${backend}` } },
            },
        );
        return new MeshStack(stack, env, pidFile, backend, provider, standinMarker);
    }

    async setConfig(config: Record<string, unknown>): Promise<void> {
        const current = await this.stack.getAllConfig();
        const keys = Object.keys(current).filter((k) => !(k in config));
        if (keys.length > 0) await this.stack.removeAllConfig(keys);
        await this.stack.setAllConfig(Object.fromEntries(Object.entries(config).map(([k, v]) => [k, { value: typeof v === "string" ? v : JSON.stringify(v) }])));
    }

    private async timed<T>(what: string, fn: (onEvent: (e: auto.EngineEvent) => void) => Promise<T>): Promise<T> {
        const t0 = Date.now();
        const steps: string[] = [];
        const events: auto.EngineEvent[] = [];
        this.events = events;
        const onEvent = (e: auto.EngineEvent) => {
            events.push(e);
            const m = e.resourcePreEvent?.metadata;
            if (m && m.op !== "same") steps.push(`${m.op} ${m.urn.split("::").slice(2).join("::")}`);
        };
        try {
            return await fn(onEvent);
        } finally {
            const ms = Date.now() - t0;
            this.timings.push({ what, ms });
            this.stepLists.push({ what, steps: steps.sort() });
            console.log(`      [time] ${what}: ${(ms / 1000).toFixed(1)} s`);
            this.checkProvider(steps);
        }
    }

    up(what: string) {
        return this.timed(what, (onEvent) => this.stack.up({ onEvent }));
    }
    // Strict: a no-change preview (expectNoChanges) fails on any proposed step. The update after
    // a removal used to delete that update's removal gate; the gate now lives as long as the stack.
    preview(what: string, opts: auto.PreviewOptions = {}) {
        return this.timed(what, (onEvent) => this.stack.preview({ ...opts, onEvent }));
    }
    refresh(what: string, opts: auto.RefreshOptions = {}) {
        return this.timed(what, (onEvent) => this.stack.refresh({ ...opts, onEvent }));
    }
    /** Sets (or, with undefined, unsets) an environment variable for later CLI runs. */
    setEnv(key: string, value: string | undefined): void {
        const ws = this.stack.workspace as auto.LocalWorkspace;
        if (value === undefined) delete ws.envVars[key];
        else ws.envVars[key] = value;
    }

    /** `pulumi cancel`: on a file backend, removes the lock a killed update left behind. */
    cancel(what: string) {
        return this.timed(what, () => this.stack.cancel());
    }
    destroy(what: string) {
        return this.timed(what, (onEvent) => this.stack.destroy({ onEvent }));
    }
}

/** The error text of a failed automation call (the CLI's output, where the program's message is). */
export async function failure(p: Promise<unknown>): Promise<string> {
    try {
        await p;
    } catch (e) {
        return String((e as Error).message ?? e);
    }
    throw new Error("expected the operation to fail, and it succeeded");
}

/** SIGKILLs the CLI whose PID the wrapper recorded; its plugin processes are killed after it. */
export function killCli(pidFile: string): void {
    const pid = Number(fs.readFileSync(pidFile, "utf8").trim());
    const children = child_process.spawnSync("pgrep", ["-P", String(pid)], { encoding: "utf8" }).stdout.split("\n").filter(Boolean).map(Number);
    process.kill(pid, "SIGKILL");
    // Plugins orphaned by the kill would otherwise outlive the test.
    setTimeout(() => children.forEach((c) => { try { process.kill(c, "SIGKILL"); } catch { /* already gone */ } }), 1000);
}
