/**
 * The keys of the stack's config map itself (`istio-mesh:mesh`, `kubernetes:context`, ...):
 * which are ours, which a provider reads, and the mistakes in between, each reported once.
 */
import { ConfigIssue } from "./errors";
import { nearMiss } from "./messages";

/**
 * Namespaces of the providers this program uses (and Pulumi's own), with their keys that share
 * a name with ours (`kubernetes:cluster` is the Kubernetes provider's): every other key of theirs
 * is theirs to check. Keys of any other namespace are read by nothing and reported.
 */
export const PROVIDER_NAMESPACES: ReadonlyMap<string, ReadonlySet<string>> = new Map([
    ["kubernetes", new Set(["cluster"])],
    ["azure-native", new Set<string>()],
    ["command", new Set<string>()],
    ["pulumi", new Set<string>()],
]);

/**
 * Top-level keys of the config map that are not the program's, when they look meant for it:
 * the `--path` shorthand written as a key (`istio-mesh:mesh.revisions`), the key without its
 * namespace (`mesh:`), a misspelt namespace or key. `meant` holds the keys they stand for, so
 * the caller does not also report those as missing.
 */
export function topLevelKeyIssues(keys: readonly string[], namespace: string, known: readonly string[]): { issues: ConfigIssue[]; meant: Set<string> } {
    const issues: ConfigIssue[] = [];
    const meant = new Set<string>();
    const names = known.map((k) => k.slice(namespace.length + 1));
    const list = known.join(" and ");
    for (const key of [...keys].sort()) {
        if (known.includes(key)) {
            continue;
        }
        const colon = key.indexOf(":");
        const ns = colon < 0 ? undefined : key.slice(0, colon);
        const rest = colon < 0 ? key : key.slice(colon + 1);
        const dot = rest.indexOf(".");
        const name = dot < 0 ? rest : rest.slice(0, dot);
        const sub = dot < 0 ? "" : rest.slice(dot + 1);
        const ours = ns === namespace;
        const looksOurs = ns === undefined || ours || ns.toLowerCase().replace(/[^a-z]/g, "") === namespace.replace(/[^a-z]/g, "") || nearMiss(ns, namespace);
        const exact = names.find((n) => n === name);
        const close = exact ?? names.find((n) => nearMiss(name, n));
        if (!looksOurs && ns !== undefined) {
            const provider = PROVIDER_NAMESPACES.get(ns);
            if (provider !== undefined && (close === undefined || provider.has(name))) {
                continue; // a provider's key (kubernetes:context, pulumi:template, kubernetes:cluster)
            }
            if (close === undefined) {
                // Nothing reads it: a typo here must not be silently ignored either.
                issues.push({ path: key, message: `unknown key: nothing in this program reads the ${ns}: namespace (${list} are its keys; its providers read ${[...PROVIDER_NAMESPACES.keys()].map((n) => `${n}:`).join(", ")}); remove it or fix its namespace` });
                continue;
            }
            // Our key under another namespace (`istio:mesh`): it stands for ours, reported once.
            const right = `${namespace}:${close}`;
            meant.add(right);
            const nested = sub === "" ? "" : `, with \`${sub.split(".")[0]}:\` nested under it`;
            issues.push({ path: key, message: `unknown key (wrong namespace ${ns}:): write the key as \`${right}\`${nested}; the program reads ${list}` });
            continue;
        }
        if (close === undefined) {
            // Ours by its namespace (even misspelt): an unknown key must not be silently ignored.
            issues.push({ path: key, message: `unknown key; the keys are ${list}` });
            continue;
        }
        const right = `${namespace}:${close}`;
        meant.add(right);
        const nested = sub === "" ? "" : `, with \`${sub.split(".")[0]}:\` nested under it`;
        if (ours && exact !== undefined) {
            issues.push({
                path: key,
                message: `\`${key}\` is a config path (pulumi config set --path), not a key: in the stack file write \`${right}:\`${nested}`,
            });
        } else if (ours) {
            issues.push({ path: key, message: `unknown key; did you mean \`${right}\`? the keys are ${list}` });
        } else {
            issues.push({ path: key, message: `write the key as \`${right}\`${nested} (the program reads keys in the ${namespace}: namespace)` });
        }
    }
    return { issues, meant };
}
