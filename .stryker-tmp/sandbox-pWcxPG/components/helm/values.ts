/**
 * Helm values per chart and Istio version. Every key written here is a real key of that
 * version's chart (tests/helm check them against the chart's own values.yaml), so the
 * shape changes between versions are handled here and nowhere else:
 *  - istiod 1.24 moved `pilot.*` to the top level;
 *  - istiod PDB: `global.defaultPodDisruptionBudget.enabled` (all versions) plus
 *    `pdb.minAvailable|maxUnavailable` from 1.27;
 *  - base `base.validationFailurePolicy` exists from 1.28.6 / 1.29.2 / 1.30.0.
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
import { ControlPlaneConfig, GatewayConfig, JsonMap, MeshConfig, RevisionConfig } from "../config/model";
import { atLeast, IstioVersion, mustParseVersion } from "../versions/version";

/** The three Istio charts this program installs, by their names in the Istio Helm repo. */
export const CHARTS = {
  base: "base",
  istiod: "istiod",
  gateway: "gateway"
} as const;

/** Recursively merges `override` into `base` (maps merge, everything else replaces). */
export function deepMerge(base: JsonMap, override: JsonMap): JsonMap {
  if (stryMutAct_9fa48("610")) {
    {}
  } else {
    stryCov_9fa48("610");
    const out: JsonMap = stryMutAct_9fa48("611") ? {} : (stryCov_9fa48("611"), {
      ...base
    });
    for (const [k, v] of Object.entries(override)) {
      if (stryMutAct_9fa48("612")) {
        {}
      } else {
        stryCov_9fa48("612");
        const cur = out[k];
        out[k] = (stryMutAct_9fa48("615") ? isMap(cur) || isMap(v) : stryMutAct_9fa48("614") ? false : stryMutAct_9fa48("613") ? true : (stryCov_9fa48("613", "614", "615"), isMap(cur) && isMap(v))) ? deepMerge(cur, v) : v;
      }
    }
    return out;
  }
}
function isMap(v: unknown): v is JsonMap {
  if (stryMutAct_9fa48("616")) {
    {}
  } else {
    stryCov_9fa48("616");
    return stryMutAct_9fa48("619") ? typeof v === "object" && v !== null || !Array.isArray(v) : stryMutAct_9fa48("618") ? false : stryMutAct_9fa48("617") ? true : (stryCov_9fa48("617", "618", "619"), (stryMutAct_9fa48("621") ? typeof v === "object" || v !== null : stryMutAct_9fa48("620") ? true : (stryCov_9fa48("620", "621"), (stryMutAct_9fa48("623") ? typeof v !== "object" : stryMutAct_9fa48("622") ? true : (stryCov_9fa48("622", "623"), typeof v === (stryMutAct_9fa48("624") ? "" : (stryCov_9fa48("624"), "object")))) && (stryMutAct_9fa48("626") ? v === null : stryMutAct_9fa48("625") ? true : (stryCov_9fa48("625", "626"), v !== null)))) && (stryMutAct_9fa48("627") ? Array.isArray(v) : (stryCov_9fa48("627"), !Array.isArray(v))));
  }
}

/** istiod moved its `pilot.*` settings to the top level in 1.24. */
export function pilotKeysAtTopLevel(v: IstioVersion): boolean {
  if (stryMutAct_9fa48("628")) {
    {}
  } else {
    stryCov_9fa48("628");
    return atLeast(v, 24);
  }
}

/** `base.validationFailurePolicy` was added in 1.28.6, 1.29.2 and 1.30.0. */
export function supportsValidationFailurePolicy(v: IstioVersion): boolean {
  if (stryMutAct_9fa48("629")) {
    {}
  } else {
    stryCov_9fa48("629");
    return stryMutAct_9fa48("632") ? (atLeast(v, 30) || v.minor === 29 && v.patch >= 2) && v.minor === 28 && v.patch >= 6 : stryMutAct_9fa48("631") ? false : stryMutAct_9fa48("630") ? true : (stryCov_9fa48("630", "631", "632"), (stryMutAct_9fa48("634") ? atLeast(v, 30) && v.minor === 29 && v.patch >= 2 : stryMutAct_9fa48("633") ? false : (stryCov_9fa48("633", "634"), atLeast(v, 30) || (stryMutAct_9fa48("636") ? v.minor === 29 || v.patch >= 2 : stryMutAct_9fa48("635") ? false : (stryCov_9fa48("635", "636"), (stryMutAct_9fa48("638") ? v.minor !== 29 : stryMutAct_9fa48("637") ? true : (stryCov_9fa48("637", "638"), v.minor === 29)) && (stryMutAct_9fa48("641") ? v.patch < 2 : stryMutAct_9fa48("640") ? v.patch > 2 : stryMutAct_9fa48("639") ? true : (stryCov_9fa48("639", "640", "641"), v.patch >= 2)))))) || (stryMutAct_9fa48("643") ? v.minor === 28 || v.patch >= 6 : stryMutAct_9fa48("642") ? false : (stryCov_9fa48("642", "643"), (stryMutAct_9fa48("645") ? v.minor !== 28 : stryMutAct_9fa48("644") ? true : (stryCov_9fa48("644", "645"), v.minor === 28)) && (stryMutAct_9fa48("648") ? v.patch < 6 : stryMutAct_9fa48("647") ? v.patch > 6 : stryMutAct_9fa48("646") ? true : (stryCov_9fa48("646", "647", "648"), v.patch >= 6)))));
  }
}

/** Values of the istiod release of one revision. */
export function istiodValues(mesh: Pick<MeshConfig, "namespace" | "hub">, cp: ControlPlaneConfig, revision: RevisionConfig): JsonMap {
  if (stryMutAct_9fa48("649")) {
    {}
  } else {
    stryCov_9fa48("649");
    const v = mustParseVersion(revision.version);
    const pilot: JsonMap = stryMutAct_9fa48("650") ? {} : (stryCov_9fa48("650"), {
      replicaCount: cp.replicas,
      autoscaleEnabled: cp.autoscaling.enabled,
      autoscaleMin: cp.autoscaling.minReplicas,
      autoscaleMax: cp.autoscaling.maxReplicas,
      ...((stryMutAct_9fa48("653") ? cp.resources === undefined : stryMutAct_9fa48("652") ? false : stryMutAct_9fa48("651") ? true : (stryCov_9fa48("651", "652", "653"), cp.resources !== undefined)) ? stryMutAct_9fa48("654") ? {} : (stryCov_9fa48("654"), {
        resources: cp.resources
      }) : {})
    });
    const values: JsonMap = stryMutAct_9fa48("655") ? {} : (stryCov_9fa48("655"), {
      revision: revision.name,
      // Tags are their own resources (one per tag): a tag inside a release could not move.
      revisionTags: stryMutAct_9fa48("656") ? ["Stryker was here"] : (stryCov_9fa48("656"), []),
      global: stryMutAct_9fa48("657") ? {} : (stryCov_9fa48("657"), {
        istioNamespace: mesh.namespace,
        hub: mesh.hub,
        tag: revision.version,
        defaultPodDisruptionBudget: stryMutAct_9fa48("658") ? {} : (stryCov_9fa48("658"), {
          enabled: stryMutAct_9fa48("659") ? false : (stryCov_9fa48("659"), true)
        })
      }),
      meshConfig: cp.meshConfig,
      ...(pilotKeysAtTopLevel(v) ? pilot : stryMutAct_9fa48("660") ? {} : (stryCov_9fa48("660"), {
        pilot
      })),
      ...(atLeast(v, 27) ? stryMutAct_9fa48("661") ? {} : (stryCov_9fa48("661"), {
        pdb: stryMutAct_9fa48("662") ? {} : (stryCov_9fa48("662"), {
          ...cp.pdb
        })
      }) : {})
    });
    return deepMerge(values, revision.values);
  }
}

/** Values of the shared base release. `defaultRevision` is a revision name, never a tag. */
export function baseValues(mesh: Pick<MeshConfig, "namespace">, baseVersion: string, defaultRevision: string): JsonMap {
  if (stryMutAct_9fa48("663")) {
    {}
  } else {
    stryCov_9fa48("663");
    const v = mustParseVersion(baseVersion);
    return stryMutAct_9fa48("664") ? {} : (stryCov_9fa48("664"), {
      defaultRevision,
      global: stryMutAct_9fa48("665") ? {} : (stryCov_9fa48("665"), {
        istioNamespace: mesh.namespace
      }),
      // Set explicitly where the chart has the key; istiod flips it at run time otherwise
      // (and the release lives in Helm, so Pulumi never diffs that field).
      ...(supportsValidationFailurePolicy(v) ? stryMutAct_9fa48("666") ? {} : (stryCov_9fa48("666"), {
        base: stryMutAct_9fa48("667") ? {} : (stryCov_9fa48("667"), {
          validationFailurePolicy: stryMutAct_9fa48("668") ? "" : (stryCov_9fa48("668"), "Fail")
        })
      }) : {})
    });
  }
}

/** Values of one gateway release (an in-place gateway that follows a tag or revision). */
/**
 * Pod annotation carrying the revision (and version) a gateway's proxies should run. Helm
 * rolls the Deployment when it changes, so a gateway follows a moved tag on the same update
 * (its `revision` value, a tag name, does not change then); chart defaults for podAnnotations
 * are kept (the chart merges its defaults under the values).
 */
export const EFFECTIVE_REVISION_ANNOTATION = stryMutAct_9fa48("669") ? "" : (stryCov_9fa48("669"), "istio-mesh/effective-revision");

/** `effective`: `<revision>@<version>` the gateway follows; undefined (restart: false) = no annotation. */
export function gatewayValues(gw: GatewayConfig, effective?: string): JsonMap {
  if (stryMutAct_9fa48("670")) {
    {}
  } else {
    stryCov_9fa48("670");
    const values: JsonMap = stryMutAct_9fa48("671") ? {} : (stryCov_9fa48("671"), {
      revision: gw.revision,
      replicaCount: gw.replicas,
      autoscaling: stryMutAct_9fa48("672") ? {} : (stryCov_9fa48("672"), {
        ...gw.autoscaling
      }),
      service: stryMutAct_9fa48("673") ? {} : (stryCov_9fa48("673"), {
        type: gw.serviceType
      }),
      labels: stryMutAct_9fa48("674") ? {} : (stryCov_9fa48("674"), {
        ...gw.labels
      }),
      ...((stryMutAct_9fa48("677") ? effective !== undefined || gw.restart : stryMutAct_9fa48("676") ? false : stryMutAct_9fa48("675") ? true : (stryCov_9fa48("675", "676", "677"), (stryMutAct_9fa48("679") ? effective === undefined : stryMutAct_9fa48("678") ? true : (stryCov_9fa48("678", "679"), effective !== undefined)) && gw.restart)) ? stryMutAct_9fa48("680") ? {} : (stryCov_9fa48("680"), {
        podAnnotations: stryMutAct_9fa48("681") ? {} : (stryCov_9fa48("681"), {
          [EFFECTIVE_REVISION_ANNOTATION]: effective
        })
      }) : {})
    });
    return deepMerge(values, gw.values);
  }
}