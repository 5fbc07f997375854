/**
 * What a deployed mesh looked like: the part of the config that upgrade rules reason about.
 * The program exports it as the stack output `deployed` and reads it back on the next update;
 * the plan command builds it from a stack file.
 */
import { MeshConfig } from "../config/model";
import { compareVersions, mustParseVersion } from "../versions/version";

export interface MeshState {
    readonly namespace: string;
    readonly revisions: readonly { readonly name: string; readonly version: string }[];
    /** Configured tags (without `default`), tag -> revision. */
    readonly tags: Readonly<Record<string, string>>;
    /** Tag or revision, as configured. */
    readonly defaultRevision: string;
    readonly namespaces: readonly { readonly name: string; readonly revision: string }[];
    readonly gateways: readonly { readonly name: string; readonly namespace: string; readonly revision: string }[];
    /** Version of the base chart release. */
    readonly baseVersion: string;
}

/** Bump when the shape changes; older shapes are read through `fromStackOutput`. */
export const STATE_SCHEMA = 1;

/** The base chart follows the newest revision and is never downgraded. */
export function baseVersionFor(config: Pick<MeshConfig, "revisions">, previousBase?: string): string {
    const versions = config.revisions.map((r) => r.version);
    if (previousBase !== undefined) {
        versions.push(previousBase);
    }
    return versions.map(mustParseVersion).sort(compareVersions)[versions.length - 1].text;
}

export function stateOf(config: MeshConfig, previousBase?: string): MeshState {
    return {
        namespace: config.namespace,
        revisions: config.revisions.map((r) => ({ name: r.name, version: r.version })),
        tags: { ...config.tags },
        defaultRevision: config.defaultRevision,
        namespaces: config.namespaces.map((n) => ({ name: n.name, revision: n.revision })),
        gateways: config.gateways.map((g) => ({ name: g.name, namespace: g.namespace, revision: g.revision })),
        baseVersion: baseVersionFor(config, previousBase),
    };
}

/** The stack output `deployed`: the state plus a schema number. */
export function toStackOutput(state: MeshState): Record<string, unknown> {
    return { schema: STATE_SCHEMA, ...state };
}

/**
 * Reads the `deployed` stack output back. undefined = nothing deployed yet (first update).
 * A malformed value is an error: guessing what is deployed could remove a live revision.
 */
export function fromStackOutput(value: unknown): MeshState | undefined {
    if (value === undefined || value === null) {
        return undefined;
    }
    const v = value as Partial<MeshState> & { schema?: number };
    if (v.schema !== STATE_SCHEMA || !Array.isArray(v.revisions) || typeof v.baseVersion !== "string") {
        throw new Error(
            `the stack output "deployed" has an unknown shape (schema ${String(v.schema)}); ` +
                `this program reads schema ${STATE_SCHEMA}. Upgrade istio-mesh, or remove the output with ` +
                `'pulumi stack export' / 'pulumi stack import' if it is corrupt.`,
        );
    }
    return {
        namespace: v.namespace ?? "istio-system",
        revisions: v.revisions,
        tags: v.tags ?? {},
        defaultRevision: v.defaultRevision ?? v.revisions[0]?.name ?? "",
        namespaces: v.namespaces ?? [],
        gateways: v.gateways ?? [],
        baseVersion: v.baseVersion,
    };
}
