/**
 * The Gateway API CRDs as the live cluster has them, asked at preview and up (read-only, with
 * the stack's kubeconfig and context, before any resource is registered), and the rules that
 * judge the answer. The CRD command (crds.ts) refuses a downgrade only when it runs, during up;
 * asking here too means preview refuses what up would (the project's rule: a plan never
 * approves what `pulumi up` refuses), including when someone else installed newer CRDs since
 * the state was recorded. The offline plan cannot ask: it lists the check (liveCrdsNote).
 *
 * Rules are table rows like the ambient ones ({code, severity, applies, check, message}), over
 * FROM -> TO and the live answer.
 */
import { kubectlSync, LiveAccess } from "../kubectl/sync";
import type { Problem } from "../ambient/rule";
import type { GatewayApiRecord } from "../ambient/record";
import { BUNDLE_VERSION_ANNOTATION, compareBundleVersions, formatBundle, parseBundleVersion } from "./versions";

/** The CRD whose bundle-version stands for the bundle (the one the CRD command reads too). */
export const GATEWAY_CRD = "gateways.gateway.networking.k8s.io";

/**
 * What the live cluster answered: no Gateway CRD; the CRD and its bundle-version annotation
 * (undefined when it has none); that it could not be asked; or not asked (the offline plan).
 */
export type LiveCrds =
    | { readonly present: false }
    | { readonly present: true; readonly bundle?: string }
    | { readonly unreachable: string }
    | { readonly offline: true };

/** How long the query may take before the cluster counts as unreachable. */
export const CRD_QUERY_TIMEOUT_MS = 60_000;

/** `kubectl get crd gateways.gateway.networking.k8s.io -o json --ignore-not-found`: nothing printed = absent. */
export function queryCrds(access: LiveAccess, kubectl = "kubectl"): LiveCrds {
    const r = kubectlSync(access, ["get", "crd", GATEWAY_CRD, "-o", "json", "--ignore-not-found", "--request-timeout=30s"], { kubectl, timeoutMs: CRD_QUERY_TIMEOUT_MS });
    if (r.error !== undefined) {
        return { unreachable: `${kubectl} could not run (${r.error.message}); install kubectl 1.30+ on the machine that runs pulumi` };
    }
    if (r.status !== 0) {
        return { unreachable: (r.stderr || r.stdout).trim().split("\n").slice(-3).join(" ") };
    }
    return crdAnswer(r.stdout);
}

/** The answer of that query (its stdout) as LiveCrds; anything that is not a CRD object is unreachable, saying what came. */
export function crdAnswer(stdout: string): LiveCrds {
    if (stdout.trim() === "") {
        return { present: false };
    }
    let crd: unknown;
    try {
        crd = JSON.parse(stdout);
    } catch (e) {
        return { unreachable: `kubectl get crd ${GATEWAY_CRD} answered something that is not JSON (${(e as Error).message}): ${JSON.stringify(stdout.trim().slice(0, 120))}` };
    }
    const meta = (crd as { metadata?: { name?: unknown; annotations?: Record<string, unknown> } } | null)?.metadata;
    if (meta?.name !== GATEWAY_CRD) {
        return { unreachable: `kubectl get crd ${GATEWAY_CRD} answered JSON that is not that CRD: ${JSON.stringify(stdout.trim().slice(0, 120))}` };
    }
    const bundle = meta.annotations?.[BUNDLE_VERSION_ANNOTATION];
    return typeof bundle === "string" ? { present: true, bundle } : { present: true };
}

/** What the rules read of a mesh state: its Gateway API record. */
export interface LiveCrdSource {
    readonly gatewayApi?: GatewayApiRecord;
}

export interface LiveCrdInput {
    readonly from: LiveCrdSource | undefined;
    readonly to: LiveCrdSource;
    readonly live: LiveCrds;
}

export interface LiveRule<F> {
    readonly code: string;
    readonly severity: "refusal" | "warning";
    readonly applies: (input: LiveCrdInput) => boolean;
    readonly check: (input: LiveCrdInput) => readonly F[];
    readonly message: (finding: F) => string;
}
type AnyLiveRule = LiveRule<unknown>;
const row = <F>(r: LiveRule<F>): AnyLiveRule => r as unknown as AnyLiveRule;

export const GATEWAY_API_LIVE_RULES = {
    newerInCluster: "gateway-api-crds-newer-in-cluster",
    unavailable: "gateway-api-crd-check-unavailable",
} as const;

export const GATEWAY_API_LIVE_WARNINGS = {
    differs: "gateway-api-crds-differ-from-config",
    unannotated: "gateway-api-crds-unannotated",
} as const;

const crdsOf = (s: LiveCrdSource | undefined) => s?.gatewayApi?.crds;
const managed = (i: LiveCrdInput) => crdsOf(i.to)?.manage === true;
const answered = (live: LiveCrds): live is { present: true; bundle?: string } => "present" in live && live.present;

/** The CRD command runs in this update: it is created, or its version or channel changes (its inputs). */
export function crdCommandRuns(from: LiveCrdSource | undefined, to: LiveCrdSource): boolean {
    const [b, a] = [crdsOf(from), crdsOf(to)];
    return a?.manage === true && (b?.manage !== true || b.version !== a.version || b.channel !== a.channel);
}

const newerInCluster = row<{ live: string; pinned: string }>({
    code: GATEWAY_API_LIVE_RULES.newerInCluster,
    severity: "refusal",
    applies: (i) => managed(i) && answered(i.live),
    check: (i) => {
        const pinned = parseBundleVersion(crdsOf(i.to)?.version ?? "");
        const live = answered(i.live) ? parseBundleVersion(i.live.bundle ?? "") : undefined;
        return pinned !== undefined && live !== undefined && compareBundleVersions(live, pinned) > 0 ? [{ live: formatBundle(live), pinned: formatBundle(pinned) }] : [];
    },
    message: (f) =>
        `the cluster has Gateway API CRDs ${f.live} (the ${BUNDLE_VERSION_ANNOTATION} annotation of CRD ${GATEWAY_CRD}), newer than ${f.pinned} that mesh.gatewayApi.version pins: ` +
        `the stack would apply the older bundle over them (its CRD command refuses that during up, after other resources may have changed), and an older bundle can drop API versions and fields that stored Gateways and Routes use. ` +
        `Someone installed them outside this stack, or the pin was lowered. Safe sequence: set mesh.gatewayApi.version: ${f.live} (or newer), preview again; the CRDs are never downgraded.`,
});

const unavailable = row<{ why: string; version: string }>({
    code: GATEWAY_API_LIVE_RULES.unavailable,
    severity: "refusal",
    // Only when the CRD command would run: otherwise up applies nothing to the CRDs either.
    applies: (i) => crdCommandRuns(i.from, i.to),
    check: (i) => {
        const version = crdsOf(i.to)?.version ?? "";
        if ("unreachable" in i.live) return [{ why: i.live.unreachable, version }];
        if (answered(i.live) && i.live.bundle !== undefined && parseBundleVersion(i.live.bundle) === undefined) {
            return [{ why: `its ${BUNDLE_VERSION_ANNOTATION} is "${i.live.bundle}", not a release this program compares (vX.Y.Z)`, version }];
        }
        return [];
    },
    message: (f) =>
        `the Gateway API CRDs would be applied at ${f.version}, but the live CRD ${GATEWAY_CRD} could not be compared with it (${f.why}). ` +
        `Fix access to the cluster and preview again, or check by hand (kubectl get crd ${GATEWAY_CRD} -o jsonpath='{.metadata.annotations.gateway\\.networking\\.k8s\\.io/bundle-version}' must not be newer than ${f.version}) and override this rule for one run.`,
});

const differs = row<{ live: string; stated: string }>({
    code: GATEWAY_API_LIVE_WARNINGS.differs,
    severity: "warning",
    applies: (i) => crdsOf(i.to)?.manage === false && answered(i.live),
    check: (i) => {
        const stated = parseBundleVersion(crdsOf(i.to)?.version ?? "");
        const live = answered(i.live) ? parseBundleVersion(i.live.bundle ?? "") : undefined;
        return stated !== undefined && live !== undefined && compareBundleVersions(live, stated) !== 0 ? [{ live: formatBundle(live), stated: formatBundle(stated) }] : [];
    },
    message: (f) =>
        `mesh.gatewayApi says the cluster has Gateway API CRDs ${f.stated} (manage: false), and it has ${f.live}: the version checks of this change (gateway-api-crds-too-old) judged ${f.stated}. ` +
        `Set mesh.gatewayApi.version: ${f.live} so they judge what runs.`,
});

const unannotated = row<{ version: string }>({
    code: GATEWAY_API_LIVE_WARNINGS.unannotated,
    severity: "warning",
    applies: (i) => crdCommandRuns(i.from, i.to) && answered(i.live),
    check: (i) => (answered(i.live) && i.live.bundle === undefined ? [{ version: crdsOf(i.to)?.version ?? "" }] : []),
    message: (f) =>
        `the live CRD ${GATEWAY_CRD} has no ${BUNDLE_VERSION_ANNOTATION} annotation (installed from something other than a Gateway API release), so whether ${f.version} is newer cannot be told; the stack applies ${f.version} over it. ` +
        `Check its served versions first (kubectl get crd ${GATEWAY_CRD} -o jsonpath='{.spec.versions[*].name}').`,
});

export const GATEWAY_API_LIVE_TABLE: readonly AnyLiveRule[] = [newerInCluster, unavailable, differs, unannotated];

/** Refusals (not overridden: the caller applies overrides) and warnings of the live CRD answer; nothing when not asked or offline. */
export function liveCrdProblems(from: LiveCrdSource | undefined, to: LiveCrdSource, live: LiveCrds | undefined): { refusals: Problem[]; warnings: Problem[] } {
    const refusals: Problem[] = [];
    const warnings: Problem[] = [];
    if (live === undefined || "offline" in live || crdsOf(to) === undefined) {
        return { refusals, warnings };
    }
    const input = { from, to, live };
    for (const r of GATEWAY_API_LIVE_TABLE) {
        if (!r.applies(input)) continue;
        for (const f of r.check(input)) (r.severity === "refusal" ? refusals : warnings).push({ code: r.code, message: r.message(f) });
    }
    return { refusals, warnings };
}

/** Whether the program asks the live cluster about the CRDs: whenever the config names them. */
export const asksLiveCrds = (to: LiveCrdSource) => crdsOf(to) !== undefined;

/** The offline plan's note: what preview and up check against the live CRDs, which the plan cannot. */
export function liveCrdsNote(from: LiveCrdSource | undefined, to: LiveCrdSource): string | undefined {
    const crds = crdsOf(to);
    if (crds === undefined) {
        return undefined;
    }
    if (!crds.manage) {
        return `At preview and up, the program reads the ${BUNDLE_VERSION_ANNOTATION} of the live CRD ${GATEWAY_CRD} and warns if it is not ${crds.version}, the version mesh.gatewayApi states (${GATEWAY_API_LIVE_WARNINGS.differs}).`;
    }
    return (
        `At preview and up, the program reads the ${BUNDLE_VERSION_ANNOTATION} of the live CRD ${GATEWAY_CRD} and refuses the change if the cluster already has a bundle newer than ${crds.version} (${GATEWAY_API_LIVE_RULES.newerInCluster}): this plan judged only the recorded version, and someone may have installed newer CRDs since.` +
        (crdCommandRuns(from, to) ? ` During up, the CRD command checks once more, just before it applies ${crds.version} ${crds.channel}, and fails the update, applying nothing, if the cluster's bundle is newer.` : "")
    );
}
