/**
 * `istio-mesh:cluster` kind: aks and `management: aks-addon` in the stack config: defaults,
 * and every problem with its path and fix.
 */
import { expect } from "chai";
import { MeshConfig } from "../../components/config/model";
import { parseStackConfig } from "../../components/config/stackConfig";
import { DEFAULTS } from "../../components/config/defaults";
import { configIssueList, meshConfigMap } from "../support/fixtures";

type Json = Record<string, unknown>;
const AKS: Json = { kind: "aks", resourceGroup: "rg-mesh", kubernetesVersion: "1.33" };
const ADDON: Json = { management: "aks-addon", revisions: [{ version: "1.30" }] };

function parse(mesh: Json, cluster: Json = AKS): MeshConfig {
    return parseStackConfig(meshConfigMap(mesh, cluster));
}

function issues(mesh: Json, cluster: Json = AKS): [string, string][] {
    return configIssueList(meshConfigMap(mesh, cluster)).map((i) => [i.path, i.message]);
}

describe("config: kind: aks", () => {
    it("production-minded defaults: user credentials, Azure CNI Overlay, OIDC + workload identity, a zonal autoscaled system pool", () => {
        const c = parse({ revisions: [{ version: "1.30.3" }] }).cluster;
        expect(c).to.deep.equal({
            kind: "aks",
            resourceGroup: "rg-mesh",
            createResourceGroup: false,
            location: undefined,
            name: undefined,
            kubernetesVersion: "1.33",
            nodePools: [{ name: "system", vmSize: "Standard_D4ds_v5", mode: "System", zones: ["1", "2", "3"], autoscaling: { minCount: 3, maxCount: 5 } }],
            networkPlugin: "azure",
            networkPluginMode: "overlay",
            oidcIssuer: true,
            workloadIdentity: true,
            tags: {},
            credentials: "user",
            skipAwait: false,
        });
        expect(DEFAULTS.aks.credentials).to.equal("user");
    });

    it("takes every key, pools sorted by name, count or autoscaling", () => {
        const c = parse(
            { revisions: [{ version: "1.30.3" }] },
            {
                ...AKS,
                createResourceGroup: true,
                location: "westeurope",
                name: "mesh-prod",
                nodePools: { user: { vmSize: "Standard_D8ds_v5", count: 2, zones: ["1"] }, core: { mode: "System", autoscaling: { minCount: 2, maxCount: 4 } } },
                networkPlugin: "kubenet",
                oidcIssuer: false,
                workloadIdentity: false,
                tags: { owner: "platform" },
                credentials: "admin",
            },
        ).cluster;
        expect(c).to.deep.include({ createResourceGroup: true, location: "westeurope", name: "mesh-prod", networkPlugin: "kubenet", networkPluginMode: undefined, oidcIssuer: false, workloadIdentity: false, credentials: "admin", tags: { owner: "platform" } });
        if (c.kind !== "aks") throw new Error("kind");
        expect(c.nodePools.map((p) => [p.name, p.mode, p.count, p.autoscaling])).to.deep.equal([
            ["core", "System", undefined, { minCount: 2, maxCount: 4 }],
            ["user", "User", 2, undefined],
        ]);
    });

    it("problems name the path and the fix", () => {
        const rev = { revisions: [{ version: "1.30.3" }] };
        expect(issues(rev, { ...AKS, nodePools: { work: { count: 2 } } })).to.deep.equal([["istio-mesh:cluster.nodePools", "needs a System pool (AKS runs its system pods there): add mode: System to one pool, e.g. nodePools: {system: {mode: System}}"]]);
        expect(issues(rev, { ...AKS, nodePools: { system: { mode: "System", count: 2, autoscaling: { minCount: 1, maxCount: 3 } } } })).to.deep.equal([["istio-mesh:cluster.nodePools.system", "set either count (a fixed size) or autoscaling (minCount/maxCount), not both"]]);
        expect(issues(rev, { ...AKS, nodePools: { system: { mode: "System", autoscaling: { minCount: 4, maxCount: 3 } } } })[0][1]).to.match(/^maxCount \(3\) is below minCount \(4\)/);
        expect(issues(rev, { ...AKS, oidcIssuer: false, workloadIdentity: true })).to.deep.equal([["istio-mesh:cluster.workloadIdentity", "workload identity needs the OIDC issuer: set oidcIssuer: true, or workloadIdentity: false"]]);
        expect(issues(rev, { ...AKS, networkPlugin: "kubenet", networkPluginMode: "overlay" })[0][0]).to.equal("istio-mesh:cluster.networkPluginMode");
        expect(issues(rev, { ...AKS, kubernetesVersion: "latest" })).to.deep.equal([["istio-mesh:cluster.kubernetesVersion", '"latest" is not a Kubernetes version; write e.g. "1.33" (AKS rolls the patch) or "1.33.2"']]);
        expect(issues(rev, { ...AKS, nodePools: { System: { mode: "System" } } })[0][0]).to.match(/^istio-mesh:cluster\.nodePools/);
        expect(issues(rev, { ...AKS, credentials: "root" })[0][0]).to.equal("istio-mesh:cluster.credentials");
        // What Azure refuses, stopped before anything is created.
        expect(issues(rev, { ...AKS, kubernetesVersion: "v1.33" })).to.deep.equal([["istio-mesh:cluster.kubernetesVersion", '"v1.33" is not a Kubernetes version; write e.g. "1.33" (AKS rolls the patch) or "1.33.2"']]);
        expect(issues(rev, { ...AKS, name: "mesh-" })[0][0]).to.equal("istio-mesh:cluster.name");
        expect(issues(rev, { ...AKS, resourceGroup: "rg-mesh." })[0][0]).to.equal("istio-mesh:cluster.resourceGroup");
        expect(issues(rev, { ...AKS, name: "m", resourceGroup: "rg.mesh" })).to.deep.equal([]);
        expect(issues(rev, { ...AKS, nodeCount: 3 })[0][0]).to.match(/^istio-mesh:cluster/);
    });

    it("Helm on AKS checks each revision against the cluster's Kubernetes version, as on any cluster", () => {
        expect(issues({ revisions: [{ version: "1.30.3" }] }, { ...AKS, kubernetesVersion: "1.31" })).to.deep.equal([
            ["istio-mesh:mesh.revisions[0].version", "Istio 1.30.3 supports Kubernetes 1.32 to 1.36, not 1.31: pick an Istio release that supports the cluster, or upgrade the cluster first"],
        ]);
    });
});

describe("config: management: aks-addon", () => {
    it("normalizes: asm-1-NN revisions, aks-istio-system, no default revision, add-on HPA defaults 2..5", () => {
        const c = parse({ ...ADDON, tags: { "prod-stable": "asm-1-30" }, namespaces: { shop: "prod-stable" } });
        expect(c.management).to.equal("aks-addon");
        expect(c.namespace).to.equal("aks-istio-system");
        expect(c.revisions).to.deep.equal([{ name: "asm-1-30", version: "1.30", values: {} }]);
        expect(c.defaultRevision).to.equal("");
        expect(c.gateways).to.deep.equal([]);
        expect(c.aksAddon).to.deep.equal({ ingressGateways: [], istiod: { minReplicas: 2, maxReplicas: 5 } });
    });

    it("gateways and HPA bounds, mesh config", () => {
        const c = parse({
            ...ADDON,
            aksAddon: { ingressGateways: { internal: { autoscaling: { minReplicas: 3 } }, external: { enabled: false } } },
            controlPlane: { autoscaling: { minReplicas: 3, maxReplicas: 7 }, meshConfig: { accessLogFile: "/dev/stdout" } },
        });
        expect(c.aksAddon).to.deep.equal({
            ingressGateways: [
                { mode: "External", enabled: false, minReplicas: 2, maxReplicas: 5 },
                { mode: "Internal", enabled: true, minReplicas: 3, maxReplicas: 5 },
            ],
            istiod: { minReplicas: 3, maxReplicas: 7 },
        });
        // The shared ConfigMap's source: the mesh-wide meshConfig (as the add-ons wire it).
        expect(c.controlPlane.meshConfig).to.deep.equal({ accessLogFile: "/dev/stdout" });
    });

    const rows: [string, Json, Json | undefined, [string, RegExp][]][] = [
        ["a patch version", { ...ADDON, revisions: [{ version: "1.30.3" }] }, undefined, [["istio-mesh:mesh.revisions[0].version", /^"1\.30\.3" names a patch; the AKS add-on takes major\.minor \(write "1\.30"\): AKS picks and rolls the patch$/]]],
        ["not a version", { ...ADDON, revisions: [{ version: "latest" }] }, undefined, [["istio-mesh:mesh.revisions[0].version", /^"latest" is not an add-on version; write major\.minor, one of 1\.27, 1\.28, 1\.29, 1\.30$/]]],
        ["a revision AKS has not shipped", { ...ADDON, revisions: [{ version: "1.31" }] }, undefined, [["istio-mesh:mesh.revisions[0].version", /^asm-1-31 is not in the add-on's revision catalogue .*components\/aks\/catalogue\.ts/]]],
        ["an explicit name that is not asm-1-NN", { ...ADDON, revisions: [{ version: "1.30", name: "canary" }] }, undefined, [["istio-mesh:mesh.revisions[0].name", /^the add-on names revision 1\.30 "asm-1-30"; remove name or write name: asm-1-30$/]]],
        ["per-revision control-plane settings", { ...ADDON, revisions: [{ version: "1.30", controlPlane: { replicas: 3 } }] }, undefined, [["istio-mesh:mesh.revisions[0].controlPlane", /^per-revision control-plane settings do not apply to the add-on/]]],
        ["istiod chart values", { ...ADDON, revisions: [{ version: "1.30", values: { pilot: {} } }] }, undefined, [["istio-mesh:mesh.revisions[0].values", /^istiod chart values do not apply to the add-on/]]],
        ["three revisions", { ...ADDON, revisions: [{ version: "1.28" }, { version: "1.29" }, { version: "1.30" }] }, undefined, [["istio-mesh:mesh.revisions", /^3 revisions; the add-on runs at most two at once .*Request exceeds maximum allowed number of revisions/]]],
        ["a duplicate", { ...ADDON, revisions: [{ version: "1.30" }, { version: "1.30", name: "asm-1-30" }] }, undefined, [["istio-mesh:mesh.revisions[1]", /^duplicate revision "asm-1-30"/]]],
        ["a revision outside kubernetesVersion's range", { ...ADDON, revisions: [{ version: "1.30" }] }, { ...AKS, kubernetesVersion: "1.31" }, [["istio-mesh:mesh.revisions[0].version", /^asm-1-30 supports Kubernetes 1\.32 to 1\.36, not istio-mesh:cluster\.kubernetesVersion 1\.31: pick a revision that supports it \(asm-1-27, asm-1-28, asm-1-29\)/]]],
        ["defaultRevision", { ...ADDON, defaultRevision: "asm-1-30" }, undefined, [["istio-mesh:mesh.defaultRevision", /^the add-on has no default revision \(it does not support istio-injection=enabled\)/]]],
        ["a default tag", { ...ADDON, tags: { default: "asm-1-30" } }, undefined, [["istio-mesh:mesh.tags.default", /^the add-on does not support a "default" tag/]]],
        ["a namespace on default", { ...ADDON, namespaces: { shop: "default" } }, undefined, [["istio-mesh:mesh.namespaces.shop", /^the add-on has no default revision; point the namespace at a revision/]]],
        ["on an existing cluster", ADDON, { kind: "existing" }, [["istio-mesh:mesh.management", /^"aks-addon" needs istio-mesh:cluster kind: aks .*use management: helm on a kind: existing cluster$/]]],
        ["another control-plane namespace", { ...ADDON, namespace: "istio-system" }, undefined, [["istio-mesh:mesh.namespace", /^the add-on's control plane always runs in aks-istio-system/]]],
        ["Helm gateways", { ...ADDON, gateways: { gw: {} } }, undefined, [["istio-mesh:mesh.gateways", /^not used with management: aks-addon .*mesh\.aksAddon\.ingressGateways/]]],
        ["a chart repository", { ...ADDON, chartRepository: "https://example.com/charts" }, undefined, [["istio-mesh:mesh.chartRepository", /^not used with management: aks-addon/]]],
        ["istiod replicas", { ...ADDON, controlPlane: { replicas: 3 } }, undefined, [["istio-mesh:mesh.controlPlane.replicas", /^AKS sizes istiod in add-on mode/]]],
        ["autoscaling off", { ...ADDON, controlPlane: { autoscaling: { enabled: false } } }, undefined, [["istio-mesh:mesh.controlPlane.autoscaling.enabled", /always autoscales/]]],
        ["a blocked mesh-config field", { ...ADDON, controlPlane: { meshConfig: { accessLogFile: "/dev/stdout", configSources: [] } } }, undefined, [["istio-mesh:mesh.controlPlane.meshConfig.configSources", /^blocked by the add-on's admission webhook; the shared mesh config allows: proxyListenPort, .*accessLogFile/]]],
        ["a blocked proxy-config field", { ...ADDON, controlPlane: { meshConfig: { defaultConfig: { image: { imageType: "distroless" } } } } }, undefined, [["istio-mesh:mesh.controlPlane.meshConfig.defaultConfig.image", /^blocked by the add-on's admission webhook/]]],
        ["istiod HPA min below 2", { ...ADDON, controlPlane: { autoscaling: { minReplicas: 1 } } }, undefined, [["istio-mesh:mesh.controlPlane.autoscaling.minReplicas", /^1 is below the add-on's minimum of 2 \(AKS refuses a lower HPA minReplicas\); write 2 or more$/]]],
        ["gateway HPA min below 2", { ...ADDON, aksAddon: { ingressGateways: { external: { autoscaling: { minReplicas: 1 } } } } }, undefined, [["istio-mesh:mesh.aksAddon.ingressGateways.external.autoscaling.minReplicas", /^1 is below the add-on's minimum of 2/]]],
        ["gateway HPA max below min", { ...ADDON, aksAddon: { ingressGateways: { internal: { autoscaling: { minReplicas: 4, maxReplicas: 3 } } } } }, undefined, [["istio-mesh:mesh.aksAddon.ingressGateways.internal.autoscaling", /^maxReplicas \(3\) is below minReplicas \(4\)/]]],
        ["a second external gateway (a third key)", { ...ADDON, aksAddon: { ingressGateways: { external: {}, external2: {} } } }, undefined, [["istio-mesh:mesh.aksAddon.ingressGateways.external2", /./]]],
        ["an unquoted minor (YAML reads 1.30 as 1.3)", { ...ADDON, revisions: [{ version: 1.3 }] }, undefined, [["istio-mesh:mesh.revisions[0].version", /^write it quoted: .*, or MAJOR\.MINOR "1\.30" with management: aks-addon\)$/]]],
        ["an empty revision list", { ...ADDON, revisions: [] }, undefined, [["istio-mesh:mesh.revisions", /^empty; list at least one revision/]]],
    ];
    for (const [what, mesh, cluster, expected] of rows) {
        it(`refuses ${what}`, () => {
            const found = issues(mesh, cluster);
            expect(found.map(([p]) => p), JSON.stringify(found)).to.deep.equal(expected.map(([p]) => p));
            found.forEach(([p, m], i) => expect(m, p).to.match(expected[i][1]));
        });
    }

    it("tags and namespaces point at asm revisions as in Helm mode", () => {
        expect(issues({ ...ADDON, tags: { "prod-stable": "asm-1-29" } })).to.deep.equal([["istio-mesh:mesh.tags.prod-stable", 'points at "asm-1-29", which is not a revision; tags point at one of: asm-1-30']]);
        expect(issues({ ...ADDON, revisions: [{ version: "1.29" }, { version: "1.30" }], tags: { "prod-stable": "asm-1-29" }, namespaces: { a: "prod-stable", b: "asm-1-30" } })).to.deep.equal([]);
    });
});
