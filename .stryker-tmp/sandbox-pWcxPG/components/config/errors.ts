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

/** A config problem: where it is (stack config path) and what to do about it. */
export interface ConfigIssue {
  /** e.g. `istio-mesh:mesh.tags.prod-stable` */
  readonly path: string;
  readonly message: string;
}

/** Thrown for invalid stack config; its message lists every issue, one per line. */
export class ConfigError extends UserError {
  constructor(public readonly issues: readonly ConfigIssue[]) {
    super((stryMutAct_9fa48("0") ? `` : (stryCov_9fa48("0"), `invalid istio-mesh stack config (${issues.length} problem${(stryMutAct_9fa48("3") ? issues.length !== 1 : stryMutAct_9fa48("2") ? false : stryMutAct_9fa48("1") ? true : (stryCov_9fa48("1", "2", "3"), issues.length === 1)) ? stryMutAct_9fa48("4") ? "Stryker was here!" : (stryCov_9fa48("4"), "") : stryMutAct_9fa48("5") ? "" : (stryCov_9fa48("5"), "s")}):\n`)) + issues.map(stryMutAct_9fa48("6") ? () => undefined : (stryCov_9fa48("6"), i => stryMutAct_9fa48("7") ? `` : (stryCov_9fa48("7"), `  - ${i.path}: ${i.message}`))).join(stryMutAct_9fa48("8") ? "" : (stryCov_9fa48("8"), "\n")));
    this.name = stryMutAct_9fa48("9") ? "" : (stryCov_9fa48("9"), "ConfigError");
  }
}

/** Formats a zod-style path under a config key: ["revisions", 1, "name"] -> key.revisions[1].name */
export function formatPath(root: string, path: readonly PropertyKey[]): string {
  if (stryMutAct_9fa48("10")) {
    {}
  } else {
    stryCov_9fa48("10");
    let out = root;
    for (const p of path) {
      if (stryMutAct_9fa48("11")) {
        {}
      } else {
        stryCov_9fa48("11");
        stryMutAct_9fa48("12") ? out -= typeof p === "number" ? `[${p}]` : `.${String(p)}` : (stryCov_9fa48("12"), out += (stryMutAct_9fa48("15") ? typeof p !== "number" : stryMutAct_9fa48("14") ? false : stryMutAct_9fa48("13") ? true : (stryCov_9fa48("13", "14", "15"), typeof p === (stryMutAct_9fa48("16") ? "" : (stryCov_9fa48("16"), "number")))) ? stryMutAct_9fa48("17") ? `` : (stryCov_9fa48("17"), `[${p}]`) : stryMutAct_9fa48("18") ? `` : (stryCov_9fa48("18"), `.${String(p)}`));
      }
    }
    return out;
  }
}