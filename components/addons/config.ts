/**
 * `mesh.addons`: the observability add-ons (Prometheus, Grafana, Kiali, Jaeger), each optional,
 * each an upstream Helm chart at a pinned version from an overridable repository, in a namespace
 * of its choice. Schema, normalized shape and checks. Pure.
 */
import { z } from "zod";
import { dnsLabelProblem } from "../versions/version";
import { chartRepositorySchema } from "../config/chartRepository";
import { ADDON_CHARTS, AddonName } from "./charts";

const repository = chartRepositorySchema.optional();
const common = {
    enabled: z.boolean().optional(),
    namespace: z.string().optional(),
    chartRepository: repository,
    /** Raw chart values merged last (escape hatch; checked against the chart's keys only in tests). */
    values: z.record(z.string(), z.unknown()).optional(),
};
export const addonsSchema = z.strictObject({
    namespace: z.string().optional(),
    prometheus: z.strictObject({ ...common, retention: z.string().optional(), scrapeInterval: z.string().optional() }).optional(),
    grafana: z.strictObject({ ...common, dashboards: z.record(z.string(), z.strictObject({ gnetId: z.number().int().min(1), revision: z.number().int().min(1).optional() })).optional() }).optional(),
    kiali: z.strictObject({ ...common, auth: z.enum(["token", "anonymous"]).optional() }).optional(),
    jaeger: z.strictObject({ ...common, samplingPercentage: z.number().optional() }).optional(),
});
export type RawAddons = z.infer<typeof addonsSchema>;

interface AddonBase {
    readonly namespace: string;
    readonly chartRepository: string;
    readonly values: Readonly<Record<string, unknown>>;
}
export interface AddonsConfig {
    readonly prometheus?: AddonBase & { readonly retention: string; readonly scrapeInterval: string };
    readonly grafana?: AddonBase & { readonly dashboards: Readonly<Record<string, { readonly gnetId: number; readonly revision?: number }>> };
    readonly kiali?: AddonBase & { readonly auth: "token" | "anonymous" };
    readonly jaeger?: AddonBase & { readonly samplingPercentage: number };
}

/** Istio's dashboards on grafana.com (no revision: the latest published one). */
export const ISTIO_DASHBOARDS: Readonly<Record<string, { gnetId: number }>> = {
    "istio-mesh": { gnetId: 7639 },
    "istio-service": { gnetId: 7636 },
    "istio-workload": { gnetId: 7630 },
    "istio-control-plane": { gnetId: 7645 },
    "istio-performance": { gnetId: 11829 },
    "istio-wasm-extension": { gnetId: 13277 },
};

export const ADDON_DEFAULTS = {
    namespace: "istio-observability",
    retention: "7d",
    // Istio's dashboards assume 15 s (their rate() windows); the chart's default is 1m.
    scrapeInterval: "15s",
    kialiAuth: "token",
    // Istio's own default sampling when tracing is on (meshConfig defaultConfig.tracing.sampling).
    samplingPercentage: 1,
} as const;

export function normalizeAddons(raw: RawAddons, at: (...path: PropertyKey[]) => string, issues: { path: string; message: string }[]): AddonsConfig {
    const base = (name: AddonName, r: { enabled?: boolean; namespace?: string; chartRepository?: string; values?: Record<string, unknown> } | undefined): AddonBase | undefined => {
        if (r === undefined || r.enabled === false) {
            return undefined;
        }
        const namespace = r.namespace ?? raw.namespace ?? ADDON_DEFAULTS.namespace;
        const p = r.namespace === undefined ? undefined : dnsLabelProblem(r.namespace);
        if (p) {
            issues.push({ path: at("addons", name, "namespace"), message: p });
        }
        return { namespace, chartRepository: r.chartRepository ?? ADDON_CHARTS[name].repository, values: r.values ?? {} };
    };
    const shared = raw.namespace === undefined ? undefined : dnsLabelProblem(raw.namespace);
    if (shared) {
        issues.push({ path: at("addons", "namespace"), message: shared });
    }
    const prometheus = base("prometheus", raw.prometheus);
    const grafana = base("grafana", raw.grafana);
    const kiali = base("kiali", raw.kiali);
    const jaeger = base("jaeger", raw.jaeger);
    for (const [name, a] of [["grafana", grafana], ["kiali", kiali]] as const) {
        if (a !== undefined && prometheus === undefined) {
            issues.push({ path: at("addons", name), message: `${name} reads its metrics from the Prometheus add-on; add addons.prometheus (or remove ${name})` });
        }
    }
    // Prometheus's own duration format (model.ParseDuration): a flag it refuses would only fail at start-up on the cluster.
    for (const key of ["retention", "scrapeInterval"] as const) {
        const v = raw.prometheus?.[key];
        if (prometheus !== undefined && v !== undefined && !/^(\d+(y|w|d|h|m|s|ms))+$/.test(v)) {
            issues.push({ path: at("addons", "prometheus", key), message: `"${v}" is not a Prometheus duration; write e.g. 15s, 5m, 15d or 1h30m` });
        }
    }
    const sampling = raw.jaeger?.samplingPercentage ?? ADDON_DEFAULTS.samplingPercentage;
    if (jaeger !== undefined && !(sampling >= 0 && sampling <= 100)) {
        issues.push({ path: at("addons", "jaeger", "samplingPercentage"), message: `${sampling} is outside 0-100; the percentage of requests traced (1 = Istio's default)` });
    }
    for (const name of Object.keys(raw.grafana?.dashboards ?? {})) {
        const p = dnsLabelProblem(name);
        if (p) {
            issues.push({ path: at("addons", "grafana", "dashboards", name), message: `${p} (it names the dashboard's file)` });
        }
    }
    return {
        ...(prometheus ? { prometheus: { ...prometheus, retention: raw.prometheus?.retention ?? ADDON_DEFAULTS.retention, scrapeInterval: raw.prometheus?.scrapeInterval ?? ADDON_DEFAULTS.scrapeInterval } } : {}),
        ...(grafana ? { grafana: { ...grafana, dashboards: { ...ISTIO_DASHBOARDS, ...(raw.grafana?.dashboards ?? {}) } } } : {}),
        ...(kiali ? { kiali: { ...kiali, auth: raw.kiali?.auth ?? ADDON_DEFAULTS.kialiAuth } } : {}),
        ...(jaeger ? { jaeger: { ...jaeger, samplingPercentage: sampling } } : {}),
    };
}
