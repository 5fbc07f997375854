/**
 * The adoption checked against the program itself: the generated stack config goes through the
 * program's own parser (parseStackConfig) and value functions (helm/values.ts), and every
 * release's values are compared with what it renders with today. A difference is a finding
 * ("the first up changes ..."), never silent. Pure.
 */
import { ConfigError } from "../config/errors";
import { defaultRevisionOf, JsonMap, MeshConfig } from "../config/model";
import { parseStackConfig } from "../config/stackConfig";
import { effectiveRevision } from "../dataplane/effective";
import { baseValues, gatewayValues, istiodValues } from "../helm/values";
import { baseVersionFor, stateOf } from "../state/deployed";
import { entryOf, LiveMesh, splitChart } from "./live";
import { Adoption, Finding } from "./mapping";
import { defaultsFor, getPath, isMap, Path, valueChanges } from "./values";

const show = (v: unknown): string => (v === undefined ? "(unset)" : JSON.stringify(v));

/** The stack file's `config:` map for an adoption. */
export function stackConfigOf(adoption: Adoption, cluster: { context?: string; kubeconfig?: string }): Record<string, unknown> {
    const c: JsonMap = {};
    if (cluster.context !== undefined) c.context = cluster.context;
    if (cluster.kubeconfig !== undefined) c.kubeconfig = cluster.kubeconfig;
    return { ...(Object.keys(c).length > 0 ? { "istio-mesh:cluster": c } : {}), "istio-mesh:mesh": adoption.mesh };
}

/**
 * Parses the generated config as `pulumi up` will and adds a finding per release value the first
 * up would render differently. Returns the parsed config (undefined when it does not parse:
 * a blocker, since the stack file would be refused).
 */
export function verifyAdoption(live: LiveMesh, adoption: Adoption, extraConfig: Record<string, unknown> = {}): { config?: MeshConfig; findings: Finding[] } {
    if (adoption.mesh === undefined) {
        return { findings: [] };
    }
    let config: MeshConfig;
    try {
        config = parseStackConfig({ ...extraConfig, "istio-mesh:mesh": adoption.mesh });
    } catch (e) {
        const issues = e instanceof ConfigError ? e.issues.map((i) => `${i.path}: ${i.message}`).join("; ") : String(e);
        return { findings: [{ kind: "blocker", subject: "stack config", message: `the generated config is refused by the program: ${issues}`, fix: "report this as a bug of `npm run adopt`, with the adopt report" }] };
    }
    const findings: Finding[] = [];
    const liveValues = (id: string): JsonMap => {
        const v = entryOf(live.values, id);
        return isMap(v) ? v : {};
    };
    const chartOf = (id: string) => splitChart(live.releases.find((r) => `${r.namespace}/${r.name}` === id)?.chart ?? "");
    const compare = (id: string, chart: "base" | "istiod" | "gateway", version: string, next: JsonMap, inert?: (p: Path) => boolean) => {
        for (const c of valueChanges(liveValues(id), next, defaultsFor(entryOf(live.computed, id), chart, version), inert)) {
            // istiod flips the default validator to Fail once it serves; pinning it is no change to what runs.
            const benign = chart === "base" && c.path === "base.validationFailurePolicy" && c.next === "Fail";
            findings.push(
                benign
                    ? { kind: "note", subject: `release ${id}`, message: `sets ${c.path}=Fail: the release's istiod-default-validator manifest goes from the chart's Ignore to Fail; the live object does not change, istiod already switched it to Fail when it became ready` }
                    : { kind: "change", subject: `release ${id}`, message: `the first up changes value ${c.path}: ${show(c.live)} → ${show(c.next)}` },
            );
        }
    };
    const ns = config.namespace;
    const state = stateOf(config);
    const baseId = `${ns}/istio-base`;
    if (entryOf(live.values, baseId) !== undefined || live.releases.some((r) => `${r.namespace}/${r.name}` === baseId)) {
        const baseVersion = baseVersionFor(config);
        const next = baseValues(config, baseVersion, defaultRevisionOf(config));
        // Compared at the live chart version: a base upgrade is reported on its own.
        const liveVersion = chartOf(baseId).version || baseVersion;
        compare(baseId, "base", liveVersion, next);
    }
    for (const r of config.revisions) {
        compare(`${ns}/istiod-${r.name}`, "istiod", r.version, istiodValues(config, config.controlPlane, r));
    }
    for (const gw of config.gateways) {
        const effective = effectiveRevision(state, gw.revision);
        const version = effective?.split("@")[1] ?? "";
        const id = `${gw.namespace}/${gw.name}`;
        const liveVersion = chartOf(id).version;
        if (liveVersion !== "" && liveVersion !== version) {
            findings.push({ kind: "change", subject: `release ${id}`, message: `the first up moves the gateway chart from ${liveVersion} to ${version} (the version of the revision it follows)` });
        }
        const next = gatewayValues(gw, effective);
        // replicaCount is not rendered while the chart's HPA owns the replica count.
        const inert = (p: Path) => p.join(".") === "replicaCount" && getPath(next, ["autoscaling", "enabled"]) === true;
        compare(id, "gateway", liveVersion || version, next, inert);
    }
    return { config, findings };
}
