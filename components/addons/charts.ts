/**
 * The upstream chart of each add-on, pinned. A bump is a code change that also refreshes the
 * recorded chart keys in tests/addons/fixtures (the tests check every value set against them).
 */
export type AddonName = "prometheus" | "grafana" | "kiali" | "jaeger";

export const ADDON_CHARTS: Readonly<Record<AddonName, { readonly repository: string; readonly chart: string; readonly version: string }>> = {
    prometheus: { repository: "https://prometheus-community.github.io/helm-charts", chart: "prometheus", version: "29.27.0" },
    grafana: { repository: "https://grafana.github.io/helm-charts", chart: "grafana", version: "10.5.15" },
    kiali: { repository: "https://kiali.org/helm-charts", chart: "kiali-server", version: "2.29.0" },
    // Jaeger v2 (2.19.0): built on the OpenTelemetry Collector, OTLP in and the UI in one pod.
    jaeger: { repository: "https://jaegertracing.github.io/helm-charts", chart: "jaeger", version: "4.11.1" },
};
