/**
 * The raw shape of the `istio-mesh:*` stack config, as zod schemas. Strict objects: an
 * unknown key is an error (a typo must never be silently ignored in a mesh upgrade).
 */
// @ts-nocheck
function stryNS_9fa48() {
  var g = typeof globalThis === 'object' && globalThis && globalThis.Math === Math && globalThis || new Function("return this")();
  var ns = g.__stryker__ || (g.__stryker__ = {});
  if (ns.activeMutant === undefined && g.process && g.process.env && g.process.env.__STRYKER_ACTIVE_MUTANT__) {
    ns.activeMutant = g.process.env.__STRYKER_ACTIVE_MUTANT__;
  }
  function retrieveNS() {
    return ns;
  }
  stryNS_9fa48 = retrieveNS;
  return retrieveNS();
}
stryNS_9fa48();
function stryCov_9fa48() {
  var ns = stryNS_9fa48();
  var cov = ns.mutantCoverage || (ns.mutantCoverage = {
    static: {},
    perTest: {}
  });
  function cover() {
    var c = cov.static;
    if (ns.currentTestId) {
      c = cov.perTest[ns.currentTestId] = cov.perTest[ns.currentTestId] || {};
    }
    var a = arguments;
    for (var i = 0; i < a.length; i++) {
      c[a[i]] = (c[a[i]] || 0) + 1;
    }
  }
  stryCov_9fa48 = cover;
  cover.apply(null, arguments);
}
function stryMutAct_9fa48(id) {
  var ns = stryNS_9fa48();
  function isActive(id) {
    if (ns.activeMutant === id) {
      if (ns.hitCount !== void 0 && ++ns.hitCount > ns.hitLimit) {
        throw new Error('Stryker: Hit count limit reached (' + ns.hitCount + ')');
      }
      return true;
    }
    return false;
  }
  stryMutAct_9fa48 = isActive;
  return isActive(id);
}
import { z } from "zod";
const labelMap = z.record(z.string(), z.string());
const anyMap = z.record(z.string(), z.unknown());
const count = stryMutAct_9fa48("54") ? z.number().int().max(1) : (stryCov_9fa48("54"), z.number().int().min(1));
export const clusterSchema = z.discriminatedUnion(stryMutAct_9fa48("55") ? "" : (stryCov_9fa48("55"), "kind"), stryMutAct_9fa48("56") ? [] : (stryCov_9fa48("56"), [z.strictObject(stryMutAct_9fa48("57") ? {} : (stryCov_9fa48("57"), {
  kind: z.literal(stryMutAct_9fa48("58") ? "" : (stryCov_9fa48("58"), "existing")),
  context: stryMutAct_9fa48("59") ? z.string().max(1).optional() : (stryCov_9fa48("59"), z.string().min(1).optional()),
  kubeconfig: stryMutAct_9fa48("60") ? z.string().max(1).optional() : (stryCov_9fa48("60"), z.string().min(1).optional()),
  kubernetesVersion: z.string().optional(),
  skipAwait: z.boolean().optional()
})),
// Accepted here so the error can say "not yet supported" instead of "unknown kind".
z.looseObject(stryMutAct_9fa48("61") ? {} : (stryCov_9fa48("61"), {
  kind: z.literal(stryMutAct_9fa48("62") ? "" : (stryCov_9fa48("62"), "aks"))
}))]));
const autoscaling = z.strictObject(stryMutAct_9fa48("63") ? {} : (stryCov_9fa48("63"), {
  enabled: z.boolean().optional(),
  minReplicas: count.optional(),
  maxReplicas: count.optional()
}));
export const revisionSchema = z.strictObject(stryMutAct_9fa48("64") ? {} : (stryCov_9fa48("64"), {
  version: z.string(),
  name: z.string().optional(),
  values: anyMap.optional()
}));
export const namespaceSchema = z.union(stryMutAct_9fa48("65") ? [] : (stryCov_9fa48("65"), [z.string(), z.strictObject(stryMutAct_9fa48("66") ? {} : (stryCov_9fa48("66"), {
  revision: z.string(),
  create: z.boolean().optional(),
  deleteWhenRemoved: z.boolean().optional(),
  restart: z.boolean().optional(),
  labels: labelMap.optional()
}))]));
export const gatewaySchema = z.strictObject(stryMutAct_9fa48("67") ? {} : (stryCov_9fa48("67"), {
  namespace: z.string().optional(),
  revision: z.string(),
  service: z.strictObject(stryMutAct_9fa48("68") ? {} : (stryCov_9fa48("68"), {
    type: z.enum(stryMutAct_9fa48("69") ? [] : (stryCov_9fa48("69"), [stryMutAct_9fa48("70") ? "" : (stryCov_9fa48("70"), "LoadBalancer"), stryMutAct_9fa48("71") ? "" : (stryCov_9fa48("71"), "ClusterIP"), stryMutAct_9fa48("72") ? "" : (stryCov_9fa48("72"), "NodePort"), stryMutAct_9fa48("73") ? "" : (stryCov_9fa48("73"), "None")])).optional()
  })).optional(),
  replicas: count.optional(),
  autoscaling: autoscaling.optional(),
  labels: labelMap.optional(),
  restart: z.boolean().optional(),
  values: anyMap.optional()
}));
export const controlPlaneSchema = z.strictObject(stryMutAct_9fa48("74") ? {} : (stryCov_9fa48("74"), {
  replicas: count.optional(),
  autoscaling: autoscaling.optional(),
  resources: anyMap.optional(),
  pdb: z.strictObject(stryMutAct_9fa48("75") ? {} : (stryCov_9fa48("75"), {
    minAvailable: stryMutAct_9fa48("76") ? z.number().int().max(0).optional() : (stryCov_9fa48("76"), z.number().int().min(0).optional()),
    maxUnavailable: stryMutAct_9fa48("77") ? z.number().int().max(1).optional() : (stryCov_9fa48("77"), z.number().int().min(1).optional())
  })).optional(),
  meshConfig: anyMap.optional()
}));
export const meshSchema = z.strictObject(stryMutAct_9fa48("78") ? {} : (stryCov_9fa48("78"), {
  management: z.enum(stryMutAct_9fa48("79") ? [] : (stryCov_9fa48("79"), [stryMutAct_9fa48("80") ? "" : (stryCov_9fa48("80"), "helm"), stryMutAct_9fa48("81") ? "" : (stryCov_9fa48("81"), "aks-addon")])).optional(),
  namespace: z.string().optional(),
  chartRepository: z.string().regex(stryMutAct_9fa48("86") ? /^(https?|oci):\/\/\s+$/ : stryMutAct_9fa48("85") ? /^(https?|oci):\/\/\S$/ : stryMutAct_9fa48("84") ? /^(https|oci):\/\/\S+$/ : stryMutAct_9fa48("83") ? /^(https?|oci):\/\/\S+/ : stryMutAct_9fa48("82") ? /(https?|oci):\/\/\S+$/ : (stryCov_9fa48("82", "83", "84", "85", "86"), /^(https?|oci):\/\/\S+$/), stryMutAct_9fa48("87") ? "" : (stryCov_9fa48("87"), "must be a Helm repository URL (https://, http://) or an OCI registry (oci://)")).optional(),
  hub: stryMutAct_9fa48("88") ? z.string().max(1).optional() : (stryCov_9fa48("88"), z.string().min(1).optional()),
  revisions: stryMutAct_9fa48("89") ? z.array(revisionSchema).max(1, "at least one revision is required") : (stryCov_9fa48("89"), z.array(revisionSchema).min(1, stryMutAct_9fa48("90") ? "" : (stryCov_9fa48("90"), "at least one revision is required"))),
  tags: z.record(z.string(), z.string()).optional(),
  defaultRevision: z.string().optional(),
  namespaces: z.record(z.string(), namespaceSchema).optional(),
  gateways: z.record(z.string(), gatewaySchema).optional(),
  controlPlane: controlPlaneSchema.optional(),
  cni: z.strictObject(stryMutAct_9fa48("91") ? {} : (stryCov_9fa48("91"), {
    enabled: z.boolean().optional()
  })).optional(),
  restarts: z.strictObject(stryMutAct_9fa48("92") ? {} : (stryCov_9fa48("92"), {
    wait: z.boolean().optional(),
    timeoutSeconds: count.optional()
  })).optional()
}));
export type RawCluster = z.infer<typeof clusterSchema>;
export type RawMesh = z.infer<typeof meshSchema>;