/**
 * The offline plan: FROM stack file (or nothing) -> TO stack file, without a cluster or a
 * Pulumi CLI. Verdict, problems, ordered steps and the resources the program registers.
 */
import { ConfigError } from "../config/errors";
import { MeshConfig } from "../config/model";
import { isSecureValue, parseStackConfig } from "../config/stackConfig";
import { MeshState, previousBaseOf, stateOf } from "../state/deployed";
import { configCredentials, redact, RegisteredResource, runProgram, secretDigest } from "./mockRun";
import { planSteps } from "./steps";
import { inUseNote } from "./inUseRule";
import { liveCrdsNote } from "../gatewayapi/live";
import { deletedNamespaces, evaluateTransition, Problem } from "./transitions";

export type Verdict = "allowed" | "refused" | "invalid";

export interface ResourceChange {
    readonly type: string;
    readonly name: string;
    /** Top-level inputs whose values differ (for "changed"). */
    readonly fields?: string[];
    /** For "changed": each value that differs, at its path (`metadata.labels["istio.io/rev"]`), before -> after. */
    readonly diffs?: ValueChange[];
}

/** One value an input changes: its path in the inputs and the two values as JSON (undefined: absent). */
export interface ValueChange {
    readonly path: string;
    readonly before?: string;
    readonly after?: string;
}

export interface Plan {
    readonly verdict: Verdict;
    readonly problems: Problem[];
    readonly warnings: Problem[];
    readonly steps: string[];
    /** What the program registers for the TO config (type token, name, inputs). */
    readonly resources: RegisteredResource[];
    /**
     * `removed`: resources the engine deletes. `released`: resources that leave the program but
     * that it registered with retainOnDelete (a namespace the stack lets go of): the engine
     * forgets them and the object stays in the cluster, so they are no removal.
     */
    readonly changes: { readonly added: ResourceChange[]; readonly changed: ResourceChange[]; readonly removed: ResourceChange[]; readonly released: ResourceChange[] };
    /** User data the change deletes ("deletes namespace X and everything in it"), shown first. */
    readonly deletes: string[];
    /** What preview and up check against the live cluster, which an offline plan cannot. */
    readonly liveChecks: string[];
}

/** A stack file's `config:` map, or the problem that stops it being read. */
export type StackFile = { config: Record<string, unknown> } | { problem: Problem };

/** The stack name a plan runs under when none is given (names derived from it are placeholders then). */
export const PLACEHOLDER_STACK = "plan";

export interface PlanOptions {
    /** The stack the TO file configures (`Pulumi.<stack>.yaml`): names the program derives from it (an AKS cluster's) are the real ones. */
    readonly stack?: string;
}

const NOT_RESOURCES = new Set(["pulumi:pulumi:Stack", "pulumi:pulumi:StackReference"]);

function invalid(problems: Problem[]): Plan {
    return { verdict: "invalid", problems, warnings: [], steps: [], resources: [], changes: { added: [], changed: [], removed: [], released: [] }, deletes: [], liveChecks: [] };
}

function parse(file: StackFile, label: string): MeshConfig | Problem[] {
    if ("problem" in file) {
        return [file.problem];
    }
    try {
        return parseStackConfig(file.config);
    } catch (e) {
        if (e instanceof ConfigError) {
            return e.issues.map((i) => ({ code: "invalid-config", message: `${label}: ${i.path}: ${i.message}` }));
        }
        throw e;
    }
}

/**
 * The plan for FROM -> TO. Secrets never reach it: what the program marks secret and the
 * kubeconfig given in either file show as "[secret]"; encrypted (`secure:`) values are opaque.
 */
export async function plan(from: StackFile | undefined, to: StackFile, allowUnsafe: readonly string[] = [], options: PlanOptions = {}): Promise<Plan> {
    const credentials = [from, to].flatMap((f) => (f === undefined || "problem" in f ? [] : configCredentials(f.config)));
    const result = await planOf(from, to, allowUnsafe, options.stack);
    // Each resource's inputs are redacted as the program registers them (runProgram); what is
    // left is a credential quoted elsewhere (a message), so without one there is nothing to walk.
    return credentials.length === 0 ? result : (redact(result, credentials) as Plan);
}

async function planOf(from: StackFile | undefined, to: StackFile, allowUnsafe: readonly string[], stack: string | undefined): Promise<Plan> {
    const fromConfig = from === undefined ? undefined : parse(from, "--from");
    const toConfig = parse(to, "--to");
    const errors = [...(Array.isArray(fromConfig) ? fromConfig : []), ...(Array.isArray(toConfig) ? toConfig : [])];
    if (errors.length > 0 || Array.isArray(toConfig) || Array.isArray(fromConfig)) {
        return invalid(errors);
    }
    const fromState: MeshState | undefined = fromConfig === undefined ? undefined : stateOf(fromConfig);
    const toState = stateOf(toConfig, previousBaseOf(fromState, toConfig));
    // Offline: the in-use check needs the live cluster; liveChecks says preview runs it.
    const result = evaluateTransition(fromState, toState, allowUnsafe, { offline: true }, { offline: true });
    // Render both sides with every rule overridden: the verdict above is the judgement; the
    // runs only show what the program would register.
    // What the engine would not diff: the top-level inputs each resource lists in ignoreChanges.
    const ignored = new Map<string, string[]>();
    const onResource = (r: { type: string; name: string; opts: { ignoreChanges?: string[] } }) => {
        if (r.opts.ignoreChanges !== undefined) ignored.set(`${r.type}\u0000${r.name}`, r.opts.ignoreChanges);
    };
    const stackName = stack ?? PLACEHOLDER_STACK;
    const toRun = await runProgram((to as { config: Record<string, unknown> }).config, fromState ?? null, { allowUnsafe: ["all"], onResource, stack: stackName });
    // FROM as it runs once deployed (its own state as the previous one), so what differs is the change.
    // What it registered with retainOnDelete the engine only forgets when it leaves (released, not removed).
    const retained = new Set<string>();
    const onFromResource = (r: { type: string; name: string; opts: { retainOnDelete?: boolean } }) => {
        if (r.opts.retainOnDelete === true) retained.add(`${r.type}\u0000${r.name}`);
    };
    const fromRun = from === undefined ? undefined : await runProgram((from as { config: Record<string, unknown> }).config, fromState ?? null, { allowUnsafe: ["all"], onResource: onFromResource, stack: stackName });
    const resources = toRun.resources.filter((r) => !NOT_RESOURCES.has(r.type));
    return {
        verdict: result.problems.length > 0 ? "refused" : "allowed",
        problems: [...result.problems],
        warnings: [...result.warnings, ...opaqueClusterWarning(to), ...placeholderStackWarning(toConfig, stack)],
        steps: planSteps(fromState, toState),
        resources,
        changes: diffResources(fromRun?.resources.filter((r) => !NOT_RESOURCES.has(r.type)) ?? [], resources, ignored, retained),
        deletes: deletedNamespaces(fromState, toState).map((ns) => `deletes namespace ${ns} and everything in it`),
        liveChecks: [inUseNote(fromState, toState), liveCrdsNote(fromState, toState)].filter((n): n is string => n !== undefined),
    };
}

/**
 * An AKS cluster without `name` is named after the stack: with no stack known (a file not named
 * Pulumi.<stack>.yaml, no --stack), the plan's names are the placeholder's, and it says so.
 */
function placeholderStackWarning(config: MeshConfig, stack: string | undefined): Problem[] {
    return stack === undefined && config.cluster.kind === "aks" && config.cluster.name === undefined
        ? [{
            code: "placeholder-stack-name",
            message: `the AKS cluster has no istio-mesh:cluster.name, so it is named after the stack, and this plan does not know the stack (the file is not named Pulumi.<stack>.yaml): its names use the placeholder "${PLACEHOLDER_STACK}". Pass --stack NAME, or set istio-mesh:cluster.name`,
        }]
        : [];
}

/** A wholly encrypted `istio-mesh:cluster` cannot be read offline: say what the plan assumed. */
function opaqueClusterWarning(to: StackFile): Problem[] {
    return "config" in to && isSecureValue(to.config["istio-mesh:cluster"])
        ? [{
            code: "secret-cluster-config",
            message: "istio-mesh:cluster is encrypted (secure:), so the plan cannot read it: it shows its kubeconfig as [secret] and assumes the defaults (kind: existing, current context, skipAwait: false, no kubernetesVersion check). Set only the kubeconfig as a secret (--secret --path 'istio-mesh:cluster.kubeconfig') to plan with the rest",
        }]
        : [];
}

const key = (r: RegisteredResource) => `${r.type}\u0000${r.name}`;

/** Resources added, changed (by top-level input) and removed between two runs. */
export function diffResources(
    before: readonly RegisteredResource[],
    after: readonly RegisteredResource[],
    ignored: ReadonlyMap<string, readonly string[]> = new Map(),
    retained: ReadonlySet<string> = new Set(),
): Plan["changes"] {
    const old = new Map(before.map((r) => [key(r), r]));
    const now = new Map(after.map((r) => [key(r), r]));
    const added: ResourceChange[] = [];
    const changed: ResourceChange[] = [];
    for (const r of after) {
        const prev = old.get(key(r));
        if (prev === undefined) {
            added.push({ type: r.type, name: r.name });
            continue;
        }
        const fields = [...new Set([...Object.keys(prev.inputs), ...Object.keys(r.inputs)])]
            .filter((f) => stableJson(prev.inputs[f]) !== stableJson(r.inputs[f]) || secretDigest(prev.inputs, f) !== secretDigest(r.inputs, f))
            // A whole input the resource ignores is no change for the engine either.
            .filter((f) => !(ignored.get(key(r)) ?? []).includes(f))
            .sort();
        if (fields.length > 0) {
            const diffs = fields.flatMap((f) =>
                secretDigest(prev.inputs, f) !== secretDigest(r.inputs, f) && stableJson(prev.inputs[f]) === stableJson(r.inputs[f])
                    ? [{ path: f, before: "[secret]", after: "[secret] (changed)" }]
                    : valueChanges(prev.inputs[f], r.inputs[f], f),
            );
            changed.push({ type: r.type, name: r.name, fields, diffs });
        }
    }
    const gone = before.filter((r) => !now.has(key(r))).map((r) => ({ type: r.type, name: r.name, retained: retained.has(key(r)) }));
    const removed = gone.filter((r) => !r.retained).map(({ type, name }) => ({ type, name }));
    const released = gone.filter((r) => r.retained).map(({ type, name }) => ({ type, name }));
    return { added, changed, removed, released };
}

const isPlainMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/** `a.b`, or `a["istio.io/rev"]` for a key that is not a plain identifier. */
function child(path: string, k: string): string {
    return /^[A-Za-z_$][\w$-]*$/.test(k) ? `${path}.${k}` : `${path}[${JSON.stringify(k)}]`;
}

/**
 * The values that differ between two inputs, at their paths: maps are compared key by key and
 * lists of one length entry by entry, down to what differs; anything else as a whole. Values as JSON; absent: undefined.
 */
export function valueChanges(before: unknown, after: unknown, path: string): ValueChange[] {
    if (stableJson(before) === stableJson(after)) return [];
    if (isPlainMap(before) && isPlainMap(after)) {
        const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
        return keys.flatMap((k) => valueChanges(Object.hasOwn(before, k) ? before[k] : undefined, Object.hasOwn(after, k) ? after[k] : undefined, child(path, k)));
    }
    // Lists of one length entry by entry (a webhook list whose one label changed); else whole.
    if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
        return before.flatMap((b, i) => valueChanges(b, after[i], `${path}[${i}]`));
    }
    return [{ path, ...(before === undefined ? {} : { before: stableJson(before) }), ...(after === undefined ? {} : { after: stableJson(after) }) }];
}

/** JSON with object keys sorted, so equal values compare equal whatever their key order. */
export function stableJson(v: unknown): string {
    if (Array.isArray(v)) {
        return `[${v.map(stableJson).join(",")}]`;
    }
    if (v !== null && typeof v === "object") {
        const o = v as Record<string, unknown>;
        return `{${Object.keys(o).sort().map((k) => `${JSON.stringify(k)}:${stableJson(o[k])}`).join(",")}}`;
    }
    return JSON.stringify(v) ?? "null";
}
