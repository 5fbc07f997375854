/**
 * The removal gate's decision: after this update's restarts, may the revisions it removes go?
 * Pure: judges a pod list (`kubectl get pods -A -o json`, read by scripts/removal-gate.ts
 * inside the gate's command during up). Shares the in-use logic of the preview-time check
 * (inUse.ts); unlike it, every pod counts, because the restarts have run by now.
 */
import { describeGatewayUse, GatewayFacts, GatewayInUse, gatewaysInUse, moveGatewayCommands } from "../ambient/inUse";
import { addonOwnPod, InUse, listPods, namespacesOf, PodFacts, revisionsInUse } from "./inUse";

/** What one check judges: the revisions gone since the gate's last run, and how pods named them. */
export interface GateInput {
    /** Revisions this update removes. */
    readonly removed: readonly string[];
    /** Tag -> revision as deployed before this update: what a pod's istio.io/rev tag injected it from. */
    readonly tags: Readonly<Record<string, string>>;
    /** management aks-addon: the add-on's own istiod and gateway pods go with the revision. */
    readonly addon: boolean;
    /** Tag -> revision as this update leaves them: what a Gateway's istio.io/rev tag follows now. @default the `tags` */
    readonly afterTags?: Readonly<Record<string, string>>;
    /** The revisions this update keeps (for the commands in a message). @default none named */
    readonly kept?: readonly string[];
}

/**
 * What the gate's command is told (ISTIO_MESH_GATE, JSON): what this config deploys, nothing
 * about the state before it, so the same config gives the same command inputs and a second
 * `up` has nothing to run. The gate itself finds what is removed by comparing with its record.
 */
export interface GateConfig {
    /** Revision names this config deploys, sorted. */
    readonly revisions: readonly string[];
    /** Its tags (tag -> revision, keys sorted): the tags the next removal resolves pods through. */
    readonly tags: Readonly<Record<string, string>>;
    /** management aks-addon (see GateInput.addon). */
    readonly addon: boolean;
    /**
     * The cluster has the Gateway API CRDs (mesh.gatewayApi): the gate lists the Gateways too,
     * so a waypoint or gateway still on a removed revision holds the removal. Absent otherwise,
     * so a mesh without the Gateway API keeps the gate's inputs it had.
     */
    readonly gateways?: true;
}

/** What the revisions and tags were when the gate last passed: its previous stdout's record line, or, when it is created, the deployed state before this update. */
export type GateRecord = Pick<GateConfig, "revisions" | "tags">;

/** The exit status of `removal-gate.ts removed` when this update removes a revision (0: it removes none). */
export const GATE_SOMETHING_REMOVED = 10;

/** The line of a passing run's stdout that the next run reads back (PULUMI_COMMAND_STDOUT). */
export const GATE_RECORD_MARK = "istio-mesh removal gate record: ";

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The gate's command inputs for a deployed state (sorted, so config order never shows as a change). */
export function gateConfigOf(state: { readonly revisions: readonly { readonly name: string }[]; readonly tags: Readonly<Record<string, string>>; readonly gatewayApi?: { readonly crds?: unknown } }, addon: boolean): GateConfig {
    return { ...gateRecordOf(state), addon, ...(state.gatewayApi?.crds === undefined ? {} : { gateways: true as const }) };
}

/** The record of a deployed state; nothing deployed = no revision, so nothing is removed. */
export function gateRecordOf(state: { readonly revisions: readonly { readonly name: string }[]; readonly tags: Readonly<Record<string, string>> } | undefined): GateRecord {
    const tags = state?.tags ?? {};
    return {
        revisions: (state?.revisions ?? []).map((r) => r.name).sort(byName),
        tags: Object.fromEntries(Object.keys(tags).sort(byName).map((t) => [t, tags[t]])),
    };
}

/** What the check judges: the revisions of the record that the config no longer deploys, with the record's tags. */
export function gateInputOf(config: GateConfig, before: GateRecord): GateInput {
    const next = new Set(config.revisions);
    return { removed: before.revisions.filter((r) => !next.has(r)), tags: { ...before.tags }, addon: config.addon, afterTags: { ...config.tags }, kept: [...config.revisions] };
}

/** The record line of a passing run (what the next run reads back). */
export function gateRecordLine(config: GateConfig): string {
    return `${GATE_RECORD_MARK}${JSON.stringify({ revisions: config.revisions, tags: config.tags })}`;
}

/** The record in a previous run's stdout; undefined when there is none (never passed with this program). */
export function readGateRecord(stdout: string | undefined): GateRecord | undefined {
    const line = (stdout ?? "").split("\n").filter((l) => l.startsWith(GATE_RECORD_MARK)).at(-1);
    return line === undefined ? undefined : parseGateRecord(line.slice(GATE_RECORD_MARK.length), "the record line of the previous run");
}

export type GateVerdict =
    | { readonly clear: true; readonly message: string }
    | { readonly clear: false; readonly inUse: readonly InUse[]; readonly gateways: readonly GatewayInUse[]; readonly message: string };

/**
 * The verdict on one pod list (and, when the gate lists them, the Gateways). Sidecar pods name
 * their revision through the tags before the update; waypoints and istiod's gateways count by
 * their pods (the revision that deployed them: istiod redeploys them once their label or tag
 * moved, which the gate waits for) and by their objects (through the tags as they are now).
 */
export function gateVerdict(input: GateInput, pods: readonly PodFacts[], gatewayObjects?: readonly GatewayFacts[]): GateVerdict {
    const inUse = revisionsInUse(input.removed, pods, new Map(Object.entries(input.tags)), input.addon ? addonOwnPod : () => false);
    const gateways = gatewaysInUse(input.removed, { pods, ...(gatewayObjects === undefined ? {} : { gateways: gatewayObjects }) }, { objects: new Map(Object.entries(input.afterTags ?? input.tags)), pods: new Map(Object.entries(input.tags)) });
    if (inUse.length === 0 && gateways.length === 0) {
        return { clear: true, message: `istio-mesh removal gate: no running or pending pod uses ${input.removed.join(", ")}` };
    }
    const what = [
        ...inUse.map((u) => `"${u.revision}" by ${u.pods.length} pod${u.pods.length === 1 ? "" : "s"} (${listPods(u.pods)})`),
        ...gateways.map((g) => `"${g.revision}" by ${describeGatewayUse(g)}`),
    ].join("; ");
    const namespaces = namespacesOf(inUse.flatMap((u) => u.pods));
    const kept = input.kept?.[0] ?? "<a revision that stays>";
    const fixes = [
        ...(inUse.length === 0
            ? []
            : [`restart or delete those pods (${namespaces.map((ns) => `kubectl rollout restart deployment,statefulset,daemonset -n ${ns}`).join("; ")}; a bare pod or a Job's pod must be deleted or re-created)`]),
        ...gatewayFixes(gateways, kept),
    ];
    return {
        clear: false,
        inUse,
        gateways,
        message:
            `istio-mesh removal gate: after this update's restarts, ${input.removed.length > 1 ? "revisions are" : "revision is"} still used: ${what}. ` +
            `Nothing was removed: ${input.removed.join(", ")} stays installed and the update stopped before any removal. ` +
            `${fixes.join("; ").replace(/^./, (c) => c.toUpperCase())}, then run pulumi up again; or revert the config to keep the revision.`,
    };
}

/** What to do about Gateways still on a removed revision: move those that follow it; wait for those istiod is redeploying. */
function gatewayFixes(gateways: readonly GatewayInUse[], kept: string): string[] {
    const on = gateways.filter((g) => g.objectOnRevision);
    const redeploying = gateways.filter((g) => !g.objectOnRevision);
    const names = (gs: readonly GatewayInUse[]) => gs.map((g) => g.gateway).join(", ");
    return [
        ...(on.length === 0 ? [] : [`move ${names(on)} onto a revision that stays and let istiod redeploy ${on.length === 1 ? "it" : "them"} (${on.map((g) => moveGatewayCommands(g, kept)).join("; ")})`]),
        ...(redeploying.length === 0
            ? []
            : [`wait for ${names(redeploying)}, which already ${redeploying.length === 1 ? "follows" : "follow"} a revision that stays and ${redeploying.length === 1 ? "is" : "are"} being redeployed by its istiod (${redeploying.map((g) => `kubectl get pods -n ${g.gateway.split("/")[0]} -l gateway.networking.k8s.io/gateway-name=${g.gateway.split("/")[1]} -L istio.io/rev`).join("; ")})`]),
    ];
}

const isNames = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === "string");
const isTags = (v: unknown): v is Record<string, string> => typeof v === "object" && v !== null && !Array.isArray(v) && Object.values(v).every((x) => typeof x === "string");

/** A record (JSON); a malformed one is a bug of the program that wrote it. */
export function parseGateRecord(text: string | undefined, what = "ISTIO_MESH_GATE_BEFORE"): GateRecord {
    const v = parseJson(text) as Partial<GateRecord> | null;
    if (v === null || typeof v !== "object" || !isNames(v.revisions) || !isTags(v.tags)) {
        throw new Error(`internal: ${what} is not a removal gate record: ${String(text)}`);
    }
    return { revisions: [...v.revisions], tags: { ...v.tags } };
}

/** The gate's command inputs from its environment value (ISTIO_MESH_GATE); a malformed one is a bug of the program that wrote it. */
export function parseGateConfig(text: string | undefined): GateConfig {
    const v = parseJson(text) as Partial<GateConfig> | null;
    if (v === null || typeof v !== "object" || !isNames(v.revisions) || !isTags(v.tags) || typeof v.addon !== "boolean" || (v.gateways !== undefined && v.gateways !== true)) {
        throw new Error(`internal: ISTIO_MESH_GATE is not a removal gate config: ${String(text)}`);
    }
    return { revisions: [...v.revisions], tags: { ...v.tags }, addon: v.addon, ...(v.gateways === true ? { gateways: true as const } : {}) };
}

function parseJson(text: string | undefined): unknown {
    try {
        return JSON.parse(text ?? "null");
    } catch {
        return null;
    }
}
