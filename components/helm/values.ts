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

/** The istiod values that make injection rely on the Istio CNI agent. */
export function istiodCniValues(v: IstioVersion): JsonMap {
    return pilotKeysAtTopLevel(v) ? { cni: { enabled: true } } : { pilot: { cni: { enabled: true } } };
}

/** `base.validationFailurePolicy` was added in 1.28.6, 1.29.2 and 1.30.0. */
export function supportsValidationFailurePolicy(v: IstioVersion): boolean {
    return atLeast(v, 30) || (v.minor === 29 && v.patch >= 2) || (v.minor === 28 && v.patch >= 6);
}

/**
 * Values of the istiod release of one revision. `meshControlPlane` is mesh.controlPlane; a
 * revision's own `controlPlane` (a canary with other resources) wins over it.
 */
export function istiodValues(mesh: Pick<MeshConfig, "namespace" | "hub" | "cni">, meshControlPlane: ControlPlaneConfig, revision: RevisionConfig): JsonMap {
    const v = mustParseVersion(revision.version);
    const cp = revision.controlPlane ?? meshControlPlane;
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
    if (mesh.cni !== undefined) {
        // Injection without the privileged istio-init container: the CNI agent redirects traffic
        // (pilot.cni.enabled before 1.24, cni.enabled after the pilot.* move).
        return deepMerge(deepMerge(values, istiodCniValues(v)), revision.values);
    }
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
        service: { type: gw.serviceType, ...gatewayServiceValues(gw) },
        labels: { ...gw.labels },
        ...(effective !== undefined && gw.restart ? { podAnnotations: { [EFFECTIVE_REVISION_ANNOTATION]: effective } } : {}),
        ...gatewayPodValues(gw.pod),
    };
    return deepMerge(values, gw.values);
}

/**
 * The Service options as gateway chart values (`service.*`); none when the release renders no
 * Service (canary Deployments: their Service is the program's). Config validation already
 * refused what a version cannot express (loadBalancerClass before 1.26).
 */
export function gatewayServiceValues(gw: Pick<GatewayConfig, "serviceType" | "service">): JsonMap {
    if (gw.serviceType === "None") {
        return {};
    }
    const s = gw.service;
    return {
        ...(s.ports === undefined ? {} : { ports: s.ports.map((p) => ({ ...p })) }),
        ...(Object.keys(s.annotations).length === 0 ? {} : { annotations: { ...s.annotations } }),
        ...(s.loadBalancerClass === undefined ? {} : { loadBalancerClass: s.loadBalancerClass }),
        ...(s.externalTrafficPolicy === undefined ? {} : { externalTrafficPolicy: s.externalTrafficPolicy }),
    };
}

/**
 * The chart's own default container securityContext (every version 1.22-1.30), with what
 * binding ports below 1024 on the node's network needs: uid 0 keeping only NET_BIND_SERVICE
 * (a non-root process gets no added capability: Kubernetes sets no ambient capabilities).
 */
export const NET_BIND_SERVICE_CONTEXT = {
    capabilities: { drop: ["ALL"], add: ["NET_BIND_SERVICE"] },
    allowPrivilegeEscalation: false,
    privileged: false,
    readOnlyRootFilesystem: true,
    runAsUser: 0,
    runAsGroup: 1337,
    runAsNonRoot: false,
} as const;

/** Pod options as gateway chart values. hostNetwork itself is a patch (gateways/hostNetwork.ts). */
export function gatewayPodValues(pod: GatewayConfig["pod"]): JsonMap {
    return {
        ...(pod.resources === undefined ? {} : { resources: { ...pod.resources } }),
        ...(Object.keys(pod.nodeSelector).length === 0 ? {} : { nodeSelector: { ...pod.nodeSelector } }),
        ...(pod.tolerations.length === 0 ? {} : { tolerations: pod.tolerations.map((t) => ({ ...t })) }),
        ...(pod.affinity === undefined ? {} : { affinity: { ...pod.affinity } }),
        ...(pod.strategy === undefined ? {} : { strategy: { type: "RollingUpdate", rollingUpdate: { ...pod.strategy } } }),
        ...(pod.podDisruptionBudget === undefined ? {} : { podDisruptionBudget: { ...pod.podDisruptionBudget } }),
        // The chart's default pod securityContext is the sysctl ip_unprivileged_port_start=0,
        // which the kubelet refuses on the host network ("not allowed with host net enabled"):
        // a non-empty securityContext replaces it (the template renders either one or the other).
        ...(pod.hostNetwork ? { securityContext: { sysctls: [] } } : {}),
        ...(pod.netBindService ? { containerSecurityContext: { ...NET_BIND_SERVICE_CONTEXT, capabilities: { drop: ["ALL"], add: ["NET_BIND_SERVICE"] } } } : {}),
    };
}
