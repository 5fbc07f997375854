/**
 * The effective revision of a namespace or gateway: the revision its label resolves to (through
 * a tag, the default revision, or directly) and that revision's version. Workloads must restart
 * when it changes, and only then. Pure.
 */
// @ts-nocheck

import { resolveRevision } from "../config/model";
import { MeshState } from "../state/deployed";

/** `<revision>@<version>` for a tag or revision reference in `state`; undefined if it names no revision. */
export function effectiveRevision(state: Pick<MeshState, "tags" | "defaultRevision" | "revisions">, ref: string): string | undefined {
    const revision = resolveRevision(state, ref);
    const version = state.revisions.find((r) => r.name === revision)?.version;
    return version === undefined ? undefined : `${revision}@${version}`;
}

/**
 * Whether a namespace's restart resource, when first created, restarts: when its workloads ran
 * another revision before (or, for an existing namespace newly enrolled, none). A namespace the
 * stack creates is new and empty.
 */
export function namespaceRestartsOnCreate(previous: MeshState | undefined, ns: { name: string; create: boolean }, effective: string): boolean {
    const before = previous?.namespaces.find((n) => n.name === ns.name);
    if (previous === undefined || before === undefined) {
        return !ns.create;
    }
    return effectiveRevision(previous, before.revision) !== effective;
}
