/**
 * The read-only question the in-use check asks the live cluster: every pod, in every
 * namespace (not only configured ones). Asked with kubectl and the stack's own kubeconfig and
 * context, synchronously while the program runs (preview and up), before any resource is
 * registered.
 */
// @ts-nocheck

import * as child_process from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PodFacts } from "./inUse";

/** Where the stack's cluster is: the same kubeconfig (path or contents) and context as the provider. */
export interface LiveAccess {
    readonly kubeconfig?: string;
    readonly context?: string;
}

export type LivePods = { readonly pods: readonly PodFacts[] } | { readonly unreachable: string };

/** How long the query may take before the cluster counts as unreachable. */
export const QUERY_TIMEOUT_MS = 60_000;

export function queryPods(access: LiveAccess, kubectl = "kubectl"): LivePods {
    const args: string[] = [];
    let tempDir: string | undefined;
    try {
        if (access.kubeconfig !== undefined) {
            let file = access.kubeconfig;
            if (!isPath(file)) {
                tempDir = fs.mkdtempSync(path.join(os.tmpdir(), "istio-mesh-kc-"));
                file = path.join(tempDir, "kubeconfig");
                fs.writeFileSync(file, access.kubeconfig, { mode: 0o600 });
            }
            args.push("--kubeconfig", file);
        }
        if (access.context !== undefined) {
            args.push("--context", access.context);
        }
        args.push("get", "pods", "--all-namespaces", "-o", "json", "--request-timeout=30s");
        const r = child_process.spawnSync(kubectl, args, { encoding: "utf8", timeout: QUERY_TIMEOUT_MS, maxBuffer: 512 << 20 });
        if (r.error !== undefined) {
            return { unreachable: `${kubectl} could not run (${r.error.message}); install kubectl 1.30+ on the machine that runs pulumi` };
        }
        if (r.status !== 0) {
            return { unreachable: (r.stderr || r.stdout).trim().split("\n").slice(-3).join(" ") };
        }
        return { pods: podFacts(JSON.parse(r.stdout)) };
    } finally {
        if (tempDir !== undefined) {
            fs.rmSync(tempDir, { recursive: true, force: true });
        }
    }
}

/** A kubeconfig value is a path when it is one line naming an existing file. */
function isPath(value: string): boolean {
    return !value.includes("\n") && fs.existsSync(value);
}

/** `kubectl get pods -o json` -> the facts the check reads. */
export function podFacts(list: { items?: unknown[] }): PodFacts[] {
    return (list.items ?? []).map((item) => {
        const pod = item as { metadata?: { namespace?: string; name?: string; labels?: Record<string, string>; annotations?: Record<string, string> }; status?: { phase?: string } };
        return {
            namespace: pod.metadata?.namespace ?? "",
            name: pod.metadata?.name ?? "",
            phase: pod.status?.phase ?? "Unknown",
            labels: pod.metadata?.labels ?? {},
            annotations: pod.metadata?.annotations ?? {},
        };
    });
}
