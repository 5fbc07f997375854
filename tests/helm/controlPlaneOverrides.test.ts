/** Per-revision control-plane overrides: revision > controlPlane > program defaults > chart defaults. */
import { expect } from "chai";
import { istiodValues } from "../../components/helm/values";
import { runProgram } from "../../components/plan/mockRun";
import { unknownKeys } from "../support/chartKeys";
import { meshConfigMap, parseMesh } from "../support/fixtures";

const RELEASE = "kubernetes:helm.sh/v3:Release";
const raw = {
    revisions: [
        { version: "1.23.6", name: "old" },
        { version: "1.30.3", name: "canary", controlPlane: { resources: { requests: { cpu: "250m" } }, autoscaling: { maxReplicas: 3 } } },
    ],
    defaultRevision: "old",
    controlPlane: { replicas: 3, resources: { requests: { cpu: "1" } }, meshConfig: { accessLogFile: "/dev/stdout" } },
};
const mesh = { namespace: "istio-system", hub: "docker.io/istio" };

describe("helm: control plane per revision", () => {
    it("each key the revision sets replaces that key of controlPlane; the rest comes from controlPlane, then the program's defaults", () => {
        const config = parseMesh(raw);
        const [canary, old] = config.revisions;
        expect(old.controlPlane, "no override: mesh.controlPlane").to.equal(undefined);
        expect(canary.controlPlane).to.deep.equal({
            replicas: 3,
            autoscaling: { enabled: true, minReplicas: 3, maxReplicas: 3 },
            resources: { requests: { cpu: "250m" } },
            pdb: { minAvailable: 1 },
            meshConfig: { accessLogFile: "/dev/stdout" },
        });
        const canaryValues = istiodValues(mesh, config.controlPlane, canary);
        expect(canaryValues).to.deep.include({ replicaCount: 3, autoscaleMax: 3, resources: { requests: { cpu: "250m" } } });
        expect(unknownKeys("1.30.3", "istiod", canaryValues)).to.deep.equal([]);
        const oldValues = istiodValues(mesh, config.controlPlane, old);
        expect(oldValues.pilot).to.deep.include({ replicaCount: 3, autoscaleMax: 5, resources: { requests: { cpu: "1" } } });
        expect(unknownKeys("1.23.6", "istiod", oldValues)).to.deep.equal([]);
        // Raw revision values still merge last (the escape hatch beats every typed setting).
        const hatch = parseMesh({ ...raw, revisions: [raw.revisions[0], { ...raw.revisions[1], values: { resources: { requests: { cpu: "9" } } } }] }).revisions[0];
        expect(istiodValues(mesh, config.controlPlane, hatch).resources).to.deep.equal({ requests: { cpu: "9" } });
    });

    it("the program gives each istiod release its own control plane", async () => {
        const { resources } = await runProgram(meshConfigMap({ ...raw, revisions: [{ version: "1.29.6", name: "old" }, raw.revisions[1]] }), null);
        const istiod = (n: string) => (resources.find((r) => r.type === RELEASE && (r.inputs as any).name === `istiod-${n}`)!.inputs as any).values;
        expect(istiod("canary").resources).to.deep.equal({ requests: { cpu: "250m" } });
        expect(istiod("old").resources).to.deep.equal({ requests: { cpu: "1" } });
    });

    it("a bad override names the revision's path", () => {
        let issues: { path: string; message: string }[] = [];
        try {
            parseMesh({ ...raw, revisions: [raw.revisions[0], { ...raw.revisions[1], controlPlane: { pdb: { minAvailable: 1, maxUnavailable: 1 } } }] });
        } catch (e) {
            issues = (e as { issues: typeof issues }).issues;
        }
        expect(issues).to.deep.equal([{ path: "istio-mesh:mesh.revisions[1].controlPlane.pdb", message: "set either minAvailable or maxUnavailable, never both (the chart ignores minAvailable then)" }]);
    });
});
