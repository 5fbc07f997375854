/**
 * Locale-independent ordering. `localeCompare` follows the machine's locale and ICU build
 * (numeric collation puts "a9" before "a10", others ignore '-'), so anything that shapes
 * resource names, registration order or output must sort with this instead.
 */
// @ts-nocheck


/** Orders strings by Unicode code point, the same on every machine. */function stryNS_9fa48() {
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
export function byCodePoint(a: string, b: string): number {
  if (stryMutAct_9fa48("31")) {
    {}
  } else {
    stryCov_9fa48("31");
    if (stryMutAct_9fa48("34") ? a !== b : stryMutAct_9fa48("33") ? false : stryMutAct_9fa48("32") ? true : (stryCov_9fa48("32", "33", "34"), a === b)) {
      if (stryMutAct_9fa48("35")) {
        {}
      } else {
        stryCov_9fa48("35");
        return 0;
      }
    }
    const ia = a[Symbol.iterator]();
    const ib = b[Symbol.iterator]();
    if (stryMutAct_9fa48("36")) {
      for (; false;) {
        const ca = ia.next();
        const cb = ib.next();
        if (ca.done || cb.done) {
          return ca.done ? cb.done ? 0 : -1 : 1;
        }
        const d = (ca.value.codePointAt(0) as number) - (cb.value.codePointAt(0) as number);
        if (d !== 0) {
          return d < 0 ? -1 : 1;
        }
      }
    } else {
      stryCov_9fa48("36");
      for (;;) {
        if (stryMutAct_9fa48("37")) {
          {}
        } else {
          stryCov_9fa48("37");
          const ca = ia.next();
          const cb = ib.next();
          if (stryMutAct_9fa48("40") ? ca.done && cb.done : stryMutAct_9fa48("39") ? false : stryMutAct_9fa48("38") ? true : (stryCov_9fa48("38", "39", "40"), ca.done || cb.done)) {
            if (stryMutAct_9fa48("41")) {
              {}
            } else {
              stryCov_9fa48("41");
              return ca.done ? cb.done ? 0 : stryMutAct_9fa48("42") ? +1 : (stryCov_9fa48("42"), -1) : 1;
            }
          }
          const d = stryMutAct_9fa48("43") ? (ca.value.codePointAt(0) as number) + (cb.value.codePointAt(0) as number) : (stryCov_9fa48("43"), (ca.value.codePointAt(0) as number) - (cb.value.codePointAt(0) as number));
          if (stryMutAct_9fa48("46") ? d === 0 : stryMutAct_9fa48("45") ? false : stryMutAct_9fa48("44") ? true : (stryCov_9fa48("44", "45", "46"), d !== 0)) {
            if (stryMutAct_9fa48("47")) {
              {}
            } else {
              stryCov_9fa48("47");
              return (stryMutAct_9fa48("51") ? d >= 0 : stryMutAct_9fa48("50") ? d <= 0 : stryMutAct_9fa48("49") ? false : stryMutAct_9fa48("48") ? true : (stryCov_9fa48("48", "49", "50", "51"), d < 0)) ? stryMutAct_9fa48("52") ? +1 : (stryCov_9fa48("52"), -1) : 1;
            }
          }
        }
      }
    }
  }
}

/** For `Object.entries(...).sort(byKey)`: entries ordered by key, by code point. */
export function byKey(a: readonly [string, unknown], b: readonly [string, unknown]): number {
  if (stryMutAct_9fa48("53")) {
    {}
  } else {
    stryCov_9fa48("53");
    return byCodePoint(a[0], b[0]);
  }
}