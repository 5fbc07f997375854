/**
 * The control-plane settings of the live istiod releases as stack config: `controlPlane` (shared by
 * every revision) takes the newest revision's setting of each key the program sets (the inverse of
 * helm/values.ts istiodValues); a revision whose setting differs keeps it in its own raw `values`
 * (merged last by the program), as does every value the config has no key for. Pure.
 */
import { JsonMap } from "../config/model";
import { compareVersions, mustParseVersion, revisionNameFor } from "../versions/version";
import { Defaults, getPath, isMap, Path, renderedValue, sameValue, withoutPath } from "./values";

export interface LiveRevision {
    readonly name: string;
    readonly version: string;
    /** The istiod release's user-supplied values. */
    readonly values: JsonMap;
    /** What it renders with where `values` say nothing (see values.ts defaultsFor). */
    readonly defaults: Defaults;
}

/** Where a control-plane setting lives in the istiod values of a version. */
const pilotPath = (version: string, key: string): Path => (mustParseVersion(version).minor >= 24 ? [key] : ["pilot", key]);

/** controlPlane keys lifted from the istiod values (the inverse of helm/values.ts istiodValues). */
const CONTROL_PLANE: ReadonlyArray<{ key: string; path: (version: string) => Path | undefined; optional?: true }> = [
    { key: "replicas", path: (v) => pilotPath(v, "replicaCount") },
    { key: "autoscaling.enabled", path: (v) => pilotPath(v, "autoscaleEnabled") },
    { key: "autoscaling.minReplicas", path: (v) => pilotPath(v, "autoscaleMin") },
    { key: "autoscaling.maxReplicas", path: (v) => pilotPath(v, "autoscaleMax") },
    // Set by the program only when configured: lifted only when the user set them.
    { key: "resources", path: (v) => pilotPath(v, "resources"), optional: true },
    { key: "meshConfig", path: () => ["meshConfig"], optional: true },
    { key: "pdb.minAvailable", path: (v) => (mustParseVersion(v).minor >= 27 ? ["pdb", "minAvailable"] : undefined) },
    { key: "pdb.maxUnavailable", path: (v) => (mustParseVersion(v).minor >= 27 ? ["pdb", "maxUnavailable"] : undefined) },
];

function setDotted(target: JsonMap, dotted: string, value: unknown): void {
    const keys = dotted.split(".");
    let cur = target;
    for (const k of keys.slice(0, -1)) {
        if (!isMap(cur[k])) {
            cur[k] = {};
        }
        cur = cur[k] as JsonMap;
    }
    cur[keys[keys.length - 1]] = value;
}

/** `controlPlane`, the mesh-wide `hub` (undefined = no revision) and the `revisions` entries. */
export function liftControlPlane(revisions: readonly LiveRevision[], ns: string): { controlPlane: JsonMap; hub: unknown; revisions: JsonMap[] } {
    const controlPlane: JsonMap = {};
    const revisionValues = new Map<string, JsonMap>(revisions.map((r) => [r.name, { ...r.values }]));
    const newestRevision = [...revisions].sort((a, b) => compareVersions(mustParseVersion(a.version), mustParseVersion(b.version))).at(-1);
    if (newestRevision !== undefined) {
        for (const { key, path, optional } of CONTROL_PLANE) {
            const p = path(newestRevision.version);
            const chosen = p === undefined ? undefined : optional ? getPath(newestRevision.values, p) : renderedValue(newestRevision.values, newestRevision.defaults, p);
            if (chosen === undefined) {
                continue;
            }
            setDotted(controlPlane, key, chosen);
            for (const r of revisions) {
                const rp = path(r.version);
                if (rp !== undefined && sameValue(renderedValue(r.values, r.defaults, rp), chosen)) {
                    revisionValues.set(r.name, withoutPath(revisionValues.get(r.name) ?? {}, rp));
                }
            }
        }
        if (isMap(controlPlane.pdb) && controlPlane.pdb.minAvailable !== undefined && controlPlane.pdb.maxUnavailable !== undefined) {
            // The chart ignores minAvailable when maxUnavailable is set; the config takes one of them.
            delete controlPlane.pdb.minAvailable;
        }
    }
    const hub = newestRevision === undefined ? undefined : renderedValue(newestRevision.values, newestRevision.defaults, ["global", "hub"]);
    const entries = revisions.map((r) => {
        let values = revisionValues.get(r.name) ?? {};
        values = withoutPath(values, ["revision"]);
        if (Array.isArray(values.revisionTags) && values.revisionTags.length === 0) {
            values = withoutPath(values, ["revisionTags"]);
        }
        for (const [p, same] of [
            [["global", "hub"], hub],
            [["global", "tag"], r.version],
            [["global", "istioNamespace"], ns],
            [["global", "defaultPodDisruptionBudget", "enabled"], true],
        ] as const) {
            if (sameValue(getPath(values, p), same)) {
                values = withoutPath(values, p);
            }
        }
        const entry: JsonMap = { version: r.version };
        if (r.name !== revisionNameFor(r.version)) {
            entry.name = r.name;
        }
        if (Object.keys(values).length > 0) {
            entry.values = values;
        }
        return entry;
    });
    return { controlPlane, hub, revisions: entries };
}
