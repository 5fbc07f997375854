/**
 * Istio release versions: parsing, ordering and the per-minor facts the planner needs
 * (Kubernetes support ranges, which minors this program knows the chart values of).
 */
// @ts-nocheck


/** A full Istio release such as 1.30.3. */function stryNS_9fa48() {
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
export interface IstioVersion {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  /** The version as written, e.g. "1.30.3". */
  readonly text: string;
}
const VERSION_RE = stryMutAct_9fa48("1104") ? /^(\d+)\.(\d+)\.(\D+)$/ : stryMutAct_9fa48("1103") ? /^(\d+)\.(\d+)\.(\d)$/ : stryMutAct_9fa48("1102") ? /^(\d+)\.(\D+)\.(\d+)$/ : stryMutAct_9fa48("1101") ? /^(\d+)\.(\d)\.(\d+)$/ : stryMutAct_9fa48("1100") ? /^(\D+)\.(\d+)\.(\d+)$/ : stryMutAct_9fa48("1099") ? /^(\d)\.(\d+)\.(\d+)$/ : stryMutAct_9fa48("1098") ? /^(\d+)\.(\d+)\.(\d+)/ : stryMutAct_9fa48("1097") ? /(\d+)\.(\d+)\.(\d+)$/ : (stryCov_9fa48("1097", "1098", "1099", "1100", "1101", "1102", "1103", "1104"), /^(\d+)\.(\d+)\.(\d+)$/);

/** Oldest and newest Istio minors (1.x) whose chart values this program emits. */
export const OLDEST_SUPPORTED_MINOR = 22;
export const NEWEST_SUPPORTED_MINOR = 30;

/**
 * Kubernetes minors each Istio minor supports (Istio's support matrix; 1.30 from its
 * release notes). A `kubernetesVersion` outside the range is a config error.
 */
export const KUBERNETES_RANGES: Readonly<Record<number, readonly [number, number]>> = stryMutAct_9fa48("1105") ? {} : (stryCov_9fa48("1105"), {
  22: stryMutAct_9fa48("1106") ? [] : (stryCov_9fa48("1106"), [27, 30]),
  23: stryMutAct_9fa48("1107") ? [] : (stryCov_9fa48("1107"), [27, 30]),
  24: stryMutAct_9fa48("1108") ? [] : (stryCov_9fa48("1108"), [28, 31]),
  25: stryMutAct_9fa48("1109") ? [] : (stryCov_9fa48("1109"), [29, 32]),
  26: stryMutAct_9fa48("1110") ? [] : (stryCov_9fa48("1110"), [29, 33]),
  27: stryMutAct_9fa48("1111") ? [] : (stryCov_9fa48("1111"), [29, 33]),
  28: stryMutAct_9fa48("1112") ? [] : (stryCov_9fa48("1112"), [30, 34]),
  29: stryMutAct_9fa48("1113") ? [] : (stryCov_9fa48("1113"), [31, 35]),
  30: stryMutAct_9fa48("1114") ? [] : (stryCov_9fa48("1114"), [32, 36])
});

/** Parses "1.30.3"; returns undefined for anything that is not a full release. */
export function parseVersion(text: string): IstioVersion | undefined {
  if (stryMutAct_9fa48("1115")) {
    {}
  } else {
    stryCov_9fa48("1115");
    const m = VERSION_RE.exec(text);
    if (stryMutAct_9fa48("1118") ? false : stryMutAct_9fa48("1117") ? true : stryMutAct_9fa48("1116") ? m : (stryCov_9fa48("1116", "1117", "1118"), !m)) {
      if (stryMutAct_9fa48("1119")) {
        {}
      } else {
        stryCov_9fa48("1119");
        return undefined;
      }
    }
    return stryMutAct_9fa48("1120") ? {} : (stryCov_9fa48("1120"), {
      major: Number(m[1]),
      minor: Number(m[2]),
      patch: Number(m[3]),
      text
    });
  }
}

/** Like parseVersion, for versions already validated by the config module. */
export function mustParseVersion(text: string): IstioVersion {
  if (stryMutAct_9fa48("1121")) {
    {}
  } else {
    stryCov_9fa48("1121");
    const v = parseVersion(text);
    if (stryMutAct_9fa48("1124") ? false : stryMutAct_9fa48("1123") ? true : stryMutAct_9fa48("1122") ? v : (stryCov_9fa48("1122", "1123", "1124"), !v)) {
      if (stryMutAct_9fa48("1125")) {
        {}
      } else {
        stryCov_9fa48("1125");
        throw new Error(stryMutAct_9fa48("1126") ? `` : (stryCov_9fa48("1126"), `internal: "${text}" is not a validated Istio version`));
      }
    }
    return v;
  }
}

/** Why a version is not usable, or undefined when it is. */
export function versionProblem(text: string): string | undefined {
  if (stryMutAct_9fa48("1127")) {
    {}
  } else {
    stryCov_9fa48("1127");
    const v = parseVersion(text);
    if (stryMutAct_9fa48("1130") ? false : stryMutAct_9fa48("1129") ? true : stryMutAct_9fa48("1128") ? v : (stryCov_9fa48("1128", "1129", "1130"), !v)) {
      if (stryMutAct_9fa48("1131")) {
        {}
      } else {
        stryCov_9fa48("1131");
        return stryMutAct_9fa48("1132") ? `` : (stryCov_9fa48("1132"), `"${text}" is not a full Istio release; write MAJOR.MINOR.PATCH, e.g. "1.30.3"`);
      }
    }
    if (stryMutAct_9fa48("1135") ? (v.major !== 1 || v.minor < OLDEST_SUPPORTED_MINOR) && v.minor > NEWEST_SUPPORTED_MINOR : stryMutAct_9fa48("1134") ? false : stryMutAct_9fa48("1133") ? true : (stryCov_9fa48("1133", "1134", "1135"), (stryMutAct_9fa48("1137") ? v.major !== 1 && v.minor < OLDEST_SUPPORTED_MINOR : stryMutAct_9fa48("1136") ? false : (stryCov_9fa48("1136", "1137"), (stryMutAct_9fa48("1139") ? v.major === 1 : stryMutAct_9fa48("1138") ? false : (stryCov_9fa48("1138", "1139"), v.major !== 1)) || (stryMutAct_9fa48("1142") ? v.minor >= OLDEST_SUPPORTED_MINOR : stryMutAct_9fa48("1141") ? v.minor <= OLDEST_SUPPORTED_MINOR : stryMutAct_9fa48("1140") ? false : (stryCov_9fa48("1140", "1141", "1142"), v.minor < OLDEST_SUPPORTED_MINOR)))) || (stryMutAct_9fa48("1145") ? v.minor <= NEWEST_SUPPORTED_MINOR : stryMutAct_9fa48("1144") ? v.minor >= NEWEST_SUPPORTED_MINOR : stryMutAct_9fa48("1143") ? false : (stryCov_9fa48("1143", "1144", "1145"), v.minor > NEWEST_SUPPORTED_MINOR)))) {
      if (stryMutAct_9fa48("1146")) {
        {}
      } else {
        stryCov_9fa48("1146");
        return stryMutAct_9fa48("1147") ? `` : (stryCov_9fa48("1147"), `Istio ${text} is not supported; use a 1.${OLDEST_SUPPORTED_MINOR}.x to 1.${NEWEST_SUPPORTED_MINOR}.x release`);
      }
    }
    return undefined;
  }
}
export function compareVersions(a: IstioVersion, b: IstioVersion): number {
  if (stryMutAct_9fa48("1148")) {
    {}
  } else {
    stryCov_9fa48("1148");
    return stryMutAct_9fa48("1151") ? (a.major - b.major || a.minor - b.minor) && a.patch - b.patch : stryMutAct_9fa48("1150") ? false : stryMutAct_9fa48("1149") ? true : (stryCov_9fa48("1149", "1150", "1151"), (stryMutAct_9fa48("1153") ? a.major - b.major && a.minor - b.minor : stryMutAct_9fa48("1152") ? false : (stryCov_9fa48("1152", "1153"), (stryMutAct_9fa48("1154") ? a.major + b.major : (stryCov_9fa48("1154"), a.major - b.major)) || (stryMutAct_9fa48("1155") ? a.minor + b.minor : (stryCov_9fa48("1155"), a.minor - b.minor)))) || (stryMutAct_9fa48("1156") ? a.patch + b.patch : (stryCov_9fa48("1156"), a.patch - b.patch)));
  }
}

/** Minor releases from a to b (negative when b is older). Only 1.x exists, so minors suffice. */
export function minorDistance(from: IstioVersion, to: IstioVersion): number {
  if (stryMutAct_9fa48("1157")) {
    {}
  } else {
    stryCov_9fa48("1157");
    return stryMutAct_9fa48("1158") ? (to.major - from.major) * 1000 - (to.minor - from.minor) : (stryCov_9fa48("1158"), (stryMutAct_9fa48("1159") ? (to.major - from.major) / 1000 : (stryCov_9fa48("1159"), (stryMutAct_9fa48("1160") ? to.major + from.major : (stryCov_9fa48("1160"), to.major - from.major)) * 1000)) + (stryMutAct_9fa48("1161") ? to.minor + from.minor : (stryCov_9fa48("1161"), to.minor - from.minor)));
  }
}
export function newestVersion(versions: readonly IstioVersion[]): IstioVersion | undefined {
  if (stryMutAct_9fa48("1162")) {
    {}
  } else {
    stryCov_9fa48("1162");
    return versions.reduce<IstioVersion | undefined>(stryMutAct_9fa48("1163") ? () => undefined : (stryCov_9fa48("1163"), (best, v) => (stryMutAct_9fa48("1166") ? best === undefined && compareVersions(v, best) > 0 : stryMutAct_9fa48("1165") ? false : stryMutAct_9fa48("1164") ? true : (stryCov_9fa48("1164", "1165", "1166"), (stryMutAct_9fa48("1168") ? best !== undefined : stryMutAct_9fa48("1167") ? false : (stryCov_9fa48("1167", "1168"), best === undefined)) || (stryMutAct_9fa48("1171") ? compareVersions(v, best) <= 0 : stryMutAct_9fa48("1170") ? compareVersions(v, best) >= 0 : stryMutAct_9fa48("1169") ? false : (stryCov_9fa48("1169", "1170", "1171"), compareVersions(v, best) > 0)))) ? v : best), undefined);
  }
}

/** True when `v` is at least major.minor.patch. */
export function atLeast(v: IstioVersion, minor: number, patch = 0): boolean {
  if (stryMutAct_9fa48("1172")) {
    {}
  } else {
    stryCov_9fa48("1172");
    return stryMutAct_9fa48("1175") ? (v.major > 1 || v.minor > minor) && v.minor === minor && v.patch >= patch : stryMutAct_9fa48("1174") ? false : stryMutAct_9fa48("1173") ? true : (stryCov_9fa48("1173", "1174", "1175"), (stryMutAct_9fa48("1177") ? v.major > 1 && v.minor > minor : stryMutAct_9fa48("1176") ? false : (stryCov_9fa48("1176", "1177"), (stryMutAct_9fa48("1180") ? v.major <= 1 : stryMutAct_9fa48("1179") ? v.major >= 1 : stryMutAct_9fa48("1178") ? false : (stryCov_9fa48("1178", "1179", "1180"), v.major > 1)) || (stryMutAct_9fa48("1183") ? v.minor <= minor : stryMutAct_9fa48("1182") ? v.minor >= minor : stryMutAct_9fa48("1181") ? false : (stryCov_9fa48("1181", "1182", "1183"), v.minor > minor)))) || (stryMutAct_9fa48("1185") ? v.minor === minor || v.patch >= patch : stryMutAct_9fa48("1184") ? false : (stryCov_9fa48("1184", "1185"), (stryMutAct_9fa48("1187") ? v.minor !== minor : stryMutAct_9fa48("1186") ? true : (stryCov_9fa48("1186", "1187"), v.minor === minor)) && (stryMutAct_9fa48("1190") ? v.patch < patch : stryMutAct_9fa48("1189") ? v.patch > patch : stryMutAct_9fa48("1188") ? true : (stryCov_9fa48("1188", "1189", "1190"), v.patch >= patch)))));
  }
}

/**
 * The revision name derived from a version when the config gives none: the full version
 * with dots turned into dashes ("1.30.3" -> "1-30-3"), because revision names are DNS labels.
 */
export function revisionNameFor(version: string): string {
  if (stryMutAct_9fa48("1191")) {
    {}
  } else {
    stryCov_9fa48("1191");
    return version.replace(/\./g, stryMutAct_9fa48("1192") ? "" : (stryCov_9fa48("1192"), "-"));
  }
}

/** DNS label (RFC 1123): what Kubernetes accepts in the names and labels a revision feeds. */
export const DNS_LABEL_RE = stryMutAct_9fa48("1199") ? /^[a-z0-9]([-a-z0-9]*[^a-z0-9])?$/ : stryMutAct_9fa48("1198") ? /^[a-z0-9]([^-a-z0-9]*[a-z0-9])?$/ : stryMutAct_9fa48("1197") ? /^[a-z0-9]([-a-z0-9][a-z0-9])?$/ : stryMutAct_9fa48("1196") ? /^[a-z0-9]([-a-z0-9]*[a-z0-9])$/ : stryMutAct_9fa48("1195") ? /^[^a-z0-9]([-a-z0-9]*[a-z0-9])?$/ : stryMutAct_9fa48("1194") ? /^[a-z0-9]([-a-z0-9]*[a-z0-9])?/ : stryMutAct_9fa48("1193") ? /[a-z0-9]([-a-z0-9]*[a-z0-9])?$/ : (stryCov_9fa48("1193", "1194", "1195", "1196", "1197", "1198", "1199"), /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
export const DNS_LABEL_MAX = 63;
export function dnsLabelProblem(name: string): string | undefined {
  if (stryMutAct_9fa48("1200")) {
    {}
  } else {
    stryCov_9fa48("1200");
    if (stryMutAct_9fa48("1204") ? name.length <= DNS_LABEL_MAX : stryMutAct_9fa48("1203") ? name.length >= DNS_LABEL_MAX : stryMutAct_9fa48("1202") ? false : stryMutAct_9fa48("1201") ? true : (stryCov_9fa48("1201", "1202", "1203", "1204"), name.length > DNS_LABEL_MAX)) {
      if (stryMutAct_9fa48("1205")) {
        {}
      } else {
        stryCov_9fa48("1205");
        return stryMutAct_9fa48("1206") ? `` : (stryCov_9fa48("1206"), `"${name}" is longer than ${DNS_LABEL_MAX} characters`);
      }
    }
    if (stryMutAct_9fa48("1209") ? false : stryMutAct_9fa48("1208") ? true : stryMutAct_9fa48("1207") ? DNS_LABEL_RE.test(name) : (stryCov_9fa48("1207", "1208", "1209"), !DNS_LABEL_RE.test(name))) {
      if (stryMutAct_9fa48("1210")) {
        {}
      } else {
        stryCov_9fa48("1210");
        return stryMutAct_9fa48("1211") ? `` : (stryCov_9fa48("1211"), `"${name}" is not a DNS label: use lower-case letters, digits and '-', starting and ending with a letter or digit (a '.' is never valid: write 1-30-3, not 1.30.3)`);
      }
    }
    return undefined;
  }
}

/** "1.31" or "1.31.2" or "v1.31.2" -> minor 31; undefined when malformed. */
export function parseKubernetesMinor(text: string): number | undefined {
  if (stryMutAct_9fa48("1212")) {
    {}
  } else {
    stryCov_9fa48("1212");
    const m = (stryMutAct_9fa48("1220") ? /^v?1\.(\d+)(\.\D+)?$/ : stryMutAct_9fa48("1219") ? /^v?1\.(\d+)(\.\d)?$/ : stryMutAct_9fa48("1218") ? /^v?1\.(\d+)(\.\d+)$/ : stryMutAct_9fa48("1217") ? /^v?1\.(\D+)(\.\d+)?$/ : stryMutAct_9fa48("1216") ? /^v?1\.(\d)(\.\d+)?$/ : stryMutAct_9fa48("1215") ? /^v1\.(\d+)(\.\d+)?$/ : stryMutAct_9fa48("1214") ? /^v?1\.(\d+)(\.\d+)?/ : stryMutAct_9fa48("1213") ? /v?1\.(\d+)(\.\d+)?$/ : (stryCov_9fa48("1213", "1214", "1215", "1216", "1217", "1218", "1219", "1220"), /^v?1\.(\d+)(\.\d+)?$/)).exec(text);
    return m ? Number(m[1]) : undefined;
  }
}

/** Why Istio `v` cannot run on Kubernetes 1.`k8sMinor`, or undefined when it can. */
export function kubernetesProblem(v: IstioVersion, k8sMinor: number): string | undefined {
  if (stryMutAct_9fa48("1221")) {
    {}
  } else {
    stryCov_9fa48("1221");
    const range = KUBERNETES_RANGES[v.minor];
    if (stryMutAct_9fa48("1224") ? false : stryMutAct_9fa48("1223") ? true : stryMutAct_9fa48("1222") ? range : (stryCov_9fa48("1222", "1223", "1224"), !range)) {
      if (stryMutAct_9fa48("1225")) {
        {}
      } else {
        stryCov_9fa48("1225");
        return undefined;
      }
    }
    const [lo, hi] = range;
    if (stryMutAct_9fa48("1228") ? k8sMinor < lo && k8sMinor > hi : stryMutAct_9fa48("1227") ? false : stryMutAct_9fa48("1226") ? true : (stryCov_9fa48("1226", "1227", "1228"), (stryMutAct_9fa48("1231") ? k8sMinor >= lo : stryMutAct_9fa48("1230") ? k8sMinor <= lo : stryMutAct_9fa48("1229") ? false : (stryCov_9fa48("1229", "1230", "1231"), k8sMinor < lo)) || (stryMutAct_9fa48("1234") ? k8sMinor <= hi : stryMutAct_9fa48("1233") ? k8sMinor >= hi : stryMutAct_9fa48("1232") ? false : (stryCov_9fa48("1232", "1233", "1234"), k8sMinor > hi)))) {
      if (stryMutAct_9fa48("1235")) {
        {}
      } else {
        stryCov_9fa48("1235");
        return stryMutAct_9fa48("1236") ? `` : (stryCov_9fa48("1236"), `Istio ${v.text} supports Kubernetes 1.${lo} to 1.${hi}, not 1.${k8sMinor}`);
      }
    }
    return undefined;
  }
}