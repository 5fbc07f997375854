/**
 * Keys a JavaScript object cannot hold as data. `__proto__` as a map key is an own property of
 * what YAML and JSON.parse return, but every `target[key] = value` copy (the schema's record
 * parsing is one) sets the prototype instead: the entry would vanish without a word. So it is
 * reported where it stands, and left out of what the schema sees (one issue, no follow-ons).
 */
import { ConfigIssue, formatPath } from "./errors";

/** Keys lost by plain assignment. (`constructor`, `toString` are kept as own properties.) */
export const UNSAFE_KEYS: ReadonlySet<string> = new Set(["__proto__"]);

/** What a key under each map becomes, for the sentence (the top-level mesh key's maps). */
const BECOMES: ReadonlyMap<string, string> = new Map([
    ["tags", "a tag is a Kubernetes name (the Service istiod-revision-tag-<tag>, the webhook istio-revision-tag-<tag>), a DNS label"],
    ["namespaces", "a namespace name is a DNS label"],
    ["gateways", "a gateway name is a Helm release and Kubernetes name, a DNS label"],
    ["labels", "a label key is letters, digits, '-', '_' and '.', starting and ending with a letter or digit"],
]);

function isMap(v: unknown): v is Record<string, unknown> {
    return v !== null && typeof v === "object" && !Array.isArray(v);
}

/**
 * Every `__proto__` key in `value` (at any depth) as an issue under `root`, and `value` without
 * them (copies only where one was found; the rest is returned as it is).
 */
export function unsafeKeyIssues(root: string, value: unknown): { issues: ConfigIssue[]; value: unknown } {
    const issues: ConfigIssue[] = [];
    const walk = (v: unknown, path: PropertyKey[]): unknown => {
        if (Array.isArray(v)) {
            let copy: unknown[] | undefined;
            v.forEach((e, i) => {
                const w = walk(e, [...path, i]);
                if (w !== e) (copy ??= [...v])[i] = w;
            });
            return copy ?? v;
        }
        if (!isMap(v)) return v;
        let changed = false;
        const entries: [string, unknown][] = [];
        for (const k of Object.keys(v)) {
            if (UNSAFE_KEYS.has(k)) {
                changed = true;
                const parent = String(path[path.length - 1] ?? "");
                const why = BECOMES.get(parent);
                issues.push({
                    path: formatPath(root, [...path, k]),
                    message:
                        `${JSON.stringify(k)} cannot be a name here: ${why === undefined ? "it is not a valid key in this config" : `${why}, and it is not one`}, ` +
                        `and it is the one key a JavaScript object cannot hold as data (it would be dropped without a word); rename it, e.g. to "proto", or remove it`,
                });
                continue;
            }
            const e = v[k];
            const w = walk(e, [...path, k]);
            if (w !== e) changed = true;
            entries.push([k, w]);
        }
        // Object.fromEntries defines own properties, so what is kept stays exactly as written.
        return changed ? Object.fromEntries(entries) : v;
    };
    const out = walk(value, []);
    return { issues, value: out };
}
