/**
 * Live objects → stack config, on recorded `helm list` / `helm get values` / `kubectl get -o json`
 * documents (tests/adopt/fixtures/<case>/commands.json), checked through the program's own parser
 * and value functions (verifyAdoption).
 */
import { expect } from "chai";
import { accessFlags, collectLive, isReadOnly } from "../../components/adopt/collect";
import { LiveMesh } from "../../components/adopt/live";
import { Adoption, adoptMesh, Finding } from "../../components/adopt/mapping";
import { chartDefaults, getPath } from "../../components/adopt/values";
import { verifyAdoption } from "../../components/adopt/verify";
import { ConfigError } from "../../components/config/errors";
import { parseStackConfig } from "../../components/config/stackConfig";
import { chartDefaults as realChartDefaults, ISTIO_VERSIONS } from "../support/chartKeys";
import { recordedRunner } from "./recorded";

const FIXTURES = ["helm-1.28-1.29", "helm-1.29", "odd-tag-and-labels", "istioctl-install", "out-of-range"];

function adopt(fixture: string): { live: LiveMesh; adoption: Adoption; findings: Finding[] } {
    const live = collectLive(recordedRunner(fixture).run, "istio-system");
    const adoption = adoptMesh(live);
    return { live, adoption, findings: [...adoption.findings, ...verifyAdoption(live, adoption).findings] };
}
const of = (findings: readonly Finding[], kind: Finding["kind"]) => findings.filter((f) => f.kind === kind);
const subjects = (findings: readonly Finding[], kind: Finding["kind"]) => of(findings, kind).map((f) => f.subject).sort();

describe("adopt: a Helm-installed 1.28 + 1.29 mesh mid-upgrade (istioctl tags, kubectl labels, a gateway)", () => {
    // Computed per test (beforeEach), not when the file loads: the mutation run then sees which
    // test executes which line, and swaps mutants without reloading the process.
    let adoption: Adoption;
    let findings: Finding[];
    beforeEach(() => ({ adoption, findings } = adopt("helm-1.28-1.29")));

    it("describes exactly what runs: both revisions, the tags, the default revision, the labelled namespaces, the gateway", () => {
        expect(adoption.mesh).to.deep.equal({
            revisions: [
                { version: "1.28.10", values: { pilot: { env: { PILOT_ENABLE_STATUS: "true" } } } },
                { version: "1.29.6", values: { pilot: { env: { PILOT_ENABLE_STATUS: "true" } } } },
            ],
            tags: { "prod-stable": "1-28-10", "prod-canary": "1-29-6" },
            defaultRevision: "1-28-10",
            namespaces: { bookinfo: "prod-stable", payments: "prod-canary" },
            gateways: {
                "istio-ingressgateway": {
                    namespace: "istio-ingress",
                    revision: "prod-stable",
                    service: { type: "LoadBalancer" },
                    autoscaling: { enabled: true, minReplicas: 1, maxReplicas: 5 },
                    restart: false,
                },
            },
            controlPlane: { replicas: 1, autoscaling: { enabled: true, minReplicas: 1, maxReplicas: 5 }, meshConfig: { accessLogFile: "/dev/stdout" }, pdb: { minAvailable: 1 } },
            adopt: {
                releases: ["istio-ingress/istio-ingressgateway", "istio-system/istio-base", "istio-system/istiod-1-28-10", "istio-system/istiod-1-29-6"],
                mutatingWebhookConfigurations: ["istio-revision-tag-default", "istio-revision-tag-prod-canary", "istio-revision-tag-prod-stable"],
                services: ["istio-system/istiod-revision-tag-default", "istio-system/istiod-revision-tag-prod-canary", "istio-system/istiod-revision-tag-prod-stable"],
                namespaces: ["bookinfo", "payments"],
            },
        });
    });

    it("blocks nothing and changes no value: every release renders as today", () => {
        expect(of(findings, "blocker")).to.deep.equal([]);
        expect(of(findings, "change")).to.deep.equal([]);
    });

    it("leaves istio-injection namespaces and foreign releases alone, and says so", () => {
        expect(subjects(findings, "left-alone")).to.deep.equal(["namespace batch", "namespace legacy"]);
        expect(of(findings, "left-alone").find((f) => f.subject === "namespace legacy")?.fix).to.contain("kubectl label namespace legacy istio.io/rev=default istio-injection-");
        expect(JSON.stringify(adoption.mesh)).to.not.contain("cert-manager");
    });

    it("imports every existing object under the program's own resource names", () => {
        expect(adoption.imports.map((i) => `${i.resource} <- ${i.id}`)).to.deep.equal([
            "mesh-base-release <- istio-system/istio-base",
            "mesh-rev-1-28-10-istiod <- istio-system/istiod-1-28-10",
            "mesh-rev-1-29-6-istiod <- istio-system/istiod-1-29-6",
            "mesh-tag-default-webhook <- istio-revision-tag-default",
            "mesh-tag-default-service <- istio-system/istiod-revision-tag-default",
            "mesh-tag-prod-canary-webhook <- istio-revision-tag-prod-canary",
            "mesh-tag-prod-canary-service <- istio-system/istiod-revision-tag-prod-canary",
            "mesh-tag-prod-stable-webhook <- istio-revision-tag-prod-stable",
            "mesh-tag-prod-stable-service <- istio-system/istiod-revision-tag-prod-stable",
            "mesh-gw-istio-ingressgateway-release <- istio-ingress/istio-ingressgateway",
        ]);
    });
});

describe("adopt: a Helm-installed 1.29 mesh with its own control-plane values", () => {
    let adoption: Adoption;
    let findings: Finding[];
    let mesh: Record<string, any>;
    beforeEach(() => {
        ({ adoption, findings } = adopt("helm-1.29"));
        mesh = adoption.mesh as Record<string, any>;
    });

    it("lifts the istiod settings into controlPlane and keeps every other value as the revision's raw values", () => {
        expect(mesh.controlPlane).to.deep.equal({
            replicas: 3,
            autoscaling: { enabled: true, minReplicas: 3, maxReplicas: 6 },
            resources: { requests: { cpu: "1", memory: "2Gi" } },
            meshConfig: { accessLogFile: "/dev/stdout", defaultConfig: { holdApplicationUntilProxyStarts: true } },
            pdb: { minAvailable: 2 },
        });
        expect(mesh.revisions).to.deep.equal([{ version: "1.29.6", values: { global: { logging: { level: "default:info" } } } }]);
        expect(of(findings, "change").map((f) => f.message)).to.deep.equal([
            "the first up creates Service istio-system/istiod-revision-tag-prod (istiod 1.28+ renders one per tag; nothing calls it until the tag's webhook does)",
        ]);
    });

    it("reports a value the program would change instead of writing it silently", () => {
        const live = collectLive(recordedRunner("helm-1.29").run, "istio-system");
        // base carries a value the stack has no place for: the first up would drop it.
        const edited: LiveMesh = { ...live, values: { ...live.values, "istio-system/istio-base": { defaultRevision: "1-29-6", global: { imagePullSecrets: ["regcred"] } } } };
        const changes = of(verifyAdoption(edited, adoptMesh(edited)).findings, "change");
        expect(changes.map((f) => `${f.subject}: ${f.message}`)).to.deep.equal(['release istio-system/istio-base: the first up changes value global.imagePullSecrets: ["regcred"] → (unset)']);
    });

    it("compares with what the release renders (helm get values --all), not with assumed chart defaults", () => {
        const live = collectLive(recordedRunner("helm-1.29").run, "istio-system");
        // A chart whose global.tag default is empty (a mirror without the release build's rewrite).
        const id = "istio-system/istiod-1-29-6";
        const computed = live.computed![id]!;
        const edited: LiveMesh = { ...live, computed: { ...live.computed, [id]: { ...computed, global: { ...(computed.global as object), tag: "" } } } };
        const changes = of(verifyAdoption(edited, adoptMesh(edited)).findings, "change");
        expect(changes.map((f) => `${f.subject}: ${f.message}`)).to.include('release istio-system/istiod-1-29-6: the first up changes value global.tag: "" → "1.29.6"');
    });

    it("reports a gateway that follows no tag (the stack sets revision: default)", () => {
        const live = collectLive(recordedRunner("helm-1.28-1.29").run, "istio-system");
        const gw = "istio-ingress/istio-ingressgateway";
        const edited: LiveMesh = { ...live, values: { ...live.values, [gw]: {} }, computed: { ...live.computed, [gw]: { ...live.computed![gw], revision: "" } } };
        const changes = of(verifyAdoption(edited, adoptMesh(edited)).findings, "change");
        expect(changes.map((f) => `${f.subject}: ${f.message}`)).to.deep.equal(['release istio-ingress/istio-ingressgateway: the first up changes value revision: "" → "default"']);
    });
});

describe("adopt: what blocks adoption names the object and the manual step", () => {
    it("a tag pointing at a revision that is not installed; a namespace with both labels", () => {
        const { adoption, findings } = adopt("odd-tag-and-labels");
        expect(subjects(findings, "blocker")).to.deep.equal(["namespace mixed", "tag old-stable (mutatingwebhookconfiguration istio-revision-tag-old-stable)"]);
        const tag = of(findings, "blocker").find((f) => f.subject.startsWith("tag old-stable"))!;
        expect(tag.message).to.contain('"1-27-9", which is not installed');
        expect(tag.fix).to.equal("istioctl tag set old-stable --revision <one of: 1-29-6> --overwrite, or istioctl tag remove old-stable; then run adopt");
        const mixed = of(findings, "blocker").find((f) => f.subject === "namespace mixed")!;
        expect(mixed.message).to.contain("istio-injection wins today");
        expect(mixed.fix).to.contain("kubectl label namespace mixed istio-injection-");
        // The namespace labelled with the default tag alone is adopted as such.
        expect((adoption.mesh as any).namespaces).to.deep.equal({ orders: "default" });
    });

    it("an istioctl install without Helm releases: nothing to describe, one blocker per control plane", () => {
        const { adoption, findings } = adopt("istioctl-install");
        expect(adoption.mesh).to.equal(undefined);
        expect(adoption.imports).to.deep.equal([]);
        expect(subjects(findings, "blocker")).to.deep.equal(["deployment istio-system/istiod-1-29-6", "tag default (mutatingwebhookconfiguration istio-revision-tag-default)"]);
        expect(of(findings, "blocker")[0].message).to.contain("installed without Helm");
        expect(of(findings, "blocker")[0].fix).to.contain("istioctl uninstall --revision 1-29-6");
    });

    it("a revision outside 1.22–1.30", () => {
        const { findings } = adopt("out-of-range");
        expect(subjects(findings, "blocker")).to.deep.equal(["release istio-system/istiod-1-21-6"]);
        expect(of(findings, "blocker")[0].message).to.contain("1.21.6 is not supported");
    });

    it("a pending release, a base release under another name, a revisionless istiod", () => {
        const live = collectLive(recordedRunner("helm-1.29").run, "istio-system");
        const edited: LiveMesh = {
            ...live,
            releases: [
                ...live.releases.map((r) => (r.name === "istio-base" ? { ...r, name: "base" } : r)),
                { name: "istiod", namespace: "istio-system", revision: "4", status: "pending-upgrade", chart: "istiod-1.29.6" },
            ],
            values: { ...live.values, "istio-system/istiod": {} },
        };
        const findings = adoptMesh(edited).findings;
        expect(subjects(findings, "blocker")).to.deep.equal(["release istio-system/base", "release istio-system/istiod", "release istio-system/istiod"]);
        expect(of(findings, "blocker").map((f) => f.fix).join("\n")).to.contain("helm rollback istiod -n istio-system");
    });

    // Base follows the newest revision: a base newer than every istiod would be downgraded (its
    // CRDs with it), an older one is upgraded by the first up, the same one is left as it is.
    // helm-1.28-1.29 runs istiod 1.28.10 and 1.29.6.
    for (const c of [
        { base: "1.30.3", blocker: "base is at 1.30.3, newer than every istiod (1.29.6); the stack installs base at the newest revision's version and would downgrade the CRDs", fix: "install a 1.30.3 revision beside the others (helm install istiod-1-30-3 ...) or upgrade one, then run adopt", change: undefined },
        { base: "1.29.7", blocker: "base is at 1.29.7, newer than every istiod (1.29.6); the stack installs base at the newest revision's version and would downgrade the CRDs", fix: "install a 1.29.7 revision beside the others (helm install istiod-1-29-7 ...) or upgrade one, then run adopt", change: undefined },
        { base: "1.29.6", blocker: undefined, fix: undefined, change: undefined },
        { base: "1.28.10", blocker: undefined, fix: undefined, change: "the first up upgrades base from 1.28.10 to 1.29.6 (the stack keeps base at the newest revision's version)" },
    ]) {
        it(`base ${c.base} beside istiod 1.28.10 and 1.29.6: ${c.blocker !== undefined ? "blocked (a downgrade)" : c.change !== undefined ? "an upgrade the first up makes" : "nothing to say"}`, () => {
            const live = collectLive(recordedRunner("helm-1.28-1.29").run, "istio-system");
            const edited: LiveMesh = { ...live, releases: live.releases.map((r) => (r.name === "istio-base" ? { ...r, chart: `base-${c.base}` } : r)) };
            const findings = adoptMesh(edited).findings.filter((f) => f.subject === "release istio-system/istio-base");
            expect(findings).to.deep.equal([
                ...(c.blocker === undefined ? [] : [{ kind: "blocker", subject: "release istio-system/istio-base", message: c.blocker, fix: c.fix }]),
                ...(c.change === undefined ? [] : [{ kind: "change", subject: "release istio-system/istio-base", message: c.change }]),
            ]);
        });
    }
});

describe("adopt: read-only", () => {
    for (const fixture of FIXTURES) {
        it(`${fixture}: only kubectl get, helm list and helm get values are run`, () => {
            const { run, asked } = recordedRunner(fixture);
            collectLive(run, "istio-system");
            expect(asked.length).to.be.greaterThan(4);
            for (const a of asked) {
                expect(isReadOnly(a.tool, a.args), `${a.tool} ${a.args.join(" ")}`).to.equal(true);
                expect(["get", "list"]).to.include(a.args[0]);
            }
        });
    }

    it("refuses anything that writes", () => {
        for (const [tool, args] of [
            ["kubectl", ["label", "namespace", "x", "istio.io/rev=a"]],
            ["kubectl", ["apply", "-f", "-"]],
            ["helm", ["upgrade", "istiod-1-29-6", "istio/istiod"]],
            ["helm", ["uninstall", "istio-base"]],
            ["helm", ["rollback", "istio-base"]],
        ] as const) {
            expect(isReadOnly(tool, args), `${tool} ${args.join(" ")}`).to.equal(false);
        }
        expect(() => collectLive((tool, args) => (tool === "helm" && args[0] === "list" ? "[]" : '{"items": []}'), "istio-system")).to.not.throw();
    });

    it("points every command at the stack's kubeconfig and context (helm spells it --kube-context)", () => {
        expect(accessFlags("kubectl", { context: "prod", kubeconfig: "/k" })).to.deep.equal(["--kubeconfig", "/k", "--context", "prod"]);
        expect(accessFlags("helm", { context: "prod" })).to.deep.equal(["--kube-context", "prod"]);
        expect(accessFlags("helm", {})).to.deep.equal([]);
    });
});

describe("adopt: the chart defaults it relies on are the charts' own", () => {
    for (const version of ISTIO_VERSIONS) {
        it(`${version}: istiod, base and gateway defaults of every key the program sets`, () => {
            for (const chart of ["istiod", "base", "gateway"] as const) {
                const real = realChartDefaults(version, chart);
                for (const [path, value] of chartDefaults(chart, version)) {
                    // hub and tag are set by the release build of the published chart (docker.io/istio, the version).
                    if (path.join(".") === "global.hub" || path.join(".") === "global.tag") {
                        continue;
                    }
                    expect(getPath(real, path), `${chart} ${version} ${path.join(".")}`).to.deep.equal(value);
                }
            }
        });
    }
});

describe("adopt: the `adopt` block of the stack config", () => {
    it("is normalized (sorted, deduplicated) and each bad entry names its path", () => {
        const ok = parseStackConfig({ "istio-mesh:mesh": { revisions: [{ version: "1.29.6" }], adopt: { releases: ["istio-system/istiod-1-29-6", "istio-system/istio-base", "istio-system/istio-base"] } } });
        expect(ok.adopt).to.deep.equal({ releases: ["istio-system/istio-base", "istio-system/istiod-1-29-6"], mutatingWebhookConfigurations: [], services: [], namespaces: [] });
        try {
            parseStackConfig({ "istio-mesh:mesh": { revisions: [{ version: "1.29.6" }], adopt: { releases: ["istiod-1-29-6"], services: ["istio-system/Bad_Name"] } } });
            expect.fail("accepted");
        } catch (e) {
            expect(e).to.be.instanceOf(ConfigError);
            expect((e as ConfigError).issues.map((i) => i.path)).to.deep.equal(["istio-mesh:mesh.adopt.releases[0]", "istio-mesh:mesh.adopt.services[0]"]);
            expect((e as ConfigError).issues[0].message).to.contain("is not <namespace>/<name>");
        }
    });
});
