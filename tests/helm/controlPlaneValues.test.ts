/**
 * istiod values beyond the defaults, without running the program: Istio CNI (pilot.cni.enabled
 * before 1.24, cni.enabled after), a revision's own control plane instead of mesh.controlPlane,
 * and the PDB/pilot shapes per version. Every path is checked against that version's chart.
 */
import { expect } from "chai";
import { CniConfig } from "../../components/cni/config";
import { ControlPlaneConfig, JsonMap, RevisionConfig } from "../../components/config/model";
import { istiodCniValues, istiodValues, pilotKeysAtTopLevel } from "../../components/helm/values";
import { mustParseVersion } from "../../components/versions/version";
import { chartDefaults, ISTIO_VERSIONS, unknownKeys } from "../support/chartKeys";

const cni: CniConfig = { namespace: "istio-system", excludeNamespaces: ["kube-system", "istio-system"], values: {} };
const plain = { namespace: "istio-system", hub: "docker.io/istio" };
const withCni = { ...plain, cni };

/** mesh.controlPlane as the config's defaults make it. */
const meshCp: ControlPlaneConfig = { replicas: 2, autoscaling: { enabled: true, minReplicas: 2, maxReplicas: 5 }, pdb: { minAvailable: 1 }, meshConfig: { accessLogFile: "/dev/stdout" } };
/** A canary's own control plane: every field differs from meshCp. */
const canaryCp: ControlPlaneConfig = {
    replicas: 3,
    autoscaling: { enabled: false, minReplicas: 3, maxReplicas: 7 },
    resources: { requests: { cpu: "250m", memory: "1Gi" } },
    pdb: { maxUnavailable: 1 },
    meshConfig: { enableTracing: true },
};
const rev = (version: string, extra: Partial<RevisionConfig> = {}): RevisionConfig => ({ name: version.replace(/\./g, "-"), version, values: {}, ...extra });
const global = (version: string) => ({ istioNamespace: "istio-system", hub: "docker.io/istio", tag: version, defaultPodDisruptionBudget: { enabled: true } });
const cniOf = (values: JsonMap): unknown => (pilotKeysAtTopLevel(mustParseVersion(String((values.global as JsonMap).tag))) ? values.cni : (values.pilot as JsonMap | undefined)?.cni);

describe("helm: istiod values with CNI and per-revision control planes", () => {
    it("pilot.* moved to the top level in 1.24 (1.23.x is the last with pilot)", () => {
        expect(pilotKeysAtTopLevel(mustParseVersion("1.23.6"))).to.equal(false);
        expect(pilotKeysAtTopLevel(mustParseVersion("1.24.0"))).to.equal(true);
        expect(pilotKeysAtTopLevel(mustParseVersion("1.22.0"))).to.equal(false);
        expect(pilotKeysAtTopLevel(mustParseVersion("1.30.3"))).to.equal(true);
    });

    describe("Istio CNI", () => {
        it("the switch: pilot.cni.enabled before 1.24, cni.enabled from 1.24", () => {
            expect(istiodCniValues(mustParseVersion("1.23.6"))).to.deep.equal({ pilot: { cni: { enabled: true } } });
            expect(istiodCniValues(mustParseVersion("1.22.8"))).to.deep.equal({ pilot: { cni: { enabled: true } } });
            expect(istiodCniValues(mustParseVersion("1.24.0"))).to.deep.equal({ cni: { enabled: true } });
            expect(istiodCniValues(mustParseVersion("1.30.3"))).to.deep.equal({ cni: { enabled: true } });
        });

        it("1.23: the CNI switch sits beside the pilot scaling keys (merged, not replacing them)", () => {
            expect(istiodValues(withCni, meshCp, rev("1.23.6"))).to.deep.equal({
                revision: "1-23-6",
                revisionTags: [],
                global: global("1.23.6"),
                meshConfig: { accessLogFile: "/dev/stdout" },
                pilot: { replicaCount: 2, autoscaleEnabled: true, autoscaleMin: 2, autoscaleMax: 5, cni: { enabled: true } },
            });
        });

        it("1.30: cni.enabled at the top level, next to the moved pilot keys and the PDB", () => {
            expect(istiodValues(withCni, meshCp, rev("1.30.3"))).to.deep.equal({
                revision: "1-30-3",
                revisionTags: [],
                global: global("1.30.3"),
                meshConfig: { accessLogFile: "/dev/stdout" },
                replicaCount: 2,
                autoscaleEnabled: true,
                autoscaleMin: 2,
                autoscaleMax: 5,
                pdb: { minAvailable: 1 },
                cni: { enabled: true },
            });
        });

        it("without mesh.cni, istiod keeps istio-init: no cni key at either place", () => {
            for (const version of ["1.23.6", "1.30.3"]) {
                const values = istiodValues(plain, meshCp, rev(version));
                expect(values, version).to.not.have.property("cni");
                expect(values.pilot ?? {}, version).to.not.have.property("cni");
                // Everything else is the same as with CNI.
                const { cni: _top, ...rest } = istiodValues(withCni, meshCp, rev(version));
                const { cni: _pilot, ...pilot } = (rest.pilot ?? {}) as JsonMap;
                expect(values, version).to.deep.equal(version === "1.30.3" ? rest : { ...rest, pilot });
            }
        });

        it("raw revision values still win over the CNI switch (the escape hatch merges last)", () => {
            const off = istiodValues(withCni, meshCp, rev("1.30.3", { values: { cni: { enabled: false, provider: "multus" } } }));
            expect(off.cni).to.deep.equal({ enabled: false, provider: "multus" });
            const old = istiodValues(withCni, meshCp, rev("1.23.6", { values: { pilot: { cni: { enabled: false } } } }));
            expect(old.pilot).to.deep.equal({ replicaCount: 2, autoscaleEnabled: true, autoscaleMin: 2, autoscaleMax: 5, cni: { enabled: false } });
        });

        it("the CNI settings of the agent itself (namespace, exclusions, log level) are not istiod values", () => {
            const values = istiodValues({ ...plain, cni: { ...cni, logLevel: "debug", values: { cni: { chained: false } } } }, meshCp, rev("1.30.3"));
            expect(values.cni).to.deep.equal({ enabled: true });
            expect(JSON.stringify(values)).to.not.contain("kube-system").and.not.contain("debug");
        });
    });

    describe("a revision's own control plane", () => {
        it("replaces mesh.controlPlane for that revision: scaling, resources, PDB, mesh config (1.30)", () => {
            expect(istiodValues(plain, meshCp, rev("1.30.3", { name: "canary", controlPlane: canaryCp }))).to.deep.equal({
                revision: "canary",
                revisionTags: [],
                global: global("1.30.3"),
                meshConfig: { enableTracing: true },
                replicaCount: 3,
                autoscaleEnabled: false,
                autoscaleMin: 3,
                autoscaleMax: 7,
                resources: { requests: { cpu: "250m", memory: "1Gi" } },
                pdb: { maxUnavailable: 1 },
            });
        });

        it("the same under pilot on 1.23 (and no pdb key: the chart has none before 1.27)", () => {
            expect(istiodValues(withCni, meshCp, rev("1.23.6", { name: "canary", controlPlane: canaryCp }))).to.deep.equal({
                revision: "canary",
                revisionTags: [],
                global: global("1.23.6"),
                meshConfig: { enableTracing: true },
                pilot: { replicaCount: 3, autoscaleEnabled: false, autoscaleMin: 3, autoscaleMax: 7, resources: { requests: { cpu: "250m", memory: "1Gi" } }, cni: { enabled: true } },
            });
        });

        it("a revision without one gets mesh.controlPlane; the two revisions do not share objects", () => {
            const stable = istiodValues(plain, meshCp, rev("1.30.3"));
            expect(stable).to.deep.include({ replicaCount: 2, autoscaleEnabled: true, autoscaleMin: 2, autoscaleMax: 5, pdb: { minAvailable: 1 }, meshConfig: { accessLogFile: "/dev/stdout" } });
            expect(stable).to.not.have.property("resources");
            (stable.pdb as JsonMap).minAvailable = 9;
            expect(meshCp.pdb).to.deep.equal({ minAvailable: 1 });
        });

        it("PDB: global.defaultPodDisruptionBudget on every version, pdb.* only from 1.27", () => {
            for (const version of ISTIO_VERSIONS) {
                const values = istiodValues(plain, meshCp, rev(version, { controlPlane: canaryCp }));
                expect((values.global as JsonMap).defaultPodDisruptionBudget, version).to.deep.equal({ enabled: true });
                if (mustParseVersion(version).minor >= 27) {
                    expect(values.pdb, version).to.deep.equal({ maxUnavailable: 1 });
                } else {
                    expect(values, version).to.not.have.property("pdb");
                }
            }
            expect(istiodValues(plain, meshCp, rev("1.26.8"))).to.not.have.property("pdb");
            expect(istiodValues(plain, meshCp, rev("1.27.0")).pdb).to.deep.equal({ minAvailable: 1 });
        });
    });

    for (const version of ISTIO_VERSIONS) {
        it(`${version}: with CNI and a revision's control plane, every path is a real key of the chart`, () => {
            for (const controlPlane of [undefined, canaryCp]) {
                const values = istiodValues(withCni, meshCp, rev(version, { controlPlane }));
                expect(unknownKeys(version, "istiod", values)).to.deep.equal([]);
                expect(cniOf(values), "injection relies on CNI").to.deep.equal({ enabled: true });
            }
            const chart = chartDefaults(version, "istiod");
            // The chart's own switch is where this version reads it, and off by default.
            expect(pilotKeysAtTopLevel(mustParseVersion(version)) ? (chart.cni as JsonMap).enabled : ((chart.pilot as JsonMap).cni as JsonMap).enabled).to.equal(false);
        });
    }
});
