/**
 * AKS in the stack config: the `kind: aks` cluster block, the `mesh.aksAddon` block, and the
 * checks that apply in `management: aks-addon` mode. stackConfig.ts calls into this file;
 * the add-on facts (catalogue, allow-list, names) come from components/aks/.
 */
import { z } from "zod";
import { addonMinor, asmRevision, asmRevisionName, ASM_REVISIONS, kubernetesFits } from "../aks/catalogue";
import { blockedMeshFields, ALLOWED_MESH_FIELDS } from "../aks/meshConfig";
import { ADDON_NAMESPACE, IngressMode } from "../aks/names";
import { AddonIngressGateway } from "../aks/profile";
import { parseKubernetesMinor } from "../versions/version";
import { DEFAULTS } from "./defaults";
import { ConfigIssue } from "./errors";
import { byKey } from "./order";
import type { RawMesh } from "./schema";

// --- The cluster block ------------------------------------------------------------------------

const count = z.number().int().min(1);
/** AKS node pool names: lower-case letters and digits, starting with a letter, at most 12. */
const poolName = z.string().regex(/^[a-z][a-z0-9]{0,11}$/, "must be 1-12 lower-case letters and digits, starting with a letter (AKS's rule for node pool names)");

/** AKS cluster names (also the stack name when `name` is omitted). */
export const AKS_CLUSTER_NAME = /^[a-zA-Z0-9]([-_a-zA-Z0-9]{0,61}[a-zA-Z0-9])?$/;

const nodePoolSchema = z.strictObject({
    vmSize: z.string().min(1).optional(),
    count: count.optional(),
    autoscaling: z.strictObject({ minCount: count, maxCount: count }).optional(),
    zones: z.array(z.enum(["1", "2", "3"])).optional(),
    mode: z.enum(["System", "User"]).optional(),
});

export const aksClusterSchema = z.strictObject({
    kind: z.literal("aks"),
    resourceGroup: z.string().regex(/^[-\w.()]{0,89}[-\w()]$/, "must be an Azure resource group name (1-90 letters, digits, '-', '_', '.', '(' or ')', not ending with '.')"),
    createResourceGroup: z.boolean().optional(),
    location: z.string().min(1).optional(),
    name: z.string().regex(AKS_CLUSTER_NAME, "must be an AKS cluster name (1-63 letters, digits, '-' or '_', starting and ending with a letter or digit)").optional(),
    kubernetesVersion: z.string(),
    nodePools: z.record(poolName, nodePoolSchema).optional(),
    networkPlugin: z.enum(["azure", "kubenet", "none"]).optional(),
    networkPluginMode: z.enum(["overlay"]).optional(),
    oidcIssuer: z.boolean().optional(),
    workloadIdentity: z.boolean().optional(),
    tags: z.record(z.string(), z.string()).optional(),
    credentials: z.enum(["user", "admin"]).optional(),
    skipAwait: z.boolean().optional(),
});
export type RawAksCluster = z.infer<typeof aksClusterSchema>;

export interface AksNodePool {
    /** Pool name (AKS agent pool name), the key under `nodePools`. */
    readonly name: string;
    readonly vmSize: string;
    readonly mode: "System" | "User";
    /** Availability zones ("1".."3"); empty = no zone pinning. */
    readonly zones: readonly string[];
    /** Fixed node count, or the autoscaler's bounds (exactly one of the two). */
    readonly count?: number;
    readonly autoscaling?: { readonly minCount: number; readonly maxCount: number };
}

export interface AksClusterConfig {
    /** `aks`: the program creates the AKS cluster (and, optionally, its resource group). */
    readonly kind: "aks";
    readonly resourceGroup: string;
    readonly createResourceGroup: boolean;
    /** Azure region; undefined = the `azure-native:location` provider setting. */
    readonly location?: string;
    /** Cluster name; undefined = the stack name (resolved where the cluster is built). */
    readonly name?: string;
    /** "1.33" (AKS then rolls patches) or "1.33.2"; also checked against every revision. */
    readonly kubernetesVersion: string;
    /** Sorted by name; at least one System pool. */
    readonly nodePools: readonly AksNodePool[];
    readonly networkPlugin: "azure" | "kubenet" | "none";
    /** `overlay` (Azure CNI Overlay) or undefined (pods take VNet IPs / kubenet). */
    readonly networkPluginMode?: "overlay";
    readonly oidcIssuer: boolean;
    readonly workloadIdentity: boolean;
    /** Azure tags on the resource group (when created) and the cluster. */
    readonly tags: Readonly<Record<string, string>>;
    /** Which kubeconfig the Kubernetes provider uses: the user one (default) or the admin one. */
    readonly credentials: "user" | "admin";
    readonly skipAwait: boolean;
    /** Never configured: the kubeconfig comes from the cluster's credentials (so `cluster.kubeconfig` reads on either kind). */
    readonly kubeconfig?: undefined;
    readonly context?: undefined;
}

export function normalizeAksCluster(raw: RawAksCluster, at: (...path: PropertyKey[]) => string, issues: ConfigIssue[]): AksClusterConfig {
    const problem = (path: string, message: string) => issues.push({ path, message });
    const d = DEFAULTS.aks;
    // Azure takes "1.33" or "1.33.2", never kubectl's "v1.33".
    if (!/^1\.\d+(\.\d+)?$/.test(raw.kubernetesVersion) || parseKubernetesMinor(raw.kubernetesVersion) === undefined) {
        problem(at("kubernetesVersion"), `"${raw.kubernetesVersion}" is not a Kubernetes version; write e.g. "1.33" (AKS rolls the patch) or "1.33.2"`);
    }
    const rawPools = raw.nodePools ?? { [d.systemPool.name]: { mode: "System" as const } };
    const nodePools: AksNodePool[] = [];
    for (const [name, p] of Object.entries(rawPools).sort(byKey)) {
        if (p.count !== undefined && p.autoscaling !== undefined) {
            problem(at("nodePools", name), "set either count (a fixed size) or autoscaling (minCount/maxCount), not both");
        }
        if (p.autoscaling !== undefined && p.autoscaling.maxCount < p.autoscaling.minCount) {
            problem(at("nodePools", name, "autoscaling"), `maxCount (${p.autoscaling.maxCount}) is below minCount (${p.autoscaling.minCount}); raise maxCount`);
        }
        const sized = p.count === undefined && p.autoscaling === undefined ? { autoscaling: { ...d.systemPool.autoscaling } } : p.autoscaling !== undefined ? { autoscaling: p.autoscaling } : { count: p.count };
        nodePools.push({ name, vmSize: p.vmSize ?? d.systemPool.vmSize, mode: p.mode ?? d.poolMode, zones: [...(p.zones ?? d.systemPool.zones)], ...sized });
    }
    if (!nodePools.some((p) => p.mode === "System")) {
        problem(at("nodePools"), `needs a System pool (AKS runs its system pods there): add mode: System to one pool, e.g. nodePools: {${d.systemPool.name}: {mode: System}}`);
    }
    const networkPlugin = raw.networkPlugin ?? d.networkPlugin;
    if (raw.networkPluginMode !== undefined && networkPlugin !== "azure") {
        problem(at("networkPluginMode"), `overlay works with networkPlugin: azure only (not ${networkPlugin}); remove networkPluginMode or use networkPlugin: azure`);
    }
    const oidcIssuer = raw.oidcIssuer ?? d.oidcIssuer;
    const workloadIdentity = raw.workloadIdentity ?? (oidcIssuer && d.workloadIdentity);
    if (workloadIdentity && !oidcIssuer) {
        problem(at("workloadIdentity"), "workload identity needs the OIDC issuer: set oidcIssuer: true, or workloadIdentity: false");
    }
    return {
        kind: "aks",
        resourceGroup: raw.resourceGroup,
        createResourceGroup: raw.createResourceGroup ?? d.createResourceGroup,
        location: raw.location,
        name: raw.name,
        kubernetesVersion: raw.kubernetesVersion,
        nodePools,
        networkPlugin,
        networkPluginMode: raw.networkPluginMode ?? (networkPlugin === "azure" && raw.networkPlugin === undefined ? d.networkPluginMode : undefined),
        oidcIssuer,
        workloadIdentity,
        tags: { ...(raw.tags ?? {}) },
        credentials: raw.credentials ?? d.credentials,
        skipAwait: raw.skipAwait ?? DEFAULTS.cluster.skipAwait,
    };
}

// --- The add-on block (mesh.aksAddon) --------------------------------------------------------

const hpa = z.strictObject({ minReplicas: count.optional(), maxReplicas: count.optional() });
const ingressGatewaySchema = z.strictObject({ enabled: z.boolean().optional(), autoscaling: hpa.optional() });

/** `mesh.aksAddon`: the add-on's own ingress gateways (at most one External, one Internal). */
export const aksAddonSchema = z.strictObject({
    ingressGateways: z.strictObject({ external: ingressGatewaySchema.optional(), internal: ingressGatewaySchema.optional() }).optional(),
});

export interface AksAddonConfig {
    /** External then Internal; only the configured ones. */
    readonly ingressGateways: readonly AddonIngressGateway[];
    /** istiod's HPA bounds (mesh.controlPlane.autoscaling), applied to every revision's istiod. */
    readonly istiod: { readonly minReplicas: number; readonly maxReplicas: number };
}

/** The add-on never goes below two replicas (its PodDisruptionBudgets need them). */
export const ADDON_MIN_REPLICAS = 2;

/**
 * A revision of the add-on: `version` is major.minor ("1.30"; AKS picks the patch) and the
 * name is asm-1-NN. Returns the name, or pushes the problem and returns undefined.
 */
export function addonRevision(r: { version: string; name?: string; values?: unknown; controlPlane?: unknown }, at: (...path: PropertyKey[]) => string, i: number, issues: ConfigIssue[]): { name: string; version: string } | undefined {
    const problem = (path: string, message: string) => issues.push({ path, message });
    const known = ASM_REVISIONS.map((x) => x.version).join(", ");
    if (/^1\.\d+\.\d+/.test(r.version)) {
        problem(at("revisions", i, "version"), `"${r.version}" names a patch; the AKS add-on takes major.minor (write "${r.version.split(".").slice(0, 2).join(".")}"): AKS picks and rolls the patch`);
        return undefined;
    }
    const minor = addonMinor(r.version);
    if (minor === undefined) {
        problem(at("revisions", i, "version"), `"${r.version}" is not an add-on version; write major.minor, one of ${known}`);
        return undefined;
    }
    const name = asmRevisionName(minor);
    if (asmRevision(name) === undefined) {
        problem(at("revisions", i, "version"), `${name} is not in the add-on's revision catalogue (${ASM_REVISIONS.map((x) => x.name).join(", ")}); if AKS shipped it, add it to components/aks/catalogue.ts (see components/aks/README.md)`);
        return undefined;
    }
    if (r.name !== undefined && r.name !== name) {
        problem(at("revisions", i, "name"), `the add-on names revision ${r.version} "${name}"; remove name or write name: ${name}`);
        return undefined;
    }
    if (r.controlPlane !== undefined) {
        problem(at("revisions", i, "controlPlane"), "per-revision control-plane settings do not apply to the add-on (AKS runs istiod); use mesh.controlPlane (autoscaling, meshConfig)");
    }
    if (r.values !== undefined) {
        problem(at("revisions", i, "values"), "istiod chart values do not apply to the add-on (AKS renders istiod); use mesh.controlPlane.meshConfig for the mesh config");
    }
    return { name, version: r.version };
}

/** Checks of `management: aks-addon` that need the whole mesh block and the cluster. */
export function addonProblems(
    mesh: RawMesh,
    cluster: { readonly kind: string; readonly kubernetesVersion?: string },
    revisions: readonly { name: string; version: string }[],
    at: (...path: PropertyKey[]) => string,
    clusterPath: string,
): ConfigIssue[] {
    const issues: ConfigIssue[] = [];
    const problem = (path: string, message: string) => issues.push({ path, message });
    if (cluster.kind !== "aks") {
        problem(at("management"), `"aks-addon" needs istio-mesh:cluster kind: aks (the add-on is part of the AKS cluster the stack creates); use management: helm on a kind: ${cluster.kind} cluster`);
    }
    if (mesh.namespace !== undefined && mesh.namespace !== ADDON_NAMESPACE) {
        problem(at("namespace"), `the add-on's control plane always runs in ${ADDON_NAMESPACE}; remove mesh.namespace`);
    }
    const helmOnly: [keyof RawMesh, string][] = [
        ["chartRepository", "the add-on's charts are AKS's"],
        ["hub", "the add-on's images are AKS's"],
        ["gateways", "Helm gateways are not installed in add-on mode; use mesh.aksAddon.ingressGateways (external/internal)"],
    ];
    for (const [key, why] of helmOnly) {
        if (mesh[key] !== undefined) {
            problem(at(key), `not used with management: aks-addon (${why}); remove it`);
        }
    }
    if (mesh.defaultRevision !== undefined) {
        problem(at("defaultRevision"), "the add-on has no default revision (it does not support istio-injection=enabled); remove defaultRevision and label namespaces with a revision or tag");
    }
    if (mesh.tags !== undefined && Object.hasOwn(mesh.tags, "default")) {
        problem(at("tags", "default"), "the add-on does not support a \"default\" tag (istio-injection=enabled namespaces are skipped by its injector); name the tag differently, e.g. prod-stable");
    }
    for (const [name, value] of Object.entries(mesh.namespaces ?? {}).sort(byKey)) {
        if ((typeof value === "string" ? value : value.revision) === "default") {
            problem(at("namespaces", name), "the add-on has no default revision; point the namespace at a revision (asm-1-NN) or a tag");
        }
    }
    if (revisions.length > 2) {
        problem(at("revisions"), `${revisions.length} revisions; the add-on runs at most two at once (one canary): remove one (az aks mesh refuses "Request exceeds maximum allowed number of revisions")`);
    }
    const cp = mesh.controlPlane;
    for (const key of ["replicas", "resources", "pdb"] as const) {
        if (cp?.[key] !== undefined) {
            problem(at("controlPlane", key), `AKS sizes istiod in add-on mode; remove controlPlane.${key} (controlPlane.autoscaling.minReplicas/maxReplicas set its HPA)`);
        }
    }
    if (cp?.autoscaling?.enabled === false) {
        problem(at("controlPlane", "autoscaling", "enabled"), "the add-on's istiod always autoscales; remove enabled: false");
    }
    for (const field of blockedMeshFields(cp?.meshConfig ?? {})) {
        problem(at("controlPlane", "meshConfig", ...field.split(".")), `blocked by the add-on's admission webhook; the shared mesh config allows: ${ALLOWED_MESH_FIELDS.join(", ")} (and defaultConfig's listed in components/aks/meshConfig.ts)`);
    }
    const k8sMinor = cluster.kubernetesVersion === undefined ? undefined : parseKubernetesMinor(cluster.kubernetesVersion);
    if (k8sMinor !== undefined) {
        revisions.forEach((r) => {
            const entry = asmRevision(r.name);
            if (entry !== undefined && !kubernetesFits(entry, k8sMinor)) {
                const i = mesh.revisions.findIndex((x) => x.version === r.version);
                problem(
                    at("revisions", i, "version"),
                    `${r.name} supports Kubernetes 1.${entry.kubernetes[0]} to 1.${entry.kubernetes[1]}, not ${clusterPath}.kubernetesVersion 1.${k8sMinor}: pick a revision that supports it (${ASM_REVISIONS.filter((x) => kubernetesFits(x, k8sMinor)).map((x) => x.name).join(", ") || "none known"}), or change the cluster version first`,
                );
            }
        });
    }
    return issues;
}

/** The add-on block, normalized; pushes HPA problems. */
export function normalizeAddon(mesh: RawMesh, at: (...path: PropertyKey[]) => string, issues: ConfigIssue[]): AksAddonConfig {
    const d = DEFAULTS.aksAddon;
    // `ordered`: check max >= min here (controlPlane.autoscaling already gets that check in stackConfig).
    const bounds = (raw: { minReplicas?: number; maxReplicas?: number } | undefined, path: PropertyKey[], ordered = true) => {
        const minReplicas = raw?.minReplicas ?? d.minReplicas;
        const maxReplicas = raw?.maxReplicas ?? Math.max(d.maxReplicas, minReplicas);
        if (minReplicas < ADDON_MIN_REPLICAS) {
            issues.push({ path: at(...path, "minReplicas"), message: `${minReplicas} is below the add-on's minimum of ${ADDON_MIN_REPLICAS} (AKS refuses a lower HPA minReplicas); write 2 or more` });
        }
        if (ordered && maxReplicas < minReplicas) {
            issues.push({ path: at(...path), message: `maxReplicas (${maxReplicas}) is below minReplicas (${minReplicas}); raise maxReplicas` });
        }
        return { minReplicas, maxReplicas };
    };
    const raw = (mesh as { aksAddon?: z.infer<typeof aksAddonSchema> }).aksAddon;
    const ingressGateways: AddonIngressGateway[] = [];
    for (const [key, mode] of [["external", "External"], ["internal", "Internal"]] as const satisfies readonly (readonly [string, IngressMode])[]) {
        const gw = raw?.ingressGateways?.[key];
        if (gw !== undefined) {
            ingressGateways.push({ mode, enabled: gw.enabled ?? true, ...bounds(gw.autoscaling, ["aksAddon", "ingressGateways", key, "autoscaling"]) });
        }
    }
    return {
        ingressGateways,
        istiod: bounds(mesh.controlPlane?.autoscaling, ["controlPlane", "autoscaling"], false),
    };
}
