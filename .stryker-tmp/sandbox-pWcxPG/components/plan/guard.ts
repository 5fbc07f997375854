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
import { UserError } from "../errors";
import { MeshState } from "../state/deployed";
import { LiveCheck } from "./inUseRule";
import { evaluateTransition, Problem } from "./transitions";

/** Env var naming the rules an operator overrides for one run: codes, comma-separated, or "all". */
export const ALLOW_UNSAFE_ENV = stryMutAct_9fa48("682") ? "" : (stryCov_9fa48("682"), "ISTIO_MESH_ALLOW_UNSAFE");
export function parseAllowUnsafe(value: string | undefined): string[] {
  if (stryMutAct_9fa48("683")) {
    {}
  } else {
    stryCov_9fa48("683");
    return stryMutAct_9fa48("684") ? (value ?? "").split(",").map(s => s.trim()) : (stryCov_9fa48("684"), (stryMutAct_9fa48("685") ? value && "" : (stryCov_9fa48("685"), value ?? (stryMutAct_9fa48("686") ? "Stryker was here!" : (stryCov_9fa48("686"), "")))).split(stryMutAct_9fa48("687") ? "" : (stryCov_9fa48("687"), ",")).map(stryMutAct_9fa48("688") ? () => undefined : (stryCov_9fa48("688"), s => stryMutAct_9fa48("689") ? s : (stryCov_9fa48("689"), s.trim()))).filter(stryMutAct_9fa48("690") ? () => undefined : (stryCov_9fa48("690"), s => stryMutAct_9fa48("694") ? s.length <= 0 : stryMutAct_9fa48("693") ? s.length >= 0 : stryMutAct_9fa48("692") ? false : stryMutAct_9fa48("691") ? true : (stryCov_9fa48("691", "692", "693", "694"), s.length > 0))));
  }
}

/** Thrown when the transition FROM -> TO is refused; the message is the planner's. */
export class TransitionRefused extends UserError {
  constructor(public readonly problems: readonly Problem[]) {
    super((stryMutAct_9fa48("695") ? `` : (stryCov_9fa48("695"), `istio-mesh refused this change before touching the cluster:\n`)) + problems.map(stryMutAct_9fa48("696") ? () => undefined : (stryCov_9fa48("696"), p => stryMutAct_9fa48("697") ? `` : (stryCov_9fa48("697"), `  - [${p.code}] ${p.message}`))).join(stryMutAct_9fa48("698") ? "" : (stryCov_9fa48("698"), "\n")) + (stryMutAct_9fa48("699") ? `` : (stryCov_9fa48("699"), `\nTo proceed anyway (you own the risk), set ${ALLOW_UNSAFE_ENV}=${problems.map(stryMutAct_9fa48("700") ? () => undefined : (stryCov_9fa48("700"), p => p.code)).join(stryMutAct_9fa48("701") ? "" : (stryCov_9fa48("701"), ","))} for this one run.`)));
    this.name = stryMutAct_9fa48("702") ? "" : (stryCov_9fa48("702"), "TransitionRefused");
  }
}

/** Applies the transition rules; returns the warnings or throws TransitionRefused. */
export function guardTransition(from: MeshState | undefined, to: MeshState, allowUnsafe: readonly string[], live?: LiveCheck): readonly Problem[] {
  if (stryMutAct_9fa48("703")) {
    {}
  } else {
    stryCov_9fa48("703");
    const result = evaluateTransition(from, to, allowUnsafe, live);
    if (stryMutAct_9fa48("707") ? result.problems.length <= 0 : stryMutAct_9fa48("706") ? result.problems.length >= 0 : stryMutAct_9fa48("705") ? false : stryMutAct_9fa48("704") ? true : (stryCov_9fa48("704", "705", "706", "707"), result.problems.length > 0)) {
      if (stryMutAct_9fa48("708")) {
        {}
      } else {
        stryCov_9fa48("708");
        throw new TransitionRefused(result.problems);
      }
    }
    return result.warnings;
  }
}