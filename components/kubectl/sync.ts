/**
 * kubectl run synchronously by the program or a CLI (not by a command resource), with the
 * stack's kubeconfig (a path, or contents written to a private temp file removed afterwards)
 * and context, never the shell's defaults when the stack names them. Read-only callers: the
 * in-use check, the probe report.
 */
import * as child_process from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/** Where the stack's cluster is: the same kubeconfig (path or contents) and context as the provider. */
export interface LiveAccess {
    readonly kubeconfig?: string;
    readonly context?: string;
}

/** A kubeconfig value is a path when it is one line naming an existing file. */
export function isKubeconfigPath(value: string): boolean {
    return !value.includes("\n") && fs.existsSync(value);
}

/** Private directories holding a kubeconfig right now; removed on exit and on INT, TERM, HUP too. */
const live = new Set<string>();
const SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
let guarded = false;

function removeLive(): void {
    for (const dir of live) {
        fs.rmSync(dir, { recursive: true, force: true });
    }
    live.clear();
}

/**
 * A signal that arrives while spawnSync blocks is handled once it returns: without a listener
 * Node would die at once and leave the file. The listener removes the directories, then lets
 * the signal do what it would have done: re-raised when no other listener handles it.
 */
function guardSignals(): void {
    if (guarded) return;
    guarded = true;
    process.on("exit", removeLive);
    for (const signal of SIGNALS) {
        const onSignal = () => {
            removeLive();
            reRaise(signal);
        };
        listeners.set(signal, onSignal);
        process.on(signal, onSignal);
    }
}

const listeners = new Map<string, () => void>();

/** The signal's own effect: without our listener, death by it, unless someone else handles it. */
function reRaise(signal: string): void {
    const ours = listeners.get(signal);
    if (ours !== undefined) {
        process.removeListener(signal, ours);
        listeners.delete(signal);
    }
    process.kill(process.pid, signal);
}

/**
 * A kubeconfig value that can only be a path (one line, not JSON, no `apiVersion:`) naming a
 * file that does not exist: the error naming that path, never "invalid kubeconfig" about the
 * temporary file its text would be written to.
 */
export function kubeconfigFileProblem(value: string): string | undefined {
    if (value.includes("\n") || value.trimStart().startsWith("{") || value.includes("apiVersion") || fs.existsSync(value)) return undefined;
    return `kubeconfig ${value}: no such file (istio-mesh:cluster.kubeconfig, or --kubeconfig, names a file that does not exist; give its path or the kubeconfig's contents)`;
}

/** Runs `kubectl [--kubeconfig F] [--context C] ARGS` and returns what spawnSync returns. */
export function kubectlSync(access: LiveAccess, args: readonly string[], opts: { kubectl?: string; timeoutMs: number }): child_process.SpawnSyncReturns<string> {
    const pre: string[] = [];
    let tempDir: string | undefined;
    let result: child_process.SpawnSyncReturns<string>;
    try {
        if (access.kubeconfig !== undefined) {
            let file = access.kubeconfig;
            const missing = kubeconfigFileProblem(file);
            if (missing !== undefined) throw new Error(missing);
            if (!isKubeconfigPath(file)) {
                guardSignals();
                // mkdtemp makes the directory 0700: the kubeconfig is never readable by others.
                tempDir = fs.mkdtempSync(path.join(os.tmpdir(), "istio-mesh-kc-"));
                live.add(tempDir);
                file = path.join(tempDir, "kubeconfig");
                fs.writeFileSync(file, access.kubeconfig, { mode: 0o600 });
            }
            pre.push("--kubeconfig", file);
        }
        if (access.context !== undefined) {
            pre.push("--context", access.context);
        }
        result = child_process.spawnSync(opts.kubectl ?? "kubectl", [...pre, ...args], { encoding: "utf8", timeout: opts.timeoutMs, maxBuffer: 512 << 20 });
    } finally {
        if (tempDir !== undefined) {
            fs.rmSync(tempDir, { recursive: true, force: true });
            live.delete(tempDir);
        }
    }
    // Ctrl-C or a cancelled job signals the whole process group: kubectl died of it, and so must
    // we, now that the file is gone (our listener re-raises it once it is the only one). Not when
    // spawnSync killed it for the timeout (SIGTERM, with error ETIMEDOUT): that one is ours, and
    // the caller reports it (the in-use check: "unreachable").
    const signal = result.signal;
    if (tempDir !== undefined && result.error === undefined && signal !== null && (SIGNALS as readonly string[]).includes(signal)) {
        reRaise(signal);
    }
    return result;
}
