/**
 * `mesh.cni`: the Istio CNI node agent instead of the privileged istio-init container.
 * Schema, normalized shape and validation; pure.
 */
import { z } from "zod";
import { dnsLabelProblem } from "../versions/version";

/** Istio's log levels (the chart's `logging.level`, `--log_output_level`). */
export const CNI_LOG_LEVELS = ["debug", "info", "warn", "error", "none"] as const;

export const cniSchema = z.strictObject({
    enabled: z.boolean().optional(),
    namespace: z.string().optional(),
    excludeNamespaces: z.array(z.string()).optional(),
    logLevel: z.enum(CNI_LOG_LEVELS).optional(),
    values: z.record(z.string(), z.unknown()).optional(),
});
export type RawCni = z.infer<typeof cniSchema>;

export interface CniConfig {
    /** Namespace of release istio-cni (DaemonSet istio-cni-node). Default: the control-plane namespace. */
    readonly namespace: string;
    /** Namespaces whose pods the agent never redirects. Default: kube-system and the control-plane namespace. */
    readonly excludeNamespaces: readonly string[];
    /** undefined = the chart's default (info). */
    readonly logLevel?: (typeof CNI_LOG_LEVELS)[number];
    /** Raw cni chart values merged last (escape hatch; not checked against the chart). */
    readonly values: Readonly<Record<string, unknown>>;
}

export interface CniScope {
    /** Control-plane namespace. */
    readonly namespace: string;
    /** Namespaces enrolled in the mesh (mesh.namespaces). */
    readonly enrolled: readonly string[];
    /** The AKS add-on runs its own data-plane setup. */
    readonly addon: boolean;
    /** Config path below `mesh.cni`. */
    readonly at: (...path: PropertyKey[]) => string;
}

/**
 * The default namespace is the control-plane namespace for every chart version: Istio's Helm
 * instructions install `istio-cni` with `-n istio-system`, and one default for all versions
 * means an upgrade never moves the DaemonSet (which the transition rules refuse). Platforms
 * that admit the system-node-critical priority class only in kube-system (GKE) either set
 * `namespace: kube-system` or `values: {resourceQuotas: {enabled: true}}` (the chart's switch).
 */
export function normalizeCni(raw: RawCni | undefined, scope: CniScope, issues: { path: string; message: string }[]): CniConfig | undefined {
    if (raw === undefined || !(raw.enabled ?? false)) {
        return undefined;
    }
    if (scope.addon) {
        issues.push({ path: scope.at("enabled"), message: "the AKS add-on sets up its own data plane; remove mesh.cni (or set enabled: false) with management aks-addon" });
        return undefined;
    }
    const namespace = raw.namespace ?? scope.namespace;
    const nsProblem = dnsLabelProblem(namespace);
    if (nsProblem) {
        issues.push({ path: scope.at("namespace"), message: nsProblem });
    }
    const excludeNamespaces = raw.excludeNamespaces ?? ["kube-system", scope.namespace];
    const seen = new Set<string>();
    excludeNamespaces.forEach((ns, i) => {
        const p = dnsLabelProblem(ns);
        if (p) {
            issues.push({ path: scope.at("excludeNamespaces", i), message: p });
        } else if (seen.has(ns)) {
            issues.push({ path: scope.at("excludeNamespaces", i), message: `"${ns}" is listed twice; remove one` });
        } else if (scope.enrolled.includes(ns)) {
            issues.push({
                path: scope.at("excludeNamespaces", i),
                message: `"${ns}" is in mesh.namespaces: its pods would get a sidecar but no traffic redirection (injection without istio-init relies on the CNI agent); remove it from excludeNamespaces or from mesh.namespaces`,
            });
        }
        seen.add(ns);
    });
    return {
        namespace,
        excludeNamespaces: [...excludeNamespaces],
        ...(raw.logLevel === undefined ? {} : { logLevel: raw.logLevel }),
        values: raw.values ?? {},
    };
}
