/**
 * Istio CNI: chart values per version (keys checked against shared/istio/<version>/{cni,istiod}),
 * the release (one per cluster, after every istiod, the base chart's version, never
 * downgraded), the transition rules and steps, and the deployed-state fields.
 */
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { CniConfig } from "../../components/cni/config";
import { cniSteps } from "../../components/cni/rules";
import { cniValues } from "../../components/cni/values";
import { istiodValues } from "../../components/helm/values";
import { runProgram } from "../../components/plan/mockRun";
import { planSteps } from "../../components/plan/steps";
import { evaluateTransition, RULES, WARNINGS } from "../../components/plan/transitions";
import { fromStackOutput, STATE_SCHEMA, toStackOutput } from "../../components/state/deployed";
import { mustParseVersion } from "../../components/versions/version";
import { ISTIO_VERSIONS, unknownKeys } from "../support/chartKeys";
import { asSchema3 } from "../support/deployed";
import { meshConfigMap, parseMesh, stackFile, state } from "../support/fixtures";

const RELEASE = "kubernetes:helm.sh/v3:Release";
const cni: CniConfig = { namespace: "istio-system", excludeNamespaces: ["kube-system", "istio-system", "monitoring"], logLevel: "debug", values: {} };
const one = (extra: Record<string, unknown> = {}) => ({ revisions: [{ version: "1.30.3" }], namespaces: { shop: "1-30-3" }, ...extra });

describe("cni: Istio CNI", () => {
    describe("values per chart version", () => {
        for (const version of ISTIO_VERSIONS) {
            it(`${version}: cni chart and istiod values are real keys of that version`, () => {
                const values = cniValues(cni, version, "docker.io/istio");
                expect(unknownKeys(version, "cni", values), "cni").to.deep.equal([]);
                const istiod = istiodValues({ namespace: "istio-system", hub: "docker.io/istio", cni }, parseMesh(one()).controlPlane, { name: "r", version, values: {} });
                expect(unknownKeys(version, "istiod", istiod), "istiod").to.deep.equal([]);
                const minor = mustParseVersion(version).minor;
                expect(minor >= 24 ? (istiod.cni as any).enabled : (istiod.pilot as any).cni.enabled, "injection relies on CNI").to.equal(true);
            });
        }

        it("the shapes that moved: cni.logLevel (1.22), cni.logging.level (1.23), top level from 1.24; image pinned to the release", () => {
            expect(cniValues(cni, "1.22.8", "hub")).to.deep.equal({
                global: { hub: "hub", tag: "1.22.8" },
                cni: { excludeNamespaces: ["kube-system", "istio-system", "monitoring"], logLevel: "debug" },
            });
            expect(cniValues(cni, "1.23.6", "hub").cni).to.deep.include({ logging: { level: "debug" } });
            expect(cniValues(cni, "1.30.3", "hub")).to.deep.equal({
                global: { hub: "hub", tag: "1.30.3" },
                excludeNamespaces: ["kube-system", "istio-system", "monitoring"],
                logging: { level: "debug" },
            });
            const { logLevel: _omit, ...noLevel } = cni;
            expect(cniValues(noLevel, "1.30.3", "hub")).to.not.have.property("logging");
            expect(cniValues({ ...cni, values: { resourceQuotas: { enabled: true } } }, "1.30.3", "hub")).to.deep.include({ resourceQuotas: { enabled: true } });
        });

        it("istiod without CNI keeps istio-init (no cni keys)", () => {
            const values = istiodValues({ namespace: "istio-system", hub: "h" }, parseMesh(one()).controlPlane, { name: "r", version: "1.30.3", values: {} });
            expect(values).to.not.have.property("cni");
        });
    });

    describe("config", () => {
        it("defaults: the control-plane namespace, excluding kube-system and it", () => {
            expect(parseMesh(one({ namespace: "mesh", cni: { enabled: true } })).cni).to.deep.equal({ namespace: "mesh", excludeNamespaces: ["kube-system", "mesh"], values: {} });
            expect(parseMesh(one({ cni: { enabled: false, namespace: "x" } })).cni).to.equal(undefined);
            expect(parseMesh(one()).cni).to.equal(undefined);
        });

        const issues = (mesh: Record<string, unknown>) => {
            try {
                parseMesh(mesh);
                return [];
            } catch (e) {
                return (e as { issues: { path: string; message: string }[] }).issues;
            }
        };
        it("refuses a bad namespace, a duplicate or enrolled excluded namespace, an unknown log level", () => {
            expect(issues(one({ cni: { enabled: true, namespace: "Kube" } })).map((x) => x.path)).to.deep.equal(["istio-mesh:mesh.cni.namespace"]);
            expect(issues(one({ cni: { enabled: true, namespace: "Kube" } }))[0].message).to.match(/"Kube" is not a DNS label/);
            expect(issues(one({ cni: { enabled: true, excludeNamespaces: ["a", "a"] } }))).to.deep.equal([{ path: "istio-mesh:mesh.cni.excludeNamespaces[1]", message: '"a" is listed twice; remove one' }]);
            expect(issues(one({ cni: { enabled: true, excludeNamespaces: ["shop"] } }))[0].path).to.equal("istio-mesh:mesh.cni.excludeNamespaces[0]");
            expect(issues(one({ cni: { enabled: true, logLevel: "loud" } }))[0].path).to.equal("istio-mesh:mesh.cni.logLevel");
        });
    });

    describe("release", () => {
        it("the field runbook: release istio-cni of chart cni at the newest revision's version, after every istiod", async () => {
            const deps = new Map<string, string[]>();
            const names = new Map<pulumi.Resource, string>();
            const { resources, outputs } = await runProgram(stackFile("options/field-runbook"), null, {
                onResource: (r) => {
                    names.set(r.resource, r.name);
                    const d = r.opts.dependsOn;
                    deps.set(r.name, (Array.isArray(d) ? d : d === undefined ? [] : [d]).map((x) => names.get(x as pulumi.Resource) ?? "?"));
                },
            });
            const release = resources.find((r) => r.type === RELEASE && (r.inputs as any).chart === "cni")!.inputs as any;
            expect(release).to.deep.include({ name: "istio-cni", namespace: "istio-system", version: "1.30.3" });
            expect(release.values).to.deep.equal({ global: { hub: "docker.io/istio", tag: "1.30.3" }, excludeNamespaces: ["kube-system", "istio-system", "monitoring"] });
            expect(deps.get("mesh-cni")).to.deep.equal(["mesh-rev-1-30-3"]);
            const shop = [...deps.entries()].filter(([n]) => n.startsWith("mesh-ns") && n.includes("bookinfo"));
            expect(shop.length, "the enrolled namespace's resources").to.be.greaterThan(0);
            expect(shop.every(([, d]) => d.includes("mesh-cni")), "enrolled namespaces wait for the agent").to.equal(true);
            const istiod = resources.find((r) => r.type === RELEASE && (r.inputs as any).chart === "istiod")!.inputs as any;
            expect(istiod.values.cni).to.deep.equal({ enabled: true });
            expect((outputs.releases as Record<string, unknown>)["istio-cni"]).to.equal("deployed");
            expect((outputs.deployed as any).cni).to.deep.equal({ namespace: "istio-system", version: "1.30.3" });
        });

        it("no release without mesh.cni", async () => {
            const { resources } = await runProgram(meshConfigMap(one()), null);
            expect(resources.filter((r) => r.type === RELEASE && (r.inputs as any).chart === "cni")).to.deep.equal([]);
        });

        it("follows the base chart: the newest revision, never downgraded when a canary is rolled back", () => {
            const canary = state({ revisions: [{ version: "1.29.6" }, { version: "1.30.3" }], defaultRevision: "1-29-6", cni: { enabled: true } });
            expect(canary.cni).to.deep.equal({ namespace: "istio-system", version: "1.30.3" });
            const rolledBack = state({ revisions: [{ version: "1.29.6" }], cni: { enabled: true } }, canary.baseVersion);
            expect(rolledBack.cni?.version).to.equal("1.30.3");
            expect(cniSteps(canary, rolledBack)).to.deep.equal([]);
            const upgraded = state({ revisions: [{ version: "1.30.3" }], cni: { enabled: true } }, "1.29.6");
            expect(cniSteps(state({ revisions: [{ version: "1.29.6" }], cni: { enabled: true } }), upgraded)).to.deep.equal([
                "Upgrade Istio CNI in place 1.29.6 -> 1.30.3 (release istio-cni, after the new istiod is up)",
            ]);
        });
    });

    describe("transitions", () => {
        const off = state(one());
        const on = state(one({ cni: { enabled: true } }));
        it("enabling on a live mesh: allowed, a warning and a step to restart the workloads", () => {
            const r = evaluateTransition(off, on);
            expect(r.problems).to.deep.equal([]);
            expect(r.warnings.map((w) => w.code)).to.deep.equal([WARNINGS.cniRestart]);
            expect(WARNINGS.cniRestart).to.equal("cni-workload-restart");
            expect(r.warnings[0].message).to.match(/running pods keep it until they restart.*kubectl rollout restart deployment,statefulset,daemonset -n shop/);
            expect(planSteps(off, on)).to.deep.equal([
                "Install Istio CNI 1.30.3 as Helm release istio-cni in istio-system (DaemonSet istio-cni-node) first, and wait for it, before any istiod switches to cni.enabled (injecting without istio-init)",
                "Restart the workloads of shop BY HAND so they lose istio-init: kubectl rollout restart deployment,statefulset,daemonset -n shop",
            ]);
            expect(evaluateTransition(undefined, on).warnings, "a first install has nothing to restart").to.deep.equal([]);
        });

        it("disabling: a warning and the steps", () => {
            const r = evaluateTransition(on, off);
            expect(r.warnings.map((w) => w.code)).to.deep.equal([WARNINGS.cniRestart]);
            expect(r.warnings[0].message).to.match(/^Istio CNI is disabled on a live mesh: istiod injects istio-init again first/);
            expect(planSteps(on, off)[0]).to.match(/^Disable Istio CNI: .*uninstall release istio-cni from istio-system/);
        });

        it("moving the CNI namespace is refused with a rule code and the safe sequence", () => {
            const moved = state(one({ cni: { enabled: true, namespace: "kube-system" } }));
            const r = evaluateTransition(on, moved);
            expect(r.problems.map((p) => p.code)).to.deep.equal([RULES.cniNamespaceMove]);
            expect(RULES.cniNamespaceMove).to.equal("cni-namespace-change");
            expect(r.problems[0].message).to.match(/moves istio-system -> kube-system.*Safe sequence: keep mesh\.cni\.namespace/);
            expect(evaluateTransition(on, moved, [RULES.cniNamespaceMove]).problems).to.deep.equal([]);
            expect(evaluateTransition(on, on).warnings).to.deep.equal([]);
        });
    });

    describe("deployed state (schema 3, optional field)", () => {
        it("round-trips cni, and reads a state without it (older schemas, CNI off) as off", () => {
            const on = state(one({ cni: { enabled: true } }));
            const out = JSON.parse(JSON.stringify(toStackOutput(on)));
            expect(out.schema).to.equal(STATE_SCHEMA);
            expect(out.cni).to.deep.equal({ namespace: "istio-system", version: "1.30.3" });
            expect(fromStackOutput(out)?.cni).to.deep.equal({ namespace: "istio-system", version: "1.30.3" });
            const { cni: _gone, ...without } = out;
            expect(fromStackOutput(without)?.cni).to.equal(undefined);
            const v2 = { ...asSchema3(without), schema: 2 };
            delete (v2 as Record<string, unknown>).management;
            expect(fromStackOutput(v2)?.cni, "schema 2 migrates to CNI off").to.equal(undefined);
            expect(() => fromStackOutput({ ...out, cni: { namespace: "Bad" } })).to.throw(/deployed\.cni/);
        });
    });
});
