/** The values each release gets, field by field (the chart-key test checks that the keys exist). */
import { expect } from "chai";
import { baseValues, deepMerge, EFFECTIVE_REVISION_ANNOTATION, gatewayValues, istiodValues } from "../../components/helm/values";
import { parseMesh } from "../support/fixtures";

const cp = (controlPlane: Record<string, unknown> = {}) => parseMesh({ revisions: [{ version: "1.30.3" }], controlPlane }).controlPlane;
const rev = (version: string, values: Record<string, unknown> = {}) => ({ name: version.replace(/\./g, "-"), version, values });
const mesh = { namespace: "istio-system", hub: "docker.io/istio" };

describe("helm: value shapes", () => {
    it("deepMerge merges maps and replaces everything else, leaving its inputs alone", () => {
        const base = { a: { b: 1, c: [1, 2] }, d: "x", e: { f: 1 } };
        const merged = deepMerge(base, { a: { c: [3], g: 2 }, d: { h: 1 }, e: "y" });
        expect(merged).to.deep.equal({ a: { b: 1, c: [3], g: 2 }, d: { h: 1 }, e: "y" });
        expect(base).to.deep.equal({ a: { b: 1, c: [1, 2] }, d: "x", e: { f: 1 } });
        expect(deepMerge({ a: [1] }, { a: { b: 1 } })).to.deep.equal({ a: { b: 1 } });
        expect(deepMerge({ a: null }, { a: { b: 1 } })).to.deep.equal({ a: { b: 1 } });
        expect(deepMerge({ a: { b: 1 } }, { a: null })).to.deep.equal({ a: null });
    });

    it("istiod: scaling under pilot before 1.24, at the top level after; pdb from 1.27; resources only when set", () => {
        const old = istiodValues(mesh, cp(), rev("1.23.6"));
        expect(old).to.deep.equal({
            revision: "1-23-6",
            revisionTags: [],
            global: { istioNamespace: "istio-system", hub: "docker.io/istio", tag: "1.23.6", defaultPodDisruptionBudget: { enabled: true } },
            meshConfig: {},
            pilot: { replicaCount: 2, autoscaleEnabled: true, autoscaleMin: 2, autoscaleMax: 5 },
        });
        const mid = istiodValues(mesh, cp({ resources: { requests: { cpu: "1" } } }), rev("1.26.1"));
        expect(mid).to.deep.include({ replicaCount: 2, autoscaleEnabled: true, autoscaleMin: 2, autoscaleMax: 5, resources: { requests: { cpu: "1" } } });
        expect(mid).to.not.have.property("pdb");
        expect(mid).to.not.have.property("pilot");
        const now = istiodValues(mesh, cp({ pdb: { maxUnavailable: 1 } }), rev("1.27.9", { global: { logAsJson: true } }));
        expect(now.pdb).to.deep.equal({ maxUnavailable: 1 });
        expect(now).to.not.have.property("resources");
        expect(now.global).to.deep.include({ logAsJson: true, defaultPodDisruptionBudget: { enabled: true } });
    });

    it("base: the default revision, the namespace, and the failure policy where the chart has it", () => {
        expect(baseValues({ namespace: "mesh" }, "1.29.1", "a")).to.deep.equal({ defaultRevision: "a", global: { istioNamespace: "mesh" } });
        for (const version of ["1.28.6", "1.29.2", "1.30.0"]) {
            expect(baseValues({ namespace: "mesh" }, version, "a"), version).to.deep.include({ base: { validationFailurePolicy: "Fail" } });
        }
        for (const version of ["1.28.5", "1.27.9"]) {
            expect(baseValues({ namespace: "mesh" }, version, "a"), version).to.not.have.property("base");
        }
    });

    it("gateway: revision, replicas, scaling, Service, labels; the effective-revision annotation only when it restarts", () => {
        const config = parseMesh({
            revisions: [{ version: "1.30.3" }],
            gateways: {
                a: { revision: "1-30-3", replicas: 3, autoscaling: { enabled: true, maxReplicas: 6 }, service: { type: "ClusterIP" }, labels: { team: "x" }, values: { env: { A: "1" } } },
                b: { revision: "1-30-3", restart: false },
            },
        });
        const [a, b] = config.gateways;
        expect(gatewayValues(a, "1-30-3@1.30.3")).to.deep.equal({
            revision: "1-30-3",
            replicaCount: 3,
            autoscaling: { enabled: true, minReplicas: 3, maxReplicas: 6 },
            service: { type: "ClusterIP" },
            labels: { team: "x" },
            podAnnotations: { [EFFECTIVE_REVISION_ANNOTATION]: "1-30-3@1.30.3" },
            env: { A: "1" },
        });
        expect(EFFECTIVE_REVISION_ANNOTATION).to.equal("istio-mesh/effective-revision");
        expect(gatewayValues(a)).to.not.have.property("podAnnotations");
        expect(gatewayValues(b, "1-30-3@1.30.3")).to.not.have.property("podAnnotations");
    });
});
