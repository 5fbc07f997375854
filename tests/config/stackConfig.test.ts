import { expect } from "chai";
import * as fc from "fast-check";
import { parseStackConfig } from "../../components/config/stackConfig";
import { meshConfigMap, meshIssues, parseMesh, stackFile } from "../support/fixtures";


const one = { revisions: [{ version: "1.29.6" }] };

describe("config: stack config parsing", () => {
    it("applies defaults in one place", () => {
        const c = parseMesh(one);
        expect(c.namespace).to.equal("istio-system");
        expect(c.chartRepository).to.equal("https://istio-release.storage.googleapis.com/charts");
        expect(c.hub).to.equal("docker.io/istio");
        expect(c.revisions).to.deep.equal([{ name: "1-29-6", version: "1.29.6", values: {} }]);
        expect(c.defaultRevision).to.equal("1-29-6");
        expect(c.controlPlane.replicas).to.equal(2);
        expect(c.controlPlane.pdb).to.deep.equal({ minAvailable: 1 });
        expect(c.cluster).to.deep.equal({ kind: "existing", context: undefined, kubeconfig: undefined, kubernetesVersion: undefined, skipAwait: false });
    });

    it("parses every example stack", () => {
        for (const f of ["01-install", "02-canary", "03-promote", "04-complete"]) {
            expect(() => parseStackConfig(stackFile(f)), f).not.to.throw();
        }
    });

    it("accepts JSON strings, as the Pulumi runtime passes structured config", () => {
        const c = parseStackConfig({ "istio-mesh:mesh": JSON.stringify(one), "kubernetes:context": "ignored" });
        expect(c.revisions[0].name).to.equal("1-29-6");
    });

    it("names the path of unknown keys, at every level", () => {
        expect(meshIssues({ ...one, revison: [] })).to.deep.equal(["istio-mesh:mesh.revison: unknown key; remove it or fix its spelling"]);
        expect(meshIssues({ revisions: [{ version: "1.29.6", valeus: {} }] })[0]).to.match(/^istio-mesh:mesh\.revisions\[0\]\.valeus: unknown key/);
        expect(() => parseStackConfig({ ...meshConfigMap(one), "istio-mesh:meshh": {} })).to.throw(/istio-mesh:meshh: unknown key/);
    });

    it("rejects malformed versions and names with the fix", () => {
        expect(meshIssues({ revisions: [{ version: "1.30" }] })[0]).to.match(/revisions\[0\]\.version: .*MAJOR\.MINOR\.PATCH/);
        expect(meshIssues({ revisions: [{ version: "1.30.3", name: "1.30.3" }] })[0]).to.match(/revisions\[0\]\.name: .*DNS label.*write 1-30-3/);
        expect(meshIssues({ revisions: [{ version: "1.18.0" }] })[0]).to.match(/not supported/);
    });

    it("rejects duplicate revisions", () => {
        expect(meshIssues({ revisions: [{ version: "1.29.6" }, { version: "1.29.6" }] })[0]).to.match(/revisions\[1\]: duplicate revision "1-29-6" \(also revisions\[0\]\)/);
    });

    it("checks tags: target exists, no clash with a revision, no manual default tag", () => {
        const two = { revisions: [{ version: "1.29.6" }, { version: "1.30.3", name: "canary" }], defaultRevision: "1-29-6" };
        expect(meshIssues({ ...two, tags: { stable: "1-28-0" } })[0]).to.match(/tags\.stable: points at "1-28-0", which is not a revision/);
        expect(meshIssues({ ...two, tags: { canary: "1-29-6" } })[0]).to.match(/tags\.canary: a tag may not share its name with a revision/);
        expect(meshIssues({ ...two, tags: { default: "canary" } })[0]).to.match(/tags\.default: .*set defaultRevision: canary/);
        expect(meshIssues({ ...two, tags: { stable: "prod" } })[0]).to.match(/not a revision/);
    });

    it("requires defaultRevision with several revisions and checks it resolves", () => {
        expect(meshIssues({ revisions: [{ version: "1.29.6" }, { version: "1.30.3" }] })[0]).to.match(/defaultRevision: required with more than one revision/);
        expect(meshIssues({ ...one, defaultRevision: "nope" })[0]).to.match(/defaultRevision: "nope" is neither a revision/);
        expect(parseMesh({ ...one, tags: { stable: "1-29-6" }, defaultRevision: "stable" }).defaultRevision).to.equal("stable");
    });

    it("rejects dangling namespace and gateway references", () => {
        expect(meshIssues({ ...one, namespaces: { shop: "canary" } })[0]).to.match(/namespaces\.shop: "canary" is neither a revision \(1-29-6\) nor a tag \(mesh.tags defines none\)/);
        expect(meshIssues({ ...one, gateways: { gw: { revision: "x" } } })[0]).to.match(/gateways\.gw\.revision: "x" is neither/);
        expect(meshIssues({ ...one, namespaces: { "istio-system": "1-29-6" } })[0]).to.match(/control-plane namespace is never injected/);
        expect(meshIssues({ ...one, namespaces: { shop: { revision: "1-29-6", labels: { "istio-injection": "enabled" } } } })[0]).to.match(/labels: istio\.io\/rev and istio-injection are set by the program/);
    });

    it("refuses gateways on charts that fail their own schema (< 1.25.5)", () => {
        expect(meshIssues({ revisions: [{ version: "1.24.6" }], gateways: { gw: { revision: "1-24-6" } } })[0]).to.match(/gateways\.gw\.revision: .*istio#57354/);
        expect(meshIssues({ revisions: [{ version: "1.25.5" }], gateways: { gw: { revision: "default" } } })).to.deep.equal([]);
    });

    it("checks kubernetesVersion against each revision's range", () => {
        expect(meshIssues({ revisions: [{ version: "1.30.3" }] }, { kind: "existing", kubernetesVersion: "1.31" })[0]).to.match(/revisions\[0\]\.version: Istio 1\.30\.3 supports Kubernetes 1\.32 to 1\.36, not 1\.31/);
        expect(meshIssues(one, { kind: "existing", kubernetesVersion: "one" })[0]).to.match(/cluster\.kubernetesVersion: "one" is not a Kubernetes version/);
        expect(meshIssues(one, { kind: "existing", kubernetesVersion: "1.33" })).to.deep.equal([]);
    });

    it("accepts Istio CNI (issue 10: no longer refused as not yet supported)", () => {
        expect(meshIssues({ ...one, cni: { enabled: true } })).to.deep.equal([]);
    });

    it("rejects a chart repository that is not a URL", () => {
        expect(meshIssues({ ...one, chartRepository: "istio/charts" })[0]).to.match(/chartRepository: must be a Helm repository URL/);
        expect(meshIssues({ ...one, chartRepository: "oci://registry.example/istio" })).to.deep.equal([]);
    });

    it("collects every problem, not just the first", () => {
        expect(meshIssues({ ...one, tags: { a: "x", b: "y" }, namespaces: { n: "z" } })).to.have.length(3);
    });

    it("rejects pdb with both numbers and maxReplicas below minReplicas", () => {
        expect(meshIssues({ ...one, controlPlane: { pdb: { minAvailable: 1, maxUnavailable: 1 } } })[0]).to.match(/controlPlane\.pdb: set either/);
        expect(meshIssues({ ...one, controlPlane: { replicas: 3, autoscaling: { maxReplicas: 2 } } })[0]).to.match(/maxReplicas \(2\) is below minReplicas \(3\)/);
    });

    it("normalizes independently of list and map order (property)", () => {
        const versions = ["1.28.10", "1.29.6", "1.30.3"];
        fc.assert(
            fc.property(fc.shuffledSubarray(versions, { minLength: 1 }), fc.boolean(), (picked, reverse) => {
                const list = picked.map((version) => ({ version }));
                const a = parseMesh({ revisions: list, defaultRevision: list[0].version.replace(/\./g, "-") });
                const b = parseMesh({ revisions: reverse ? [...list].reverse() : list, defaultRevision: list[0].version.replace(/\./g, "-") });
                expect(a).to.deep.equal(b);
                expect(a.revisions.map((r) => r.name)).to.deep.equal([...a.revisions.map((r) => r.name)].sort());
            }),
        );
    });
});
