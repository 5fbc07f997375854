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
import { deletedNamespaces, evaluateTransition, Problem } from "./transitions";

export type Verdict = "allowed" | "refused" | "invalid";

export interface ResourceChange {
    readonly type: string;
    readonly name: string;
    /** Top-level inputs whose values differ (for "changed"). */
    readonly fields?: string[];
}

export interface Plan {
    readonly verdict: Verdict;
    readonly problems: Problem[];
    readonly warnings: Problem[];
    readonly steps: string[];
    /** What the program registers for the TO config (type token, name, inputs). */
    readonly resources: RegisteredResource[];
    readonly changes: { readonly added: ResourceChange[]; readonly changed: ResourceChange[]; readonly removed: ResourceChange[] };
    /** User data the change deletes ("deletes namespace X and everything in it"), shown first. */
    readonly deletes: string[];
    /** What preview and up check against the live cluster, which an offline plan cannot. */
    readonly liveChecks: string[];
}

/** A stack file's `config:` map, or the problem that stops it being read. */
export type StackFile = { config: Record<string, unknown> } | { problem: Problem };

const NOT_RESOURCES = new Set(["pulumi:pulumi:Stack", "pulumi:pulumi:StackReference"]);

function invalid(problems: Problem[]): Plan {
    return { verdict: "invalid", problems, warnings: [], steps: [], resources: [], changes: { added: [], changed: [], removed: [] }, deletes: [], liveChecks: [] };
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
export async function plan(from: StackFile | undefined, to: StackFile, allowUnsafe: readonly string[] = []): Promise<Plan> {
    const credentials = [from, to].flatMap((f) => (f === undefined || "problem" in f ? [] : configCredentials(f.config)));
    const result = await planOf(from, to, allowUnsafe);
    // Each resource's inputs are redacted as the program registers them (runProgram); what is
    // left is a credential quoted elsewhere (a message), so without one there is nothing to walk.
    return credentials.length === 0 ? result : (redact(result, credentials) as Plan);
}

async function planOf(from: StackFile | undefined, to: StackFile, allowUnsafe: readonly string[]): Promise<Plan> {
    const fromConfig = from === undefined ? undefined : parse(from, "--from");
    const toConfig = parse(to, "--to");
    const errors = [...(Array.isArray(fromConfig) ? fromConfig : []), ...(Array.isArray(toConfig) ? toConfig : [])];
    if (errors.length > 0 || Array.isArray(toConfig) || Array.isArray(fromConfig)) {
        return invalid(errors);
    }
    const fromState: MeshState | undefined = fromConfig === undefined ? undefined : stateOf(fromConfig);
    const toState = stateOf(toConfig, previousBaseOf(fromState, toConfig));
    // Offline: the in-use check needs the live cluster; liveChecks says preview runs it.
    const result = evaluateTransition(fromState, toState, allowUnsafe, { offline: true });
    // Render both sides with every rule overridden: the verdict above is the judgement; the
    // runs only show what the program would register.
    // What the engine would not diff: the top-level inputs each resource lists in ignoreChanges.
    const ignored = new Map<string, string[]>();
    const onResource = (r: { type: string; name: string; opts: { ignoreChanges?: string[] } }) => {
        if (r.opts.ignoreChanges !== undefined) ignored.set(`${r.type}\u0000${r.name}`, r.opts.ignoreChanges);
    };
    const toRun = await runProgram((to as { config: Record<string, unknown> }).config, fromState ?? null, { allowUnsafe: ["all"], onResource });
    // FROM as it runs once deployed (its own state as the previous one), so what differs is the change.
    const fromRun = from === undefined ? undefined : await runProgram((from as { config: Record<string, unknown> }).config, fromState ?? null, { allowUnsafe: ["all"] });
    const resources = toRun.resources.filter((r) => !NOT_RESOURCES.has(r.type));
    return {
        verdict: result.problems.length > 0 ? "refused" : "allowed",
        problems: [...result.problems],
        warnings: [...result.warnings, ...opaqueClusterWarning(to)],
        steps: planSteps(fromState, toState),
        resources,
        changes: diffResources(fromRun?.resources.filter((r) => !NOT_RESOURCES.has(r.type)) ?? [], resources, ignored),
        deletes: deletedNamespaces(fromState, toState).map((ns) => `deletes namespace ${ns} and everything in it`),
        liveChecks: [inUseNote(fromState, toState)].filter((n): n is string => n !== undefined),
    };
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
            changed.push({ type: r.type, name: r.name, fields });
        }
    }
    const removed = before.filter((r) => !now.has(key(r))).map((r) => ({ type: r.type, name: r.name }));
    return { added, changed, removed };
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
