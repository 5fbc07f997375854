/**
 * Every config problem, one row each: the exact path it names and the fix its message gives
 * (a distinctive fragment, so rewording stays free but an empty or wrong message fails).
 */
import { expect } from "chai";
import { ConfigError, formatPath } from "../../components/config/errors";
import { byCodePoint, byKey } from "../../components/config/order";
import { parseStackConfig } from "../../components/config/stackConfig";
import { UserError } from "../../components/errors";

const one = { revisions: [{ version: "1.29.6" }] };
const two = { revisions: [{ version: "1.29.6" }, { version: "1.30.3" }], tags: { stable: "1-29-6", canary: "1-30-3" }, defaultRevision: "stable" };
const mesh = (m: Record<string, unknown>, cluster: Record<string, unknown> = { kind: "existing" }) => ({ "istio-mesh:cluster": cluster, "istio-mesh:mesh": m });

/** [what, raw config, [path, message fragment][]] */
const rows: [string, Record<string, unknown>, [string, RegExp][]][] = [
    ["an unknown istio-mesh key", { ...mesh(one), "istio-mesh:other": 1 }, [["istio-mesh:other", /^unknown key; the keys are istio-mesh:cluster and istio-mesh:mesh$/]]],
    ["no mesh", { "istio-mesh:cluster": { kind: "existing" } }, [["istio-mesh:mesh", /revisions: \[\{version: 1\.30\.3\}\]/]]],
    ["a mesh that is not a map", { "istio-mesh:mesh": "not json" }, [["istio-mesh:mesh", /not json/]]],
    ["no revision", mesh({ revisions: [] }), [["istio-mesh:mesh.revisions", /^empty; list at least one revision/]]],
    ["a bad control-plane namespace", mesh({ ...one, namespace: "Istio" }), [["istio-mesh:mesh.namespace", /"Istio" is not a DNS label/]]],
    ["a bad tag name", mesh({ ...one, tags: { Bad: "1-29-6" } }), [["istio-mesh:mesh.tags.Bad", /"Bad" is not a DNS label/]]],
    ["a manual default tag", mesh({ ...one, tags: { default: "1-29-6" } }), [["istio-mesh:mesh.tags.default", /driven by mesh\.defaultRevision.*set defaultRevision: 1-29-6$/]]],
    ["defaultRevision: default", mesh({ ...one, defaultRevision: "default" }), [["istio-mesh:mesh.defaultRevision", /^"default" is neither a revision \(1-29-6\) nor a tag \(mesh.tags defines none\); name one of them$/]]],
    ["a bad namespace name", mesh({ ...one, namespaces: { Bad: "1-29-6" } }), [["istio-mesh:mesh.namespaces.Bad", /"Bad" is not a DNS label/]]],
    [
        "deleteWhenRemoved on an existing namespace",
        mesh({ ...one, namespaces: { shop: { revision: "1-29-6", deleteWhenRemoved: true } } }),
        [["istio-mesh:mesh.namespaces.shop.deleteWhenRemoved", /only a namespace the stack creates \(create: true\) can be deleted by it/]],
    ],
    [
        "istio.io/rev among a namespace's labels",
        mesh({ ...one, namespaces: { shop: { revision: "1-29-6", labels: { "istio.io/rev": "x" } } } }),
        [["istio-mesh:mesh.namespaces.shop.labels", /set by the program from `revision`/]],
    ],
    ["a bad gateway name", mesh({ ...one, gateways: { Bad: { revision: "1-29-6" } } }), [["istio-mesh:mesh.gateways.Bad", /"Bad" is not a DNS label/]]],
    ["a bad gateway namespace", mesh({ ...one, gateways: { gw: { revision: "1-29-6", namespace: "Bad" } } }), [["istio-mesh:mesh.gateways.gw.namespace", /"Bad" is not a DNS label/]]],
    ["a gateway without revision or canary", mesh({ ...one, gateways: { gw: {} } }), [["istio-mesh:mesh.gateways.gw", /set revision .* or canary/]]],
    [
        "a canary gateway with in-place settings",
        mesh({ ...two, gateways: { gw: { canary: { stable: {} }, revision: "stable", replicas: 2 } } }),
        [["istio-mesh:mesh.gateways.gw", /remove revision, replicas /]],
    ],
    [
        "a canary gateway without a Service",
        mesh({ ...two, gateways: { gw: { canary: { stable: {} }, service: { type: "None" } } } }),
        [["istio-mesh:mesh.gateways.gw.service.type", /use LoadBalancer, ClusterIP or NodePort$/]],
    ],
    ["a canary gateway without entries", mesh({ ...two, gateways: { gw: { canary: {} } } }), [["istio-mesh:mesh.gateways.gw.canary", /list at least one tag or revision/]]],
    ["a canary gateway with nothing serving", mesh({ ...two, gateways: { gw: { canary: { stable: { replicas: 0 } } } } }), [["istio-mesh:mesh.gateways.gw.canary", /every entry has replicas: 0/]]],
    [
        "a canary entry that is no tag or revision",
        mesh({ ...two, gateways: { gw: { canary: { nope: {} } } } }),
        [["istio-mesh:mesh.gateways.gw.canary.nope", /^"nope" is neither a revision \(1-29-6, 1-30-3\) nor a tag \(canary, stable\); point it at one of them$/]],
    ],
    [
        "a canary Deployment name over 53 characters",
        mesh({ ...two, gateways: { ["g".repeat(47)]: { canary: { stable: {} } } } }),
        [[`istio-mesh:mesh.gateways.${"g".repeat(47)}.canary.stable`, /Helm release g+-stable would be 54 characters, over the 53/]],
    ],
    [
        "a canary entry on a gateway chart that does not render",
        mesh({ revisions: [{ version: "1.25.4" }, { version: "1.30.3" }], defaultRevision: "1-30-3", gateways: { gw: { canary: { "1-25-4": {}, "1-30-3": {} } } } }),
        [["istio-mesh:mesh.gateways.gw.canary.1-25-4", /follows Istio 1\.25\.4, .*istio#57354/]],
    ],
    ["gateway maxReplicas below replicas", mesh({ ...one, gateways: { gw: { revision: "1-29-6", replicas: 4, autoscaling: { maxReplicas: 3 } } } }), [["istio-mesh:mesh.gateways.gw.autoscaling", /^maxReplicas \(3\) is below minReplicas \(4\); raise maxReplicas$/]]],
    ["a pdb with both numbers", mesh({ ...one, controlPlane: { pdb: { minAvailable: 1, maxUnavailable: 1 } } }), [["istio-mesh:mesh.controlPlane.pdb", /set either minAvailable or maxUnavailable, never both/]]],
    ["istiod maxReplicas below minReplicas", mesh({ ...one, controlPlane: { autoscaling: { minReplicas: 4, maxReplicas: 3 } } }), [["istio-mesh:mesh.controlPlane.autoscaling", /maxReplicas \(3\) is below minReplicas \(4\)/]]],
    ["a tag that names no revision", mesh({ ...one, tags: { stable: "1-30-3" } }), [["istio-mesh:mesh.tags.stable", /^points at "1-30-3", which is not a revision; tags point at one of: 1-29-6$/]]],
    ["a tag named like a revision", mesh({ revisions: [{ version: "1.29.6" }, { version: "1.30.3", name: "canary" }], defaultRevision: "1-29-6", tags: { canary: "1-29-6" } }), [["istio-mesh:mesh.tags.canary", /may not share its name with a revision/]]],
    ["several revisions, no default", mesh({ revisions: [{ version: "1.29.6" }, { version: "1.30.3" }] }), [["istio-mesh:mesh.defaultRevision", /^required with more than one revision: .*\(one of 1-29-6, 1-30-3\)$/]]],
    ["a namespace reference to nothing", mesh({ ...two, namespaces: { shop: "x" } }), [["istio-mesh:mesh.namespaces.shop", /^"x" is neither a revision \(1-29-6, 1-30-3\) nor a tag \(canary, stable\); point it at one of them$/]]],
    ["the control plane namespace enrolled", mesh({ ...one, namespaces: { "istio-system": "1-29-6" } }), [["istio-mesh:mesh.namespaces.istio-system", /^the control-plane namespace is never injected; remove it from mesh\.namespaces$/]]],
    ["a Kubernetes version outside a revision's range", mesh({ ...two }, { kind: "existing", kubernetesVersion: "1.31" }), [["istio-mesh:mesh.revisions[1].version", /^Istio 1\.30\.3 supports Kubernetes 1\.32 to 1\.36, not 1\.31: pick an Istio release that supports the cluster, or upgrade the cluster first$/]]],
    ["an unreadable Kubernetes version", mesh(one, { kind: "existing", kubernetesVersion: "x" }), [["istio-mesh:cluster.kubernetesVersion", /^"x" is not a Kubernetes version; write e\.g\. "1\.31"$/]]],
    ["AKS without its resource group", mesh(one, { kind: "aks", kubernetesVersion: "1.33" }), [["istio-mesh:cluster.resourceGroup", /resourceGroup is required/]]],
    ["the AKS add-on on an existing cluster", mesh({ revisions: [{ version: "1.30" }], management: "aks-addon" }), [["istio-mesh:mesh.management", /^"aks-addon" needs istio-mesh:cluster kind: aks/]]],
    ["CNI excluding an enrolled namespace", mesh({ ...one, namespaces: { shop: "1-29-6" }, cni: { enabled: true, excludeNamespaces: ["shop"] } }), [["istio-mesh:mesh.cni.excludeNamespaces[0]", /^"shop" is in mesh\.namespaces: .*remove it from excludeNamespaces or from mesh\.namespaces$/]]],
    ["an mTLS override for the control-plane namespace", mesh({ ...one, mtls: { namespaces: { "istio-system": "STRICT" } } }), [["istio-mesh:mesh.mtls.namespaces.istio-system", /set mtls\.mode instead/]]],
    ["a duplicate revision", mesh({ revisions: [{ version: "1.29.6" }, { version: "1.29.6" }] }), [["istio-mesh:mesh.revisions[1]", /^duplicate revision "1-29-6" \(also revisions\[0\]\); give one of them a distinct name$/]]],
    ["a bad revision name", mesh({ revisions: [{ version: "1.29.6", name: "A" }, { version: "1.30.3" }], defaultRevision: "1-30-3" }), [["istio-mesh:mesh.revisions[0].name", /"A" is not a DNS label/]]],
];

describe("config: every problem names its path and its fix", () => {
    for (const [what, raw, expected] of rows) {
        it(what, () => {
            let error: unknown;
            try {
                parseStackConfig(raw);
            } catch (e) {
                error = e;
            }
            expect(error, "a ConfigError").to.be.instanceOf(ConfigError);
            const issues = (error as ConfigError).issues;
            expect(issues.map((i) => i.path)).to.deep.equal(expected.map(([p]) => p));
            issues.forEach((issue, i) => expect(issue.message, issue.path).to.match(expected[i][1]));
        });
    }

    it("the error lists every problem, one per line, and is the user's to fix", () => {
        const e = new ConfigError([
            { path: "a.b", message: "first" },
            { path: "c[0]", message: "second" },
        ]);
        expect(e).to.be.instanceOf(UserError);
        expect(e.name).to.equal("ConfigError");
        expect(e.message).to.equal("invalid istio-mesh stack config (2 problems):\n  - a.b: first\n  - c[0]: second");
        expect(new ConfigError([{ path: "x", message: "y" }]).message).to.equal("invalid istio-mesh stack config (1 problem):\n  - x: y");
        expect(formatPath("istio-mesh:mesh", ["revisions", 1, "name"])).to.equal("istio-mesh:mesh.revisions[1].name");
        expect(formatPath("k", [])).to.equal("k");
    });

    it("orders names by code point, never by locale", () => {
        const sorted = ["b", "a10", "a9", "a-b", "ab", "", "a", "Z", "é", "😀", "a\u{10000}"].sort(byCodePoint);
        expect(sorted).to.deep.equal(["", "Z", "a", "a-b", "a10", "a9", "ab", "a\u{10000}", "b", "é", "😀"]);
        expect(byCodePoint("x", "x")).to.equal(0);
        expect(byCodePoint("a", "ab")).to.equal(-1);
        expect(byCodePoint("ab", "a")).to.equal(1);
        expect(byCodePoint("b", "a")).to.equal(1);
        expect(byCodePoint("a", "b")).to.equal(-1);
        expect([["b", 1], ["a", 2]].sort(byKey as (x: unknown, y: unknown) => number)).to.deep.equal([["a", 2], ["b", 1]]);
    });
});
