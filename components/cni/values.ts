/**
 * Helm values of the cni chart, and the istiod values that make injection rely on the CNI
 * agent, per Istio version (keys checked against shared/istio/<version>/{cni,istiod} by
 * tests/cni). Where the keys moved:
 *  - cni chart 1.22-1.23 nest everything under `cni.` (1.22 `cni.logLevel`, 1.23
 *    `cni.logging.level`); 1.24+ put them at the top level (`excludeNamespaces`, `logging.level`);
 *  - the istiod side (`pilot.cni.enabled` / `cni.enabled`) is in helm/values.ts istiodValues.
 */
import { JsonMap } from "../config/model";
import { deepMerge } from "../helm/values";
import { atLeast, mustParseVersion } from "../versions/version";
import { CniConfig } from "./config";

/** Release name of the chart (its DaemonSet is istio-cni-node). */
export const CNI_RELEASE = "istio-cni";
export const CNI_CHART = "cni";

export function cniValues(cni: CniConfig, version: string, hub: string): JsonMap {
    const v = mustParseVersion(version);
    const settings: JsonMap = {
        excludeNamespaces: [...cni.excludeNamespaces],
        ...(cni.logLevel === undefined ? {} : v.minor === 22 ? { logLevel: cni.logLevel } : { logging: { level: cni.logLevel } }),
    };
    const values: JsonMap = {
        // Published charts default to their own release; set both so the agent is exactly this version.
        global: { hub, tag: version },
        ...(atLeast(v, 24) ? settings : { cni: settings }),
    };
    return deepMerge(values, { ...cni.values });
}
