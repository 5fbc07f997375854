/**
 * The in-use rule: a revision may go only when no live pod runs its proxy. The pods come from
 * the live cluster at preview and up (read-only); this module only judges them.
 */
// @ts-nocheck

import { listPods, namespacesOf, PodFacts, revisionsInUse } from "../dataplane/inUse";
import { MeshState } from "../state/deployed";
import type { Problem } from "./transitions";

/** What the live cluster answered: its pods, that it could not be asked, or not asked (offline plan). */
export type LiveCheck = { readonly pods: readonly PodFacts[] } | { readonly unreachable: string } | { readonly offline: true };

export const IN_USE_RULES = {
    inUse: "removed-revision-in-use",
    unavailable: "in-use-check-unavailable",
} as const;

/** Revisions deployed in FROM and gone in TO. */
export function removedRevisions(from: MeshState | undefined, to: MeshState): string[] {
    const next = new Set(to.revisions.map((r) => r.name));
    return (from?.revisions ?? []).map((r) => r.name).filter((n) => !next.has(n));
}

/**
 * Refusals for removed revisions that live pods still use. The pods counted are those at the
 * time of the check: restarts that this same update performs happen after it, so a revision
 * is removed only in an update after the one that moved its workloads (the runbook's separate
 * "complete" step), never on the promise of a restart.
 */
export function inUseProblems(from: MeshState | undefined, to: MeshState, live: LiveCheck | undefined): Problem[] {
    const removed = removedRevisions(from, to);
    if (removed.length === 0 || live === undefined || "offline" in live) {
        return [];
    }
    if ("unreachable" in live) {
        return [
            {
                code: IN_USE_RULES.unavailable,
                message:
                    `revision${removed.length > 1 ? "s" : ""} ${removed.join(", ")} would be removed, but the cluster could not be asked which pods still use ` +
                    `${removed.length > 1 ? "them" : "it"} (${live.unreachable}). Fix access to the cluster and preview again, or check by hand ` +
                    `(kubectl get pods -A -L istio.io/rev) and override this rule for one run.`,
            },
        ];
    }
    const tags = new Map(Object.entries(from?.tags ?? {}));
    return revisionsInUse(removed, live.pods, tags).map((use) => ({
        code: IN_USE_RULES.inUse,
        message:
            `revision "${use.revision}" is removed while ${use.pods.length} running or pending pod${use.pods.length === 1 ? "" : "s"} still use its proxy: ` +
            `${listPods(use.pods)}. Restart them onto another revision first (${namespacesOf(use.pods)
                .map((ns) => `kubectl rollout restart deployment,statefulset,daemonset -n ${ns}`)
                .join("; ")}), wait until they are replaced, then remove "${use.revision}".`,
    }));
}

/** The plan's note for an offline run: what preview will check against the live cluster. */
export function inUseNote(from: MeshState | undefined, to: MeshState): string | undefined {
    const removed = removedRevisions(from, to);
    return removed.length === 0
        ? undefined
        : `At preview and up, the program asks the live cluster for running or pending pods still on ${removed.join(", ")} and refuses the removal if any remain (${IN_USE_RULES.inUse}).`;
}
