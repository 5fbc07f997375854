/**
 * Istio release versions: parsing, ordering and the per-minor facts the planner needs
 * (Kubernetes support ranges, which minors this program knows the chart values of).
 */

import { unreleasedProblem } from "./releases";

/** A full Istio release such as 1.30.3. */
export interface IstioVersion {
    readonly major: number;
    readonly minor: number;
    readonly patch: number;
    /** The version as written, e.g. "1.30.3". */
    readonly text: string;
}

const VERSION_RE = /^(\d+)\.(\d+)\.(\d+)$/;

/** Oldest and newest Istio minors (1.x) whose chart values this program emits. */
export const OLDEST_SUPPORTED_MINOR = 22;
export const NEWEST_SUPPORTED_MINOR = 30;

/**
 * Kubernetes minors each Istio minor supports (Istio's support matrix; 1.30 from its
 * release notes). A `kubernetesVersion` outside the range is a config error.
 */
export const KUBERNETES_RANGES: Readonly<Record<number, readonly [number, number]>> = {
    22: [27, 30],
    23: [27, 30],
    24: [28, 31],
    25: [29, 32],
    26: [29, 33],
    27: [29, 33],
    28: [30, 34],
    29: [31, 35],
    30: [32, 36],
};

/** Parses "1.30.3"; returns undefined for anything that is not a full release. */
export function parseVersion(text: string): IstioVersion | undefined {
    const m = VERSION_RE.exec(text);
    if (!m) {
        return undefined;
    }
    return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]), text };
}

/** Like parseVersion, for versions already validated by the config module. */
export function mustParseVersion(text: string): IstioVersion {
    const v = parseVersion(text);
    if (!v) {
        throw new Error(`internal: "${text}" is not a validated Istio version`);
    }
    return v;
}

/** Why a version is not usable, or undefined when it is. */
export function versionProblem(text: string): string | undefined {
    const v = parseVersion(text);
    if (!v) {
        return `"${text}" is not a full Istio release; write MAJOR.MINOR.PATCH, e.g. "1.30.3"`;
    }
    if (/(^|\.)0\d/.test(text)) {
        // Istio writes no leading zeros: "1.30.03" names no release (nor chart, nor image tag).
        return `"${text}" is not how Istio writes a release (no leading zeros); write ${v.major}.${v.minor}.${v.patch}`;
    }
    if (v.major !== 1 || v.minor < OLDEST_SUPPORTED_MINOR || v.minor > NEWEST_SUPPORTED_MINOR) {
        return `Istio ${text} is not supported; use a 1.${OLDEST_SUPPORTED_MINOR}.x to 1.${NEWEST_SUPPORTED_MINOR}.x release`;
    }
    return unreleasedProblem(text, v.minor, v.patch);
}

export function compareVersions(a: IstioVersion, b: IstioVersion): number {
    return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

/** Minor releases from a to b (negative when b is older). Only 1.x exists, so minors suffice. */
export function minorDistance(from: IstioVersion, to: IstioVersion): number {
    return (to.major - from.major) * 1000 + (to.minor - from.minor);
}

export function newestVersion(versions: readonly IstioVersion[]): IstioVersion | undefined {
    return versions.reduce<IstioVersion | undefined>(
        (best, v) => (best === undefined || compareVersions(v, best) > 0 ? v : best),
        undefined,
    );
}

/** True when `v` is at least major.minor.patch. */
export function atLeast(v: IstioVersion, minor: number, patch = 0): boolean {
    return v.major > 1 || v.minor > minor || (v.minor === minor && v.patch >= patch);
}

/**
 * The revision name derived from a version when the config gives none: the full version
 * with dots turned into dashes ("1.30.3" -> "1-30-3"), because revision names are DNS labels.
 */
export function revisionNameFor(version: string): string {
    return version.replace(/\./g, "-");
}

/** DNS label (RFC 1123): what Kubernetes accepts in the names and labels a revision feeds. */
export const DNS_LABEL_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
export const DNS_LABEL_MAX = 63;

export function dnsLabelProblem(name: string): string | undefined {
    if (name.length > DNS_LABEL_MAX) {
        return `"${name}" is longer than ${DNS_LABEL_MAX} characters`;
    }
    if (!DNS_LABEL_RE.test(name)) {
        return `"${name}" is not a DNS label: use lower-case letters, digits and '-', starting and ending with a letter or digit (a '.' is never valid: write 1-30-3, not 1.30.3)`;
    }
    return undefined;
}

/** "1.31" or "1.31.2" or "v1.31.2" -> minor 31; undefined when malformed. */
export function parseKubernetesMinor(text: string): number | undefined {
    const m = /^v?1\.(\d+)(\.\d+)?$/.exec(text);
    return m ? Number(m[1]) : undefined;
}

/** Why Istio `v` cannot run on Kubernetes 1.`k8sMinor`, or undefined when it can. */
export function kubernetesProblem(v: IstioVersion, k8sMinor: number): string | undefined {
    const range = KUBERNETES_RANGES[v.minor];
    if (!range) {
        return undefined;
    }
    const [lo, hi] = range;
    if (k8sMinor < lo || k8sMinor > hi) {
        return `Istio ${v.text} supports Kubernetes 1.${lo} to 1.${hi}, not 1.${k8sMinor}`;
    }
    return undefined;
}
