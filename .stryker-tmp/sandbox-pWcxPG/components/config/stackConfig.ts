/**
 * Parses and validates the whole `istio-mesh:*` stack config into a MeshConfig.
 * Every problem is collected (not just the first) and names its path and the fix.
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
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { atLeast, dnsLabelProblem, IstioVersion, kubernetesProblem, mustParseVersion, parseKubernetesMinor, revisionNameFor, versionProblem } from "../versions/version";
import { DEFAULTS } from "./defaults";
import { ConfigError, ConfigIssue, formatPath } from "./errors";
import { byCodePoint, byKey } from "./order";
import { ClusterConfig, ControlPlaneConfig, DEFAULT_TAG, GatewayConfig, MeshConfig, NamespaceConfig, resolveRevision, RevisionConfig } from "./model";
import { clusterSchema, meshSchema, RawCluster, RawMesh } from "./schema";
export const CONFIG_NAMESPACE = stryMutAct_9fa48("93") ? "" : (stryCov_9fa48("93"), "istio-mesh");
const CLUSTER_KEY = stryMutAct_9fa48("94") ? `` : (stryCov_9fa48("94"), `${CONFIG_NAMESPACE}:cluster`);
const MESH_KEY = stryMutAct_9fa48("95") ? `` : (stryCov_9fa48("95"), `${CONFIG_NAMESPACE}:mesh`);
const KNOWN_KEYS = new Set(stryMutAct_9fa48("96") ? [] : (stryCov_9fa48("96"), [CLUSTER_KEY, MESH_KEY]));

/**
 * Parses the stack config map (`{"istio-mesh:mesh": {...}, ...}`). Values may be objects
 * (a stack YAML file) or JSON strings (what the Pulumi runtime hands a program).
 * Keys of other namespaces (`kubernetes:*`, `pulumi:*`) are ignored.
 */
export function parseStackConfig(raw: Readonly<Record<string, unknown>>, secretKeys: readonly string[] = stryMutAct_9fa48("97") ? ["Stryker was here"] : (stryCov_9fa48("97"), [])): MeshConfig {
  if (stryMutAct_9fa48("98")) {
    {}
  } else {
    stryCov_9fa48("98");
    const issues: ConfigIssue[] = stryMutAct_9fa48("99") ? ["Stryker was here"] : (stryCov_9fa48("99"), []);
    for (const key of stryMutAct_9fa48("100") ? Object.keys(raw) : (stryCov_9fa48("100"), Object.keys(raw).sort())) {
      if (stryMutAct_9fa48("101")) {
        {}
      } else {
        stryCov_9fa48("101");
        if (stryMutAct_9fa48("104") ? key.startsWith(`${CONFIG_NAMESPACE}:`) || !KNOWN_KEYS.has(key) : stryMutAct_9fa48("103") ? false : stryMutAct_9fa48("102") ? true : (stryCov_9fa48("102", "103", "104"), (stryMutAct_9fa48("105") ? key.endsWith(`${CONFIG_NAMESPACE}:`) : (stryCov_9fa48("105"), key.startsWith(stryMutAct_9fa48("106") ? `` : (stryCov_9fa48("106"), `${CONFIG_NAMESPACE}:`)))) && (stryMutAct_9fa48("107") ? KNOWN_KEYS.has(key) : (stryCov_9fa48("107"), !KNOWN_KEYS.has(key))))) {
          if (stryMutAct_9fa48("108")) {
            {}
          } else {
            stryCov_9fa48("108");
            issues.push(stryMutAct_9fa48("109") ? {} : (stryCov_9fa48("109"), {
              path: key,
              message: stryMutAct_9fa48("110") ? `` : (stryCov_9fa48("110"), `unknown key; the keys are ${(stryMutAct_9fa48("111") ? [] : (stryCov_9fa48("111"), [...KNOWN_KEYS])).join(stryMutAct_9fa48("112") ? "" : (stryCov_9fa48("112"), " and "))}`)
            }));
          }
        }
      }
    }
    const cluster = parsePart(CLUSTER_KEY, clusterSchema, stryMutAct_9fa48("113") ? raw[CLUSTER_KEY] && {
      kind: "existing"
    } : (stryCov_9fa48("113"), raw[CLUSTER_KEY] ?? (stryMutAct_9fa48("114") ? {} : (stryCov_9fa48("114"), {
      kind: stryMutAct_9fa48("115") ? "" : (stryCov_9fa48("115"), "existing")
    }))), issues, secretKeys);
    const mesh = parsePart(MESH_KEY, meshSchema, raw[MESH_KEY], issues, secretKeys);
    if (stryMutAct_9fa48("118") ? cluster === undefined && mesh === undefined : stryMutAct_9fa48("117") ? false : stryMutAct_9fa48("116") ? true : (stryCov_9fa48("116", "117", "118"), (stryMutAct_9fa48("120") ? cluster !== undefined : stryMutAct_9fa48("119") ? false : (stryCov_9fa48("119", "120"), cluster === undefined)) || (stryMutAct_9fa48("122") ? mesh !== undefined : stryMutAct_9fa48("121") ? false : (stryCov_9fa48("121", "122"), mesh === undefined)))) {
      if (stryMutAct_9fa48("123")) {
        {}
      } else {
        stryCov_9fa48("123");
        throw new ConfigError(issues);
      }
    }
    const config = normalize(cluster, mesh, issues);
    if (stryMutAct_9fa48("127") ? issues.length <= 0 : stryMutAct_9fa48("126") ? issues.length >= 0 : stryMutAct_9fa48("125") ? false : stryMutAct_9fa48("124") ? true : (stryCov_9fa48("124", "125", "126", "127"), issues.length > 0)) {
      if (stryMutAct_9fa48("128")) {
        {}
      } else {
        stryCov_9fa48("128");
        throw new ConfigError(issues);
      }
    }
    return config;
  }
}
function parsePart<T>(key: string, schema: z.ZodType<T>, value: unknown, issues: ConfigIssue[], secretKeys: readonly string[]): T | undefined {
  if (stryMutAct_9fa48("129")) {
    {}
  } else {
    stryCov_9fa48("129");
    if (stryMutAct_9fa48("132") ? value !== undefined : stryMutAct_9fa48("131") ? false : stryMutAct_9fa48("130") ? true : (stryCov_9fa48("130", "131", "132"), value === undefined)) {
      if (stryMutAct_9fa48("133")) {
        {}
      } else {
        stryCov_9fa48("133");
        issues.push(stryMutAct_9fa48("134") ? {} : (stryCov_9fa48("134"), {
          path: key,
          message: stryMutAct_9fa48("135") ? `` : (stryCov_9fa48("135"), `required; see the README's configuration reference`)
        }));
        return undefined;
      }
    }
    if (stryMutAct_9fa48("138") ? typeof value !== "string" : stryMutAct_9fa48("137") ? false : stryMutAct_9fa48("136") ? true : (stryCov_9fa48("136", "137", "138"), typeof value === (stryMutAct_9fa48("139") ? "" : (stryCov_9fa48("139"), "string")))) {
      if (stryMutAct_9fa48("140")) {
        {}
      } else {
        stryCov_9fa48("140");
        try {
          if (stryMutAct_9fa48("141")) {
            {}
          } else {
            stryCov_9fa48("141");
            value = JSON.parse(value);
          }
        } catch {
          if (stryMutAct_9fa48("142")) {
            {}
          } else {
            stryCov_9fa48("142");
            issues.push(stryMutAct_9fa48("143") ? {} : (stryCov_9fa48("143"), {
              path: key,
              message: stryMutAct_9fa48("144") ? "" : (stryCov_9fa48("144"), "must be an object (structured config), not a string")
            }));
            return undefined;
          }
        }
      }
    }
    value = withSecrets(key, value, secretKeys.includes(key), issues);
    if (stryMutAct_9fa48("147") ? value !== undefined : stryMutAct_9fa48("146") ? false : stryMutAct_9fa48("145") ? true : (stryCov_9fa48("145", "146", "147"), value === undefined)) {
      if (stryMutAct_9fa48("148")) {
        {}
      } else {
        stryCov_9fa48("148");
        return undefined;
      }
    }
    const result = schema.safeParse(value);
    if (stryMutAct_9fa48("150") ? false : stryMutAct_9fa48("149") ? true : (stryCov_9fa48("149", "150"), result.success)) {
      if (stryMutAct_9fa48("151")) {
        {}
      } else {
        stryCov_9fa48("151");
        return result.data;
      }
    }
    for (const issue of result.error.issues) {
      if (stryMutAct_9fa48("152")) {
        {}
      } else {
        stryCov_9fa48("152");
        if (stryMutAct_9fa48("155") ? issue.code !== "unrecognized_keys" : stryMutAct_9fa48("154") ? false : stryMutAct_9fa48("153") ? true : (stryCov_9fa48("153", "154", "155"), issue.code === (stryMutAct_9fa48("156") ? "" : (stryCov_9fa48("156"), "unrecognized_keys")))) {
          if (stryMutAct_9fa48("157")) {
            {}
          } else {
            stryCov_9fa48("157");
            for (const k of issue.keys) {
              if (stryMutAct_9fa48("158")) {
                {}
              } else {
                stryCov_9fa48("158");
                issues.push(stryMutAct_9fa48("159") ? {} : (stryCov_9fa48("159"), {
                  path: formatPath(key, stryMutAct_9fa48("160") ? [] : (stryCov_9fa48("160"), [...issue.path, k])),
                  message: stryMutAct_9fa48("161") ? "" : (stryCov_9fa48("161"), "unknown key; remove it or fix its spelling")
                }));
              }
            }
          }
        } else {
          if (stryMutAct_9fa48("162")) {
            {}
          } else {
            stryCov_9fa48("162");
            issues.push(stryMutAct_9fa48("163") ? {} : (stryCov_9fa48("163"), {
              path: formatPath(key, issue.path),
              message: issue.message
            }));
          }
        }
      }
    }
    return undefined;
  }
}
function normalize(rawCluster: RawCluster, mesh: RawMesh, issues: ConfigIssue[]): MeshConfig {
  if (stryMutAct_9fa48("164")) {
    {}
  } else {
    stryCov_9fa48("164");
    const at = stryMutAct_9fa48("165") ? () => undefined : (stryCov_9fa48("165"), (() => {
      const at = (...path: PropertyKey[]) => formatPath(MESH_KEY, path);
      return at;
    })());
    const problem = stryMutAct_9fa48("166") ? () => undefined : (stryCov_9fa48("166"), (() => {
      const problem = (path: string, message: string) => issues.push(stryMutAct_9fa48("167") ? {} : (stryCov_9fa48("167"), {
        path,
        message
      }));
      return problem;
    })());
    const cluster = normalizeCluster(rawCluster, issues);
    if (stryMutAct_9fa48("170") ? (mesh.management ?? DEFAULTS.management) === "helm" : stryMutAct_9fa48("169") ? false : stryMutAct_9fa48("168") ? true : (stryCov_9fa48("168", "169", "170"), (stryMutAct_9fa48("171") ? mesh.management && DEFAULTS.management : (stryCov_9fa48("171"), mesh.management ?? DEFAULTS.management)) !== (stryMutAct_9fa48("172") ? "" : (stryCov_9fa48("172"), "helm")))) {
      if (stryMutAct_9fa48("173")) {
        {}
      } else {
        stryCov_9fa48("173");
        problem(at(stryMutAct_9fa48("174") ? "" : (stryCov_9fa48("174"), "management")), stryMutAct_9fa48("175") ? `` : (stryCov_9fa48("175"), `"aks-addon" is not yet supported; use "helm" (the AKS managed add-on comes with AKS support)`));
      }
    }
    if (stryMutAct_9fa48("178") ? mesh.cni.enabled : stryMutAct_9fa48("177") ? false : stryMutAct_9fa48("176") ? true : (stryCov_9fa48("176", "177", "178"), mesh.cni?.enabled)) {
      if (stryMutAct_9fa48("179")) {
        {}
      } else {
        stryCov_9fa48("179");
        problem(at(stryMutAct_9fa48("180") ? "" : (stryCov_9fa48("180"), "cni"), stryMutAct_9fa48("181") ? "" : (stryCov_9fa48("181"), "enabled")), stryMutAct_9fa48("182") ? "" : (stryCov_9fa48("182"), "Istio CNI is not yet supported by this program; remove mesh.cni or set enabled: false"));
      }
    }
    const namespace = stryMutAct_9fa48("183") ? mesh.namespace && DEFAULTS.namespace : (stryCov_9fa48("183"), mesh.namespace ?? DEFAULTS.namespace);
    const nsProblem = dnsLabelProblem(namespace);
    if (stryMutAct_9fa48("185") ? false : stryMutAct_9fa48("184") ? true : (stryCov_9fa48("184", "185"), nsProblem)) {
      if (stryMutAct_9fa48("186")) {
        {}
      } else {
        stryCov_9fa48("186");
        problem(at(stryMutAct_9fa48("187") ? "" : (stryCov_9fa48("187"), "namespace")), nsProblem);
      }
    }

    // Revisions: names unique, versions valid; sorted by name so list order never matters.
    const revisions: RevisionConfig[] = stryMutAct_9fa48("188") ? ["Stryker was here"] : (stryCov_9fa48("188"), []);
    const revisionIndex = new Map<string, number>();
    mesh.revisions.forEach((r, i) => {
      if (stryMutAct_9fa48("189")) {
        {}
      } else {
        stryCov_9fa48("189");
        const vProblem = versionProblem(r.version);
        if (stryMutAct_9fa48("191") ? false : stryMutAct_9fa48("190") ? true : (stryCov_9fa48("190", "191"), vProblem)) {
          if (stryMutAct_9fa48("192")) {
            {}
          } else {
            stryCov_9fa48("192");
            problem(at(stryMutAct_9fa48("193") ? "" : (stryCov_9fa48("193"), "revisions"), i, stryMutAct_9fa48("194") ? "" : (stryCov_9fa48("194"), "version")), vProblem);
            return;
          }
        }
        const name = stryMutAct_9fa48("195") ? r.name && revisionNameFor(r.version) : (stryCov_9fa48("195"), r.name ?? revisionNameFor(r.version));
        const nameProblem = dnsLabelProblem(name);
        if (stryMutAct_9fa48("197") ? false : stryMutAct_9fa48("196") ? true : (stryCov_9fa48("196", "197"), nameProblem)) {
          if (stryMutAct_9fa48("198")) {
            {}
          } else {
            stryCov_9fa48("198");
            problem(at(stryMutAct_9fa48("199") ? "" : (stryCov_9fa48("199"), "revisions"), i, stryMutAct_9fa48("200") ? "" : (stryCov_9fa48("200"), "name")), nameProblem);
            return;
          }
        }
        if (stryMutAct_9fa48("202") ? false : stryMutAct_9fa48("201") ? true : (stryCov_9fa48("201", "202"), revisionIndex.has(name))) {
          if (stryMutAct_9fa48("203")) {
            {}
          } else {
            stryCov_9fa48("203");
            problem(at(stryMutAct_9fa48("204") ? "" : (stryCov_9fa48("204"), "revisions"), i), stryMutAct_9fa48("205") ? `` : (stryCov_9fa48("205"), `duplicate revision "${name}" (also revisions[${revisionIndex.get(name)}]); give one of them a distinct name`));
            return;
          }
        }
        revisionIndex.set(name, i);
        revisions.push(stryMutAct_9fa48("206") ? {} : (stryCov_9fa48("206"), {
          name,
          version: r.version,
          values: stryMutAct_9fa48("207") ? r.values && {} : (stryCov_9fa48("207"), r.values ?? {})
        }));
      }
    });
    stryMutAct_9fa48("208") ? revisions : (stryCov_9fa48("208"), revisions.sort(stryMutAct_9fa48("209") ? () => undefined : (stryCov_9fa48("209"), (a, b) => byCodePoint(a.name, b.name))));
    const revisionNames = new Set(revisions.map(stryMutAct_9fa48("210") ? () => undefined : (stryCov_9fa48("210"), r => r.name)));
    const revisionList = (stryMutAct_9fa48("211") ? [] : (stryCov_9fa48("211"), [...revisionNames])).join(stryMutAct_9fa48("212") ? "" : (stryCov_9fa48("212"), ", "));
    if (stryMutAct_9fa48("215") ? cluster.kubernetesVersion === undefined : stryMutAct_9fa48("214") ? false : stryMutAct_9fa48("213") ? true : (stryCov_9fa48("213", "214", "215"), cluster.kubernetesVersion !== undefined)) {
      if (stryMutAct_9fa48("216")) {
        {}
      } else {
        stryCov_9fa48("216");
        const k8sMinor = parseKubernetesMinor(cluster.kubernetesVersion);
        if (stryMutAct_9fa48("219") ? k8sMinor !== undefined : stryMutAct_9fa48("218") ? false : stryMutAct_9fa48("217") ? true : (stryCov_9fa48("217", "218", "219"), k8sMinor === undefined)) {
          if (stryMutAct_9fa48("220")) {
            {}
          } else {
            stryCov_9fa48("220");
            problem(stryMutAct_9fa48("221") ? `` : (stryCov_9fa48("221"), `${CLUSTER_KEY}.kubernetesVersion`), stryMutAct_9fa48("222") ? `` : (stryCov_9fa48("222"), `"${cluster.kubernetesVersion}" is not a Kubernetes version; write e.g. "1.31"`));
          }
        } else {
          if (stryMutAct_9fa48("223")) {
            {}
          } else {
            stryCov_9fa48("223");
            for (const r of revisions) {
              if (stryMutAct_9fa48("224")) {
                {}
              } else {
                stryCov_9fa48("224");
                const kProblem = kubernetesProblem(mustParseVersion(r.version), k8sMinor);
                if (stryMutAct_9fa48("226") ? false : stryMutAct_9fa48("225") ? true : (stryCov_9fa48("225", "226"), kProblem)) {
                  if (stryMutAct_9fa48("227")) {
                    {}
                  } else {
                    stryCov_9fa48("227");
                    const index = revisionIndex.get(r.name);
                    if (stryMutAct_9fa48("230") ? index !== undefined : stryMutAct_9fa48("229") ? false : stryMutAct_9fa48("228") ? true : (stryCov_9fa48("228", "229", "230"), index === undefined)) {
                      if (stryMutAct_9fa48("231")) {
                        {}
                      } else {
                        stryCov_9fa48("231");
                        throw new Error(stryMutAct_9fa48("232") ? `` : (stryCov_9fa48("232"), `internal: revision "${r.name}" has no index in mesh.revisions`));
                      }
                    }
                    problem(at(stryMutAct_9fa48("233") ? "" : (stryCov_9fa48("233"), "revisions"), index, stryMutAct_9fa48("234") ? "" : (stryCov_9fa48("234"), "version")), stryMutAct_9fa48("235") ? `` : (stryCov_9fa48("235"), `${kProblem}: pick an Istio release that supports the cluster, or upgrade the cluster first`));
                  }
                }
              }
            }
          }
        }
      }
    }

    // Tags point at revisions; a tag may not share a name with a revision.
    const tags: Record<string, string> = {};
    for (const [tag, target] of stryMutAct_9fa48("236") ? Object.entries(mesh.tags ?? {}) : (stryCov_9fa48("236"), Object.entries(stryMutAct_9fa48("237") ? mesh.tags && {} : (stryCov_9fa48("237"), mesh.tags ?? {})).sort(byKey))) {
      if (stryMutAct_9fa48("238")) {
        {}
      } else {
        stryCov_9fa48("238");
        const tagProblem = dnsLabelProblem(tag);
        if (stryMutAct_9fa48("240") ? false : stryMutAct_9fa48("239") ? true : (stryCov_9fa48("239", "240"), tagProblem)) {
          if (stryMutAct_9fa48("241")) {
            {}
          } else {
            stryCov_9fa48("241");
            problem(at(stryMutAct_9fa48("242") ? "" : (stryCov_9fa48("242"), "tags"), tag), tagProblem);
          }
        } else if (stryMutAct_9fa48("245") ? tag !== DEFAULT_TAG : stryMutAct_9fa48("244") ? false : stryMutAct_9fa48("243") ? true : (stryCov_9fa48("243", "244", "245"), tag === DEFAULT_TAG)) {
          if (stryMutAct_9fa48("246")) {
            {}
          } else {
            stryCov_9fa48("246");
            problem(at(stryMutAct_9fa48("247") ? "" : (stryCov_9fa48("247"), "tags"), tag), stryMutAct_9fa48("248") ? `` : (stryCov_9fa48("248"), `the "default" tag is driven by mesh.defaultRevision; remove it from mesh.tags and set defaultRevision: ${target}`));
          }
        } else if (stryMutAct_9fa48("250") ? false : stryMutAct_9fa48("249") ? true : (stryCov_9fa48("249", "250"), revisionNames.has(tag))) {
          if (stryMutAct_9fa48("251")) {
            {}
          } else {
            stryCov_9fa48("251");
            problem(at(stryMutAct_9fa48("252") ? "" : (stryCov_9fa48("252"), "tags"), tag), stryMutAct_9fa48("253") ? `` : (stryCov_9fa48("253"), `a tag may not share its name with a revision (istioctl refuses it too); rename the tag`));
          }
        } else if (stryMutAct_9fa48("256") ? false : stryMutAct_9fa48("255") ? true : stryMutAct_9fa48("254") ? revisionNames.has(target) : (stryCov_9fa48("254", "255", "256"), !revisionNames.has(target))) {
          if (stryMutAct_9fa48("257")) {
            {}
          } else {
            stryCov_9fa48("257");
            problem(at(stryMutAct_9fa48("258") ? "" : (stryCov_9fa48("258"), "tags"), tag), stryMutAct_9fa48("259") ? `` : (stryCov_9fa48("259"), `points at "${target}", which is not a revision; tags point at one of: ${revisionList}`));
          }
        } else {
          if (stryMutAct_9fa48("260")) {
            {}
          } else {
            stryCov_9fa48("260");
            tags[tag] = target;
          }
        }
      }
    }
    const refProblem = stryMutAct_9fa48("261") ? () => undefined : (stryCov_9fa48("261"), (() => {
      const refProblem = (ref: string): string | undefined => (stryMutAct_9fa48("264") ? (revisionNames.has(ref) || Object.hasOwn(tags, ref)) && ref === DEFAULT_TAG : stryMutAct_9fa48("263") ? false : stryMutAct_9fa48("262") ? true : (stryCov_9fa48("262", "263", "264"), (stryMutAct_9fa48("266") ? revisionNames.has(ref) && Object.hasOwn(tags, ref) : stryMutAct_9fa48("265") ? false : (stryCov_9fa48("265", "266"), revisionNames.has(ref) || Object.hasOwn(tags, ref))) || (stryMutAct_9fa48("268") ? ref !== DEFAULT_TAG : stryMutAct_9fa48("267") ? false : (stryCov_9fa48("267", "268"), ref === DEFAULT_TAG)))) ? undefined : stryMutAct_9fa48("269") ? `` : (stryCov_9fa48("269"), `"${ref}" is neither a revision (${revisionList}) nor a tag (${stryMutAct_9fa48("272") ? Object.keys(tags).join(", ") && "none" : stryMutAct_9fa48("271") ? false : stryMutAct_9fa48("270") ? true : (stryCov_9fa48("270", "271", "272"), Object.keys(tags).join(stryMutAct_9fa48("273") ? "" : (stryCov_9fa48("273"), ", ")) || (stryMutAct_9fa48("274") ? "" : (stryCov_9fa48("274"), "none")))}); point it at one of them`);
      return refProblem;
    })());
    let defaultRevision = mesh.defaultRevision;
    if (stryMutAct_9fa48("277") ? defaultRevision !== undefined : stryMutAct_9fa48("276") ? false : stryMutAct_9fa48("275") ? true : (stryCov_9fa48("275", "276", "277"), defaultRevision === undefined)) {
      if (stryMutAct_9fa48("278")) {
        {}
      } else {
        stryCov_9fa48("278");
        if (stryMutAct_9fa48("281") ? revisions.length !== 1 : stryMutAct_9fa48("280") ? false : stryMutAct_9fa48("279") ? true : (stryCov_9fa48("279", "280", "281"), revisions.length === 1)) {
          if (stryMutAct_9fa48("282")) {
            {}
          } else {
            stryCov_9fa48("282");
            defaultRevision = revisions[0].name;
          }
        } else {
          if (stryMutAct_9fa48("283")) {
            {}
          } else {
            stryCov_9fa48("283");
            problem(at(stryMutAct_9fa48("284") ? "" : (stryCov_9fa48("284"), "defaultRevision")), stryMutAct_9fa48("285") ? `` : (stryCov_9fa48("285"), `required with more than one revision: name the tag or revision that istio-injection=enabled namespaces and validation use (one of ${revisionList})`));
            defaultRevision = stryMutAct_9fa48("286") ? revisions[0]?.name && "" : (stryCov_9fa48("286"), (stryMutAct_9fa48("287") ? revisions[0].name : (stryCov_9fa48("287"), revisions[0]?.name)) ?? (stryMutAct_9fa48("288") ? "Stryker was here!" : (stryCov_9fa48("288"), "")));
          }
        }
      }
    } else if (stryMutAct_9fa48("291") ? defaultRevision === DEFAULT_TAG && !revisionNames.has(defaultRevision) && !Object.hasOwn(tags, defaultRevision) : stryMutAct_9fa48("290") ? false : stryMutAct_9fa48("289") ? true : (stryCov_9fa48("289", "290", "291"), (stryMutAct_9fa48("293") ? defaultRevision !== DEFAULT_TAG : stryMutAct_9fa48("292") ? false : (stryCov_9fa48("292", "293"), defaultRevision === DEFAULT_TAG)) || (stryMutAct_9fa48("295") ? !revisionNames.has(defaultRevision) || !Object.hasOwn(tags, defaultRevision) : stryMutAct_9fa48("294") ? false : (stryCov_9fa48("294", "295"), (stryMutAct_9fa48("296") ? revisionNames.has(defaultRevision) : (stryCov_9fa48("296"), !revisionNames.has(defaultRevision))) && (stryMutAct_9fa48("297") ? Object.hasOwn(tags, defaultRevision) : (stryCov_9fa48("297"), !Object.hasOwn(tags, defaultRevision))))))) {
      if (stryMutAct_9fa48("298")) {
        {}
      } else {
        stryCov_9fa48("298");
        problem(at(stryMutAct_9fa48("299") ? "" : (stryCov_9fa48("299"), "defaultRevision")), stryMutAct_9fa48("300") ? `` : (stryCov_9fa48("300"), `"${defaultRevision}" is neither a revision (${revisionList}) nor a tag; name one of them`));
      }
    }
    const namespaces: NamespaceConfig[] = stryMutAct_9fa48("301") ? ["Stryker was here"] : (stryCov_9fa48("301"), []);
    for (const [name, value] of stryMutAct_9fa48("302") ? Object.entries(mesh.namespaces ?? {}) : (stryCov_9fa48("302"), Object.entries(stryMutAct_9fa48("303") ? mesh.namespaces && {} : (stryCov_9fa48("303"), mesh.namespaces ?? {})).sort(byKey))) {
      if (stryMutAct_9fa48("304")) {
        {}
      } else {
        stryCov_9fa48("304");
        const spec = (stryMutAct_9fa48("307") ? typeof value !== "string" : stryMutAct_9fa48("306") ? false : stryMutAct_9fa48("305") ? true : (stryCov_9fa48("305", "306", "307"), typeof value === (stryMutAct_9fa48("308") ? "" : (stryCov_9fa48("308"), "string")))) ? stryMutAct_9fa48("309") ? {} : (stryCov_9fa48("309"), {
          revision: value
        }) : value;
        const p = stryMutAct_9fa48("310") ? (dnsLabelProblem(name) ?? (name === namespace ? "the control-plane namespace is never injected; remove it from mesh.namespaces" : undefined)) && refProblem(spec.revision) : (stryCov_9fa48("310"), (stryMutAct_9fa48("311") ? dnsLabelProblem(name) && (name === namespace ? "the control-plane namespace is never injected; remove it from mesh.namespaces" : undefined) : (stryCov_9fa48("311"), dnsLabelProblem(name) ?? ((stryMutAct_9fa48("314") ? name !== namespace : stryMutAct_9fa48("313") ? false : stryMutAct_9fa48("312") ? true : (stryCov_9fa48("312", "313", "314"), name === namespace)) ? stryMutAct_9fa48("315") ? "" : (stryCov_9fa48("315"), "the control-plane namespace is never injected; remove it from mesh.namespaces") : undefined))) ?? refProblem(spec.revision));
        if (stryMutAct_9fa48("317") ? false : stryMutAct_9fa48("316") ? true : (stryCov_9fa48("316", "317"), p)) {
          if (stryMutAct_9fa48("318")) {
            {}
          } else {
            stryCov_9fa48("318");
            problem(at(stryMutAct_9fa48("319") ? "" : (stryCov_9fa48("319"), "namespaces"), name), p);
            continue;
          }
        }
        const create = stryMutAct_9fa48("320") ? (typeof value === "string" ? undefined : value.create) && DEFAULTS.namespace_.create : (stryCov_9fa48("320"), ((stryMutAct_9fa48("323") ? typeof value !== "string" : stryMutAct_9fa48("322") ? false : stryMutAct_9fa48("321") ? true : (stryCov_9fa48("321", "322", "323"), typeof value === (stryMutAct_9fa48("324") ? "" : (stryCov_9fa48("324"), "string")))) ? undefined : value.create) ?? DEFAULTS.namespace_.create);
        const deleteWhenRemoved = (stryMutAct_9fa48("327") ? typeof value !== "string" : stryMutAct_9fa48("326") ? false : stryMutAct_9fa48("325") ? true : (stryCov_9fa48("325", "326", "327"), typeof value === (stryMutAct_9fa48("328") ? "" : (stryCov_9fa48("328"), "string")))) ? undefined : value.deleteWhenRemoved;
        if (stryMutAct_9fa48("331") ? deleteWhenRemoved !== undefined || !create : stryMutAct_9fa48("330") ? false : stryMutAct_9fa48("329") ? true : (stryCov_9fa48("329", "330", "331"), (stryMutAct_9fa48("333") ? deleteWhenRemoved === undefined : stryMutAct_9fa48("332") ? true : (stryCov_9fa48("332", "333"), deleteWhenRemoved !== undefined)) && (stryMutAct_9fa48("334") ? create : (stryCov_9fa48("334"), !create)))) {
          if (stryMutAct_9fa48("335")) {
            {}
          } else {
            stryCov_9fa48("335");
            problem(at(stryMutAct_9fa48("336") ? "" : (stryCov_9fa48("336"), "namespaces"), name, stryMutAct_9fa48("337") ? "" : (stryCov_9fa48("337"), "deleteWhenRemoved")), stryMutAct_9fa48("338") ? "" : (stryCov_9fa48("338"), "only a namespace the stack creates (create: true) can be deleted by it; an existing namespace is never deleted, only unlabelled. Remove deleteWhenRemoved"));
          }
        }
        namespaces.push(stryMutAct_9fa48("339") ? {} : (stryCov_9fa48("339"), {
          name,
          revision: spec.revision,
          create,
          deleteWhenRemoved: stryMutAct_9fa48("342") ? create || (deleteWhenRemoved ?? DEFAULTS.namespace_.deleteWhenRemoved) : stryMutAct_9fa48("341") ? false : stryMutAct_9fa48("340") ? true : (stryCov_9fa48("340", "341", "342"), create && (stryMutAct_9fa48("343") ? deleteWhenRemoved && DEFAULTS.namespace_.deleteWhenRemoved : (stryCov_9fa48("343"), deleteWhenRemoved ?? DEFAULTS.namespace_.deleteWhenRemoved))),
          restart: stryMutAct_9fa48("344") ? (typeof value === "string" ? undefined : value.restart) && DEFAULTS.namespace_.restart : (stryCov_9fa48("344"), ((stryMutAct_9fa48("347") ? typeof value !== "string" : stryMutAct_9fa48("346") ? false : stryMutAct_9fa48("345") ? true : (stryCov_9fa48("345", "346", "347"), typeof value === (stryMutAct_9fa48("348") ? "" : (stryCov_9fa48("348"), "string")))) ? undefined : value.restart) ?? DEFAULTS.namespace_.restart),
          labels: stryMutAct_9fa48("349") ? (typeof value === "string" ? undefined : value.labels) && {} : (stryCov_9fa48("349"), ((stryMutAct_9fa48("352") ? typeof value !== "string" : stryMutAct_9fa48("351") ? false : stryMutAct_9fa48("350") ? true : (stryCov_9fa48("350", "351", "352"), typeof value === (stryMutAct_9fa48("353") ? "" : (stryCov_9fa48("353"), "string")))) ? undefined : value.labels) ?? {})
        }));
        if (stryMutAct_9fa48("356") ? "labels" in spec && spec.labels || Object.hasOwn(spec.labels, "istio.io/rev") || Object.hasOwn(spec.labels, "istio-injection") : stryMutAct_9fa48("355") ? false : stryMutAct_9fa48("354") ? true : (stryCov_9fa48("354", "355", "356"), (stryMutAct_9fa48("358") ? "labels" in spec || spec.labels : stryMutAct_9fa48("357") ? true : (stryCov_9fa48("357", "358"), (stryMutAct_9fa48("359") ? "" : (stryCov_9fa48("359"), "labels")) in spec && spec.labels)) && (stryMutAct_9fa48("361") ? Object.hasOwn(spec.labels, "istio.io/rev") && Object.hasOwn(spec.labels, "istio-injection") : stryMutAct_9fa48("360") ? true : (stryCov_9fa48("360", "361"), Object.hasOwn(spec.labels, stryMutAct_9fa48("362") ? "" : (stryCov_9fa48("362"), "istio.io/rev")) || Object.hasOwn(spec.labels, stryMutAct_9fa48("363") ? "" : (stryCov_9fa48("363"), "istio-injection")))))) {
          if (stryMutAct_9fa48("364")) {
            {}
          } else {
            stryCov_9fa48("364");
            problem(at(stryMutAct_9fa48("365") ? "" : (stryCov_9fa48("365"), "namespaces"), name, stryMutAct_9fa48("366") ? "" : (stryCov_9fa48("366"), "labels")), stryMutAct_9fa48("367") ? "" : (stryCov_9fa48("367"), "istio.io/rev and istio-injection are set by the program from `revision`; remove them from labels"));
          }
        }
      }
    }
    const gateways: GatewayConfig[] = stryMutAct_9fa48("368") ? ["Stryker was here"] : (stryCov_9fa48("368"), []);
    for (const [name, g] of stryMutAct_9fa48("369") ? Object.entries(mesh.gateways ?? {}) : (stryCov_9fa48("369"), Object.entries(stryMutAct_9fa48("370") ? mesh.gateways && {} : (stryCov_9fa48("370"), mesh.gateways ?? {})).sort(byKey))) {
      if (stryMutAct_9fa48("371")) {
        {}
      } else {
        stryCov_9fa48("371");
        const gwNamespace = stryMutAct_9fa48("372") ? g.namespace && DEFAULTS.gateway.namespace : (stryCov_9fa48("372"), g.namespace ?? DEFAULTS.gateway.namespace);
        const p = stryMutAct_9fa48("373") ? dnsLabelProblem(name) && refProblem(g.revision) : (stryCov_9fa48("373"), dnsLabelProblem(name) ?? refProblem(g.revision));
        if (stryMutAct_9fa48("375") ? false : stryMutAct_9fa48("374") ? true : (stryCov_9fa48("374", "375"), p)) {
          if (stryMutAct_9fa48("376")) {
            {}
          } else {
            stryCov_9fa48("376");
            problem(at(stryMutAct_9fa48("377") ? "" : (stryCov_9fa48("377"), "gateways"), name), p);
            continue;
          }
        }
        const nsP = dnsLabelProblem(gwNamespace);
        if (stryMutAct_9fa48("379") ? false : stryMutAct_9fa48("378") ? true : (stryCov_9fa48("378", "379"), nsP)) {
          if (stryMutAct_9fa48("380")) {
            {}
          } else {
            stryCov_9fa48("380");
            problem(at(stryMutAct_9fa48("381") ? "" : (stryCov_9fa48("381"), "gateways"), name, stryMutAct_9fa48("382") ? "" : (stryCov_9fa48("382"), "namespace")), nsP);
            continue;
          }
        }
        const gwVersion = revisions.find(stryMutAct_9fa48("383") ? () => undefined : (stryCov_9fa48("383"), r => stryMutAct_9fa48("386") ? r.name !== resolveRevision({
          tags,
          defaultRevision: defaultRevision ?? ""
        }, g.revision) : stryMutAct_9fa48("385") ? false : stryMutAct_9fa48("384") ? true : (stryCov_9fa48("384", "385", "386"), r.name === resolveRevision(stryMutAct_9fa48("387") ? {} : (stryCov_9fa48("387"), {
          tags,
          defaultRevision: stryMutAct_9fa48("388") ? defaultRevision && "" : (stryCov_9fa48("388"), defaultRevision ?? (stryMutAct_9fa48("389") ? "Stryker was here!" : (stryCov_9fa48("389"), "")))
        }), g.revision))));
        if (stryMutAct_9fa48("392") ? gwVersion || !gatewayChartRenders(mustParseVersion(gwVersion.version)) : stryMutAct_9fa48("391") ? false : stryMutAct_9fa48("390") ? true : (stryCov_9fa48("390", "391", "392"), gwVersion && (stryMutAct_9fa48("393") ? gatewayChartRenders(mustParseVersion(gwVersion.version)) : (stryCov_9fa48("393"), !gatewayChartRenders(mustParseVersion(gwVersion.version)))))) {
          if (stryMutAct_9fa48("394")) {
            {}
          } else {
            stryCov_9fa48("394");
            problem(at(stryMutAct_9fa48("395") ? "" : (stryCov_9fa48("395"), "gateways"), name, stryMutAct_9fa48("396") ? "" : (stryCov_9fa48("396"), "revision")), stryMutAct_9fa48("397") ? `` : (stryCov_9fa48("397"), `follows Istio ${gwVersion.version}, whose gateway chart fails its own schema under Helm 3.18.5+ (istio#57354, fixed in 1.25.5); point the gateway at a 1.25.5+ revision`));
            continue;
          }
        }
        const replicas = stryMutAct_9fa48("398") ? g.replicas && DEFAULTS.gateway.replicas : (stryCov_9fa48("398"), g.replicas ?? DEFAULTS.gateway.replicas);
        gateways.push(stryMutAct_9fa48("399") ? {} : (stryCov_9fa48("399"), {
          name,
          namespace: gwNamespace,
          revision: g.revision,
          serviceType: stryMutAct_9fa48("400") ? g.service?.type && DEFAULTS.gateway.serviceType : (stryCov_9fa48("400"), (stryMutAct_9fa48("401") ? g.service.type : (stryCov_9fa48("401"), g.service?.type)) ?? DEFAULTS.gateway.serviceType),
          replicas,
          autoscaling: scaling(g.autoscaling, replicas, DEFAULTS.gateway.autoscaling, at(stryMutAct_9fa48("402") ? "" : (stryCov_9fa48("402"), "gateways"), name, stryMutAct_9fa48("403") ? "" : (stryCov_9fa48("403"), "autoscaling")), issues),
          labels: stryMutAct_9fa48("404") ? g.labels && {} : (stryCov_9fa48("404"), g.labels ?? {}),
          restart: stryMutAct_9fa48("405") ? g.restart && DEFAULTS.gateway.restart : (stryCov_9fa48("405"), g.restart ?? DEFAULTS.gateway.restart),
          values: stryMutAct_9fa48("406") ? g.values && {} : (stryCov_9fa48("406"), g.values ?? {})
        }));
      }
    }
    return stryMutAct_9fa48("407") ? {} : (stryCov_9fa48("407"), {
      cluster,
      management: stryMutAct_9fa48("408") ? "" : (stryCov_9fa48("408"), "helm"),
      namespace,
      chartRepository: stryMutAct_9fa48("409") ? mesh.chartRepository && DEFAULTS.chartRepository : (stryCov_9fa48("409"), mesh.chartRepository ?? DEFAULTS.chartRepository),
      hub: stryMutAct_9fa48("410") ? mesh.hub && DEFAULTS.hub : (stryCov_9fa48("410"), mesh.hub ?? DEFAULTS.hub),
      revisions,
      tags,
      defaultRevision,
      namespaces,
      gateways,
      controlPlane: normalizeControlPlane(mesh, issues),
      restarts: stryMutAct_9fa48("411") ? {} : (stryCov_9fa48("411"), {
        wait: stryMutAct_9fa48("412") ? mesh.restarts?.wait && DEFAULTS.restarts.wait : (stryCov_9fa48("412"), (stryMutAct_9fa48("413") ? mesh.restarts.wait : (stryCov_9fa48("413"), mesh.restarts?.wait)) ?? DEFAULTS.restarts.wait),
        timeoutSeconds: stryMutAct_9fa48("414") ? mesh.restarts?.timeoutSeconds && DEFAULTS.restarts.timeoutSeconds : (stryCov_9fa48("414"), (stryMutAct_9fa48("415") ? mesh.restarts.timeoutSeconds : (stryCov_9fa48("415"), mesh.restarts?.timeoutSeconds)) ?? DEFAULTS.restarts.timeoutSeconds)
      })
    });
  }
}
function normalizeCluster(raw: RawCluster, issues: ConfigIssue[]): ClusterConfig {
  if (stryMutAct_9fa48("416")) {
    {}
  } else {
    stryCov_9fa48("416");
    if (stryMutAct_9fa48("419") ? raw.kind !== "aks" : stryMutAct_9fa48("418") ? false : stryMutAct_9fa48("417") ? true : (stryCov_9fa48("417", "418", "419"), raw.kind === (stryMutAct_9fa48("420") ? "" : (stryCov_9fa48("420"), "aks")))) {
      if (stryMutAct_9fa48("421")) {
        {}
      } else {
        stryCov_9fa48("421");
        issues.push(stryMutAct_9fa48("422") ? {} : (stryCov_9fa48("422"), {
          path: stryMutAct_9fa48("423") ? `` : (stryCov_9fa48("423"), `${CLUSTER_KEY}.kind`),
          message: stryMutAct_9fa48("424") ? `` : (stryCov_9fa48("424"), `"aks" is not yet supported; use kind: existing with a kubeconfig context for the AKS cluster`)
        }));
        return stryMutAct_9fa48("425") ? {} : (stryCov_9fa48("425"), {
          kind: stryMutAct_9fa48("426") ? "" : (stryCov_9fa48("426"), "existing"),
          skipAwait: DEFAULTS.cluster.skipAwait
        });
      }
    }
    return stryMutAct_9fa48("427") ? {} : (stryCov_9fa48("427"), {
      kind: stryMutAct_9fa48("428") ? "" : (stryCov_9fa48("428"), "existing"),
      context: raw.context,
      kubeconfig: raw.kubeconfig,
      kubernetesVersion: raw.kubernetesVersion,
      skipAwait: stryMutAct_9fa48("429") ? raw.skipAwait && DEFAULTS.cluster.skipAwait : (stryCov_9fa48("429"), raw.skipAwait ?? DEFAULTS.cluster.skipAwait)
    });
  }
}
function normalizeControlPlane(mesh: RawMesh, issues: ConfigIssue[]): ControlPlaneConfig {
  if (stryMutAct_9fa48("430")) {
    {}
  } else {
    stryCov_9fa48("430");
    const cp = stryMutAct_9fa48("431") ? mesh.controlPlane && {} : (stryCov_9fa48("431"), mesh.controlPlane ?? {});
    const path = formatPath(MESH_KEY, stryMutAct_9fa48("432") ? [] : (stryCov_9fa48("432"), [stryMutAct_9fa48("433") ? "" : (stryCov_9fa48("433"), "controlPlane")]));
    const replicas = stryMutAct_9fa48("434") ? cp.replicas && DEFAULTS.controlPlane.replicas : (stryCov_9fa48("434"), cp.replicas ?? DEFAULTS.controlPlane.replicas);
    if (stryMutAct_9fa48("437") ? cp.pdb?.minAvailable !== undefined || cp.pdb?.maxUnavailable !== undefined : stryMutAct_9fa48("436") ? false : stryMutAct_9fa48("435") ? true : (stryCov_9fa48("435", "436", "437"), (stryMutAct_9fa48("439") ? cp.pdb?.minAvailable === undefined : stryMutAct_9fa48("438") ? true : (stryCov_9fa48("438", "439"), (stryMutAct_9fa48("440") ? cp.pdb.minAvailable : (stryCov_9fa48("440"), cp.pdb?.minAvailable)) !== undefined)) && (stryMutAct_9fa48("442") ? cp.pdb?.maxUnavailable === undefined : stryMutAct_9fa48("441") ? true : (stryCov_9fa48("441", "442"), (stryMutAct_9fa48("443") ? cp.pdb.maxUnavailable : (stryCov_9fa48("443"), cp.pdb?.maxUnavailable)) !== undefined)))) {
      if (stryMutAct_9fa48("444")) {
        {}
      } else {
        stryCov_9fa48("444");
        issues.push(stryMutAct_9fa48("445") ? {} : (stryCov_9fa48("445"), {
          path: stryMutAct_9fa48("446") ? `` : (stryCov_9fa48("446"), `${path}.pdb`),
          message: stryMutAct_9fa48("447") ? "" : (stryCov_9fa48("447"), "set either minAvailable or maxUnavailable, never both (the chart ignores minAvailable then)")
        }));
      }
    }
    const pdb = (stryMutAct_9fa48("450") ? cp.pdb?.maxUnavailable === undefined : stryMutAct_9fa48("449") ? false : stryMutAct_9fa48("448") ? true : (stryCov_9fa48("448", "449", "450"), (stryMutAct_9fa48("451") ? cp.pdb.maxUnavailable : (stryCov_9fa48("451"), cp.pdb?.maxUnavailable)) !== undefined)) ? stryMutAct_9fa48("452") ? {} : (stryCov_9fa48("452"), {
      maxUnavailable: cp.pdb.maxUnavailable
    }) : stryMutAct_9fa48("453") ? {} : (stryCov_9fa48("453"), {
      minAvailable: stryMutAct_9fa48("454") ? cp.pdb?.minAvailable && DEFAULTS.controlPlane.pdb.minAvailable : (stryCov_9fa48("454"), (stryMutAct_9fa48("455") ? cp.pdb.minAvailable : (stryCov_9fa48("455"), cp.pdb?.minAvailable)) ?? DEFAULTS.controlPlane.pdb.minAvailable)
    });
    return stryMutAct_9fa48("456") ? {} : (stryCov_9fa48("456"), {
      replicas,
      autoscaling: scaling(cp.autoscaling, replicas, DEFAULTS.controlPlane.autoscaling, stryMutAct_9fa48("457") ? `` : (stryCov_9fa48("457"), `${path}.autoscaling`), issues),
      resources: cp.resources,
      pdb,
      meshConfig: stryMutAct_9fa48("458") ? cp.meshConfig && {} : (stryCov_9fa48("458"), cp.meshConfig ?? {})
    });
  }
}
function scaling(raw: {
  enabled?: boolean;
  minReplicas?: number;
  maxReplicas?: number;
} | undefined, replicas: number, defaults: {
  enabled: boolean;
  maxReplicas: number;
}, path: string, issues: ConfigIssue[]) {
  if (stryMutAct_9fa48("459")) {
    {}
  } else {
    stryCov_9fa48("459");
    const minReplicas = stryMutAct_9fa48("460") ? raw?.minReplicas && replicas : (stryCov_9fa48("460"), (stryMutAct_9fa48("461") ? raw.minReplicas : (stryCov_9fa48("461"), raw?.minReplicas)) ?? replicas);
    const maxReplicas = stryMutAct_9fa48("462") ? raw?.maxReplicas && Math.max(defaults.maxReplicas, minReplicas) : (stryCov_9fa48("462"), (stryMutAct_9fa48("463") ? raw.maxReplicas : (stryCov_9fa48("463"), raw?.maxReplicas)) ?? (stryMutAct_9fa48("464") ? Math.min(defaults.maxReplicas, minReplicas) : (stryCov_9fa48("464"), Math.max(defaults.maxReplicas, minReplicas))));
    if (stryMutAct_9fa48("468") ? maxReplicas >= minReplicas : stryMutAct_9fa48("467") ? maxReplicas <= minReplicas : stryMutAct_9fa48("466") ? false : stryMutAct_9fa48("465") ? true : (stryCov_9fa48("465", "466", "467", "468"), maxReplicas < minReplicas)) {
      if (stryMutAct_9fa48("469")) {
        {}
      } else {
        stryCov_9fa48("469");
        issues.push(stryMutAct_9fa48("470") ? {} : (stryCov_9fa48("470"), {
          path,
          message: stryMutAct_9fa48("471") ? `` : (stryCov_9fa48("471"), `maxReplicas (${maxReplicas}) is below minReplicas (${minReplicas}); raise maxReplicas`)
        }));
      }
    }
    return stryMutAct_9fa48("472") ? {} : (stryCov_9fa48("472"), {
      enabled: stryMutAct_9fa48("473") ? raw?.enabled && defaults.enabled : (stryCov_9fa48("473"), (stryMutAct_9fa48("474") ? raw.enabled : (stryCov_9fa48("474"), raw?.enabled)) ?? defaults.enabled),
      minReplicas,
      maxReplicas
    });
  }
}

/** Gateway charts before 1.25.5 are rejected by their own values schema under Helm 3.18.5+. */
export function gatewayChartRenders(v: IstioVersion): boolean {
  if (stryMutAct_9fa48("475")) {
    {}
  } else {
    stryCov_9fa48("475");
    return stryMutAct_9fa48("478") ? atLeast(v, 26) && v.minor === 25 && v.patch >= 5 : stryMutAct_9fa48("477") ? false : stryMutAct_9fa48("476") ? true : (stryCov_9fa48("476", "477", "478"), atLeast(v, 26) || (stryMutAct_9fa48("480") ? v.minor === 25 || v.patch >= 5 : stryMutAct_9fa48("479") ? false : (stryCov_9fa48("479", "480"), (stryMutAct_9fa48("482") ? v.minor !== 25 : stryMutAct_9fa48("481") ? true : (stryCov_9fa48("481", "482"), v.minor === 25)) && (stryMutAct_9fa48("485") ? v.patch < 5 : stryMutAct_9fa48("484") ? v.patch > 5 : stryMutAct_9fa48("483") ? true : (stryCov_9fa48("483", "484", "485"), v.patch >= 5)))));
  }
}

// --- Secrets -------------------------------------------------------------------------------
// Only `istio-mesh:cluster.kubeconfig` may be a Pulumi secret (and it is handled as one even
// when it is not). Everything else is plain config that ends up in Helm values, labels and
// resource names: a secret there would be written out in plain text, so it is refused.

/** What a secret value shows as in the plan, and the stand-in for one it cannot decrypt. */
export const SECRET_PLACEHOLDER = stryMutAct_9fa48("486") ? "" : (stryCov_9fa48("486"), "[secret]");
const PLAIN_EXPECTED = stryMutAct_9fa48("487") ? "" : (stryCov_9fa48("487"), "this value is a Pulumi secret; istio-mesh reads it as plain config: run `pulumi config set` without --secret");

/** A Pulumi encrypted config value as it stands in a stack file: `{secure: "v1:..."}`. */
export function isSecureValue(v: unknown): v is {
  secure: string;
} {
  if (stryMutAct_9fa48("488")) {
    {}
  } else {
    stryCov_9fa48("488");
    return stryMutAct_9fa48("491") ? v !== null && typeof v === "object" && !Array.isArray(v) && Object.keys(v).length === 1 || typeof (v as {
      secure?: unknown;
    }).secure === "string" : stryMutAct_9fa48("490") ? false : stryMutAct_9fa48("489") ? true : (stryCov_9fa48("489", "490", "491"), (stryMutAct_9fa48("493") ? v !== null && typeof v === "object" && !Array.isArray(v) || Object.keys(v).length === 1 : stryMutAct_9fa48("492") ? true : (stryCov_9fa48("492", "493"), (stryMutAct_9fa48("495") ? v !== null && typeof v === "object" || !Array.isArray(v) : stryMutAct_9fa48("494") ? true : (stryCov_9fa48("494", "495"), (stryMutAct_9fa48("497") ? v !== null || typeof v === "object" : stryMutAct_9fa48("496") ? true : (stryCov_9fa48("496", "497"), (stryMutAct_9fa48("499") ? v === null : stryMutAct_9fa48("498") ? true : (stryCov_9fa48("498", "499"), v !== null)) && (stryMutAct_9fa48("501") ? typeof v !== "object" : stryMutAct_9fa48("500") ? true : (stryCov_9fa48("500", "501"), typeof v === (stryMutAct_9fa48("502") ? "" : (stryCov_9fa48("502"), "object")))))) && (stryMutAct_9fa48("503") ? Array.isArray(v) : (stryCov_9fa48("503"), !Array.isArray(v))))) && (stryMutAct_9fa48("505") ? Object.keys(v).length !== 1 : stryMutAct_9fa48("504") ? true : (stryCov_9fa48("504", "505"), Object.keys(v).length === 1)))) && (stryMutAct_9fa48("507") ? typeof (v as {
      secure?: unknown;
    }).secure !== "string" : stryMutAct_9fa48("506") ? true : (stryCov_9fa48("506", "507"), typeof (v as {
      secure?: unknown;
    }).secure === (stryMutAct_9fa48("508") ? "" : (stryCov_9fa48("508"), "string")))));
  }
}

/** True when a value holds an encrypted (`secure:`) value anywhere (what makes the engine list its key as secret). */
export function containsSecureValue(v: unknown): boolean {
  if (stryMutAct_9fa48("509")) {
    {}
  } else {
    stryCov_9fa48("509");
    if (stryMutAct_9fa48("511") ? false : stryMutAct_9fa48("510") ? true : (stryCov_9fa48("510", "511"), isSecureValue(v))) {
      if (stryMutAct_9fa48("512")) {
        {}
      } else {
        stryCov_9fa48("512");
        return stryMutAct_9fa48("513") ? false : (stryCov_9fa48("513"), true);
      }
    }
    if (stryMutAct_9fa48("515") ? false : stryMutAct_9fa48("514") ? true : (stryCov_9fa48("514", "515"), Array.isArray(v))) {
      if (stryMutAct_9fa48("516")) {
        {}
      } else {
        stryCov_9fa48("516");
        return stryMutAct_9fa48("517") ? v.every(containsSecureValue) : (stryCov_9fa48("517"), v.some(containsSecureValue));
      }
    }
    return stryMutAct_9fa48("520") ? v !== null && typeof v === "object" || Object.values(v).some(containsSecureValue) : stryMutAct_9fa48("519") ? false : stryMutAct_9fa48("518") ? true : (stryCov_9fa48("518", "519", "520"), (stryMutAct_9fa48("522") ? v !== null || typeof v === "object" : stryMutAct_9fa48("521") ? true : (stryCov_9fa48("521", "522"), (stryMutAct_9fa48("524") ? v === null : stryMutAct_9fa48("523") ? true : (stryCov_9fa48("523", "524"), v !== null)) && (stryMutAct_9fa48("526") ? typeof v !== "object" : stryMutAct_9fa48("525") ? true : (stryCov_9fa48("525", "526"), typeof v === (stryMutAct_9fa48("527") ? "" : (stryCov_9fa48("527"), "object")))))) && (stryMutAct_9fa48("528") ? Object.values(v).every(containsSecureValue) : (stryCov_9fa48("528"), Object.values(v).some(containsSecureValue))));
  }
}

/**
 * Secure-value handling for one top-level key, before the schema sees it. A stack file (the plan
 * command) carries encrypted values as `{secure: ...}`: the whole `istio-mesh:cluster` or its
 * `kubeconfig` become an opaque kubeconfig (SECRET_PLACEHOLDER); anywhere else it is an error
 * naming the path. Under the Pulumi CLI values arrive decrypted and only the key is known to
 * be secret (`keyIsSecret`): fine for the cluster (the kubeconfig is a secret anyway), an error
 * for the mesh. Returns undefined when it pushed an issue.
 */
function withSecrets(key: string, value: unknown, keyIsSecret: boolean, issues: ConfigIssue[]): unknown {
  if (stryMutAct_9fa48("529")) {
    {}
  } else {
    stryCov_9fa48("529");
    if (stryMutAct_9fa48("532") ? key !== CLUSTER_KEY : stryMutAct_9fa48("531") ? false : stryMutAct_9fa48("530") ? true : (stryCov_9fa48("530", "531", "532"), key === CLUSTER_KEY)) {
      if (stryMutAct_9fa48("533")) {
        {}
      } else {
        stryCov_9fa48("533");
        if (stryMutAct_9fa48("535") ? false : stryMutAct_9fa48("534") ? true : (stryCov_9fa48("534", "535"), isSecureValue(value))) {
          if (stryMutAct_9fa48("536")) {
            {}
          } else {
            stryCov_9fa48("536");
            return stryMutAct_9fa48("537") ? {} : (stryCov_9fa48("537"), {
              kind: stryMutAct_9fa48("538") ? "" : (stryCov_9fa48("538"), "existing"),
              kubeconfig: SECRET_PLACEHOLDER
            });
          }
        }
        if (stryMutAct_9fa48("541") ? value !== null && typeof value === "object" || isSecureValue((value as {
          kubeconfig?: unknown;
        }).kubeconfig) : stryMutAct_9fa48("540") ? false : stryMutAct_9fa48("539") ? true : (stryCov_9fa48("539", "540", "541"), (stryMutAct_9fa48("543") ? value !== null || typeof value === "object" : stryMutAct_9fa48("542") ? true : (stryCov_9fa48("542", "543"), (stryMutAct_9fa48("545") ? value === null : stryMutAct_9fa48("544") ? true : (stryCov_9fa48("544", "545"), value !== null)) && (stryMutAct_9fa48("547") ? typeof value !== "object" : stryMutAct_9fa48("546") ? true : (stryCov_9fa48("546", "547"), typeof value === (stryMutAct_9fa48("548") ? "" : (stryCov_9fa48("548"), "object")))))) && isSecureValue((value as {
          kubeconfig?: unknown;
        }).kubeconfig))) {
          if (stryMutAct_9fa48("549")) {
            {}
          } else {
            stryCov_9fa48("549");
            value = stryMutAct_9fa48("550") ? {} : (stryCov_9fa48("550"), {
              ...value,
              kubeconfig: SECRET_PLACEHOLDER
            });
          }
        }
      }
    }
    const found: string[] = stryMutAct_9fa48("551") ? ["Stryker was here"] : (stryCov_9fa48("551"), []);
    const walk = (v: unknown, path: PropertyKey[]) => {
      if (stryMutAct_9fa48("552")) {
        {}
      } else {
        stryCov_9fa48("552");
        if (stryMutAct_9fa48("554") ? false : stryMutAct_9fa48("553") ? true : (stryCov_9fa48("553", "554"), isSecureValue(v))) {
          if (stryMutAct_9fa48("555")) {
            {}
          } else {
            stryCov_9fa48("555");
            found.push(formatPath(key, path));
          }
        } else if (stryMutAct_9fa48("557") ? false : stryMutAct_9fa48("556") ? true : (stryCov_9fa48("556", "557"), Array.isArray(v))) {
          if (stryMutAct_9fa48("558")) {
            {}
          } else {
            stryCov_9fa48("558");
            v.forEach(stryMutAct_9fa48("559") ? () => undefined : (stryCov_9fa48("559"), (e, i) => walk(e, stryMutAct_9fa48("560") ? [] : (stryCov_9fa48("560"), [...path, i]))));
          }
        } else if (stryMutAct_9fa48("563") ? v !== null || typeof v === "object" : stryMutAct_9fa48("562") ? false : stryMutAct_9fa48("561") ? true : (stryCov_9fa48("561", "562", "563"), (stryMutAct_9fa48("565") ? v === null : stryMutAct_9fa48("564") ? true : (stryCov_9fa48("564", "565"), v !== null)) && (stryMutAct_9fa48("567") ? typeof v !== "object" : stryMutAct_9fa48("566") ? true : (stryCov_9fa48("566", "567"), typeof v === (stryMutAct_9fa48("568") ? "" : (stryCov_9fa48("568"), "object")))))) {
          if (stryMutAct_9fa48("569")) {
            {}
          } else {
            stryCov_9fa48("569");
            for (const [k, e] of Object.entries(v)) {
              if (stryMutAct_9fa48("570")) {
                {}
              } else {
                stryCov_9fa48("570");
                walk(e, stryMutAct_9fa48("571") ? [] : (stryCov_9fa48("571"), [...path, k]));
              }
            }
          }
        }
      }
    };
    walk(value, stryMutAct_9fa48("572") ? ["Stryker was here"] : (stryCov_9fa48("572"), []));
    if (stryMutAct_9fa48("575") ? found.length === 0 && keyIsSecret || key !== CLUSTER_KEY : stryMutAct_9fa48("574") ? false : stryMutAct_9fa48("573") ? true : (stryCov_9fa48("573", "574", "575"), (stryMutAct_9fa48("577") ? found.length === 0 || keyIsSecret : stryMutAct_9fa48("576") ? true : (stryCov_9fa48("576", "577"), (stryMutAct_9fa48("579") ? found.length !== 0 : stryMutAct_9fa48("578") ? true : (stryCov_9fa48("578", "579"), found.length === 0)) && keyIsSecret)) && (stryMutAct_9fa48("581") ? key === CLUSTER_KEY : stryMutAct_9fa48("580") ? true : (stryCov_9fa48("580", "581"), key !== CLUSTER_KEY)))) {
      if (stryMutAct_9fa48("582")) {
        {}
      } else {
        stryCov_9fa48("582");
        found.push(key);
      }
    }
    for (const path of found) {
      if (stryMutAct_9fa48("583")) {
        {}
      } else {
        stryCov_9fa48("583");
        issues.push(stryMutAct_9fa48("584") ? {} : (stryCov_9fa48("584"), {
          path,
          message: PLAIN_EXPECTED
        }));
      }
    }
    return (stryMutAct_9fa48("588") ? found.length <= 0 : stryMutAct_9fa48("587") ? found.length >= 0 : stryMutAct_9fa48("586") ? false : stryMutAct_9fa48("585") ? true : (stryCov_9fa48("585", "586", "587", "588"), found.length > 0)) ? undefined : value;
  }
}

/**
 * The program's stack config: `pulumi.runtime.allConfig()` (decrypted values, secretness
 * dropped) plus which `istio-mesh:*` keys the engine marked secret. The engine marks a key
 * when any value in it is secret (`--secret --path 'istio-mesh:cluster.kubeconfig'` marks
 * `istio-mesh:cluster`); the Node SDK keeps that list (PULUMI_CONFIG_SECRET_KEYS) behind
 * `runtime.isConfigSecret`, untyped in 3.248, hence the fallback to the variable itself.
 */
export function readStackConfig(): MeshConfig {
  if (stryMutAct_9fa48("589")) {
    {}
  } else {
    stryCov_9fa48("589");
    const runtime = pulumi.runtime as typeof pulumi.runtime & {
      isConfigSecret?: (key: string) => boolean;
    };
    const secretKeys = stryMutAct_9fa48("590") ? [...KNOWN_KEYS] : (stryCov_9fa48("590"), (stryMutAct_9fa48("591") ? [] : (stryCov_9fa48("591"), [...KNOWN_KEYS])).filter(stryMutAct_9fa48("592") ? () => undefined : (stryCov_9fa48("592"), k => (stryMutAct_9fa48("595") ? typeof runtime.isConfigSecret !== "function" : stryMutAct_9fa48("594") ? false : stryMutAct_9fa48("593") ? true : (stryCov_9fa48("593", "594", "595"), typeof runtime.isConfigSecret === (stryMutAct_9fa48("596") ? "" : (stryCov_9fa48("596"), "function")))) ? runtime.isConfigSecret(k) : envSecretKeys().includes(k))));
    return parseStackConfig(pulumi.runtime.allConfig(), secretKeys);
  }
}
function envSecretKeys(): string[] {
  if (stryMutAct_9fa48("597")) {
    {}
  } else {
    stryCov_9fa48("597");
    try {
      if (stryMutAct_9fa48("598")) {
        {}
      } else {
        stryCov_9fa48("598");
        const keys: unknown = JSON.parse(stryMutAct_9fa48("599") ? process.env.PULUMI_CONFIG_SECRET_KEYS && "[]" : (stryCov_9fa48("599"), process.env.PULUMI_CONFIG_SECRET_KEYS ?? (stryMutAct_9fa48("600") ? "" : (stryCov_9fa48("600"), "[]"))));
        return Array.isArray(keys) ? stryMutAct_9fa48("601") ? keys : (stryCov_9fa48("601"), keys.filter(stryMutAct_9fa48("602") ? () => undefined : (stryCov_9fa48("602"), (k): k is string => stryMutAct_9fa48("605") ? typeof k !== "string" : stryMutAct_9fa48("604") ? false : stryMutAct_9fa48("603") ? true : (stryCov_9fa48("603", "604", "605"), typeof k === (stryMutAct_9fa48("606") ? "" : (stryCov_9fa48("606"), "string")))))) : stryMutAct_9fa48("607") ? ["Stryker was here"] : (stryCov_9fa48("607"), []);
      }
    } catch {
      if (stryMutAct_9fa48("608")) {
        {}
      } else {
        stryCov_9fa48("608");
        return stryMutAct_9fa48("609") ? ["Stryker was here"] : (stryCov_9fa48("609"), []);
      }
    }
  }
}