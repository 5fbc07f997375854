/**
 * mesh.addons: config and refusals, each add-on's values checked against its pinned chart's
 * recorded keys (and Prometheus's against the chart's own values.schema.json), the wiring
 * between them and to the mesh, and what the program registers.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { ADDON_CHARTS } from "../../components/addons/charts";
import { AddonsConfig } from "../../components/addons/config";
import { tracingTelemetry } from "../../components/addons/telemetry";
import { addonValues, TRACING_PROVIDER } from "../../components/addons/values";
import { OpenApiSchema, validate } from "../../components/istio/openapi";
import { runProgram } from "../../components/plan/mockRun";
import { crdProblems } from "../istio/crdSchemas";
import { meshConfigMap, meshIssues, parseMesh } from "../support/fixtures";
import { waits } from "../support/registrations";
import { fixture, unknownKeys } from "./chartKeys";

const MESH = { revisions: [{ version: "1.29.6" }] };
const ALL = { prometheus: {}, grafana: {}, kiali: {}, jaeger: {} };
const addonsOf = (addons: Record<string, unknown>, mesh: Record<string, unknown> = MESH): AddonsConfig => parseMesh({ ...mesh, addons }).addons!;
/** The config issues of the mesh with these add-ons, as "path: message" lines (tests/support/fixtures). */
const issuesOf = (addons: Record<string, unknown>): string[] => meshIssues({ ...MESH, addons });

describe("addons: config", function () {
    it("each add-on is optional; defaults: one namespace, the pinned chart's repository", function () {
        const a = addonsOf({ prometheus: {}, kiali: { enabled: false } });
        expect(Object.keys(a)).to.deep.equal(["prometheus"]);
        expect(a.prometheus).to.deep.equal({ namespace: "istio-observability", chartRepository: ADDON_CHARTS.prometheus.repository, values: {}, retention: "7d", scrapeInterval: "15s" });
        expect(addonsOf({ namespace: "obs", grafana: { namespace: "dash", chartRepository: "oci://mirror.example/charts" }, prometheus: {} }).grafana).to.include({ namespace: "dash", chartRepository: "oci://mirror.example/charts" });
        expect(parseMesh(MESH).addons).to.equal(undefined);
    });

    it("refuses Grafana or Kiali without Prometheus, sampling outside 0-100, a bad namespace or repository", function () {
        expect(issuesOf({ grafana: {}, kiali: {}, jaeger: { samplingPercentage: 101 }, namespace: "Obs" })).to.deep.equal([
            "istio-mesh:mesh.addons.namespace: \"Obs\" is not a DNS label: use lower-case letters, digits and '-', starting and ending with a letter or digit (a '.' is never valid: write 1-30-3, not 1.30.3)",
            "istio-mesh:mesh.addons.grafana: grafana reads its metrics from the Prometheus add-on; add addons.prometheus (or remove grafana)",
            "istio-mesh:mesh.addons.kiali: kiali reads its metrics from the Prometheus add-on; add addons.prometheus (or remove kiali)",
            "istio-mesh:mesh.addons.jaeger.samplingPercentage: 101 is outside 0-100; the percentage of requests traced (1 = Istio's default)",
        ]);
        expect(issuesOf({ prometheus: { chartRepository: "prometheus-community" } })[0]).to.match(/^istio-mesh:mesh\.addons\.prometheus\.chartRepository/);
        expect(issuesOf({ prometheus: { retension: "1d" } })[0]).to.match(/^istio-mesh:mesh\.addons\.prometheus/);
        expect(issuesOf({ prometheus: { retention: "7 days", scrapeInterval: "15" } })).to.deep.equal([
            'istio-mesh:mesh.addons.prometheus.retention: "7 days" is not a Prometheus duration; write e.g. 15s, 5m, 15d or 1h30m',
            'istio-mesh:mesh.addons.prometheus.scrapeInterval: "15" is not a Prometheus duration; write e.g. 15s, 5m, 15d or 1h30m',
        ]);
        expect(issuesOf({ prometheus: { retention: "15d", scrapeInterval: "1m30s" } })).to.deep.equal([]);
    });
});

describe("addons: values against the pinned charts", function () {
    const values = addonValues(addonsOf(ALL));

    it("every value set is a key of its chart (recorded from the chart's values.yaml at the pinned version)", function () {
        for (const addon of ["prometheus", "grafana", "kiali", "jaeger"] as const) {
            expect(values[addon], addon).to.not.equal(undefined);
            expect(unknownKeys(addon, values[addon]), `${addon}: ${fixture(addon).source}`).to.deep.equal([]);
        }
    });

    it("the key check is live: a misspelt key is reported with its path", function () {
        expect(unknownKeys("prometheus", { server: { retension: "1d" } })).to.deep.equal(["server > retension (no server > retension)"]);
        expect(unknownKeys("kiali", { external_services: { prometheus: { uri: "x" } } })).to.deep.equal(["external_services > prometheus > uri (no external_services > prometheus > uri)"]);
        expect(unknownKeys("grafana", { datasources: { "datasources.yaml": { anything: 1 } } })).to.deep.equal([]); // free-form map
    });

    it("Prometheus's values validate against the chart's own values.schema.json", function () {
        const schema = JSON.parse(fs.readFileSync(path.join(__dirname, "fixtures", "prometheus-29.27.0.values.schema.json"), "utf8")) as OpenApiSchema;
        expect(validate(values.prometheus, schema, "values", { strictUnknown: false })).to.deep.equal([]);
        expect(validate({ server: { retention: 7 } }, schema, "values", { strictUnknown: false })).to.deep.equal(["values.server.retention: must be a string"]);
    });

    it("Prometheus scrapes istiod and the proxies through the chart's annotation job", function () {
        const jobs = (fixture("prometheus").keys as any).scrapeConfigs;
        expect(Object.keys(jobs)).to.include("kubernetes-pods");
        expect(values.prometheus!.scrapeConfigs).to.deep.equal({ "kubernetes-pods": { enabled: true } });
        expect(values.prometheus!.server).to.deep.include({ global: { scrape_interval: "15s" }, retention: "7d", fullnameOverride: "prometheus-server" });
    });

    it("Grafana: the Prometheus data source and Istio's dashboards", function () {
        const g = values.grafana as any;
        expect(g.datasources["datasources.yaml"].datasources[0]).to.include({ type: "prometheus", url: "http://prometheus-server.istio-observability.svc.cluster.local:80" });
        expect(Object.values(g.dashboards.istio).map((d: any) => d.gnetId)).to.deep.equal([7639, 7636, 7630, 7645, 11829, 13277]);
        expect(g.dashboardProviders["dashboardproviders.yaml"].providers[0].options.path).to.equal("/var/lib/grafana/dashboards/istio");
    });

    it("Kiali: Prometheus, Grafana and Jaeger URLs (in-cluster), and Grafana/Jaeger off when they are", function () {
        const k = values.kiali as any;
        expect(k.external_services.prometheus.url).to.equal("http://prometheus-server.istio-observability.svc.cluster.local:80");
        expect(k.external_services.grafana).to.include({ enabled: true, internal_url: "http://grafana.istio-observability.svc.cluster.local:80" });
        expect(k.external_services.tracing).to.include({ enabled: true, provider: "jaeger", internal_url: "http://jaeger.istio-observability.svc.cluster.local:16686" });
        const only = addonValues(addonsOf({ prometheus: { namespace: "metrics" }, kiali: { auth: "anonymous" } })).kiali as any;
        expect(only.external_services).to.deep.equal({ prometheus: { url: "http://prometheus-server.metrics.svc.cluster.local:80" }, grafana: { enabled: false }, tracing: { enabled: false } });
        expect(only.auth).to.deep.equal({ strategy: "anonymous" });
    });
});

describe("addons: tracing wired into the mesh", function () {
    it("Jaeger's OTLP endpoint is the default tracing provider of every istiod's meshConfig", function () {
        const c = parseMesh({ ...MESH, controlPlane: { meshConfig: { accessLogFile: "/dev/stdout" } }, addons: { jaeger: {} } });
        expect(c.controlPlane.meshConfig).to.deep.equal({
            accessLogFile: "/dev/stdout",
            extensionProviders: [{ name: TRACING_PROVIDER, opentelemetry: { service: "jaeger.istio-observability.svc.cluster.local", port: 4317 } }],
            defaultProviders: { tracing: [TRACING_PROVIDER] },
        });
        expect(parseMesh(MESH).controlPlane.meshConfig).to.deep.equal({});
    });

    it("a revision with its own controlPlane gets the provider too", function () {
        const c = parseMesh({ revisions: [{ version: "1.29.6", controlPlane: { meshConfig: { accessLogFile: "/dev/stdout" } } }], addons: { jaeger: { namespace: "tracing" } } });
        expect(c.revisions[0].controlPlane?.meshConfig).to.deep.equal({
            accessLogFile: "/dev/stdout",
            extensionProviders: [{ name: TRACING_PROVIDER, opentelemetry: { service: "jaeger.tracing.svc.cluster.local", port: 4317 } }],
            defaultProviders: { tracing: [TRACING_PROVIDER] },
        });
    });

    it("keeps the user's providers and default tracing provider; refuses a provider of the same name", function () {
        const mine = { name: "zipkin", zipkin: { service: "zipkin.tracing.svc.cluster.local", port: 9411 } };
        const c = parseMesh({ ...MESH, controlPlane: { meshConfig: { extensionProviders: [mine], defaultProviders: { tracing: ["zipkin"] } } }, addons: { jaeger: {} } });
        expect((c.controlPlane.meshConfig.extensionProviders as unknown[])[0]).to.deep.equal(mine);
        expect(c.controlPlane.meshConfig.defaultProviders).to.deep.equal({ tracing: ["zipkin"] });
        expect(() => parseMesh({ ...MESH, controlPlane: { meshConfig: { extensionProviders: [{ name: TRACING_PROVIDER }] } }, addons: { jaeger: {} } })).to.throw(
            /controlPlane\.meshConfig\.extensionProviders: extensionProviders already has "istio-mesh-jaeger"/,
        );
    });

    it("the sampling Telemetry validates against the 1.30.3 Telemetry CRD", function () {
        const t = tracingTelemetry("istio-system", 2.5);
        expect(crdProblems(t)).to.deep.equal([]);
        expect(t.spec.tracing![0]).to.deep.equal({ providers: [{ name: TRACING_PROVIDER }], randomSamplingPercentage: 2.5 });
        expect(crdProblems({ ...t, spec: { tracing: [{ randomSamplingPercentage: 101 }] } })).to.deep.equal(["Telemetry/istio-mesh-tracing.spec.tracing[0].randomSamplingPercentage: must be <= 100 (got 101)"]);
    });
});

describe("addons: what the program registers", function () {
    it("one pinned release per add-on beside the mesh, the Telemetry, the access outputs", async function () {
        const run = await runProgram(meshConfigMap({ ...MESH, addons: { ...ALL, jaeger: { samplingPercentage: 5 } } }), null);
        const releases = run.resources.filter((r) => r.type === "kubernetes:helm.sh/v3:Release" && r.name.startsWith("addons-"));
        expect(releases.map((r) => [r.name, (r.inputs as any).chart, (r.inputs as any).version, (r.inputs as any).namespace])).to.have.deep.members([
            ["addons-prometheus", "prometheus", "29.27.0", "istio-observability"],
            ["addons-jaeger", "jaeger", "4.11.1", "istio-observability"],
            ["addons-grafana", "grafana", "10.5.15", "istio-observability"],
            ["addons-kiali", "kiali-server", "2.29.0", "istio-observability"],
        ]);
        expect((releases.find((r) => r.name === "addons-prometheus")!.inputs as any).repositoryOpts).to.deep.equal({ repo: "https://prometheus-community.github.io/helm-charts" });
        const tel = run.resources.find((r) => r.name === "addons-telemetry")!;
        expect(tel.type).to.equal("kubernetes:telemetry.istio.io/v1:Telemetry");
        expect((tel.inputs as any).spec.tracing[0].randomSamplingPercentage).to.equal(5);
        const istiod = run.resources.find((r) => r.type === "kubernetes:helm.sh/v3:Release" && (r.inputs as any).chart === "istiod")!;
        expect((istiod.inputs as any).values.meshConfig.defaultProviders).to.deep.equal({ tracing: [TRACING_PROVIDER] });
        expect((run.outputs.addons as any).kiali).to.deep.equal({
            namespace: "istio-observability",
            service: "kiali",
            port: 20001,
            portForward: "kubectl -n istio-observability port-forward svc/kiali 20001:20001",
            chart: "kiali-server 2.29.0",
        });
    });

    it("an OCI repository override becomes the chart reference", async function () {
        const run = await runProgram(meshConfigMap({ ...MESH, addons: { prometheus: { chartRepository: "oci://mirror.example/charts/" } } }), null);
        const r = run.resources.find((x) => x.name === "addons-prometheus")!;
        expect((r.inputs as any).chart).to.equal("oci://mirror.example/charts/prometheus");
        expect(run.resources.some((x) => x.name === "addons-telemetry")).to.equal(false);
    });
});

describe("addons: order", function () {
    // Grafana and Kiali read from Prometheus (and Kiali from Grafana and Jaeger): they wait for the
    // releases before them; Prometheus and Jaeger wait for nothing but the mesh; the Telemetry
    // that sends traces to Jaeger waits for every release (the collector must exist first).
    const cases: { name: string; addons: Record<string, unknown>; deps: Record<string, string[]> }[] = [
        {
            name: "all four",
            addons: { ...ALL, jaeger: { samplingPercentage: 5 } },
            deps: {
                addons: ["mesh"],
                "addons-prometheus": [],
                "addons-jaeger": [],
                "addons-grafana": ["addons-prometheus", "addons-jaeger"],
                "addons-kiali": ["addons-prometheus", "addons-jaeger", "addons-grafana"],
                "addons-telemetry": ["addons-prometheus", "addons-jaeger", "addons-grafana", "addons-kiali"],
            },
        },
        { name: "Prometheus and Kiali", addons: { prometheus: {}, kiali: {} }, deps: { addons: ["mesh"], "addons-prometheus": [], "addons-kiali": ["addons-prometheus"] } },
        { name: "Jaeger alone", addons: { jaeger: {} }, deps: { addons: ["mesh"], "addons-jaeger": [], "addons-telemetry": ["addons-jaeger"] } },
    ];
    for (const c of cases) {
        it(`${c.name}: Prometheus first, each add-on after the ones it reads from, the Telemetry after every release`, async function () {
            const deps = await waits(meshConfigMap({ ...MESH, addons: c.addons }), null);
            const ours = Object.fromEntries([...deps].filter(([n]) => n === "addons" || n.startsWith("addons-")));
            expect(ours).to.deep.equal(c.deps);
            expect(Object.keys(ours), "registered in that order").to.deep.equal(Object.keys(c.deps));
        });
    }
});
