/**
 * Upgrade rules: given what is deployed (FROM, possibly nothing) and the new config (TO),
 * which changes are refused and why. Pure functions; every refusal names the rule, the
 * objects involved and the safe sequence instead.
 */
import { defaultRevisionOf, resolveRevision } from "../config/model";
import { MeshState } from "../state/deployed";
import { GATEWAY_RULES, gatewayNamespaceConflicts, gatewayProblems } from "./gatewayRules";
import { GATEWAY_STATE_RULES, GATEWAY_STATE_WARNINGS, gatewayStateProblems, gatewayStateWarnings } from "./gatewayStateRules";
import { IN_USE_RULES, inUseProblems, LiveCheck } from "./inUseRule";
import { ADDON_RULES, ADDON_WARNINGS, addonRevisionProblems, managementProblems } from "./addonRules";
import { comparableVersion } from "../aks/catalogue";
import { CNI_RULES, CNI_WARNINGS, cniProblems, cniWarnings } from "../cni/rules";
import { MTLS_WARNINGS, mtlsWarnings } from "../security/rules";
import { ambientProblems } from "../ambient/meshRules";
import { LiveCrds, liveCrdProblems } from "../gatewayapi/live";
import { compareVersions, minorDistance, mustParseVersion, newestVersion, revisionNameFor } from "../versions/version";

export interface Problem {
    /** Stable rule identifier, also what ISTIO_MESH_ALLOW_UNSAFE / --allow-unsafe take. */
    readonly code: string;
    readonly message: string;
}

/** The refusal rules; each can be overridden by name. */
export const RULES = {
    replaceAll: "replace-all-revisions",
    removedStillUsed: "removed-revision-users-on-new-revision",
    canarySkip: "canary-skips-minors",
    canaryOlder: "canary-older-than-deployed",
    inPlaceSkip: "in-place-skips-minor",
    inPlaceDowngrade: "in-place-downgrade",
    namespaceMove: "control-plane-namespace-change",
    namespaceDeletion: "namespace-deletion",
    namespaceAdoption: "namespace-create-flip",
    inUse: IN_USE_RULES.inUse,
    inUseUnavailable: IN_USE_RULES.unavailable,
    gatewayModeChange: GATEWAY_RULES.modeChange,
    gatewayCanarySwap: GATEWAY_RULES.canarySwap,
    gatewayAddressChange: GATEWAY_RULES.addressChange,
    gatewayServiceRemoved: GATEWAY_RULES.serviceRemoved,
    gatewayNamespaceConflict: GATEWAY_RULES.namespaceConflict,
    gatewayServiceTypeChange: GATEWAY_STATE_RULES.serviceTypeChange,
    gatewayKindChange: GATEWAY_STATE_RULES.kindChange,
    managementSwitch: ADDON_RULES.managementSwitch,
    addonCanarySkip: ADDON_RULES.canarySkip,
    addonSwap: ADDON_RULES.swap,
    addonDowngrade: ADDON_RULES.downgrade,
    addonDeprecated: ADDON_RULES.deprecated,
    addonEmpty: ADDON_RULES.empty,
    cniNamespaceMove: CNI_RULES.namespaceMove,
    cniSkew: CNI_RULES.skew,
} as const;

/** Warnings: allowed, but worth a reviewer's attention. */
export const WARNINGS = {
    promoteAndRemove: "promote-and-remove-in-one-change",
    crdAdoption: "crd-ownership-adoption",
    restart: "restart-required",
    namespaceReleased: "namespace-released",
    addonDeprecatedRunning: ADDON_WARNINGS.deprecatedRunning,
    cniRestart: CNI_WARNINGS.restart,
    cniSkewDeployed: CNI_WARNINGS.skew,
    mtlsStrict: MTLS_WARNINGS.strict,
    mtlsDisable: MTLS_WARNINGS.disable,
    hubChange: GATEWAY_STATE_WARNINGS.hubChange,
    gatewayStateUnrecorded: GATEWAY_STATE_WARNINGS.unrecorded,
} as const;

/** A canary may skip one minor (1.28 -> 1.30); in place only one minor at a time. */
export const MAX_CANARY_MINORS = 2;
export const MAX_IN_PLACE_MINORS = 1;

export interface TransitionResult {
    /** Refusals not overridden: non-empty means the change must not run. */
    readonly problems: readonly Problem[];
    /** Refusals the operator overrode, plus advisory warnings. */
    readonly warnings: readonly Problem[];
}

/** Every referrer of a revision: tags, namespaces, gateways and the default revision. */
export interface Referrer {
    readonly kind: "tag" | "namespace" | "gateway" | "default revision";
    readonly name: string;
    /** The revision it resolves to. */
    readonly revision: string;
}

export function referrers(state: MeshState): Referrer[] {
    return [
        ...Object.entries(state.tags).map(([name, revision]) => ({ kind: "tag" as const, name, revision })),
        ...state.namespaces.map((n) => ({ kind: "namespace" as const, name: n.name, revision: resolveRevision(state, n.revision) })),
        ...state.gateways.map((g) => ({ kind: "gateway" as const, name: g.name, revision: resolveRevision(state, g.revision) })),
        { kind: "default revision" as const, name: "default", revision: defaultRevisionOf(state) },
    ];
}

function find(refs: readonly Referrer[], r: Referrer): Referrer | undefined {
    return refs.find((x) => x.kind === r.kind && x.name === r.name);
}

const describe = (r: Referrer) => (r.kind === "default revision" ? "the default revision" : `${r.kind} "${r.name}"`);

/**
 * Evaluates FROM -> TO. `allowUnsafe` lists rule codes (or "all") the operator overrides;
 * overridden refusals come back as warnings prefixed OVERRIDDEN. `live` is what the live
 * cluster answered about pods (undefined: not asked); `crds`, what it answered about the Gateway
 * API CRDs (gatewayapi/live.ts; undefined: not asked).
 */
export function evaluateTransition(from: MeshState | undefined, to: MeshState, allowUnsafe: readonly string[] = [], live?: LiveCheck, crds?: LiveCrds): TransitionResult {
    const refusals: Problem[] = [...inUseProblems(from, to, live), ...managementProblems(from, to), ...gatewayNamespaceConflicts(to)];
    const warnings: Problem[] = [];
    // The add-on's revisions follow AKS's rules (addonRules.ts), Helm's follow checkRevisions.
    const addon = to.management === "aks-addon" && (from === undefined || from.management === to.management);
    if (addon) {
        const r = addonRevisionProblems(from, to);
        refusals.push(...r.refusals);
        warnings.push(...r.warnings);
    }
    // A management switch is refused on its own: every other rule would only echo it.
    if (from !== undefined && from.management === to.management) {
        if (from.namespace !== to.namespace) {
            refusals.push({
                code: RULES.namespaceMove,
                message:
                    `the control-plane namespace changes ${from.namespace} -> ${to.namespace}: every revision, tag and the base chart would be ` +
                    `replaced at once. Safe sequence: keep mesh.namespace as it is; moving a mesh to another namespace is a new install beside the old one.`,
            });
        }
        if (to.management === "helm") {
            checkRevisions(from, to, refusals, warnings);
        }
        checkNamespaces(from, to, refusals, warnings);
        refusals.push(...gatewayProblems(from, to), ...gatewayStateProblems(from, to));
        warnings.push(...gatewayStateWarnings(from, to));
        refusals.push(...cniProblems(from, to));
        warnings.push(...cniWarnings(from, to), ...mtlsWarnings(from, to));
        checkRemovals(from, to, refusals, warnings);
        const fromBase = comparableVersion(from.baseVersion);
        const toBase = comparableVersion(to.baseVersion);
        if (to.management === "helm" && fromBase.minor < 24 && toBase.minor >= 24) {
            warnings.push({
                code: WARNINGS.crdAdoption,
                message:
                    `base ${from.baseVersion} -> ${to.baseVersion}: from 1.24 the base chart templates the CRDs that ${from.baseVersion} installed from crds/. ` +
                    `Before this update, let Helm adopt them: kubectl label crd -l chart=istio app.kubernetes.io/managed-by=Helm --overwrite && ` +
                    `kubectl annotate crd -l chart=istio meta.helm.sh/release-name=istio-base meta.helm.sh/release-namespace=${to.namespace} --overwrite`,
            });
        }
    }
    // Ambient and Gateway API (components/ambient/meshRules.ts): one table, overridden like the rest.
    const ambient = ambientProblems(from, to);
    refusals.push(...ambient.refusals);
    warnings.push(...ambient.warnings);
    // The live CRDs (preview and up): what the CRD command would refuse during up, refused now.
    const liveCrds = liveCrdProblems(from, to, crds);
    refusals.push(...liveCrds.refusals);
    warnings.push(...liveCrds.warnings);
    const allowAll = allowUnsafe.includes("all");
    const problems: Problem[] = [];
    for (const p of refusals) {
        if (allowAll || allowUnsafe.includes(p.code)) {
            warnings.unshift({ code: p.code, message: `OVERRIDDEN (allow-unsafe): ${p.message}` });
        } else {
            problems.push(p);
        }
    }
    return { problems, warnings };
}

function checkRevisions(from: MeshState, to: MeshState, refusals: Problem[], warnings: Problem[]): void {
    const fromByName = new Map(from.revisions.map((r) => [r.name, r]));
    const newestFrom = newestVersion(from.revisions.map((r) => mustParseVersion(r.version)));
    const kept = to.revisions.filter((r) => fromByName.has(r.name));
    if (kept.length === 0 && from.revisions.length > 0) {
        const patch = patchRenames(from, to)[0];
        refusals.push({
            code: RULES.replaceAll,
            message:
                `every deployed revision (${from.revisions.map((r) => r.name).join(", ")}) is removed and ` +
                `${to.revisions.map((r) => r.name).join(", ")} added in one change: that is not a canary upgrade. ` +
                (patch === undefined ? `Safe sequence: add the new revision beside the old one, move tags/namespaces/default to it, then remove the old one.` : patchAdvice(patch)),
        });
    }
    for (const r of to.revisions) {
        const v = mustParseVersion(r.version);
        const before = fromByName.get(r.name);
        if (before === undefined) {
            if (newestFrom === undefined) {
                continue;
            }
            const d = minorDistance(newestFrom, v);
            if (d > MAX_CANARY_MINORS) {
                refusals.push({
                    code: RULES.canarySkip,
                    message:
                        `new revision "${r.name}" (${r.version}) is ${d} minors above the newest deployed revision (${newestFrom.text}); ` +
                        `a canary may skip at most one minor. Safe sequence: upgrade through 1.${newestFrom.minor + MAX_CANARY_MINORS}.x first.`,
                });
            } else if (compareVersions(v, newestFrom) < 0) {
                // Re-installing an older revision nothing uses is a revert of "remove the old
                // revision" and safe; moving users onto it in the same change is a downgrade.
                const users = referrers(to).filter((x) => x.revision === r.name);
                if (users.length > 0) {
                    refusals.push({
                        code: RULES.canaryOlder,
                        message:
                            `new revision "${r.name}" (${r.version}) is older than the deployed ${newestFrom.text} and ${users.map(describe).join(", ")} ` +
                            `would move to it in the same change: downgrades happen only by removing a canary. ` +
                            `Safe sequence: install "${r.name}" with nothing pointing at it, verify it runs, then move users back in a later change.`,
                    });
                }
            }
        } else if (before.version !== r.version) {
            const d = minorDistance(mustParseVersion(before.version), v);
            if (d > MAX_IN_PLACE_MINORS) {
                refusals.push({
                    code: RULES.inPlaceSkip,
                    message:
                        `revision "${r.name}" would be upgraded in place ${before.version} -> ${r.version} (${d} minors); in-place upgrades go one minor at a time. ` +
                        `Safe sequence: add a new revision for ${r.version} as a canary (it may skip one minor), or step through 1.${mustParseVersion(before.version).minor + 1}.x.`,
                });
            } else if (d < 0) {
                refusals.push({
                    code: RULES.inPlaceDowngrade,
                    message:
                        `revision "${r.name}" would be downgraded in place ${before.version} -> ${r.version}; an in-place move to an older minor is refused. ` +
                        `Safe sequence: keep ${before.version} and roll back by removing a canary instead.`,
                });
            } else if (d === 1) {
                warnings.push({
                    code: WARNINGS.restart,
                    message: `revision "${r.name}" is upgraded in place ${before.version} -> ${r.version}: every workload on it gets the new proxy only when it restarts.`,
                });
            } else if (d === 0) {
                warnings.push({
                    code: WARNINGS.restart,
                    message: `revision "${r.name}" is patched in place ${before.version} -> ${r.version} (same minor, same name): istiod is upgraded where it runs; every workload on it gets the new proxy only when it restarts.`,
                });
            }
        }
    }
}

/** A deployed revision replaced by a new one of the same minor (a patch that changed its name). */
interface PatchRename {
    readonly removed: { readonly name: string; readonly version: string };
    readonly added: { readonly name: string; readonly version: string };
}

/**
 * The removed revisions whose place a new revision of the same minor takes: typically a patch
 * bump of a revision named after its version (1-30-2 -> 1-30-3), or a rename with the bump.
 */
function patchRenames(from: MeshState, to: MeshState): PatchRename[] {
    const toNames = new Set(to.revisions.map((r) => r.name));
    const fromNames = new Set(from.revisions.map((r) => r.name));
    const out: PatchRename[] = [];
    // The add-on's revisions are named by AKS after their minor (asm-1-30): no patch renames them.
    if (from.management !== "helm" || to.management !== "helm") return out;
    for (const removed of from.revisions.filter((r) => !toNames.has(r.name))) {
        const v = comparableVersion(removed.version);
        const added = to.revisions.find((r) => !fromNames.has(r.name) && comparableVersion(r.version).minor === v.minor && comparableVersion(r.version).major === v.major);
        if (added !== undefined) out.push({ removed, added });
    }
    return out;
}

/**
 * What works for a patch change, checked by tests/plan/patchAdvice.test.ts (both plan as allowed):
 * in place under the deployed name (the name is what the rules compare), or a canary beside it.
 */
function patchAdvice({ removed, added }: PatchRename): string {
    return (
        `This is a patch change of "${removed.name}" (${removed.version} -> ${added.version}), which renamed the revision. Either: ` +
        `1) patch it in place: keep its name, writing \`- {version: ${added.version}, name: ${removed.name}}\` in mesh.revisions, and leave every tag, namespace, gateway and defaultRevision pointing where they did ` +
        `(istiod is upgraded where it runs; workloads get the new proxy when they restart); or ` +
        `2) canary: keep \`- {version: ${removed.version}${removed.name === revisionNameFor(removed.version) ? "" : `, name: ${removed.name}`}}\` and add \`- {version: ${added.version}${added.name === revisionNameFor(added.version) ? "" : `, name: ${added.name}`}}\` beside it, ` +
        `move tags/namespaces/default to "${added.name}" and restart the workloads, then remove "${removed.name}" in a later change.`
    );
}

function checkRemovals(from: MeshState, to: MeshState, refusals: Problem[], warnings: Problem[]): void {
    const fromNames = new Set(from.revisions.map((r) => r.name));
    const toNames = new Set(to.revisions.map((r) => r.name));
    const fromRefs = referrers(from);
    const toRefs = referrers(to);
    const patches = patchRenames(from, to);
    for (const removed of from.revisions.filter((r) => !toNames.has(r.name))) {
        const moved: string[] = [];
        for (const ref of fromRefs.filter((x) => x.revision === removed.name)) {
            const now = find(toRefs, ref);
            if (now === undefined) {
                continue;
            }
            if (!fromNames.has(now.revision)) {
                const patch = patches.find((p) => p.removed.name === removed.name && p.added.name === now.revision);
                refusals.push({
                    code: RULES.removedStillUsed,
                    message:
                        `revision "${removed.name}" is removed while ${describe(ref)}, which used it, moves to "${now.revision}", a revision created in this same change: ` +
                        `its workloads would lose their control plane before the new one has run. ` +
                        // A patch needs no new revision at all: in place under the deployed name.
                        (patch === undefined ? "" : `For this patch (${patch.removed.version} -> ${patch.added.version}) the simplest fix is in place: keep the name, \`- {version: ${patch.added.version}, name: ${removed.name}}\`, and keep every reference to "${removed.name}" as it was. Otherwise, safe sequence: `) +
                        `${patch === undefined ? "Safe sequence: " : ""}1) add "${now.revision}" and move ${describe(ref)} to it; 2) verify and restart workloads; 3) remove "${removed.name}" in a later change.`,
                });
            } else if (compareVersions(versionOf(from, now.revision), comparableVersion(removed.version)) >= 0) {
                // Moving users back to an older revision while removing the newer one is the
                // documented rollback, not a promotion: no warning for that.
                moved.push(describe(ref));
            }
        }
        if (moved.length > 0) {
            warnings.push({
                code: WARNINGS.promoteAndRemove,
                message:
                    `revision "${removed.name}" is removed in the same change that moves ${moved.join(", ")} off it. ` +
                    `Allowed, but the recommended sequence promotes first, verifies (workloads restarted, nothing left on "${removed.name}"), then removes.`,
            });
        }
    }
}

/**
 * User data a change deletes: namespaces the stack created with deleteWhenRemoved that leave
 * the config or stop being created by it. Shown first in every plan, refused unless overridden.
 */
export function deletedNamespaces(from: MeshState | undefined, to: MeshState): string[] {
    if (from === undefined) {
        return [];
    }
    const next = new Map(to.namespaces.map((n) => [n.name, n]));
    return from.namespaces.filter((n) => n.create && n.deleteWhenRemoved && !(next.get(n.name)?.create ?? false)).map((n) => n.name);
}

function checkNamespaces(from: MeshState, to: MeshState, refusals: Problem[], warnings: Problem[]): void {
    const before = new Map(from.namespaces.map((n) => [n.name, n]));
    for (const name of deletedNamespaces(from, to)) {
        const stays = to.namespaces.some((n) => n.name === name);
        refusals.push({
            code: RULES.namespaceDeletion,
            message:
                `deletes namespace "${name}" and everything in it: the stack created it with deleteWhenRemoved: true and this change ` +
                `${stays ? "sets create: false" : "removes it from mesh.namespaces"}. ` +
                `To keep it: first set deleteWhenRemoved: false on it (one update), then make this change (the stack then lets go of it and leaves it running). ` +
                `To delete it: override this rule for one run.`,
        });
    }
    for (const n of to.namespaces) {
        const old = before.get(n.name);
        if (old === undefined) {
            continue;
        }
        if (!old.create && n.create) {
            refusals.push({
                code: RULES.namespaceAdoption,
                message:
                    `namespace "${n.name}" changes to create: true, but it already exists and the stack did not create it: ` +
                    `the Kubernetes provider refuses to create an object that exists (AlreadyExists), and the label patch would be removed first. ` +
                    `Safe sequence: keep create: false (the stack then owns only its labels).`,
            });
        } else if (old.create && !old.deleteWhenRemoved && !n.create) {
            warnings.push({
                code: WARNINGS.namespaceReleased,
                message: `namespace "${n.name}" changes to create: false: the stack stops owning the Namespace object and keeps it, with everything in it; it now manages only its labels.`,
            });
        }
    }
    const next = new Set(to.namespaces.map((n) => n.name));
    for (const old of from.namespaces.filter((n) => !next.has(n.name) && n.create && !n.deleteWhenRemoved)) {
        warnings.push({
            code: WARNINGS.namespaceReleased,
            message:
                `namespace "${old.name}" leaves the stack: it was created by the stack and is kept, with everything in it and its ` +
                `istio.io/rev=${old.revision} label (delete it with kubectl delete namespace ${old.name} if it should go).`,
        });
    }
}

function versionOf(state: MeshState, revision: string) {
    const found = state.revisions.find((r) => r.name === revision);
    if (found === undefined) {
        throw new Error(`internal: revision "${revision}" is not in the state (callers check it is deployed first)`);
    }
    return comparableVersion(found.version);
}
