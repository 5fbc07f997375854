/**
 * Helm values per chart and Istio version. Every key written here is a real key of that
 * version's chart (tests/helm check them against the chart's own values.yaml), so the
 * shape changes between versions are handled here and nowhere else:
 *  - istiod 1.24 moved `pilot.*` to the top level;
 *  - istiod PDB: `global.defaultPodDisruptionBudget.enabled` (all versions) plus
 *    `pdb.minAvailable|maxUnavailable` from 1.27;
 *  - base `base.validationFailurePolicy` exists from 1.28.6 / 1.29.2 / 1.30.0.
 */
import { ControlPlaneConfig, GatewayConfig, JsonMap, MeshConfig, RevisionConfig } from "../config/model";
import { atLeast, IstioVersion, mustParseVersion } from "../versions/version";

/** The three Istio charts this program installs, by their names in the Istio Helm repo. */
export const CHARTS = { base: "base", istiod: "istiod", gateway: "gateway" } as const;

/** Recursively merges `override` into `base` (maps merge, everything else replaces). */
export function deepMerge(base: JsonMap, override: JsonMap): JsonMap {
    const out: JsonMap = { ...base };
    for (const [k, v] of Object.entries(override)) {
        const cur = out[k];
        out[k] = isMap(cur) && isMap(v) ? deepMerge(cur, v) : v;
    }
    return out;
}

function isMap(v: unknown): v is JsonMap {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** istiod moved its `pilot.*` settings to the top level in 1.24. */
export function pilotKeysAtTopLevel(v: IstioVersion): boolean {
    return atLeast(v, 24);
}

/** `base.validationFailurePolicy` was added in 1.28.6, 1.29.2 and 1.30.0. */
export function supportsValidationFailurePolicy(v: IstioVersion): boolean {
    return atLeast(v, 30) || (v.minor === 29 && v.patch >= 2) || (v.minor === 28 && v.patch >= 6);
}

/** Values of the istiod release of one revision. */
export function istiodValues(mesh: Pick<MeshConfig, "namespace" | "hub">, cp: ControlPlaneConfig, revision: RevisionConfig): JsonMap {
    const v = mustParseVersion(revision.version);
    const pilot: JsonMap = {
        replicaCount: cp.replicas,
        autoscaleEnabled: cp.autoscaling.enabled,
        autoscaleMin: cp.autoscaling.minReplicas,
        autoscaleMax: cp.autoscaling.maxReplicas,
        ...(cp.resources !== undefined ? { resources: cp.resources } : {}),
    };
    const values: JsonMap = {
        revision: revision.name,
        // Tags are their own resources (one per tag): a tag inside a release could not move.
        revisionTags: [],
        global: {
            istioNamespace: mesh.namespace,
            hub: mesh.hub,
            tag: revision.version,
            defaultPodDisruptionBudget: { enabled: true },
        },
        meshConfig: cp.meshConfig,
        ...(pilotKeysAtTopLevel(v) ? pilot : { pilot }),
        ...(atLeast(v, 27) ? { pdb: { ...cp.pdb } } : {}),
    };
    return deepMerge(values, revision.values);
}

/** Values of the shared base release. `defaultRevision` is a revision name, never a tag. */
export function baseValues(mesh: Pick<MeshConfig, "namespace">, baseVersion: string, defaultRevision: string): JsonMap {
    const v = mustParseVersion(baseVersion);
    return {
        defaultRevision,
        global: { istioNamespace: mesh.namespace },
        // Set explicitly where the chart has the key; istiod flips it at run time otherwise
        // (and the release lives in Helm, so Pulumi never diffs that field).
        ...(supportsValidationFailurePolicy(v) ? { base: { validationFailurePolicy: "Fail" } } : {}),
    };
}

/** Values of one gateway release (an in-place gateway that follows a tag or revision). */
/**
 * Pod annotation carrying the revision (and version) a gateway's proxies should run. Helm
 * rolls the Deployment when it changes, so a gateway follows a moved tag on the same update
 * (its `revision` value, a tag name, does not change then); chart defaults for podAnnotations
 * are kept (the chart merges its defaults under the values).
 */
export const EFFECTIVE_REVISION_ANNOTATION = "istio-mesh/effective-revision";

/** `effective`: `<revision>@<version>` the gateway follows; undefined (restart: false) = no annotation. */
export function gatewayValues(gw: GatewayConfig, effective?: string): JsonMap {
    const values: JsonMap = {
        revision: gw.revision,
        replicaCount: gw.replicas,
        autoscaling: { ...gw.autoscaling },
        service: { type: gw.serviceType },
        labels: { ...gw.labels },
        ...(effective !== undefined && gw.restart ? { podAnnotations: { [EFFECTIVE_REVISION_ANNOTATION]: effective } } : {}),
    };
    return deepMerge(values, gw.values);
}
