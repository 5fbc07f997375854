/**
 * The add-ons built alone (tests/support/components.ts): Prometheus first, each release after
 * the ones it reads from, the Telemetry after every release; and the config checks of
 * mesh.addons, each row one rule. The whole-program versions are in addons.test.ts.
 */
import { expect } from "chai";
import { Addons } from "../../components/addons/addons";
import { ADDON_CHARTS } from "../../components/addons/charts";
import { ADDON_DEFAULTS, AddonsConfig, ISTIO_DASHBOARDS } from "../../components/addons/config";
import { TELEMETRY_NAME } from "../../components/addons/telemetry";
import { buildAlone } from "../support/components";
import { meshIssues, parseMesh } from "../support/fixtures";

const MESH = { revisions: [{ version: "1.29.6" }] };
const RELEASE = "kubernetes:helm.sh/v3:Release";
const TELEMETRY = "kubernetes:telemetry.istio.io/v1:Telemetry";
const addonsOf = (addons: Record<string, unknown>): AddonsConfig => parseMesh({ ...MESH, addons }).addons!;
/** The config issues of the mesh with these add-ons, as "path: message" lines (tests/support/fixtures). */
const issuesOf = (addons: Record<string, unknown>): string[] => meshIssues({ ...MESH, addons });

describe("addons: the component alone", () => {
    const cases: { name: string; addons: Record<string, unknown>; deps: Record<string, string[]> }[] = [
        {
            name: "all four (listed out of order)",
            addons: { kiali: {}, grafana: {}, jaeger: { samplingPercentage: 5 }, prometheus: {} },
            deps: {
                "addons-prometheus": [],
                "addons-jaeger": [],
                "addons-grafana": ["addons-prometheus", "addons-jaeger"],
                "addons-kiali": ["addons-prometheus", "addons-jaeger", "addons-grafana"],
                "addons-telemetry": ["addons-prometheus", "addons-jaeger", "addons-grafana", "addons-kiali"],
            },
        },
        { name: "Prometheus and Grafana", addons: { grafana: {}, prometheus: {} }, deps: { "addons-prometheus": [], "addons-grafana": ["addons-prometheus"] } },
        { name: "Jaeger alone", addons: { jaeger: {} }, deps: { "addons-jaeger": [], "addons-telemetry": ["addons-jaeger"] } },
        { name: "Prometheus and Jaeger: neither waits for the other", addons: { jaeger: {}, prometheus: {} }, deps: { "addons-prometheus": [], "addons-jaeger": [], "addons-telemetry": ["addons-prometheus", "addons-jaeger"] } },
    ];
    for (const c of cases) {
        it(`${c.name}: registered Prometheus first, each after what it reads from, the Telemetry last after every release`, async () => {
            const { registered } = await buildAlone(() => new Addons("addons", { addons: addonsOf(c.addons), meshNamespace: "istio-system" }));
            const ours = registered.filter((r) => r.name !== "addons");
            expect(Object.fromEntries(ours.map((r) => [r.name, r.dependsOn]))).to.deep.equal(c.deps);
            expect(ours.map((r) => r.name), "registration order").to.deep.equal(Object.keys(c.deps));
        });
    }

    it("each release: the pinned chart in its namespace, skipAwait passed on; the Telemetry in the mesh's root namespace", async () => {
        const { registered, built } = await buildAlone(() => new Addons("addons", { addons: addonsOf({ prometheus: { namespace: "metrics" }, jaeger: { samplingPercentage: 5 } }), meshNamespace: "mesh-root", skipAwait: true }));
        const prom = registered.find((r) => r.name === "addons-prometheus")!;
        expect(prom.type).to.equal(RELEASE);
        expect(prom.inputs).to.deep.include({ name: "prometheus", namespace: "metrics", chart: "prometheus", version: ADDON_CHARTS.prometheus.version, skipAwait: true });
        expect(prom.inputs.repositoryOpts).to.deep.equal({ repo: ADDON_CHARTS.prometheus.repository });
        const tel = registered.find((r) => r.name === "addons-telemetry")!;
        expect(tel.type).to.equal(TELEMETRY);
        expect((tel.inputs as any).metadata).to.deep.include({ name: TELEMETRY_NAME, namespace: "mesh-root" });
        expect((tel.inputs as any).spec.tracing[0].randomSamplingPercentage).to.equal(5);
        expect(built.access).to.deep.equal({
            prometheus: { namespace: "metrics", service: "prometheus-server", port: 80, portForward: "kubectl -n metrics port-forward svc/prometheus-server 9090:80", chart: `prometheus ${ADDON_CHARTS.prometheus.version}` },
            jaeger: built.access.jaeger,
        });
        expect(built.access.jaeger.chart).to.equal(`jaeger ${ADDON_CHARTS.jaeger.version}`);
    });

    it("skipAwait defaults to false; no Telemetry without Jaeger", async () => {
        const { registered } = await buildAlone(() => new Addons("addons", { addons: addonsOf({ prometheus: {} }), meshNamespace: "istio-system" }));
        expect(registered.map((r) => r.name)).to.deep.equal(["addons", "addons-prometheus"]);
        expect(registered[1].inputs.skipAwait).to.equal(false);
    });
});

describe("addons: config rules", () => {
    it("defaults: the shared namespace, the pinned repository, Prometheus's retention and interval, Istio's dashboards, token auth, 1 % sampling", () => {
        const a = addonsOf({ prometheus: {}, grafana: {}, kiali: {}, jaeger: {} });
        expect(a.prometheus).to.deep.equal({ namespace: ADDON_DEFAULTS.namespace, chartRepository: ADDON_CHARTS.prometheus.repository, values: {}, retention: "7d", scrapeInterval: "15s" });
        expect(a.grafana!.dashboards).to.deep.equal(ISTIO_DASHBOARDS);
        expect(a.kiali!.auth).to.equal("token");
        expect(a.jaeger!.samplingPercentage).to.equal(1);
        const b = addonsOf({ namespace: "obs", prometheus: { retention: "30d", scrapeInterval: "1m", values: { a: 1 } }, grafana: { namespace: "dash", dashboards: { mine: { gnetId: 1 } } }, kiali: { auth: "anonymous" }, jaeger: { samplingPercentage: 0 } });
        expect(b.prometheus).to.deep.include({ namespace: "obs", retention: "30d", scrapeInterval: "1m", values: { a: 1 } });
        expect(b.grafana!.namespace).to.equal("dash");
        expect(b.grafana!.dashboards).to.deep.equal({ ...ISTIO_DASHBOARDS, mine: { gnetId: 1 } });
        expect(b.kiali!.auth).to.equal("anonymous");
        expect(b.jaeger!.samplingPercentage).to.equal(0);
        expect(addonsOf({ prometheus: {}, grafana: { enabled: false }, jaeger: { enabled: true } })).to.have.all.keys("prometheus", "jaeger");
    });

    const rows: { what: string; addons: Record<string, unknown>; issues: string[] }[] = [
        { what: "a bad shared namespace", addons: { namespace: "Obs", prometheus: {} }, issues: [`istio-mesh:mesh.addons.namespace: "Obs" is not a DNS label`] },
        { what: "a bad own namespace", addons: { prometheus: { namespace: "a.b" } }, issues: [`istio-mesh:mesh.addons.prometheus.namespace: "a.b" is not a DNS label`] },
        { what: "a disabled add-on's namespace is not checked", addons: { prometheus: {}, kiali: { enabled: false, namespace: "A" } }, issues: [] },
        { what: "Grafana without Prometheus", addons: { grafana: {} }, issues: ["istio-mesh:mesh.addons.grafana: grafana reads its metrics from the Prometheus add-on; add addons.prometheus (or remove grafana)"] },
        { what: "Kiali with Prometheus disabled", addons: { prometheus: { enabled: false }, kiali: {} }, issues: ["istio-mesh:mesh.addons.kiali: kiali reads its metrics from the Prometheus add-on"] },
        { what: "sampling above 100", addons: { jaeger: { samplingPercentage: 100.5 } }, issues: ["istio-mesh:mesh.addons.jaeger.samplingPercentage: 100.5 is outside 0-100"] },
        { what: "sampling below 0", addons: { jaeger: { samplingPercentage: -1 } }, issues: ["istio-mesh:mesh.addons.jaeger.samplingPercentage: -1 is outside 0-100"] },
        { what: "sampling 0 and 100 are fine", addons: { jaeger: { samplingPercentage: 100 } }, issues: [] },
        { what: "sampling of a disabled Jaeger is not checked", addons: { prometheus: {}, jaeger: { enabled: false, samplingPercentage: 500 } }, issues: [] },
        { what: "a dashboard name that is not a DNS label", addons: { prometheus: {}, grafana: { dashboards: { My_Board: { gnetId: 1 } } } }, issues: [`istio-mesh:mesh.addons.grafana.dashboards.My_Board: "My_Board" is not a DNS label`] },
        { what: "a retention Prometheus refuses", addons: { prometheus: { retention: "7 days" } }, issues: ['istio-mesh:mesh.addons.prometheus.retention: "7 days" is not a Prometheus duration; write e.g. 15s, 5m, 15d or 1h30m'] },
        { what: "a scrape interval Prometheus refuses", addons: { prometheus: { scrapeInterval: "15" } }, issues: ['istio-mesh:mesh.addons.prometheus.scrapeInterval: "15" is not a Prometheus duration'] },
        { what: "durations of every unit, combined", addons: { prometheus: { retention: "1y2w3d4h5m6s7ms", scrapeInterval: "500ms" } }, issues: [] },
        { what: "a disabled Prometheus's durations are not checked", addons: { prometheus: { enabled: false, retention: "x" } }, issues: [] },
    ];
    for (const r of rows) {
        it(r.what, () => {
            const got = issuesOf(r.addons);
            expect(got, got.join("\n")).to.have.length(r.issues.length);
            r.issues.forEach((want, i) => expect(got[i]).to.include(want));
        });
    }
});
