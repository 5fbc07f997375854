/**
 * The real Pulumi CLI against a copy of this project: a private PULUMI_HOME with locally built
 * plugins, a file backend in a temp dir, and stack settings written per scenario step.
 */
import * as child_process from "child_process";
import * as fs from "fs";
import * as path from "path";
import { stringify } from "yaml";
import { installPlugins, pulumiEnv, tempDir } from "./tools";

const REPO = path.resolve(__dirname, "..", "..", "..");
/** What a user's checkout needs to run the program (tests and scripts are not part of it). */
const PROJECT_FILES = ["Pulumi.yaml", "index.ts", "components", "package.json", "tsconfig.json"];

export interface CliResult {
    code: number;
    stdout: string;
    stderr: string;
    ms: number;
}

export class PulumiProject {
    readonly dir: string;
    readonly env: Record<string, string>;
    private salt = "";
    /** Every timed command, for the report. */
    readonly timings: { what: string; ms: number }[] = [];

    constructor(binDir: string, readonly stack: string, opts: { files?: Record<string, string> } = {}) {
        this.dir = tempDir("project");
        if (opts.files) {
            for (const [name, text] of Object.entries(opts.files)) fs.writeFileSync(path.join(this.dir, name), text);
        } else {
            for (const f of PROJECT_FILES) fs.cpSync(path.join(REPO, f), path.join(this.dir, f), { recursive: true });
        }
        fs.symlinkSync(path.join(REPO, "node_modules"), path.join(this.dir, "node_modules"));
        const home = tempDir("pulumi-home");
        const backend = tempDir("backend");
        this.env = {
            ...pulumiEnv(binDir, home, backend),
            // npm test type-checks; here the engine is under test, not the compiler.
            PULUMI_NODEJS_TRANSPILE_ONLY: "true",
        };
        const missing = installPlugins(binDir, home);
        if (missing.length > 0) throw new Error(`plugins missing: ${missing.join(", ")}`);
    }

    /** Runs `pulumi <args>`; resolves with the exit code (never rejects on a non-zero exit). */
    run(args: string[], opts: { timeoutMs?: number; env?: Record<string, string>; onSpawn?: (p: child_process.ChildProcess) => void } = {}): Promise<CliResult> {
        const t0 = Date.now();
        return new Promise((resolve) => {
            const p = child_process.spawn("pulumi", [...args, "--non-interactive", "--cwd", this.dir], {
                env: { ...this.env, ...(opts.env ?? {}) },
                detached: true,
            });
            let stdout = "";
            let stderr = "";
            p.stdout.on("data", (d) => (stdout += d));
            p.stderr.on("data", (d) => (stderr += d));
            const timer = setTimeout(() => process.kill(-p.pid!, "SIGKILL"), opts.timeoutMs ?? 300_000);
            opts.onSpawn?.(p);
            p.on("close", (code, signal) => {
                clearTimeout(timer);
                resolve({ code: code ?? (signal ? 137 : 1), stdout, stderr, ms: Date.now() - t0 });
            });
        });
    }

    /** Like run, but throws with the output on a non-zero exit; records the timing. */
    async must(what: string, args: string[], opts: { timeoutMs?: number; env?: Record<string, string> } = {}): Promise<CliResult> {
        const r = await this.run(args, opts);
        this.timings.push({ what, ms: r.ms });
        if (r.code !== 0) {
            throw new Error(`pulumi ${args.join(" ")} failed (exit ${r.code}):\n${r.stdout.slice(-6000)}\n${r.stderr.slice(-3000)}`);
        }
        return r;
    }

    async init(): Promise<void> {
        await this.must("stack init", ["stack", "init", this.stack]);
        const file = this.settingsFile();
        const m = fs.existsSync(file) ? /encryptionsalt: (\S+)/.exec(fs.readFileSync(file, "utf8")) : null;
        this.salt = m ? m[1] : "";
    }

    settingsFile(): string {
        return path.join(this.dir, `Pulumi.${this.stack}.yaml`);
    }

    /** Writes the stack settings (keeping the passphrase salt `stack init` wrote). */
    writeConfig(config: Record<string, unknown>): void {
        const doc: Record<string, unknown> = this.salt ? { encryptionsalt: this.salt, config } : { config };
        fs.writeFileSync(this.settingsFile(), stringify(doc));
    }
}
