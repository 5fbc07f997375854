/**
 * Helm values for ambient mode, per Istio version: the ztunnel chart, and the `profile: ambient`
 * that the istiod and istio-cni charts take. Pure; keys checked by tests/ambient against the
 * ztunnel chart's recorded values.yaml keys (tests/fixtures/ambient/ztunnel-<version>.keys.json)
 * and the istiod/cni fixtures under tests/fixtures/istio.
 *
 * Why each key (FACTS.md, "ztunnel chart"):
 *  - `hub`/`tag`: the chart defaults to a test registry and `latest`; pin both to the release.
 *  - `revision`: ztunnel's XDS and CA address is istiod-<revision>.<istioNamespace>.svc:15012;
 *    it must be a revision name (a tag has no such Service).
 *  - `istioNamespace`: where that Service is.
 *  - `resourceName` (1.25+): 1.25 names every object after the Helm release unless it is set,
 *    and istiod trusts only ServiceAccount `ztunnel`; setting it keeps the name fixed whatever
 *    the release is called and across 1.25 -> 1.26, which went back to a fixed name.
 */
import type { JsonMap } from "../config/model";
import { deepMerge } from "../helm/values";
import { AMBIENT_GA_MINOR, ZTUNNEL_KEYS_SINCE, ZTUNNEL_NAME } from "./facts";
import { minorOf } from "./rule";

/** ztunnel's log levels (values.yaml: trace, debug, info, warn, error). */
export const ZTUNNEL_LOG_LEVELS = ["trace", "debug", "info", "warn", "error"] as const;

export interface ZtunnelArgs {
    /** Istio release of the chart and image, e.g. "1.30.3" (1.24 or later). */
    readonly version: string;
    /** Image registry, e.g. "docker.io/istio". */
    readonly hub: string;
    /** Revision name ztunnel connects to (istiod-<revision>); never a tag. */
    readonly revision: string;
    /** Control-plane namespace. @default "istio-system" (the chart's default) */
    readonly istioNamespace?: string;
    /** @default the chart's ("info") */
    readonly logLevel?: (typeof ZTUNNEL_LOG_LEVELS)[number];
    /** Seconds a ztunnel pod drains (minus one) before it is killed. @default the chart's (30) */
    readonly terminationGracePeriodSeconds?: number;
    /** Raw chart values merged last (escape hatch; not checked against the chart). @default {} */
    readonly values?: JsonMap;
}

/** True when the ztunnel chart of Istio 1.`minor` has value `key` (per ZTUNNEL_KEYS_SINCE). */
export function ztunnelHasKey(minor: number, key: string): boolean {
    return Object.hasOwn(ZTUNNEL_KEYS_SINCE, key) && minor >= ZTUNNEL_KEYS_SINCE[key];
}

export function ztunnelValues(a: ZtunnelArgs): JsonMap {
    const minor = minorOf(a.version);
    if (minor < AMBIENT_GA_MINOR) {
        throw new Error(`internal: ztunnel ${a.version} requested; ambient is installed from 1.${AMBIENT_GA_MINOR} (the rules refuse older versions first)`);
    }
    if (a.revision === "") {
        throw new Error("internal: ztunnel needs a revision name (its XDS address is istiod-<revision>)");
    }
    const values: JsonMap = {
        hub: a.hub,
        tag: a.version,
        revision: a.revision,
        ...(a.istioNamespace === undefined ? {} : { istioNamespace: a.istioNamespace }),
        ...(ztunnelHasKey(minor, "resourceName") ? { resourceName: ZTUNNEL_NAME } : {}),
        ...(a.logLevel === undefined ? {} : { logLevel: a.logLevel }),
        ...(a.terminationGracePeriodSeconds === undefined ? {} : { terminationGracePeriodSeconds: a.terminationGracePeriodSeconds }),
    };
    return deepMerge(values, { ...(a.values ?? {}) });
}

/**
 * What the istiod and istio-cni releases add in ambient mode: the chart profile `ambient`
 * (istiod: PILOT_ENABLE_AMBIENT and HBONE for sidecars; istio-cni: `ambient.enabled`, which
 * 1.24+ reads after copying `cni.*` to the top level). Merged over each chart's other values.
 */
export function ambientProfileValues(version: string): JsonMap {
    const minor = minorOf(version);
    if (minor < AMBIENT_GA_MINOR) {
        throw new Error(`internal: ambient profile for ${version} requested; ambient is installed from 1.${AMBIENT_GA_MINOR}`);
    }
    return { profile: "ambient" };
}
