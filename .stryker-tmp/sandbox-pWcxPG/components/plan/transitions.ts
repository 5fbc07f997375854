/**
 * Upgrade rules: given what is deployed (FROM, possibly nothing) and the new config (TO),
 * which changes are refused and why. Pure functions; every refusal names the rule, the
 * objects involved and the safe sequence instead.
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
import { defaultRevisionOf, resolveRevision } from "../config/model";
import { MeshState } from "../state/deployed";
import { IN_USE_RULES, inUseProblems, LiveCheck } from "./inUseRule";
import { compareVersions, minorDistance, mustParseVersion, newestVersion } from "../versions/version";
export interface Problem {
  /** Stable rule identifier, also what ISTIO_MESH_ALLOW_UNSAFE / --allow-unsafe take. */
  readonly code: string;
  readonly message: string;
}

/** The refusal rules; each can be overridden by name. */
export const RULES = {
  replaceAll: "replace-all-revisions",
  removedStillUsed: "removed-revision-users-on-new-revision",
  canarySkip: "canary-skips-minors",
  canaryOlder: "canary-older-than-deployed",
  inPlaceSkip: "in-place-skips-minor",
  inPlaceDowngrade: "in-place-downgrade",
  namespaceMove: "control-plane-namespace-change",
  namespaceDeletion: "namespace-deletion",
  namespaceAdoption: "namespace-create-flip",
  inUse: IN_USE_RULES.inUse,
  inUseUnavailable: IN_USE_RULES.unavailable
} as const;

/** Warnings: allowed, but worth a reviewer's attention. */
export const WARNINGS = {
  promoteAndRemove: "promote-and-remove-in-one-change",
  crdAdoption: "crd-ownership-adoption",
  restart: "restart-required",
  namespaceReleased: "namespace-released"
} as const;

/** A canary may skip one minor (1.28 -> 1.30); in place only one minor at a time. */
export const MAX_CANARY_MINORS = 2;
export const MAX_IN_PLACE_MINORS = 1;
export interface TransitionResult {
  /** Refusals not overridden: non-empty means the change must not run. */
  readonly problems: readonly Problem[];
  /** Refusals the operator overrode, plus advisory warnings. */
  readonly warnings: readonly Problem[];
}

/** Every referrer of a revision: tags, namespaces, gateways and the default revision. */
export interface Referrer {
  readonly kind: "tag" | "namespace" | "gateway" | "default revision";
  readonly name: string;
  /** The revision it resolves to. */
  readonly revision: string;
}
export function referrers(state: MeshState): Referrer[] {
  if (stryMutAct_9fa48("709")) {
    {}
  } else {
    stryCov_9fa48("709");
    return stryMutAct_9fa48("710") ? [] : (stryCov_9fa48("710"), [...Object.entries(state.tags).map(stryMutAct_9fa48("711") ? () => undefined : (stryCov_9fa48("711"), ([name, revision]) => stryMutAct_9fa48("712") ? {} : (stryCov_9fa48("712"), {
      kind: "tag" as const,
      name,
      revision
    }))), ...state.namespaces.map(stryMutAct_9fa48("713") ? () => undefined : (stryCov_9fa48("713"), n => stryMutAct_9fa48("714") ? {} : (stryCov_9fa48("714"), {
      kind: "namespace" as const,
      name: n.name,
      revision: resolveRevision(state, n.revision)
    }))), ...state.gateways.map(stryMutAct_9fa48("715") ? () => undefined : (stryCov_9fa48("715"), g => stryMutAct_9fa48("716") ? {} : (stryCov_9fa48("716"), {
      kind: "gateway" as const,
      name: g.name,
      revision: resolveRevision(state, g.revision)
    }))), stryMutAct_9fa48("717") ? {} : (stryCov_9fa48("717"), {
      kind: "default revision" as const,
      name: stryMutAct_9fa48("718") ? "" : (stryCov_9fa48("718"), "default"),
      revision: defaultRevisionOf(state)
    })]);
  }
}
function find(refs: readonly Referrer[], r: Referrer): Referrer | undefined {
  if (stryMutAct_9fa48("719")) {
    {}
  } else {
    stryCov_9fa48("719");
    return refs.find(stryMutAct_9fa48("720") ? () => undefined : (stryCov_9fa48("720"), x => stryMutAct_9fa48("723") ? x.kind === r.kind || x.name === r.name : stryMutAct_9fa48("722") ? false : stryMutAct_9fa48("721") ? true : (stryCov_9fa48("721", "722", "723"), (stryMutAct_9fa48("725") ? x.kind !== r.kind : stryMutAct_9fa48("724") ? true : (stryCov_9fa48("724", "725"), x.kind === r.kind)) && (stryMutAct_9fa48("727") ? x.name !== r.name : stryMutAct_9fa48("726") ? true : (stryCov_9fa48("726", "727"), x.name === r.name)))));
  }
}
const describe = stryMutAct_9fa48("728") ? () => undefined : (stryCov_9fa48("728"), (() => {
  const describe = (r: Referrer) => (stryMutAct_9fa48("731") ? r.kind !== "default revision" : stryMutAct_9fa48("730") ? false : stryMutAct_9fa48("729") ? true : (stryCov_9fa48("729", "730", "731"), r.kind === (stryMutAct_9fa48("732") ? "" : (stryCov_9fa48("732"), "default revision")))) ? stryMutAct_9fa48("733") ? "" : (stryCov_9fa48("733"), "the default revision") : stryMutAct_9fa48("734") ? `` : (stryCov_9fa48("734"), `${r.kind} "${r.name}"`);
  return describe;
})());

/**
 * Evaluates FROM -> TO. `allowUnsafe` lists rule codes (or "all") the operator overrides;
 * overridden refusals come back as warnings prefixed OVERRIDDEN. `live` is what the live
 * cluster answered about pods (undefined: not asked).
 */
export function evaluateTransition(from: MeshState | undefined, to: MeshState, allowUnsafe: readonly string[] = stryMutAct_9fa48("735") ? ["Stryker was here"] : (stryCov_9fa48("735"), []), live?: LiveCheck): TransitionResult {
  if (stryMutAct_9fa48("736")) {
    {}
  } else {
    stryCov_9fa48("736");
    const refusals: Problem[] = stryMutAct_9fa48("737") ? [] : (stryCov_9fa48("737"), [...inUseProblems(from, to, live)]);
    const warnings: Problem[] = stryMutAct_9fa48("738") ? ["Stryker was here"] : (stryCov_9fa48("738"), []);
    if (stryMutAct_9fa48("741") ? from === undefined : stryMutAct_9fa48("740") ? false : stryMutAct_9fa48("739") ? true : (stryCov_9fa48("739", "740", "741"), from !== undefined)) {
      if (stryMutAct_9fa48("742")) {
        {}
      } else {
        stryCov_9fa48("742");
        if (stryMutAct_9fa48("745") ? from.namespace === to.namespace : stryMutAct_9fa48("744") ? false : stryMutAct_9fa48("743") ? true : (stryCov_9fa48("743", "744", "745"), from.namespace !== to.namespace)) {
          if (stryMutAct_9fa48("746")) {
            {}
          } else {
            stryCov_9fa48("746");
            refusals.push(stryMutAct_9fa48("747") ? {} : (stryCov_9fa48("747"), {
              code: RULES.namespaceMove,
              message: (stryMutAct_9fa48("748") ? `` : (stryCov_9fa48("748"), `the control-plane namespace changes ${from.namespace} -> ${to.namespace}: every revision, tag and the base chart would be `)) + (stryMutAct_9fa48("749") ? `` : (stryCov_9fa48("749"), `replaced at once. Safe sequence: keep mesh.namespace as it is; moving a mesh to another namespace is a new install beside the old one.`))
            }));
          }
        }
        checkRevisions(from, to, refusals, warnings);
        checkNamespaces(from, to, refusals, warnings);
        checkRemovals(from, to, refusals, warnings);
        const fromBase = mustParseVersion(from.baseVersion);
        const toBase = mustParseVersion(to.baseVersion);
        if (stryMutAct_9fa48("752") ? fromBase.minor < 24 || toBase.minor >= 24 : stryMutAct_9fa48("751") ? false : stryMutAct_9fa48("750") ? true : (stryCov_9fa48("750", "751", "752"), (stryMutAct_9fa48("755") ? fromBase.minor >= 24 : stryMutAct_9fa48("754") ? fromBase.minor <= 24 : stryMutAct_9fa48("753") ? true : (stryCov_9fa48("753", "754", "755"), fromBase.minor < 24)) && (stryMutAct_9fa48("758") ? toBase.minor < 24 : stryMutAct_9fa48("757") ? toBase.minor > 24 : stryMutAct_9fa48("756") ? true : (stryCov_9fa48("756", "757", "758"), toBase.minor >= 24)))) {
          if (stryMutAct_9fa48("759")) {
            {}
          } else {
            stryCov_9fa48("759");
            warnings.push(stryMutAct_9fa48("760") ? {} : (stryCov_9fa48("760"), {
              code: WARNINGS.crdAdoption,
              message: (stryMutAct_9fa48("761") ? `` : (stryCov_9fa48("761"), `base ${from.baseVersion} -> ${to.baseVersion}: from 1.24 the base chart templates the CRDs that ${from.baseVersion} installed from crds/. `)) + (stryMutAct_9fa48("762") ? `` : (stryCov_9fa48("762"), `Before this update, let Helm adopt them: kubectl label crd -l chart=istio app.kubernetes.io/managed-by=Helm --overwrite && `)) + (stryMutAct_9fa48("763") ? `` : (stryCov_9fa48("763"), `kubectl annotate crd -l chart=istio meta.helm.sh/release-name=istio-base meta.helm.sh/release-namespace=${to.namespace} --overwrite`))
            }));
          }
        }
      }
    }
    const allowAll = allowUnsafe.includes(stryMutAct_9fa48("764") ? "" : (stryCov_9fa48("764"), "all"));
    const problems: Problem[] = stryMutAct_9fa48("765") ? ["Stryker was here"] : (stryCov_9fa48("765"), []);
    for (const p of refusals) {
      if (stryMutAct_9fa48("766")) {
        {}
      } else {
        stryCov_9fa48("766");
        if (stryMutAct_9fa48("769") ? allowAll && allowUnsafe.includes(p.code) : stryMutAct_9fa48("768") ? false : stryMutAct_9fa48("767") ? true : (stryCov_9fa48("767", "768", "769"), allowAll || allowUnsafe.includes(p.code))) {
          if (stryMutAct_9fa48("770")) {
            {}
          } else {
            stryCov_9fa48("770");
            warnings.unshift(stryMutAct_9fa48("771") ? {} : (stryCov_9fa48("771"), {
              code: p.code,
              message: stryMutAct_9fa48("772") ? `` : (stryCov_9fa48("772"), `OVERRIDDEN (allow-unsafe): ${p.message}`)
            }));
          }
        } else {
          if (stryMutAct_9fa48("773")) {
            {}
          } else {
            stryCov_9fa48("773");
            problems.push(p);
          }
        }
      }
    }
    return stryMutAct_9fa48("774") ? {} : (stryCov_9fa48("774"), {
      problems,
      warnings
    });
  }
}
function checkRevisions(from: MeshState, to: MeshState, refusals: Problem[], warnings: Problem[]): void {
  if (stryMutAct_9fa48("775")) {
    {}
  } else {
    stryCov_9fa48("775");
    const fromByName = new Map(from.revisions.map(stryMutAct_9fa48("776") ? () => undefined : (stryCov_9fa48("776"), r => stryMutAct_9fa48("777") ? [] : (stryCov_9fa48("777"), [r.name, r]))));
    const newestFrom = newestVersion(from.revisions.map(stryMutAct_9fa48("778") ? () => undefined : (stryCov_9fa48("778"), r => mustParseVersion(r.version))));
    const kept = stryMutAct_9fa48("779") ? to.revisions : (stryCov_9fa48("779"), to.revisions.filter(stryMutAct_9fa48("780") ? () => undefined : (stryCov_9fa48("780"), r => fromByName.has(r.name))));
    if (stryMutAct_9fa48("783") ? kept.length === 0 || from.revisions.length > 0 : stryMutAct_9fa48("782") ? false : stryMutAct_9fa48("781") ? true : (stryCov_9fa48("781", "782", "783"), (stryMutAct_9fa48("785") ? kept.length !== 0 : stryMutAct_9fa48("784") ? true : (stryCov_9fa48("784", "785"), kept.length === 0)) && (stryMutAct_9fa48("788") ? from.revisions.length <= 0 : stryMutAct_9fa48("787") ? from.revisions.length >= 0 : stryMutAct_9fa48("786") ? true : (stryCov_9fa48("786", "787", "788"), from.revisions.length > 0)))) {
      if (stryMutAct_9fa48("789")) {
        {}
      } else {
        stryCov_9fa48("789");
        refusals.push(stryMutAct_9fa48("790") ? {} : (stryCov_9fa48("790"), {
          code: RULES.replaceAll,
          message: (stryMutAct_9fa48("791") ? `` : (stryCov_9fa48("791"), `every deployed revision (${from.revisions.map(stryMutAct_9fa48("792") ? () => undefined : (stryCov_9fa48("792"), r => r.name)).join(stryMutAct_9fa48("793") ? "" : (stryCov_9fa48("793"), ", "))}) is removed and `)) + (stryMutAct_9fa48("794") ? `` : (stryCov_9fa48("794"), `${to.revisions.map(stryMutAct_9fa48("795") ? () => undefined : (stryCov_9fa48("795"), r => r.name)).join(stryMutAct_9fa48("796") ? "" : (stryCov_9fa48("796"), ", "))} added in one change: that is not a canary upgrade. `)) + (stryMutAct_9fa48("797") ? `` : (stryCov_9fa48("797"), `Safe sequence: add the new revision beside the old one, move tags/namespaces/default to it, then remove the old one.`))
        }));
      }
    }
    for (const r of to.revisions) {
      if (stryMutAct_9fa48("798")) {
        {}
      } else {
        stryCov_9fa48("798");
        const v = mustParseVersion(r.version);
        const before = fromByName.get(r.name);
        if (stryMutAct_9fa48("801") ? before !== undefined : stryMutAct_9fa48("800") ? false : stryMutAct_9fa48("799") ? true : (stryCov_9fa48("799", "800", "801"), before === undefined)) {
          if (stryMutAct_9fa48("802")) {
            {}
          } else {
            stryCov_9fa48("802");
            if (stryMutAct_9fa48("805") ? newestFrom !== undefined : stryMutAct_9fa48("804") ? false : stryMutAct_9fa48("803") ? true : (stryCov_9fa48("803", "804", "805"), newestFrom === undefined)) {
              if (stryMutAct_9fa48("806")) {
                {}
              } else {
                stryCov_9fa48("806");
                continue;
              }
            }
            const d = minorDistance(newestFrom, v);
            if (stryMutAct_9fa48("810") ? d <= MAX_CANARY_MINORS : stryMutAct_9fa48("809") ? d >= MAX_CANARY_MINORS : stryMutAct_9fa48("808") ? false : stryMutAct_9fa48("807") ? true : (stryCov_9fa48("807", "808", "809", "810"), d > MAX_CANARY_MINORS)) {
              if (stryMutAct_9fa48("811")) {
                {}
              } else {
                stryCov_9fa48("811");
                refusals.push(stryMutAct_9fa48("812") ? {} : (stryCov_9fa48("812"), {
                  code: RULES.canarySkip,
                  message: (stryMutAct_9fa48("813") ? `` : (stryCov_9fa48("813"), `new revision "${r.name}" (${r.version}) is ${d} minors above the newest deployed revision (${newestFrom.text}); `)) + (stryMutAct_9fa48("814") ? `` : (stryCov_9fa48("814"), `a canary may skip at most one minor. Safe sequence: upgrade through 1.${stryMutAct_9fa48("815") ? newestFrom.minor - MAX_CANARY_MINORS : (stryCov_9fa48("815"), newestFrom.minor + MAX_CANARY_MINORS)}.x first.`))
                }));
              }
            } else if (stryMutAct_9fa48("819") ? compareVersions(v, newestFrom) >= 0 : stryMutAct_9fa48("818") ? compareVersions(v, newestFrom) <= 0 : stryMutAct_9fa48("817") ? false : stryMutAct_9fa48("816") ? true : (stryCov_9fa48("816", "817", "818", "819"), compareVersions(v, newestFrom) < 0)) {
              if (stryMutAct_9fa48("820")) {
                {}
              } else {
                stryCov_9fa48("820");
                // Re-installing an older revision nothing uses is a revert of "remove the old
                // revision" and safe; moving users onto it in the same change is a downgrade.
                const users = stryMutAct_9fa48("821") ? referrers(to) : (stryCov_9fa48("821"), referrers(to).filter(stryMutAct_9fa48("822") ? () => undefined : (stryCov_9fa48("822"), x => stryMutAct_9fa48("825") ? x.revision !== r.name : stryMutAct_9fa48("824") ? false : stryMutAct_9fa48("823") ? true : (stryCov_9fa48("823", "824", "825"), x.revision === r.name))));
                if (stryMutAct_9fa48("829") ? users.length <= 0 : stryMutAct_9fa48("828") ? users.length >= 0 : stryMutAct_9fa48("827") ? false : stryMutAct_9fa48("826") ? true : (stryCov_9fa48("826", "827", "828", "829"), users.length > 0)) {
                  if (stryMutAct_9fa48("830")) {
                    {}
                  } else {
                    stryCov_9fa48("830");
                    refusals.push(stryMutAct_9fa48("831") ? {} : (stryCov_9fa48("831"), {
                      code: RULES.canaryOlder,
                      message: (stryMutAct_9fa48("832") ? `` : (stryCov_9fa48("832"), `new revision "${r.name}" (${r.version}) is older than the deployed ${newestFrom.text} and ${users.map(describe).join(stryMutAct_9fa48("833") ? "" : (stryCov_9fa48("833"), ", "))} `)) + (stryMutAct_9fa48("834") ? `` : (stryCov_9fa48("834"), `would move to it in the same change: downgrades happen only by removing a canary. `)) + (stryMutAct_9fa48("835") ? `` : (stryCov_9fa48("835"), `Safe sequence: install "${r.name}" with nothing pointing at it, verify it runs, then move users back in a later change.`))
                    }));
                  }
                }
              }
            }
          }
        } else if (stryMutAct_9fa48("838") ? before.version === r.version : stryMutAct_9fa48("837") ? false : stryMutAct_9fa48("836") ? true : (stryCov_9fa48("836", "837", "838"), before.version !== r.version)) {
          if (stryMutAct_9fa48("839")) {
            {}
          } else {
            stryCov_9fa48("839");
            const d = minorDistance(mustParseVersion(before.version), v);
            if (stryMutAct_9fa48("843") ? d <= MAX_IN_PLACE_MINORS : stryMutAct_9fa48("842") ? d >= MAX_IN_PLACE_MINORS : stryMutAct_9fa48("841") ? false : stryMutAct_9fa48("840") ? true : (stryCov_9fa48("840", "841", "842", "843"), d > MAX_IN_PLACE_MINORS)) {
              if (stryMutAct_9fa48("844")) {
                {}
              } else {
                stryCov_9fa48("844");
                refusals.push(stryMutAct_9fa48("845") ? {} : (stryCov_9fa48("845"), {
                  code: RULES.inPlaceSkip,
                  message: (stryMutAct_9fa48("846") ? `` : (stryCov_9fa48("846"), `revision "${r.name}" would be upgraded in place ${before.version} -> ${r.version} (${d} minors); in-place upgrades go one minor at a time. `)) + (stryMutAct_9fa48("847") ? `` : (stryCov_9fa48("847"), `Safe sequence: add a new revision for ${r.version} as a canary (it may skip one minor), or step through 1.${stryMutAct_9fa48("848") ? mustParseVersion(before.version).minor - 1 : (stryCov_9fa48("848"), mustParseVersion(before.version).minor + 1)}.x.`))
                }));
              }
            } else if (stryMutAct_9fa48("852") ? d >= 0 : stryMutAct_9fa48("851") ? d <= 0 : stryMutAct_9fa48("850") ? false : stryMutAct_9fa48("849") ? true : (stryCov_9fa48("849", "850", "851", "852"), d < 0)) {
              if (stryMutAct_9fa48("853")) {
                {}
              } else {
                stryCov_9fa48("853");
                refusals.push(stryMutAct_9fa48("854") ? {} : (stryCov_9fa48("854"), {
                  code: RULES.inPlaceDowngrade,
                  message: (stryMutAct_9fa48("855") ? `` : (stryCov_9fa48("855"), `revision "${r.name}" would be downgraded in place ${before.version} -> ${r.version}; an in-place move to an older minor is refused. `)) + (stryMutAct_9fa48("856") ? `` : (stryCov_9fa48("856"), `Safe sequence: keep ${before.version} and roll back by removing a canary instead.`))
                }));
              }
            } else if (stryMutAct_9fa48("859") ? d !== 1 : stryMutAct_9fa48("858") ? false : stryMutAct_9fa48("857") ? true : (stryCov_9fa48("857", "858", "859"), d === 1)) {
              if (stryMutAct_9fa48("860")) {
                {}
              } else {
                stryCov_9fa48("860");
                warnings.push(stryMutAct_9fa48("861") ? {} : (stryCov_9fa48("861"), {
                  code: WARNINGS.restart,
                  message: stryMutAct_9fa48("862") ? `` : (stryCov_9fa48("862"), `revision "${r.name}" is upgraded in place ${before.version} -> ${r.version}: every workload on it gets the new proxy only when it restarts.`)
                }));
              }
            }
          }
        }
      }
    }
  }
}
function checkRemovals(from: MeshState, to: MeshState, refusals: Problem[], warnings: Problem[]): void {
  if (stryMutAct_9fa48("863")) {
    {}
  } else {
    stryCov_9fa48("863");
    const fromNames = new Set(from.revisions.map(stryMutAct_9fa48("864") ? () => undefined : (stryCov_9fa48("864"), r => r.name)));
    const toNames = new Set(to.revisions.map(stryMutAct_9fa48("865") ? () => undefined : (stryCov_9fa48("865"), r => r.name)));
    const fromRefs = referrers(from);
    const toRefs = referrers(to);
    for (const removed of stryMutAct_9fa48("866") ? from.revisions : (stryCov_9fa48("866"), from.revisions.filter(stryMutAct_9fa48("867") ? () => undefined : (stryCov_9fa48("867"), r => stryMutAct_9fa48("868") ? toNames.has(r.name) : (stryCov_9fa48("868"), !toNames.has(r.name)))))) {
      if (stryMutAct_9fa48("869")) {
        {}
      } else {
        stryCov_9fa48("869");
        const moved: string[] = stryMutAct_9fa48("870") ? ["Stryker was here"] : (stryCov_9fa48("870"), []);
        for (const ref of stryMutAct_9fa48("871") ? fromRefs : (stryCov_9fa48("871"), fromRefs.filter(stryMutAct_9fa48("872") ? () => undefined : (stryCov_9fa48("872"), x => stryMutAct_9fa48("875") ? x.revision !== removed.name : stryMutAct_9fa48("874") ? false : stryMutAct_9fa48("873") ? true : (stryCov_9fa48("873", "874", "875"), x.revision === removed.name))))) {
          if (stryMutAct_9fa48("876")) {
            {}
          } else {
            stryCov_9fa48("876");
            const now = find(toRefs, ref);
            if (stryMutAct_9fa48("879") ? now !== undefined : stryMutAct_9fa48("878") ? false : stryMutAct_9fa48("877") ? true : (stryCov_9fa48("877", "878", "879"), now === undefined)) {
              if (stryMutAct_9fa48("880")) {
                {}
              } else {
                stryCov_9fa48("880");
                continue;
              }
            }
            if (stryMutAct_9fa48("883") ? false : stryMutAct_9fa48("882") ? true : stryMutAct_9fa48("881") ? fromNames.has(now.revision) : (stryCov_9fa48("881", "882", "883"), !fromNames.has(now.revision))) {
              if (stryMutAct_9fa48("884")) {
                {}
              } else {
                stryCov_9fa48("884");
                refusals.push(stryMutAct_9fa48("885") ? {} : (stryCov_9fa48("885"), {
                  code: RULES.removedStillUsed,
                  message: (stryMutAct_9fa48("886") ? `` : (stryCov_9fa48("886"), `revision "${removed.name}" is removed while ${describe(ref)}, which used it, moves to "${now.revision}", a revision created in this same change: `)) + (stryMutAct_9fa48("887") ? `` : (stryCov_9fa48("887"), `its workloads would lose their control plane before the new one has run. `)) + (stryMutAct_9fa48("888") ? `` : (stryCov_9fa48("888"), `Safe sequence: 1) add "${now.revision}" and move ${describe(ref)} to it; 2) verify and restart workloads; 3) remove "${removed.name}" in a later change.`))
                }));
              }
            } else if (stryMutAct_9fa48("892") ? compareVersions(versionOf(from, now.revision), mustParseVersion(removed.version)) < 0 : stryMutAct_9fa48("891") ? compareVersions(versionOf(from, now.revision), mustParseVersion(removed.version)) > 0 : stryMutAct_9fa48("890") ? false : stryMutAct_9fa48("889") ? true : (stryCov_9fa48("889", "890", "891", "892"), compareVersions(versionOf(from, now.revision), mustParseVersion(removed.version)) >= 0)) {
              if (stryMutAct_9fa48("893")) {
                {}
              } else {
                stryCov_9fa48("893");
                // Moving users back to an older revision while removing the newer one is the
                // documented rollback, not a promotion: no warning for that.
                moved.push(describe(ref));
              }
            }
          }
        }
        if (stryMutAct_9fa48("897") ? moved.length <= 0 : stryMutAct_9fa48("896") ? moved.length >= 0 : stryMutAct_9fa48("895") ? false : stryMutAct_9fa48("894") ? true : (stryCov_9fa48("894", "895", "896", "897"), moved.length > 0)) {
          if (stryMutAct_9fa48("898")) {
            {}
          } else {
            stryCov_9fa48("898");
            warnings.push(stryMutAct_9fa48("899") ? {} : (stryCov_9fa48("899"), {
              code: WARNINGS.promoteAndRemove,
              message: (stryMutAct_9fa48("900") ? `` : (stryCov_9fa48("900"), `revision "${removed.name}" is removed in the same change that moves ${moved.join(stryMutAct_9fa48("901") ? "" : (stryCov_9fa48("901"), ", "))} off it. `)) + (stryMutAct_9fa48("902") ? `` : (stryCov_9fa48("902"), `Allowed, but the recommended sequence promotes first, verifies (workloads restarted, nothing left on "${removed.name}"), then removes.`))
            }));
          }
        }
      }
    }
  }
}

/**
 * User data a change deletes: namespaces the stack created with deleteWhenRemoved that leave
 * the config or stop being created by it. Shown first in every plan, refused unless overridden.
 */
export function deletedNamespaces(from: MeshState | undefined, to: MeshState): string[] {
  if (stryMutAct_9fa48("903")) {
    {}
  } else {
    stryCov_9fa48("903");
    if (stryMutAct_9fa48("906") ? from !== undefined : stryMutAct_9fa48("905") ? false : stryMutAct_9fa48("904") ? true : (stryCov_9fa48("904", "905", "906"), from === undefined)) {
      if (stryMutAct_9fa48("907")) {
        {}
      } else {
        stryCov_9fa48("907");
        return stryMutAct_9fa48("908") ? ["Stryker was here"] : (stryCov_9fa48("908"), []);
      }
    }
    const next = new Map(to.namespaces.map(stryMutAct_9fa48("909") ? () => undefined : (stryCov_9fa48("909"), n => stryMutAct_9fa48("910") ? [] : (stryCov_9fa48("910"), [n.name, n]))));
    return stryMutAct_9fa48("911") ? from.namespaces.map(n => n.name) : (stryCov_9fa48("911"), from.namespaces.filter(stryMutAct_9fa48("912") ? () => undefined : (stryCov_9fa48("912"), n => stryMutAct_9fa48("915") ? n.create && n.deleteWhenRemoved || !(next.get(n.name)?.create ?? false) : stryMutAct_9fa48("914") ? false : stryMutAct_9fa48("913") ? true : (stryCov_9fa48("913", "914", "915"), (stryMutAct_9fa48("917") ? n.create || n.deleteWhenRemoved : stryMutAct_9fa48("916") ? true : (stryCov_9fa48("916", "917"), n.create && n.deleteWhenRemoved)) && (stryMutAct_9fa48("918") ? next.get(n.name)?.create ?? false : (stryCov_9fa48("918"), !(stryMutAct_9fa48("919") ? next.get(n.name)?.create && false : (stryCov_9fa48("919"), (stryMutAct_9fa48("920") ? next.get(n.name).create : (stryCov_9fa48("920"), next.get(n.name)?.create)) ?? (stryMutAct_9fa48("921") ? true : (stryCov_9fa48("921"), false))))))))).map(stryMutAct_9fa48("922") ? () => undefined : (stryCov_9fa48("922"), n => n.name)));
  }
}
function checkNamespaces(from: MeshState, to: MeshState, refusals: Problem[], warnings: Problem[]): void {
  if (stryMutAct_9fa48("923")) {
    {}
  } else {
    stryCov_9fa48("923");
    const before = new Map(from.namespaces.map(stryMutAct_9fa48("924") ? () => undefined : (stryCov_9fa48("924"), n => stryMutAct_9fa48("925") ? [] : (stryCov_9fa48("925"), [n.name, n]))));
    for (const name of deletedNamespaces(from, to)) {
      if (stryMutAct_9fa48("926")) {
        {}
      } else {
        stryCov_9fa48("926");
        const stays = stryMutAct_9fa48("927") ? to.namespaces.every(n => n.name === name) : (stryCov_9fa48("927"), to.namespaces.some(stryMutAct_9fa48("928") ? () => undefined : (stryCov_9fa48("928"), n => stryMutAct_9fa48("931") ? n.name !== name : stryMutAct_9fa48("930") ? false : stryMutAct_9fa48("929") ? true : (stryCov_9fa48("929", "930", "931"), n.name === name))));
        refusals.push(stryMutAct_9fa48("932") ? {} : (stryCov_9fa48("932"), {
          code: RULES.namespaceDeletion,
          message: (stryMutAct_9fa48("933") ? `` : (stryCov_9fa48("933"), `deletes namespace "${name}" and everything in it: the stack created it with deleteWhenRemoved: true and this change `)) + (stryMutAct_9fa48("934") ? `` : (stryCov_9fa48("934"), `${stays ? stryMutAct_9fa48("935") ? "" : (stryCov_9fa48("935"), "sets create: false") : stryMutAct_9fa48("936") ? "" : (stryCov_9fa48("936"), "removes it from mesh.namespaces")}. `)) + (stryMutAct_9fa48("937") ? `` : (stryCov_9fa48("937"), `To keep it: first set deleteWhenRemoved: false on it (one update), then make this change (the stack then lets go of it and leaves it running). `)) + (stryMutAct_9fa48("938") ? `` : (stryCov_9fa48("938"), `To delete it: override this rule for one run.`))
        }));
      }
    }
    for (const n of to.namespaces) {
      if (stryMutAct_9fa48("939")) {
        {}
      } else {
        stryCov_9fa48("939");
        const old = before.get(n.name);
        if (stryMutAct_9fa48("942") ? old !== undefined : stryMutAct_9fa48("941") ? false : stryMutAct_9fa48("940") ? true : (stryCov_9fa48("940", "941", "942"), old === undefined)) {
          if (stryMutAct_9fa48("943")) {
            {}
          } else {
            stryCov_9fa48("943");
            continue;
          }
        }
        if (stryMutAct_9fa48("946") ? !old.create || n.create : stryMutAct_9fa48("945") ? false : stryMutAct_9fa48("944") ? true : (stryCov_9fa48("944", "945", "946"), (stryMutAct_9fa48("947") ? old.create : (stryCov_9fa48("947"), !old.create)) && n.create)) {
          if (stryMutAct_9fa48("948")) {
            {}
          } else {
            stryCov_9fa48("948");
            refusals.push(stryMutAct_9fa48("949") ? {} : (stryCov_9fa48("949"), {
              code: RULES.namespaceAdoption,
              message: (stryMutAct_9fa48("950") ? `` : (stryCov_9fa48("950"), `namespace "${n.name}" changes to create: true, but it already exists and the stack did not create it: `)) + (stryMutAct_9fa48("951") ? `` : (stryCov_9fa48("951"), `the Kubernetes provider refuses to create an object that exists (AlreadyExists), and the label patch would be removed first. `)) + (stryMutAct_9fa48("952") ? `` : (stryCov_9fa48("952"), `Safe sequence: keep create: false (the stack then owns only its labels).`))
            }));
          }
        } else if (stryMutAct_9fa48("955") ? old.create && !old.deleteWhenRemoved || !n.create : stryMutAct_9fa48("954") ? false : stryMutAct_9fa48("953") ? true : (stryCov_9fa48("953", "954", "955"), (stryMutAct_9fa48("957") ? old.create || !old.deleteWhenRemoved : stryMutAct_9fa48("956") ? true : (stryCov_9fa48("956", "957"), old.create && (stryMutAct_9fa48("958") ? old.deleteWhenRemoved : (stryCov_9fa48("958"), !old.deleteWhenRemoved)))) && (stryMutAct_9fa48("959") ? n.create : (stryCov_9fa48("959"), !n.create)))) {
          if (stryMutAct_9fa48("960")) {
            {}
          } else {
            stryCov_9fa48("960");
            warnings.push(stryMutAct_9fa48("961") ? {} : (stryCov_9fa48("961"), {
              code: WARNINGS.namespaceReleased,
              message: stryMutAct_9fa48("962") ? `` : (stryCov_9fa48("962"), `namespace "${n.name}" changes to create: false: the stack stops owning the Namespace object and keeps it, with everything in it; it now manages only its labels.`)
            }));
          }
        }
      }
    }
    const next = new Set(to.namespaces.map(stryMutAct_9fa48("963") ? () => undefined : (stryCov_9fa48("963"), n => n.name)));
    for (const old of stryMutAct_9fa48("964") ? from.namespaces : (stryCov_9fa48("964"), from.namespaces.filter(stryMutAct_9fa48("965") ? () => undefined : (stryCov_9fa48("965"), n => stryMutAct_9fa48("968") ? !next.has(n.name) && n.create || !n.deleteWhenRemoved : stryMutAct_9fa48("967") ? false : stryMutAct_9fa48("966") ? true : (stryCov_9fa48("966", "967", "968"), (stryMutAct_9fa48("970") ? !next.has(n.name) || n.create : stryMutAct_9fa48("969") ? true : (stryCov_9fa48("969", "970"), (stryMutAct_9fa48("971") ? next.has(n.name) : (stryCov_9fa48("971"), !next.has(n.name))) && n.create)) && (stryMutAct_9fa48("972") ? n.deleteWhenRemoved : (stryCov_9fa48("972"), !n.deleteWhenRemoved))))))) {
      if (stryMutAct_9fa48("973")) {
        {}
      } else {
        stryCov_9fa48("973");
        warnings.push(stryMutAct_9fa48("974") ? {} : (stryCov_9fa48("974"), {
          code: WARNINGS.namespaceReleased,
          message: (stryMutAct_9fa48("975") ? `` : (stryCov_9fa48("975"), `namespace "${old.name}" leaves the stack: it was created by the stack and is kept, with everything in it and its `)) + (stryMutAct_9fa48("976") ? `` : (stryCov_9fa48("976"), `istio.io/rev=${old.revision} label (delete it with kubectl delete namespace ${old.name} if it should go).`))
        }));
      }
    }
  }
}
function versionOf(state: MeshState, revision: string) {
  if (stryMutAct_9fa48("977")) {
    {}
  } else {
    stryCov_9fa48("977");
    const found = state.revisions.find(stryMutAct_9fa48("978") ? () => undefined : (stryCov_9fa48("978"), r => stryMutAct_9fa48("981") ? r.name !== revision : stryMutAct_9fa48("980") ? false : stryMutAct_9fa48("979") ? true : (stryCov_9fa48("979", "980", "981"), r.name === revision)));
    if (stryMutAct_9fa48("984") ? found !== undefined : stryMutAct_9fa48("983") ? false : stryMutAct_9fa48("982") ? true : (stryCov_9fa48("982", "983", "984"), found === undefined)) {
      if (stryMutAct_9fa48("985")) {
        {}
      } else {
        stryCov_9fa48("985");
        throw new Error(stryMutAct_9fa48("986") ? `` : (stryCov_9fa48("986"), `internal: revision "${revision}" is not in the state (callers check it is deployed first)`));
      }
    }
    return mustParseVersion(found.version);
  }
}