/**
 * parseStackConfig's less travelled paths, asserted by exact value: the top-level keys (JSON
 * strings, misplaced keys, a cluster that is not a map), secure values and secret keys, per-revision
 * control-plane overrides, namespace entries, restarts and the optional blocks, and the exported
 * helpers (clusterSchema, isSecureValue, containsSecureValue, readStackConfig).
 * Pure: no Pulumi mocks; readStackConfig reads the SDK's config store, which is restored after.
 */
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { DEFAULTS } from "../../components/config/defaults";
import { ConfigError } from "../../components/config/errors";
import { MeshConfig } from "../../components/config/model";
import { clusterSchema } from "../../components/config/schema";
import { containsSecureValue, isSecureValue, parseStackConfig, readStackConfig, SECRET_PLACEHOLDER } from "../../components/config/stackConfig";
import { configIssues, meshConfigMap, meshIssues, parseMesh } from "../support/fixtures";

type Json = Record<string, unknown>;



const ONE = { revisions: [{ version: "1.29.6" }] };
const PLAIN_EXPECTED = "this value is a Pulumi secret; istio-mesh reads it as plain config: run `pulumi config set` without --secret";
const CLUSTER_HINT = "e.g. `istio-mesh:cluster: {kind: existing, context: prod}`, or remove it";
const EXISTING = { kind: "existing", context: undefined, kubeconfig: undefined, kubernetesVersion: undefined, skipAwait: false };
const SECURE = { secure: "v1:c2VjcmV0" };

describe("config: stack config paths, by exact value", () => {
    describe("top-level keys", () => {
        it("a misplaced `mesh:` key next to `istio-mesh:mesh` is reported, and the real key is still checked", () => {
            expect(configIssues({ mesh: ONE, "istio-mesh:mesh": { revisions: [] } })).to.deep.equal([
                "mesh: write the key as `istio-mesh:mesh` (the program reads keys in the istio-mesh: namespace)",
                "istio-mesh:mesh.revisions: empty; list at least one revision, e.g. `revisions: [{version: 1.30.3}]`",
            ]);
        });

        it("a cluster that is not a map gets the cluster's own hint, not the mesh's", () => {
            expect(configIssues({ "istio-mesh:cluster": "prod", "istio-mesh:mesh": ONE })).to.deep.equal([`istio-mesh:cluster: must be a map of settings, not "prod"; ${CLUSTER_HINT}`]);
            expect(configIssues({ "istio-mesh:cluster": [], "istio-mesh:mesh": ONE })).to.deep.equal([`istio-mesh:cluster: must be a map of settings, not a list; ${CLUSTER_HINT}`]);
            // The runtime hands JSON strings: "null" is an empty cluster block.
            expect(configIssues({ "istio-mesh:cluster": "null", "istio-mesh:mesh": ONE })).to.deep.equal([`istio-mesh:cluster: empty; ${CLUSTER_HINT}`]);
        });

        it("an absent or null cluster block is the existing cluster of the current context", () => {
            expect(parseStackConfig({ "istio-mesh:mesh": ONE }).cluster).to.deep.equal(EXISTING);
            expect(parseStackConfig({ "istio-mesh:cluster": null, "istio-mesh:mesh": ONE }).cluster).to.deep.equal(EXISTING);
        });
    });

    describe("clusterSchema: kind defaults to existing only for a map without one", () => {
        it("a map without kind is an existing cluster", () => {
            const r = clusterSchema.safeParse({ context: "prod" });
            expect(r.success).to.equal(true);
            expect(r.data).to.deep.equal({ kind: "existing", context: "prod" });
        });

        it("anything but a map is refused, never turned into a default cluster", () => {
            for (const v of [null, [], 5, "", "prod", true]) {
                expect(clusterSchema.safeParse(v).success, JSON.stringify(v)).to.equal(false);
            }
        });

        it("a kind that is set is kept (an incomplete aks block is not an existing cluster)", () => {
            expect(clusterSchema.safeParse({ kind: "aks" }).success).to.equal(false);
            expect(clusterSchema.safeParse({ kind: "aks", resourceGroup: "rg", kubernetesVersion: "1.33" }).data).to.include({ kind: "aks", resourceGroup: "rg" });
        });
    });

    describe("secure values and secret keys", () => {
        it("a whole secure cluster block is an opaque kubeconfig", () => {
            expect(parseStackConfig(meshConfigMap(ONE, SECURE)).cluster).to.deep.equal({ ...EXISTING, kubeconfig: SECRET_PLACEHOLDER });
            expect(SECRET_PLACEHOLDER).to.equal("[secret]");
        });

        it("a secure kubeconfig is kept as a secret, the rest of the block as written", () => {
            expect(parseStackConfig(meshConfigMap(ONE, { context: "prod", kubeconfig: SECURE })).cluster).to.deep.equal({
                ...EXISTING,
                context: "prod",
                kubeconfig: SECRET_PLACEHOLDER,
            });
        });

        it("a secure value anywhere else is refused at its path", () => {
            expect(meshIssues(ONE, { context: SECURE })).to.deep.equal([`istio-mesh:cluster.context: ${PLAIN_EXPECTED}`]);
            expect(meshIssues({ ...ONE, hub: SECURE, namespaces: { shop: { revision: "1-29-6", labels: { team: SECURE } } } })).to.deep.equal([
                `istio-mesh:mesh.hub: ${PLAIN_EXPECTED}`,
                `istio-mesh:mesh.namespaces.shop.labels.team: ${PLAIN_EXPECTED}`,
            ]);
        });

        it("a mesh key the engine marks secret is refused once, at the key or at the secure value", () => {
            expect(configIssues(meshConfigMap(ONE), ["istio-mesh:mesh"])).to.deep.equal([`istio-mesh:mesh: ${PLAIN_EXPECTED}`]);
            expect(configIssues(meshConfigMap({ ...ONE, hub: SECURE }), ["istio-mesh:mesh"])).to.deep.equal([`istio-mesh:mesh.hub: ${PLAIN_EXPECTED}`]);
        });

        it("a cluster key marked secret is fine (the kubeconfig is handled as a secret anyway)", () => {
            expect(configIssues(meshConfigMap(ONE, { context: "prod" }), ["istio-mesh:cluster"])).to.deep.equal([]);
            expect(parseStackConfig(meshConfigMap(ONE, { context: "prod" }), ["istio-mesh:cluster"]).cluster).to.deep.equal({ ...EXISTING, context: "prod" });
        });

        it("isSecureValue: exactly a one-key map with a string `secure`", () => {
            expect(isSecureValue(SECURE)).to.equal(true);
            expect(isSecureValue({ secure: 1 })).to.equal(false);
            expect(isSecureValue({ secure: "v1:x", other: 1 })).to.equal(false);
            expect(isSecureValue(null)).to.equal(false);
            expect(isSecureValue("v1:x")).to.equal(false);
            expect(isSecureValue(Object.assign([], { secure: "v1:x" }))).to.equal(false);
        });

        it("containsSecureValue: anywhere in maps and lists, nowhere in plain values", () => {
            expect(containsSecureValue(SECURE)).to.equal(true);
            expect(containsSecureValue({ a: { b: SECURE } })).to.equal(true);
            expect(containsSecureValue({ a: 1, b: SECURE })).to.equal(true);
            expect(containsSecureValue([1, SECURE])).to.equal(true);
            expect(containsSecureValue({ a: [{ b: SECURE }] })).to.equal(true);
            expect(containsSecureValue({ a: [1, "x"], b: { c: null } })).to.equal(false);
            expect(containsSecureValue([])).to.equal(false);
            expect(containsSecureValue(null)).to.equal(false);
            expect(containsSecureValue(undefined)).to.equal(false);
            expect(containsSecureValue("v1:x")).to.equal(false);
            expect(containsSecureValue(5)).to.equal(false);
        });
    });

    describe("readStackConfig: the runtime's config and its secret keys", () => {
        const runtime = pulumi.runtime as typeof pulumi.runtime & { isConfigSecret?: (key: string) => boolean };
        let saved: Record<string, string>;
        let savedSecret: string[];
        let savedEnv: string | undefined;
        beforeEach(() => {
            saved = pulumi.runtime.allConfig();
            savedSecret = ["istio-mesh:cluster", "istio-mesh:mesh"].filter((k) => runtime.isConfigSecret?.(k) === true);
            savedEnv = process.env.PULUMI_CONFIG_SECRET_KEYS;
            delete process.env.PULUMI_CONFIG_SECRET_KEYS;
        });
        afterEach(() => {
            pulumi.runtime.setAllConfig(saved, savedSecret);
            if (savedEnv === undefined) delete process.env.PULUMI_CONFIG_SECRET_KEYS;
            else process.env.PULUMI_CONFIG_SECRET_KEYS = savedEnv;
        });

        it("reads the JSON strings the runtime holds", () => {
            pulumi.runtime.setAllConfig({ "istio-mesh:mesh": JSON.stringify(ONE), "istio-mesh:cluster": JSON.stringify({ context: "prod" }) }, []);
            const c = readStackConfig();
            expect(c.cluster).to.deep.equal({ ...EXISTING, context: "prod" });
            expect(c.revisions).to.deep.equal([{ name: "1-29-6", version: "1.29.6", values: {} }]);
        });

        it("refuses a mesh key the engine marked secret (what the SDK says, not the environment)", () => {
            pulumi.runtime.setAllConfig({ "istio-mesh:mesh": JSON.stringify(ONE) }, ["istio-mesh:mesh"]);
            expect(() => readStackConfig()).to.throw(ConfigError, `istio-mesh:mesh: ${PLAIN_EXPECTED}`);
        });

        it("a secret cluster key is accepted", () => {
            pulumi.runtime.setAllConfig({ "istio-mesh:mesh": JSON.stringify(ONE), "istio-mesh:cluster": JSON.stringify({ context: "prod" }) }, ["istio-mesh:cluster"]);
            expect(readStackConfig().cluster).to.deep.equal({ ...EXISTING, context: "prod" });
        });
    });
});

describe("config: stack config normalization, by exact value", () => {
    it("a revision's controlPlane overrides mesh.controlPlane key by key, and is checked at its own path", () => {
        const c = parseMesh({ controlPlane: { replicas: 3, meshConfig: { accessLogFile: "/dev/stdout" } }, revisions: [{ version: "1.29.6", controlPlane: { replicas: 4 } }] });
        expect(c.revisions).to.deep.equal([
            {
                name: "1-29-6",
                version: "1.29.6",
                values: {},
                controlPlane: {
                    replicas: 4,
                    autoscaling: { enabled: true, minReplicas: 4, maxReplicas: 5 },
                    resources: undefined,
                    pdb: { minAvailable: 1 },
                    meshConfig: { accessLogFile: "/dev/stdout" },
                },
            },
        ]);
        expect(c.controlPlane).to.deep.equal({
            replicas: 3,
            autoscaling: { enabled: true, minReplicas: 3, maxReplicas: 5 },
            resources: undefined,
            pdb: { minAvailable: 1 },
            meshConfig: { accessLogFile: "/dev/stdout" },
        });
        expect(meshIssues({ revisions: [{ version: "1.29.6", controlPlane: { autoscaling: { minReplicas: 4, maxReplicas: 3 } } }] })).to.deep.equal([
            "istio-mesh:mesh.revisions[0].controlPlane.autoscaling: maxReplicas (3) is below minReplicas (4); raise maxReplicas",
        ]);
    });

    it("autoscaling with maxReplicas equal to minReplicas is fine; pdb.minAvailable alone is kept", () => {
        const c = parseMesh({ ...ONE, controlPlane: { autoscaling: { minReplicas: 3, maxReplicas: 3 }, pdb: { minAvailable: 2 } } });
        expect(c.controlPlane.autoscaling).to.deep.equal({ enabled: true, minReplicas: 3, maxReplicas: 3 });
        expect(c.controlPlane.pdb).to.deep.equal({ minAvailable: 2 });
        expect(parseMesh({ ...ONE, controlPlane: { pdb: { maxUnavailable: 1 } } }).controlPlane.pdb).to.deep.equal({ maxUnavailable: 1 });
    });

    it("one valid revision and one in error: the entry's issue and the missing defaultRevision", () => {
        expect(meshIssues({ revisions: [{ version: "1.29.6" }, { version: "1.30" }] })).to.deep.equal([
            'istio-mesh:mesh.revisions[1].version: "1.30" is not a full Istio release; write MAJOR.MINOR.PATCH, e.g. "1.30.3"',
            "istio-mesh:mesh.defaultRevision: required with more than one revision: name the tag or revision that istio-injection=enabled namespaces and validation use (one of 1-29-6)",
        ]);
    });

    it('a revision may not be named "default"; defaultRevision pointing at it is not a second issue', () => {
        expect(meshIssues({ revisions: [{ version: "1.29.6", name: "default" }], defaultRevision: "default" })).to.deep.equal([
            'istio-mesh:mesh.revisions[0].name: a revision may not be named "default": istio.io/rev=default means the default tag (mesh.defaultRevision); name it e.g. after its version (1-29-6)',
        ]);
    });

    it('a gateway following "default" is checked against the default revision\'s chart', () => {
        const issues = meshIssues({ revisions: [{ version: "1.24.6" }], gateways: { gw: { revision: "default" } } });
        expect(issues).to.have.length(1);
        expect(issues[0]).to.match(/^istio-mesh:mesh\.gateways\.gw\.revision: follows Istio 1\.24\.6, whose gateway chart fails/);
    });

    it("namespace entries: every key of the long form is kept, the short form takes the defaults", () => {
        const c = parseMesh({
            ...ONE,
            namespaces: {
                shop: { revision: "1-29-6", create: true, deleteWhenRemoved: true, restart: false, labels: { team: "shop" } },
                cart: "1-29-6",
                // What a program (not a stack file) may hand over: an unset labels key.
                web: { revision: "1-29-6", labels: undefined },
            },
        });
        expect(c.namespaces).to.deep.equal([
            { name: "cart", revision: "1-29-6", create: false, deleteWhenRemoved: false, restart: true, labels: {} },
            { name: "shop", revision: "1-29-6", create: true, deleteWhenRemoved: true, restart: false, labels: { team: "shop" } },
            { name: "web", revision: "1-29-6", create: false, deleteWhenRemoved: false, restart: true, labels: {} },
        ]);
        expect(DEFAULTS.namespace_).to.deep.equal({ create: false, deleteWhenRemoved: false, restart: true });
    });

    it("restarts: defaults, and both keys as written", () => {
        expect(parseMesh(ONE).restarts).to.deep.equal({ wait: false, timeoutSeconds: 300 });
        expect(parseMesh({ ...ONE, restarts: { wait: true, timeoutSeconds: 60 } }).restarts).to.deep.equal({ wait: true, timeoutSeconds: 60 });
        expect(parseMesh({ ...ONE, restarts: { wait: false } }).restarts).to.deep.equal({ wait: false, timeoutSeconds: 300 });
    });

    it("the optional blocks (cni, adopt, probe, addons) are absent unless configured", () => {
        const c: MeshConfig = parseMesh(ONE);
        for (const key of ["cni", "adopt", "probe", "addons", "aksAddon"]) {
            expect(c, key).not.to.have.property(key);
        }
    });

    it("adopt, probe and addons are normalized when configured", () => {
        const c = parseMesh({
            ...ONE,
            namespaces: { shop: "1-29-6" },
            adopt: { releases: ["istio-system/istiod", "istio-system/base", "istio-system/istiod"] },
            probe: { namespace: "shop", url: "http://productpage.shop:9080/" },
            addons: { prometheus: {} },
        });
        expect(c.adopt).to.deep.equal({ releases: ["istio-system/base", "istio-system/istiod"], mutatingWebhookConfigurations: [], services: [], namespaces: [] });
        expect(c.probe).to.include({ namespace: "shop", url: "http://productpage.shop:9080/", intervalSeconds: 1, timeoutSeconds: 2, replicas: 1 });
        expect(c.addons).to.have.keys(["prometheus"]);
        expect(c.addons?.prometheus).to.include({ namespace: "istio-observability", retention: "7d", scrapeInterval: "15s" });
        // Issues inside the blocks carry their paths (the probe names the enrolled namespaces).
        expect(meshIssues({ ...ONE, probe: { namespace: "shop", url: "http://x/" } })[0]).to.match(/^istio-mesh:mesh\.probe\.namespace: "shop" is not one of mesh\.namespaces \(none\)/);
    });

    it("the AKS add-on: a reference to a revision in error gives no second issue", () => {
        const cluster = { kind: "aks", resourceGroup: "rg-mesh", kubernetesVersion: "1.33" };
        const catalogue = /^istio-mesh:mesh\.revisions\[0\]\.version: asm-1-99 is not in the add-on's revision catalogue/;
        for (const [name, ref] of [["asm-1-99", "asm-1-99"], [undefined, "1.99"]] as const) {
            const issues = meshIssues({ management: "aks-addon", revisions: [{ version: "1.99", ...(name ? { name } : {}) }], namespaces: { shop: ref } }, cluster);
            expect(issues, ref).to.have.length(1);
            expect(issues[0], ref).to.match(catalogue);
        }
    });
});
