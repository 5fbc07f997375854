/**
 * The raw shape of the `istio-mesh:*` stack config, as zod schemas. Strict objects: an
 * unknown key is an error (a typo must never be silently ignored in a mesh upgrade).
 */
import { z } from "zod";
import { chartRepositorySchema } from "./chartRepository";
import { aksAddonSchema, aksClusterSchema } from "./aks";
import { gatewayOptionFields } from "./gatewayOptions";
import { cniSchema } from "../cni/config";
import { mtlsSchema } from "../security/config";
import { adoptSchema } from "../adopt/config";
import { probeSchema } from "../probe/config";
import { addonsSchema } from "../addons/config";
import { dataplaneSchema, gatewayApiGatewaySchema, gatewayApiSchema, namespaceAmbientFields, ztunnelSchema } from "./ambient";

const labelMap = z.record(z.string(), z.string());
const anyMap = z.record(z.string(), z.unknown());
const count = z.number().int().min(1);

/** `kind` defaults to `existing`, also when the cluster block is present without it. */
const withDefaultKind = (v: unknown): unknown =>
    v !== null && typeof v === "object" && !Array.isArray(v) && (v as { kind?: unknown }).kind === undefined ? { ...v, kind: "existing" } : v;

export const clusterSchema = z.preprocess(withDefaultKind, z.discriminatedUnion("kind", [
    z.strictObject({
        kind: z.literal("existing"),
        context: z.string().min(1).optional(),
        kubeconfig: z.string().min(1).optional(),
        kubernetesVersion: z.string().optional(),
        skipAwait: z.boolean().optional(),
    }),
    aksClusterSchema,
]));

const autoscaling = z.strictObject({
    enabled: z.boolean().optional(),
    minReplicas: count.optional(),
    maxReplicas: count.optional(),
});

export const controlPlaneSchema = z.strictObject({
    replicas: count.optional(),
    autoscaling: autoscaling.optional(),
    resources: anyMap.optional(),
    pdb: z
        .strictObject({ minAvailable: z.number().int().min(0).optional(), maxUnavailable: z.number().int().min(1).optional() })
        .optional(),
    meshConfig: anyMap.optional(),
});

export const revisionSchema = z.strictObject({
    version: z.string(),
    name: z.string().optional(),
    values: anyMap.optional(),
    /** Per-revision overrides of mesh.controlPlane (each key set here replaces that key). */
    controlPlane: controlPlaneSchema.optional(),
});

export const namespaceSchema = z.union([
    z.string(),
    z.strictObject({
        revision: z.string(),
        create: z.boolean().optional(),
        deleteWhenRemoved: z.boolean().optional(),
        restart: z.boolean().optional(),
        labels: labelMap.optional(),
        // dataplane, keepSidecars, waypoint (config/ambient.ts).
        ...namespaceAmbientFields,
    }),
]);

export const gatewaySchema = z.strictObject({
    namespace: z.string().optional(),
    revision: z.string().optional(),
    canary: z.record(z.string(), z.strictObject({ replicas: z.number().int().min(0).optional() })).optional(),
    // kind, service (type, ports, annotations, ...), pod placement, hostNetwork, strategy, PDB.
    ...gatewayOptionFields,
    replicas: count.optional(),
    autoscaling: autoscaling.optional(),
    labels: labelMap.optional(),
    restart: z.boolean().optional(),
    values: anyMap.optional(),
});

export const meshSchema = z.strictObject({
    management: z.enum(["helm", "aks-addon"]).optional(),
    namespace: z.string().optional(),
    chartRepository: chartRepositorySchema.optional(),
    hub: z.string().min(1).optional(),
    revisions: z.array(revisionSchema).min(1, "empty; list at least one revision, e.g. `revisions: [{version: 1.30.3}]`"),
    tags: z.record(z.string(), z.string()).optional(),
    defaultRevision: z.string().optional(),
    namespaces: z.record(z.string(), namespaceSchema).optional(),
    // A chart gateway (kind ingress/egress, or none) or a Gateway API Gateway (kind gateway-api, config/ambient.ts).
    gateways: z.record(z.string(), z.discriminatedUnion("kind", [gatewaySchema, gatewayApiGatewaySchema])).optional(),
    controlPlane: controlPlaneSchema.optional(),
    cni: cniSchema.optional(),
    mtls: mtlsSchema.optional(),
    restarts: z.strictObject({ wait: z.boolean().optional(), timeoutSeconds: count.optional() }).optional(),
    aksAddon: aksAddonSchema.optional(),
    adopt: adoptSchema.optional(),
    probe: probeSchema.optional(),
    addons: addonsSchema.optional(),
    // Ambient mode and the Gateway API CRDs (config/ambient.ts).
    dataplane: dataplaneSchema.optional(),
    ztunnel: ztunnelSchema.optional(),
    gatewayApi: gatewayApiSchema.optional(),
});

export type RawCluster = z.infer<typeof clusterSchema>;
export type RawMesh = z.infer<typeof meshSchema>;
