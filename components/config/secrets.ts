/**
 * Secret values in the stack config. Only `istio-mesh:cluster.kubeconfig` may be a Pulumi
 * secret (and it is handled as one even when it is not). Everything else is plain config that
 * ends up in Helm values, labels and resource names: a secret there would be written out in
 * plain text, so it is refused.
 */
import { ConfigIssue, formatPath } from "./errors";

/** What a secret value shows as in the plan, and the stand-in for one it cannot decrypt. */
export const SECRET_PLACEHOLDER = "[secret]";

const PLAIN_EXPECTED =
    "this value is a Pulumi secret; istio-mesh reads it as plain config: run `pulumi config set` without --secret";

/** A Pulumi encrypted config value as it stands in a stack file: `{secure: "v1:..."}`. */
export function isSecureValue(v: unknown): v is { secure: string } {
    return v !== null && typeof v === "object" && !Array.isArray(v) && Object.keys(v).length === 1 && typeof (v as { secure?: unknown }).secure === "string";
}

/** True when a value holds an encrypted (`secure:`) value anywhere (what makes the engine list its key as secret). */
export function containsSecureValue(v: unknown): boolean {
    if (isSecureValue(v)) {
        return true;
    }
    if (Array.isArray(v)) {
        return v.some(containsSecureValue);
    }
    return v !== null && typeof v === "object" && Object.values(v).some(containsSecureValue);
}

/**
 * Secure-value handling for one top-level key, before the schema sees it. A stack file (the plan
 * command) carries encrypted values as `{secure: ...}`: the whole `istio-mesh:cluster` or its
 * `kubeconfig` become an opaque kubeconfig (SECRET_PLACEHOLDER); anywhere else it is an error
 * naming the path. Under the Pulumi CLI values arrive decrypted and only the key is known to
 * be secret (`keyIsSecret`): fine for the cluster (the kubeconfig is a secret anyway), an error
 * for the mesh. Returns undefined when it pushed an issue.
 */
export function withSecrets(key: string, value: unknown, keyIsSecret: boolean, issues: ConfigIssue[], clusterKey: string): unknown {
    if (key === clusterKey) {
        if (isSecureValue(value)) {
            return { kind: "existing", kubeconfig: SECRET_PLACEHOLDER };
        }
        if (value !== null && typeof value === "object" && isSecureValue((value as { kubeconfig?: unknown }).kubeconfig)) {
            value = { ...value, kubeconfig: SECRET_PLACEHOLDER };
        }
    }
    const found: string[] = [];
    const walk = (v: unknown, path: PropertyKey[]) => {
        if (isSecureValue(v)) {
            found.push(formatPath(key, path));
        } else if (Array.isArray(v)) {
            v.forEach((e, i) => walk(e, [...path, i]));
        } else if (v !== null && typeof v === "object") {
            for (const [k, e] of Object.entries(v)) {
                walk(e, [...path, k]);
            }
        }
    };
    walk(value, []);
    if (found.length === 0 && keyIsSecret && key !== clusterKey) {
        found.push(key);
    }
    for (const path of found) {
        issues.push({ path, message: PLAIN_EXPECTED });
    }
    return found.length > 0 ? undefined : value;
}
