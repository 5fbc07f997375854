/**
 * What the cluster would refuse, stopped at preview (components/config/kubernetes.ts), one
 * table per class: each row a value Kubernetes refuses (with the message) or accepts (no issue).
 */
import { expect } from "chai";
import { hubProblem, labelKeyProblem, labelValueProblem, missingKubeconfigFile, quantityProblem } from "../../components/config/kubernetes";
import { meshIssues } from "../support/fixtures";

const REV = [{ version: "1.30.3" }];

describe("config: what Kubernetes would refuse, named before anything changes", () => {
    it("label keys and values: Kubernetes' own rules, nothing stricter", () => {
        const keys: [string, RegExp | undefined][] = [
            ["team", undefined], ["app.kubernetes.io/name", undefined], ["Team_1.x", undefined], ["a", undefined], ["example.com/" + "n".repeat(63), undefined],
            ["-team", /starting and ending with a letter or digit/], ["team-", /starting and ending/], ["te am", /use letters, digits/], ["", /use letters/],
            ["n".repeat(64), /the name after the prefix is 64 characters, the limit is 63/], ["Example.com/x", /the prefix before '\/' must be a DNS subdomain/], ["/x", /prefix/], ["a/b/c", /prefix/],
        ];
        for (const [k, m] of keys) m === undefined ? expect(labelKeyProblem(k), k).to.equal(undefined) : expect(labelKeyProblem(k), k).to.match(m);
        const values: [string, RegExp | undefined][] = [
            ["", undefined], ["prod", undefined], ["1.30.3", undefined], ["A_b-c.d", undefined], ["v".repeat(63), undefined],
            ["v".repeat(64), /is 64 characters; a label value is at most 63/], ["a b", /not a label value/], ["-a", /not a label value/], ["a/b", /not a label value/], ["é", /not a label value/],
        ];
        for (const [v, m] of values) m === undefined ? expect(labelValueProblem(v), v).to.equal(undefined) : expect(labelValueProblem(v), v).to.match(m);
    });

    it("resource quantities: resource.ParseQuantity's grammar, YAML numbers included", () => {
        for (const ok of ["1", "0.5", "500m", "1.5", ".5", "1e3", "1E-3", "512Mi", "1Gi", "2k", "100M", "1Ei", "0", "+1", 1, 0.25, "1."]) {
            expect(quantityProblem(ok), String(ok)).to.equal(undefined);
        }
        const bad: [unknown, RegExp][] = [
            ["1 core", /^"1 core" is not a Kubernetes quantity \(CPU is counted in cores without a unit: 1\); write e\.g\. 500m or 1/],
            ["2 cpus", /without a unit: 2/], ["512 Mi", /\(no spaces\)/], ["512mi", /\(units: m, k, M, G, T, P, E or Ki, Mi, Gi, Ti, Pi, Ei; case matters\)/], ["1GB", /case matters/],
            ["", /not a Kubernetes quantity/], ["-1", /is negative; requests and limits are at least 0/], [true, /is not a quantity/], [{ a: 1 }, /is not a quantity/],
        ];
        for (const [q, m] of bad) expect(quantityProblem(q), String(q)).to.match(m);
    });

    it("the image hub is a registry path: no scheme, tag or digest", () => {
        for (const ok of ["docker.io/istio", "gcr.io/istio-release", "istio", "localhost:5000/istio", "myregistry.azurecr.io/mirror/istio", "Registry.Example.com/team/istio", "r.example.com:443/a__b/c-d"]) {
            expect(hubProblem(ok), ok).to.equal(undefined);
        }
        const bad: [string, string][] = [
            ["https://gcr.io/istio-release", '"https://gcr.io/istio-release" has a scheme; a hub is a registry path without one: write gcr.io/istio-release'],
            ["docker.io/istio:1.30.3", '"docker.io/istio:1.30.3" has a tag; the tag comes from each revision\'s version (images are <hub>/<image>:<version>): write docker.io/istio'],
            ["docker.io/istio@sha256:abc", '"docker.io/istio@sha256:abc" has a digest; a hub is a registry path (images are <hub>/<image>:<version>): write docker.io/istio'],
            ["docker.io/istio/", '"docker.io/istio/" ends with \'/\'; write docker.io/istio'],
            ["docker.io/Istio", '"docker.io/Istio" is not a registry path: "Istio" is not a repository path component (lower-case letters and digits, separated by \'.\', \'_\' or \'-\'); e.g. docker.io/istio or myregistry.example.com:5000/mirror/istio'],
            ["my registry/istio", '"my registry/istio" is not a registry path: "my registry" is not a repository path component (lower-case letters and digits, separated by \'.\', \'_\' or \'-\'); e.g. docker.io/istio or myregistry.example.com:5000/mirror/istio'],
        ];
        for (const [hub, m] of bad) expect(hubProblem(hub), hub).to.equal(m);
    });

    it("in the stack config: each at its key, once", () => {
        const rows: [Record<string, unknown>, string][] = [
            [{ revisions: REV, hub: "https://gcr.io/istio" }, "istio-mesh:mesh.hub: \"https://gcr.io/istio\" has a scheme; a hub is a registry path without one: write gcr.io/istio"],
            [{ revisions: REV, controlPlane: { resources: { requests: { cpu: "1 core" } } } }, "istio-mesh:mesh.controlPlane.resources.requests.cpu: \"1 core\" is not a Kubernetes quantity (CPU is counted in cores without a unit: 1); write e.g. 500m or 1 (CPU), 512Mi or 1Gi (memory)"],
            [{ revisions: [{ version: "1.30.3", controlPlane: { resources: { limits: { memory: "1 GB" } } } }] }, "istio-mesh:mesh.revisions[0].controlPlane.resources.limits.memory: \"1 GB\" is not a Kubernetes quantity (no spaces); write e.g. 500m or 1 (CPU), 512Mi or 1Gi (memory)"],
            [{ revisions: REV, namespaces: { shop: { revision: "1-30-3", labels: { "team name": "a" } } } }, "istio-mesh:mesh.namespaces.shop.labels.team name: \"team name\" is not a label key: use letters, digits, '-', '_' and '.', starting and ending with a letter or digit (optionally after a DNS prefix and '/')"],
            [{ revisions: REV, namespaces: { shop: { revision: "1-30-3", labels: { team: "a b" } } } }, "istio-mesh:mesh.namespaces.shop.labels.team: \"a b\" is not a label value: use letters, digits, '-', '_' and '.', starting and ending with a letter or digit (or leave it empty)"],
            [{ revisions: REV, gateways: { gw: { revision: "1-30-3", labels: { app: "x".repeat(64) } } } }, `istio-mesh:mesh.gateways.gw.labels.app: "${"x".repeat(64)}" is 64 characters; a label value is at most 63`],
            [{ revisions: REV, gateways: { gw: { revision: "1-30-3", resources: { requests: { cpu: "half" } } } } }, "istio-mesh:mesh.gateways.gw.resources.requests.cpu: \"half\" is not a Kubernetes quantity; write e.g. 500m or 1 (CPU), 512Mi or 1Gi (memory)"],
            [{ revisions: REV, gateways: { gw: { revision: "1-30-3", service: { annotations: { "bad key!": "x" } } } } }, "istio-mesh:mesh.gateways.gw.service.annotations.bad key!: \"bad key!\" is not a label key: use letters, digits, '-', '_' and '.', starting and ending with a letter or digit (optionally after a DNS prefix and '/')"],
        ];
        for (const [mesh, issue] of rows) expect(meshIssues(mesh), JSON.stringify(mesh)).to.deep.equal([issue]);
        // What Kubernetes accepts passes: an empty label value, a prefixed key, numbers as quantities, a nodePort on a LoadBalancer.
        expect(meshIssues({
            revisions: REV, hub: "localhost:5000/istio",
            controlPlane: { resources: { requests: { cpu: 0.5, memory: "512Mi" }, limits: { cpu: 2 } } },
            namespaces: { shop: { revision: "1-30-3", labels: { "example.com/team": "", tier: "Web_1" } } },
            gateways: { gw: { revision: "1-30-3", service: { type: "LoadBalancer", ports: [{ name: "http", port: 80, nodePort: 30080 }], annotations: { "service.beta.kubernetes.io/azure-dns-label-name": "any value at all" } } } },
        })).to.deep.equal([]);
    });

    it("names the program derives: the tag's Service (63), Helm releases (53)", () => {
        const tag43 = "t".repeat(43);
        const tag44 = "t".repeat(44);
        expect(meshIssues({ revisions: REV, tags: { [tag43]: "1-30-3" } })).to.deep.equal([]);
        expect(meshIssues({ revisions: REV, tags: { [tag44]: "1-30-3" } })).to.deep.equal([
            `istio-mesh:mesh.tags.${tag44}: the tag's Service istiod-revision-tag-${tag44} would be 64 characters, over the 63 Kubernetes/Helm allow; shorten the tag to at most 43 characters`,
        ]);
        // Before 1.28 istiod's chart renders no tag Service: nothing to refuse.
        expect(meshIssues({ revisions: [{ version: "1.27.9" }], tags: { [tag44]: "1-27-9" } })).to.deep.equal([]);
        const rev47 = "r".repeat(47);
        expect(meshIssues({ revisions: [{ version: "1.30.3", name: "r".repeat(46) }] })).to.deep.equal([]);
        // One issue: the tag and namespace that point at the revision are not reported again.
        expect(meshIssues({ revisions: [{ version: "1.30.3", name: rev47 }], tags: { stable: rev47 }, namespaces: { shop: "stable" } })).to.deep.equal([
            `istio-mesh:mesh.revisions[0].name: the Helm release istiod-${rev47} would be 54 characters, over the 53 Kubernetes/Helm allow; shorten the revision name to at most 46 characters`,
        ]);
        const gw54 = "g".repeat(54);
        expect(meshIssues({ revisions: REV, gateways: { [gw54]: { revision: "1-30-3" } } })).to.deep.equal([
            `istio-mesh:mesh.gateways.${gw54}: the gateway's Helm release (and Deployment) ${gw54} would be 54 characters, over the 53 Kubernetes/Helm allow; shorten the gateway name to at most 53 characters`,
        ]);
        const gw50 = "g".repeat(50);
        expect(meshIssues({ revisions: REV, gateways: { [gw50]: { canary: { "1-30-3": {} } } } })).to.deep.equal([
            `istio-mesh:mesh.gateways.${gw50}.canary.1-30-3: the canary Deployment's Helm release ${gw50}-1-30-3 would be 57 characters, over the 53 Kubernetes/Helm allow; shorten the gateway or tag name`,
        ]);
    });

    it("reserved names: a revision called default, the system namespaces, deleting default", () => {
        expect(meshIssues({ revisions: [{ version: "1.30.3", name: "default" }] })).to.deep.equal([
            'istio-mesh:mesh.revisions[0].name: a revision may not be named "default": istio.io/rev=default means the default tag (mesh.defaultRevision); name it e.g. after its version (1-30-3)',
        ]);
        for (const ns of ["kube-system", "kube-public", "kube-node-lease"]) {
            expect(meshIssues({ revisions: REV, namespaces: { [ns]: "1-30-3" } })).to.deep.equal([
                `istio-mesh:mesh.namespaces.${ns}: Istio never injects into ${ns}, and enrolling it would restart the cluster's own system workloads; remove it from mesh.namespaces`,
            ]);
        }
        expect(meshIssues({ revisions: REV, namespaces: { default: { revision: "1-30-3", create: true, deleteWhenRemoved: true } } })).to.deep.equal([
            "istio-mesh:mesh.namespaces.default.deleteWhenRemoved: Kubernetes never deletes the default namespace; remove deleteWhenRemoved",
        ]);
        // Enrolling default (without deleting it) is fine.
        expect(meshIssues({ revisions: REV, namespaces: { default: "1-30-3" } })).to.deep.equal([]);
    });
});

describe("config: a kubeconfig path that does not exist (checked by preview and up)", () => {
    const exists = (p: string) => p === "/home/me/.kube/config";
    it("names the missing file, the key and the fixes", () => {
        const m = missingKubeconfigFile("/home/me/.kube/conf", exists);
        expect(m).to.match(/^istio-mesh:cluster\.kubeconfig: the file "\/home\/me\/\.kube\/conf" does not exist; /);
        expect(m).to.include("--secret");
    });
    for (const [what, value] of [
        ["a file that exists", "/home/me/.kube/config"],
        ["YAML contents", "apiVersion: v1\nkind: Config\n"],
        ["JSON contents", '{"apiVersion":"v1"}'],
        ["one-line YAML contents", "apiVersion: v1"],
        ["multi-line text without apiVersion", "clusters: []\nusers: []"],
    ] as const) {
        it(`leaves ${what} alone`, () => expect(missingKubeconfigFile(value, exists)).to.equal(undefined));
    }
});
