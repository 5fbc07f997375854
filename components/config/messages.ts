/**
 * Validation issues -> sentences in the user's words. The schema (zod) reports what it
 * expected and what it received in its own terms ("Invalid input: expected string, received
 * number"); a stack file's author thinks in YAML: a version YAML read as a number, a key left
 * empty, a list entry written as a bare value. Every issue is rewritten here from the value
 * actually found at its path, naming the allowed values and an example of the fix. One
 * mistake gives one sentence: a union reports only the branch the value was meant for, and a
 * misspelt required key is reported once, as the misspelling.
 */
import { z } from "zod";
import { ConfigIssue, formatPath } from "./errors";
import { lookalikeOf } from "./lookalike";

type Issue = z.core.$ZodIssue;
type Path = readonly PropertyKey[];

/** A full release per supported minor, for examples only. */
const EXAMPLE_RELEASE: Readonly<Record<number, string>> = {
    22: "1.22.8",
    23: "1.23.6",
    24: "1.24.6",
    25: "1.25.5",
    26: "1.26.8",
    27: "1.27.9",
    28: "1.28.10",
    29: "1.29.6",
    30: "1.30.3",
};
const NEWEST_EXAMPLE = "1.30.3";

/** The smallest working `istio-mesh:mesh`, as the stack file and as a command. */
export const MINIMAL_MESH =
    "the minimal config is `istio-mesh:mesh: {revisions: [{version: 1.30.3}]}` in the stack file's config: " +
    "(or: pulumi config set --path 'istio-mesh:mesh.revisions[0].version' 1.30.3)";

/**
 * What belongs at a config location, by pattern: `[]` stands for any list index, `*` for any
 * map key (a namespace, tag or gateway name). Used for "is required" and "must be" sentences.
 */
const WHAT: Readonly<Record<string, { what: string; example: string }>> = {
    "revisions": { what: "the list of Istio releases to run", example: "`revisions: [{version: 1.30.3}]`, or `- version: 1.30.3` lines under `revisions:`" },
    "revisions[]": { what: "a revision", example: "`- version: 1.30.3` (optionally with `name:` and `values:`)" },
    "revisions[].version": { what: "a full Istio release", example: "`version: 1.30.3`" },
    "revisions[].name": { what: "a revision name (a DNS label)", example: "`name: canary`" },
    "tags": { what: "a map of tag -> revision name", example: "`tags: {prod-stable: 1-30-3}`" },
    "tags.*": { what: "a revision name", example: "`prod-stable: 1-30-3`" },
    "defaultRevision": { what: "a tag or revision name", example: "`defaultRevision: prod-stable`" },
    "namespaces": { what: "a map of namespace -> tag or revision", example: "`namespaces: {bookinfo: prod-stable}`" },
    "namespaces.*": { what: "a tag or revision name, or a map with `revision:`", example: "`bookinfo: prod-stable` or `bookinfo: {revision: prod-stable, create: true}`" },
    "namespaces.*.revision": { what: "the tag or revision the namespace follows", example: "`{revision: prod-stable}`" },
    "gateways": { what: "a map of gateway name -> settings", example: "`gateways: {istio-ingressgateway: {revision: prod-stable}}`" },
    "gateways.*": { what: "a map with `revision:` (in place) or `canary:`", example: "`istio-ingressgateway: {revision: prod-stable}`" },
    "gateways.*.listeners": { what: "the Gateway's listeners (kind gateway-api)", example: "`listeners: [{name: http, port: 80, protocol: HTTP}]`" },
    "gateways.*.canary": { what: "a map of tag or revision -> {replicas}", example: "`canary: {prod-stable: {replicas: 2}}`" },
    "gateways.*.canary.*": { what: "a map with `replicas:`", example: "`prod-stable: {replicas: 2}`" },
    "controlPlane": { what: "a map of istiod settings", example: "`controlPlane: {replicas: 2}`" },
    "cni": { what: "a map", example: "`cni: {enabled: true, excludeNamespaces: [kube-system, istio-system]}`" },
    "mtls": { what: "an mTLS mode or a map with `mode:`", example: "`mtls: STRICT` or `mtls: {mode: STRICT, namespaces: {legacy: PERMISSIVE}}`" },
    "gateways.*.service.ports[]": { what: "a Service port", example: "`- {name: http2, port: 80, targetPort: 8080}`" },
    "gateways.*.service.ports[].name": { what: "the port's name (Istio reads the protocol from its prefix)", example: "`name: http2`" },
    "gateways.*.service.ports[].port": { what: "the Service port number", example: "`port: 80`" },
    "restarts": { what: "a map", example: "`restarts: {wait: true, timeoutSeconds: 300}`" },
};

/** Rewrites the schema's issues for one top-level key (`istio-mesh:mesh`) as ConfigIssues. */
export function describeIssues(root: string, schema: z.ZodType, value: unknown, issues: readonly Issue[]): ConfigIssue[] {
    const out: ConfigIssue[] = [];
    const seen = new Set<string>();
    for (const i of describeAll(schema, value, issues, [])) {
        const line = `${formatPath(root, i.path)}\u0000${i.message}`;
        if (!seen.has(line)) {
            seen.add(line);
            out.push({ path: formatPath(root, i.path), message: plain(i.message) });
        }
    }
    return out;
}

/**
 * A top-level value that is not a map at all (`istio-mesh:mesh:` left empty, a bare string or
 * list), or undefined when it is a map. `mesh` adds the minimal config to the sentence.
 */
export function rootProblem(mesh: boolean, value: unknown): string | undefined {
    if (isMap(value)) {
        return undefined;
    }
    const what = value === null ? "empty" : `must be a map of settings, not ${show(value)}`;
    return mesh ? `${what}; ${MINIMAL_MESH}` : `${what}; e.g. \`istio-mesh:cluster: {kind: existing, context: prod}\`, or remove it`;
}

interface Located {
    readonly path: Path;
    readonly message: string;
}

function describeAll(schema: z.ZodType, value: unknown, issues: readonly Issue[], prefix: Path): Located[] {
    // A misspelt required key shows as two issues (missing + unknown): report the misspelling once.
    const missing = issues.filter((i) => i.code === "invalid_type" && at(value, [...prefix, ...i.path]).found === false && i.path.length > 0);
    const merged = new Set<Issue>();
    const out: Located[] = [];
    for (const issue of issues) {
        if (issue.code !== "unrecognized_keys") {
            continue;
        }
        for (const key of issue.keys) {
            const parent = [...prefix, ...issue.path];
            const want = missing.find((m) => !merged.has(m) && samePath(m.path.slice(0, -1), issue.path) && nearMiss(key, String(m.path[m.path.length - 1])));
            if (want) {
                merged.add(want);
                const name = String(want.path[want.path.length - 1]);
                out.push({ path: [...parent, key], message: `unknown key; did you mean \`${name}\`? (${name} is required)` });
            } else {
                // A key the schema has that this one passes for: misspelt, or with a look-alike.
                // (Not one already written beside it: then this one is an extra, not a misspelling.)
                const written = at(value, parent).value;
                const keys = keysAt(schema, parent).filter((k) => !(isMap(written) && Object.hasOwn(written, k)));
                const close = lookalikeOf(key, keys) ?? keys.find((k) => nearMiss(key, k));
                out.push({ path: [...parent, key], message: close === undefined ? "unknown key; remove it or fix its spelling" : `unknown key; did you mean \`${close}\`?` });
            }
        }
    }
    for (const issue of issues) {
        if (issue.code !== "unrecognized_keys" && !merged.has(issue)) {
            out.push(...describeOne(schema, value, issue, prefix));
        }
    }
    return out;
}

function describeOne(schema: z.ZodType, root: unknown, issue: Issue, prefix: Path): Located[] {
    const path = [...prefix, ...issue.path];
    const { found, value } = at(root, path);
    const where = patternOf(schema, path);
    const name = lastKey(path);
    const one = (message: string): Located[] => [{ path, message }];
    switch (issue.code) {
        case "invalid_type": {
            if (!found) {
                const w = WHAT[where];
                return one(`${name} is required${w ? `: ${w.what}, e.g. ${w.example}` : ""}`);
            }
            return one(wrongType(issue.expected, value, where, name, !isOptional(schema, path)));
        }
        case "invalid_union": {
            if ("discriminator" in issue && issue.discriminator !== undefined) {
                // An optional discriminator (a chart gateway's kind) lists undefined among its values: not something to write.
                const options = ((issue as { options?: unknown[] }).options ?? []).filter((o) => o !== undefined);
                return one(notOneOf(value, options));
            }
            const branches = issue.errors ?? [];
            // The branch the value was meant for: one that got past the top-level type check.
            const meant = branches.find((b) => b.length > 0 && !b.some((i) => i.code === "invalid_type" && i.path.length === 0));
            if (meant) {
                return describeAll(schema, root, meant, path);
            }
            const expected = branches.flatMap((b) => b.filter((i) => i.code === "invalid_type" && i.path.length === 0).map((i) => (i as { expected: string }).expected));
            return one(wrongType(expected.includes("string") ? "string" : expected[0] ?? "object", value, where, name, !isOptional(schema, path), expected));
        }
        case "invalid_value":
            return one(notOneOf(value, issue.values));
        case "too_small": {
            if (issue.origin === "array" && !isZodWording(issue.message)) {
                return one(issue.message);
            }
            const min = String(issue.minimum);
            if (value === "" || (Array.isArray(value) && value.length === 0)) return one(`empty; write a value or remove ${name}`);
            if (issue.origin === "string" && typeof value === "string") return one(`must be at least ${min} characters long, not ${value.length}`);
            if (issue.origin === "array" && Array.isArray(value)) return one(`must list at least ${min} entries, not ${value.length}`);
            return one(`must be at least ${min}${typeof value === "number" ? `, not ${value}` : ""}`);
        }
        case "too_big": {
            const max = String(issue.maximum);
            if (Array.isArray(value)) return one(`must list at most ${max} ${max === "1" ? "entry" : "entries"}, not ${value.length}`);
            if (typeof value === "string") return one(`must be at most ${max} characters long, not ${value.length}`);
            return one(`must be at most ${max}${typeof value === "number" ? `, not ${value}` : ""}`);
        }
        case "unrecognized_keys":
            return describeAll(schema, root, [issue], prefix);
        default:
            return one(isZodWording(issue.message) ? `${show(value)} is not valid here${WHAT[where] ? `: write ${WHAT[where].what}, e.g. ${WHAT[where].example}` : ""}` : issue.message);
    }
}

/** The sentence for a value of the wrong kind (`expected` in the schema's terms). */
function wrongType(expected: string, value: unknown, where: string, name: string, required: boolean, alternatives: readonly string[] = [expected]): string {
    const w = WHAT[where];
    const eg = w ? `, e.g. ${w.example}` : "";
    if (value === null) {
        if (where.endsWith("[]")) {
            return `empty list entry; write ${w ? w.example : "a value"} or remove the \`-\``;
        }
        if (where.endsWith(".*")) {
            return `empty; write ${w ? `${w.what}${eg}` : "a value"}, or remove ${name}`;
        }
        if (required) {
            return `empty; ${name} is required${w ? `: ${w.what}${eg}` : ""}`;
        }
        if (expected === "array") return "empty; write [] or remove it";
        if (expected === "object" || expected === "record" || expected === "map") return "empty; write {} or remove it";
        return `empty; write a value${eg} or remove it`;
    }
    if (alternatives.includes("string") && (typeof value === "number" || typeof value === "boolean")) {
        return quoted(value, where);
    }
    switch (expected) {
        case "string":
            return `must be ${w ? w.what : "a single value"}, not ${show(value)}${eg}`;
        case "number":
        case "int": {
            if (typeof value === "number") return `must be a whole number, not ${value}`;
            if (typeof value === "string" && /^\s*[-+]?\d+(\.\d+)?\s*$/.test(value)) return `a number, not text: write it without quotes: ${value.trim()}`;
            return `must be a whole number (e.g. 2), not ${show(value)}`;
        }
        case "boolean":
            if (typeof value === "string" && /^(true|false)$/i.test(value.trim())) {
                return `write ${value.trim().toLowerCase()} without quotes (a yes/no value, not text)`;
            }
            if (typeof value === "string" && /^(yes|no|on|off|y|n)$/i.test(value.trim())) {
                return `write true or false, not ${show(value)}`;
            }
            return `must be true or false, not ${show(value)}`;
        case "array":
            if (where === "revisions") {
                const version = typeof value === "string" ? value : isMap(value) && typeof value.version === "string" ? value.version : NEWEST_EXAMPLE;
                return `must be a list: write \`- version: ${version}\` under revisions:`;
            }
            return `must be a list (lines starting with \`- \`), not ${show(value)}`;
        default: {
            // object / record: a map
            if (where === "revisions[]") {
                return `write \`- version: ${versionText(value)}\` (a revision is a map with a version)`;
            }
            if (Array.isArray(value)) {
                return `must be a map (key: value lines), not a list: remove the \`- \` before each entry${eg}`;
            }
            if (where === "") {
                return `must be a map of settings, not ${show(value)}`;
            }
            return `must be ${w ? w.what : "a map (key: value)"}, not ${show(value)}${eg}`;
        }
    }
}

/** A number or boolean where text is needed: YAML read an unquoted value as something else. */
function quoted(value: number | boolean, where: string): string {
    if (typeof value === "boolean") {
        return `write it quoted: "${value}" (YAML reads ${value} without quotes as a yes/no value, not text)`;
    }
    if (where === "revisions[].version") {
        const written = writtenVersion(value);
        const release = releaseFor(written);
        const forms = /^1\.\d+$/.test(written) ? `, or MAJOR.MINOR "${written}" with management: aks-addon` : "";
        return `write it quoted: "${release}" (YAML reads ${written} as the number ${value}${release === written ? "" : `; a version is a full release MAJOR.MINOR.PATCH${forms}`})`;
    }
    const s = String(value);
    return Number.isInteger(value)
        ? `write it quoted: "${s}" (YAML reads ${s} without quotes as a number)`
        : `write it quoted, exactly as you mean it (YAML reads it without quotes as the number ${s}, dropping trailing zeros)`;
}

/** The text the user most likely wrote for a version YAML read as a number: 1.3 was `1.30`. */
function writtenVersion(n: number): string {
    const s = String(n);
    const m = /^1\.(\d)$/.exec(s);
    return m && EXAMPLE_RELEASE[Number(m[1]) * 10] !== undefined ? `${s}0` : s;
}

function releaseFor(written: string): string {
    const m = /^1\.(\d+)$/.exec(written);
    if (m) {
        return EXAMPLE_RELEASE[Number(m[1])] ?? `${written}.0`;
    }
    return /^\d+$/.test(written) ? NEWEST_EXAMPLE : written;
}

function versionText(value: unknown): string {
    if (typeof value === "string" && value !== "") return value;
    if (typeof value === "number") return `"${releaseFor(writtenVersion(value))}"`;
    return NEWEST_EXAMPLE;
}

function notOneOf(value: unknown, options: readonly unknown[]): string {
    const allowed = options.map((o) => String(o));
    const close = typeof value === "string" ? allowed.find((o) => o.toLowerCase() === value.toLowerCase() || nearMiss(value, o)) : undefined;
    const what = value === undefined ? "missing" : value === null ? "empty" : `${show(value)} is not allowed`;
    return `${what}; write ${allowed.length === 1 ? allowed[0] : `one of: ${allowed.join(", ")}`}${close ? ` (did you mean ${close}?)` : ""}`;
}

/** A value as the user wrote it (roughly), for sentences. */
function show(v: unknown): string {
    if (typeof v === "string") return JSON.stringify(v);
    if (v === null) return "empty";
    if (Array.isArray(v)) return "a list";
    if (typeof v === "object") return "a map";
    return String(v);
}

function isMap(v: unknown): v is Record<string, unknown> {
    return v !== null && typeof v === "object" && !Array.isArray(v);
}

function lastKey(path: Path): string {
    for (let i = path.length - 1; i >= 0; i--) {
        if (typeof path[i] === "string") return String(path[i]);
    }
    return "this value";
}

function samePath(a: Path, b: Path): boolean {
    return a.length === b.length && a.every((p, i) => p === b[i]);
}

/** The value at a path, and whether the last key is there at all. */
function at(root: unknown, path: Path): { found: boolean; value: unknown } {
    let v: unknown = root;
    for (const p of path) {
        if (v === null || typeof v !== "object" || !Object.hasOwn(v, p as PropertyKey)) {
            return { found: false, value: undefined };
        }
        v = (v as Record<PropertyKey, unknown>)[p as PropertyKey];
    }
    return { found: v !== undefined, value: v };
}

/** A misspelling: same letters ignoring case, or at most two edits apart (for names longer than 3). */
export function nearMiss(a: string, b: string): boolean {
    if (a.toLowerCase() === b.toLowerCase()) return true;
    if (Math.min(a.length, b.length) <= 3 || Math.abs(a.length - b.length) > 2) return false;
    return editDistance(a.toLowerCase(), b.toLowerCase()) <= 2;
}

function editDistance(a: string, b: string): number {
    let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
        const cur = [i];
        for (let j = 1; j <= b.length; j++) {
            cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        }
        prev = cur;
    }
    return prev[b.length];
}

// --- Where in the schema ----------------------------------------------------------------------

interface Def {
    readonly type: string;
    readonly shape?: Record<string, z.ZodType>;
    readonly element?: z.ZodType;
    readonly valueType?: z.ZodType;
    readonly innerType?: z.ZodType;
    readonly options?: readonly z.ZodType[];
    readonly out?: z.ZodType;
}

const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

/** Wrappers that do not change where a value sits. */
function unwrap(s: z.ZodType): z.ZodType {
    for (let d = defOf(s); ; d = defOf(s)) {
        if ((d.type === "optional" || d.type === "nullable" || d.type === "default" || d.type === "readonly") && d.innerType) s = d.innerType;
        else if (d.type === "pipe" && d.out) s = d.out;
        else return s;
    }
}

/** The schemas a value at `path` may match (several under a union). */
function schemasAt(schema: z.ZodType, path: Path): { schemas: z.ZodType[]; pattern: string } {
    let current = [schema];
    let pattern = "";
    for (const p of path) {
        const next: z.ZodType[] = [];
        let step = typeof p === "number" ? "[]" : `.${String(p)}`;
        const expand = (s: z.ZodType): void => {
            const u = unwrap(s);
            const d = defOf(u);
            if (d.type === "union" && d.options) {
                d.options.forEach(expand);
            } else if (d.type === "object" && d.shape && typeof p === "string" && Object.hasOwn(d.shape, p)) {
                next.push(d.shape[p]);
            } else if (d.type === "array" && d.element && typeof p === "number") {
                next.push(d.element);
            } else if (d.type === "record" && d.valueType) {
                next.push(d.valueType);
                step = ".*";
            }
        };
        current.forEach(expand);
        pattern += step;
        current = next;
    }
    return { schemas: current, pattern: pattern.replace(/^\./, "") };
}

/** The keys a map at `path` may have (its strict objects' shapes), for "did you mean". */
function keysAt(schema: z.ZodType, path: Path): string[] {
    const keys = new Set<string>();
    const add = (s: z.ZodType): void => {
        const d = defOf(unwrap(s));
        if (d.type === "union" && d.options) d.options.forEach(add);
        else if (d.type === "object" && d.shape) Object.keys(d.shape).forEach((k) => keys.add(k));
    };
    schemasAt(schema, path).schemas.forEach(add);
    return [...keys];
}

function patternOf(schema: z.ZodType, path: Path): string {
    return schemasAt(schema, path).pattern;
}

function isOptional(schema: z.ZodType, path: Path): boolean {
    if (path.length === 0) return false;
    const { schemas } = schemasAt(schema, path);
    return schemas.length === 0 || schemas.some((s) => defOf(s).type === "optional");
}

// --- Last line of defence --------------------------------------------------------------------

const ZOD_WORDING = /Invalid input|Invalid option|Invalid discriminator|expected|received|discriminator|Unrecognized/i;

function isZodWording(message: string): boolean {
    return ZOD_WORDING.test(message) || /^Invalid /.test(message) || /^Too (small|big)/.test(message);
}

/** Never let the library's wording through, whatever issue code a future zod adds. */
function plain(message: string): string {
    return isZodWording(message) ? "is not valid here; see the README's configuration reference" : message;
}
