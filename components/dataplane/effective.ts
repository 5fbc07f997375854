/**
 * The effective revision of a namespace or gateway: the revision its label resolves to (through
 * a tag, the default revision, or directly) and that revision's version. Workloads must restart
 * when it changes, and only then. Pure.
 */
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

/** What one update restarts onto another revision: the workloads the removal gate then checks. */
export interface Restarted {
    /** Namespaces the restart command restarts (restart: true), sorted, with the revision they go onto. */
    readonly namespaces: readonly { readonly name: string; readonly onto: string }[];
    /** Gateways whose Helm release rolls their pods (restart: true), sorted by name. */
    readonly gateways: readonly { readonly name: string; readonly namespace: string; readonly onto: string }[];
}

const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/**
 * The namespaces and gateways that the update FROM -> TO restarts by itself: a namespace whose
 * effective revision changes (or an existing one newly enrolled), a gateway whose effective
 * revision changes (its pod annotation rolls it), each only with `restart: true`. `onto` is
 * the revision name they run afterwards. Mirrors the restart command (restartNamespacesScript)
 * and the gateway values (gatewayValues); nothing restarts on a first install.
 */
export function restartedBy(from: MeshState | undefined, to: MeshState): Restarted {
    if (from === undefined) {
        return { namespaces: [], gateways: [] };
    }
    const revisionOf = (e: string) => e.slice(0, e.indexOf("@"));
    const namespaces = to.namespaces.flatMap((ns) => {
        const onto = effectiveRevision(to, ns.revision);
        return ns.restart && onto !== undefined && namespaceRestartsOnCreate(from, ns, onto) ? [{ name: ns.name, onto: revisionOf(onto) }] : [];
    });
    const gateways = to.gateways.flatMap((gw) => {
        const before = from.gateways.find((g) => g.name === gw.name);
        const onto = effectiveRevision(to, gw.revision);
        const was = before === undefined ? undefined : effectiveRevision(from, before.revision);
        return gw.restart && onto !== undefined && was !== undefined && was !== onto ? [{ name: gw.name, namespace: gw.namespace, onto: revisionOf(onto) }] : [];
    });
    return { namespaces: namespaces.sort(byName), gateways: gateways.sort(byName) };
}
