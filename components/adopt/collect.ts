/**
 * The read-only queries `npm run adopt` runs, and the LiveMesh built from their output. The
 * runner is injected: the CLI runs kubectl/helm, tests replay recorded documents and check that
 * nothing but `kubectl get`, `helm list` and `helm get values` is ever asked for.
 */
import { JsonMap } from "../config/model";
import { itemsOf, LiveMesh, splitChart } from "./live";

export type Tool = "kubectl" | "helm";
/** Runs one command and returns its stdout; throws (with stderr) when it fails. */
export type Runner = (tool: Tool, args: readonly string[]) => string;

export interface ClusterAccess {
    readonly context?: string;
    readonly kubeconfig?: string;
}

/** The only commands adopt may run: reads. Anything else is a bug (and a test failure). */
export function isReadOnly(tool: Tool, args: readonly string[]): boolean {
    if (tool === "kubectl") {
        return args[0] === "get";
    }
    return args[0] === "list" || (args[0] === "get" && args[1] === "values");
}

/** Flags that point a command at the stack's cluster (kubectl and helm spell the context flag differently). */
export function accessFlags(tool: Tool, access: ClusterAccess): string[] {
    return [
        ...(access.kubeconfig === undefined ? [] : ["--kubeconfig", access.kubeconfig]),
        ...(access.context === undefined ? [] : [tool === "helm" ? "--kube-context" : "--context", access.context]),
    ];
}

const ISTIO_CHARTS = new Set(["base", "istiod", "gateway", "cni", "istio-cni", "ztunnel"]);

/** Reads everything the mapping needs, through `run`, read-only. */
export function collectLive(run: Runner, namespace: string): LiveMesh {
    const read: Runner = (tool, args) => {
        if (!isReadOnly(tool, args)) {
            throw new Error(`internal: adopt never writes to the cluster (refused: ${tool} ${args.join(" ")})`);
        }
        return run(tool, args);
    };
    const json = (tool: Tool, args: string[]): unknown => {
        const out = read(tool, args).trim();
        return out === "" ? null : JSON.parse(out);
    };
    const releasesDoc = json("helm", ["list", "--all-namespaces", "--all", "--output", "json"]);
    const releases = Array.isArray(releasesDoc) ? releasesDoc : [];
    const values: Record<string, JsonMap | null> = {};
    const computed: Record<string, JsonMap | null> = {};
    for (const r of releases) {
        if (ISTIO_CHARTS.has(splitChart(r.chart).name)) {
            values[`${r.namespace}/${r.name}`] = json("helm", ["get", "values", r.name, "--namespace", r.namespace, "--output", "json"]) as JsonMap | null;
            computed[`${r.namespace}/${r.name}`] = json("helm", ["get", "values", r.name, "--namespace", r.namespace, "--all", "--output", "json"]) as JsonMap | null;
        }
    }
    return {
        namespace,
        releases,
        values,
        computed,
        mutatingWebhookConfigurations: itemsOf(json("kubectl", ["get", "mutatingwebhookconfigurations", "--output", "json"])),
        namespaces: itemsOf(json("kubectl", ["get", "namespaces", "--output", "json"])),
        services: itemsOf(json("kubectl", ["get", "services", "--namespace", namespace, "--output", "json"])),
        deployments: itemsOf(json("kubectl", ["get", "deployments", "--namespace", namespace, "--output", "json"])),
    };
}
