/**
 * What the Kubernetes API server (and the image registry) would refuse, checked at preview:
 * label keys and values, resource quantities, the image hub, the names the program derives
 * from config (a tag's Service, Helm release names) and reserved names. Each rule follows
 * Kubernetes' own validation (k8s.io/apimachinery: validation.IsQualifiedName, IsValidLabelValue,
 * resource.ParseQuantity) so that nothing Kubernetes accepts is refused.
 */
import { ConfigIssue } from "./errors";

/** A label value, or the name part of a label or annotation key: 63 characters at most. */
export const LABEL_VALUE_MAX = 63;
/** Kubernetes object names that are DNS labels (a Service): 63 characters. */
export const DNS_LABEL_NAME_MAX = 63;
/** Helm release names: 53 characters (Helm's own limit; the objects it names add suffixes). */
export const HELM_RELEASE_MAX = 53;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Why KEY is not a label (or annotation) key: `[prefix/]name`, prefix a DNS subdomain of 253, name 63. */
export function labelKeyProblem(key: string): string | undefined {
    const slash = key.lastIndexOf("/");
    const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
    const name = slash >= 0 ? key.slice(slash + 1) : key;
    if (prefix !== undefined && (prefix === "" || prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))) {
        return `"${key}" is not a label key: the prefix before '/' must be a DNS subdomain (lower-case letters, digits, '-' and '.', at most 253 characters), e.g. example.com/team`;
    }
    if (name.length > LABEL_VALUE_MAX) {
        return `"${key}" is not a label key: the name after the prefix is ${name.length} characters, the limit is ${LABEL_VALUE_MAX}`;
    }
    if (!QUALIFIED_NAME.test(name)) {
        return `"${key}" is not a label key: use letters, digits, '-', '_' and '.', starting and ending with a letter or digit (optionally after a DNS prefix and '/')`;
    }
    return undefined;
}

/** Why VALUE is not a label value: empty, or 63 characters of letters, digits, '-', '_', '.' starting and ending alphanumeric. */
export function labelValueProblem(value: string): string | undefined {
    if (value.length > LABEL_VALUE_MAX) return `"${value}" is ${value.length} characters; a label value is at most ${LABEL_VALUE_MAX}`;
    if (value !== "" && !QUALIFIED_NAME.test(value)) {
        return `"${value}" is not a label value: use letters, digits, '-', '_' and '.', starting and ending with a letter or digit (or leave it empty)`;
    }
    return undefined;
}

/** Issues for a `labels` map at PATH (keys and values), or an annotations map (keys only). */
export function labelMapIssues(labels: Readonly<Record<string, string>> | undefined, path: string, valuesToo = true): ConfigIssue[] {
    const issues: ConfigIssue[] = [];
    for (const [k, v] of Object.entries(labels ?? {})) {
        const p = labelKeyProblem(k) ?? (valuesToo ? labelValueProblem(v) : undefined);
        if (p) issues.push({ path: `${path}.${k}`, message: p });
    }
    return issues;
}

/** resource.ParseQuantity's grammar: a signed decimal number and a suffix (binary SI, decimal SI, or an exponent). */
const QUANTITY = /^[+-]?(\d+(\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/;

/** Why V is not a resource quantity Kubernetes accepts for requests/limits (a YAML number is one). */
export function quantityProblem(v: unknown): string | undefined {
    const text = typeof v === "number" ? String(v) : typeof v === "string" ? v : undefined;
    if (text === undefined) return `${JSON.stringify(v)} is not a quantity; write e.g. 500m or 1 (CPU), 512Mi or 1Gi (memory)`;
    if (!QUANTITY.test(text)) {
        const hint = /^\s*\d+(\.\d+)?\s*(cores?|cpus?)\s*$/i.test(text) ? ` (CPU is counted in cores without a unit: ${text.trim().split(/\s+/)[0]})` : /\s/.test(text) ? " (no spaces)" : /^\d+(\.\d+)?[a-zA-Z]+$/.test(text) ? " (units: m, k, M, G, T, P, E or Ki, Mi, Gi, Ti, Pi, Ei; case matters)" : "";
        return `"${text}" is not a Kubernetes quantity${hint}; write e.g. 500m or 1 (CPU), 512Mi or 1Gi (memory)`;
    }
    if (text.startsWith("-")) return `"${text}" is negative; requests and limits are at least 0`;
    return undefined;
}

/** Issues for a container `resources` block at PATH: every requests/limits entry must be a quantity. */
export function resourcesIssues(resources: Readonly<Record<string, unknown>> | undefined, path: string): ConfigIssue[] {
    const issues: ConfigIssue[] = [];
    for (const part of ["requests", "limits"]) {
        const block = resources?.[part];
        if (block === undefined || block === null) continue;
        if (typeof block !== "object" || Array.isArray(block)) {
            issues.push({ path: `${path}.${part}`, message: `must be a map of resource names to quantities, e.g. {cpu: 500m, memory: 512Mi}` });
            continue;
        }
        for (const [name, q] of Object.entries(block)) {
            const p = quantityProblem(q);
            if (p) issues.push({ path: `${path}.${part}.${name}`, message: p });
        }
    }
    return issues;
}

const DOMAIN = /^(localhost|[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?(\.[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?)*)(:\d+)?$/;
const PATH_COMPONENT = /^[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*$/;

/**
 * Why HUB is not an image registry path (`global.hub`: images are `<hub>/<image>:<tag>`): no
 * scheme, no tag or digest (the tag comes from the revision's version), lower-case path.
 */
export function hubProblem(hub: string): string | undefined {
    const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(hub);
    if (scheme) return `"${hub}" has a scheme; a hub is a registry path without one: write ${hub.slice(scheme[0].length).replace(/\/+$/, "")}`;
    if (hub.includes("@")) return `"${hub}" has a digest; a hub is a registry path (images are <hub>/<image>:<version>): write ${hub.split("@")[0]}`;
    const parts = hub.split("/");
    const last = parts[parts.length - 1];
    if (parts.length > 1 && last.includes(":") || (parts.length === 1 && /:[^0-9]|:$/.test(last))) {
        return `"${hub}" has a tag; the tag comes from each revision's version (images are <hub>/<image>:<version>): write ${hub.replace(/:[^/]*$/, "")}`;
    }
    if (hub.endsWith("/")) return `"${hub}" ends with '/'; write ${hub.replace(/\/+$/, "")}`;
    const [first, ...rest] = parts;
    const hasDomain = parts.length > 1 && (first.includes(".") || first.includes(":") || first === "localhost");
    const bad = hasDomain ? (DOMAIN.test(first) ? rest.find((c) => !PATH_COMPONENT.test(c)) : first) : parts.find((c) => !PATH_COMPONENT.test(c));
    if (bad !== undefined) {
        return `"${hub}" is not a registry path: "${bad}" ${hasDomain && bad === first ? "is not a registry host[:port]" : "is not a repository path component (lower-case letters and digits, separated by '.', '_' or '-')"}; e.g. docker.io/istio or myregistry.example.com:5000/mirror/istio`;
    }
    return undefined;
}

/** Namespaces Istio never injects and the program must not enrol (their pods are the cluster's own). */
export const SYSTEM_NAMESPACES = new Set(["kube-system", "kube-public", "kube-node-lease"]);
/** Namespaces Kubernetes refuses to delete. */
export const UNDELETABLE_NAMESPACES = new Set(["default", "kube-system", "kube-public", "kube-node-lease"]);

/** Why a name derived from config is longer than the object it names allows (undefined: it fits). */
export function derivedNameProblem(what: string, derived: string, limit: number, fix: string): string | undefined {
    if (derived.length <= limit) return undefined;
    return `${what} ${derived} would be ${derived.length} characters, over the ${limit} Kubernetes/Helm allow; ${fix}`;
}

/**
 * `istio-mesh:cluster.kubeconfig` names a file (one line, not YAML/JSON contents) that does not
 * exist: the message naming the path, else undefined. The Kubernetes provider would otherwise
 * take the path as kubeconfig *contents* and fail naming a temporary file. Checked by
 * `pulumi preview`/`up` only, where the kubeconfig is used: the offline plan runs on a machine
 * that need not have it. (The same rule as the commands' shell preamble: `{`… or apiVersion is contents.)
 */
export function missingKubeconfigFile(value: string, exists: (path: string) => boolean): string | undefined {
    const contents = value.startsWith("{") || value.includes("apiVersion") || value.trim().includes("\n");
    if (contents || value.trim() === "" || exists(value)) return undefined;
    return `istio-mesh:cluster.kubeconfig: the file ${JSON.stringify(value)} does not exist; give the path of a kubeconfig file that exists here (absolute, or relative to the project directory), its contents as a secret (pulumi config set --secret --path 'istio-mesh:cluster.kubeconfig' "$(cat FILE)"), or leave it out to use $KUBECONFIG / ~/.kube/config`;
}
