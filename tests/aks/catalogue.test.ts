/**
 * The add-on's revision catalogue (data) and the pure helpers around it: names, upgrade
 * targets, the mesh-config allow-list, the serviceMeshProfile builder.
 */
import { expect } from "chai";
import { addonBaseVersion, addonMinor, asmRevision, asmRevisionName, ASM_REVISIONS, comparableVersion, kubernetesFits, supportedRevisions, upgradeTargets } from "../../components/aks/catalogue";
import { blockedMeshFields, meshConfigYaml } from "../../components/aks/meshConfig";
import { ingressHpaName, istiodHpaName, sharedConfigMapName } from "../../components/aks/names";
import { serviceMeshProfileOf } from "../../components/aks/profile";

const row = (name: string) => {
    const r = asmRevision(name);
    expect(r, name).to.not.equal(undefined);
    return r!;
};

describe("aks: the revision catalogue", () => {
    it("rows are oldest first, named after their minor, with a sane Kubernetes range", () => {
        ASM_REVISIONS.forEach((r, i) => {
            expect(r.name).to.equal(asmRevisionName(r.minor));
            expect(r.version).to.equal(`1.${r.minor}`);
            expect(addonMinor(r.version)).to.equal(r.minor);
            expect(r.kubernetes[0]).to.be.at.most(r.kubernetes[1]);
            if (i > 0) expect(r.minor).to.equal(ASM_REVISIONS[i - 1].minor + 1);
        });
    });

    it("today (AKS-FACTS, 2026-07-17): asm-1-29 and asm-1-30 supported, asm-1-28 and older deprecated; AKS keeps at least two supported", () => {
        expect(supportedRevisions().map((r) => r.name)).to.deep.equal(["asm-1-29", "asm-1-30"]);
        expect(ASM_REVISIONS.filter((r) => r.status === "deprecated").map((r) => r.name)).to.deep.equal(["asm-1-27", "asm-1-28"]);
        expect(supportedRevisions().length).to.be.at.least(2);
    });

    it("Kubernetes ranges from the support calendar", () => {
        expect(ASM_REVISIONS.map((r) => [r.name, ...r.kubernetes])).to.deep.equal([
            ["asm-1-27", 29, 35],
            ["asm-1-28", 30, 35],
            ["asm-1-29", 31, 36],
            ["asm-1-30", 32, 36],
        ]);
        expect(kubernetesFits(row("asm-1-30"), 32)).to.equal(true);
        expect(kubernetesFits(row("asm-1-30"), 36)).to.equal(true);
        expect(kubernetesFits(row("asm-1-30"), 31)).to.equal(false);
        expect(kubernetesFits(row("asm-1-30"), 37)).to.equal(false);
    });

    it("upgrade targets: n+1 or n+2 when supported (and compatible); from a deprecated n with a deprecated n+1, the nearest supported", () => {
        expect(upgradeTargets(row("asm-1-27")).map((r) => r.name)).to.deep.equal(["asm-1-29"]);
        expect(upgradeTargets(row("asm-1-28")).map((r) => r.name)).to.deep.equal(["asm-1-29", "asm-1-30"]);
        expect(upgradeTargets(row("asm-1-29")).map((r) => r.name)).to.deep.equal(["asm-1-30"]);
        expect(upgradeTargets(row("asm-1-30"))).to.deep.equal([]);
        // On Kubernetes 1.31 asm-1-30 does not run: only asm-1-29.
        expect(upgradeTargets(row("asm-1-28"), 31).map((r) => r.name)).to.deep.equal(["asm-1-29"]);
    });

    it("versions: add-on minors parse, patches and garbage do not; comparable as 1.NN.0", () => {
        expect(addonMinor("1.30")).to.equal(30);
        for (const bad of ["1.30.3", "2.1", "1.", "1.x", "v1.30", " 1.30"]) expect(addonMinor(bad), bad).to.equal(undefined);
        expect(comparableVersion("1.30")).to.deep.include({ major: 1, minor: 30, patch: 0 });
        expect(comparableVersion("1.29.6")).to.deep.include({ major: 1, minor: 29, patch: 6 });
        expect(() => comparableVersion("latest")).to.throw(/internal/);
        expect(addonBaseVersion([{ version: "1.29" }, { version: "1.30" }])).to.equal("1.30");
        expect(addonBaseVersion([{ version: "1.30" }, { version: "1.29" }])).to.equal("1.30");
    });

    it("names AKS fixes", () => {
        expect(sharedConfigMapName("asm-1-30")).to.equal("istio-shared-configmap-asm-1-30");
        expect(istiodHpaName("asm-1-30")).to.equal("istiod-asm-1-30");
        expect(ingressHpaName("External", "asm-1-30")).to.equal("aks-istio-ingressgateway-external-asm-1-30");
        expect(ingressHpaName("Internal", "asm-1-29")).to.equal("aks-istio-ingressgateway-internal-asm-1-29");
    });
});

describe("aks: the shared mesh config allow-list", () => {
    it("lets allowed fields through and names blocked ones, also inside defaultConfig", () => {
        expect(blockedMeshFields({ accessLogFile: "/dev/stdout", outboundTrafficPolicy: { mode: "REGISTRY_ONLY" }, defaultConfig: { holdApplicationUntilProxyStarts: true } })).to.deep.equal([]);
        expect(blockedMeshFields({ configSources: [], defaultConfig: { image: {}, concurrency: 2 }, rootNamespace: "x" })).to.deep.equal(["configSources", "rootNamespace", "defaultConfig.image"]);
        // A field named like an Object member is just a (blocked) field.
        expect(blockedMeshFields({ constructor: 1 } as Record<string, unknown>)).to.deep.equal(["constructor"]);
    });

    it("renders the `mesh` key as YAML with sorted keys (the same config is the same text)", () => {
        expect(meshConfigYaml({ enableTracing: true, accessLogFile: "/dev/stdout" })).to.equal("accessLogFile: /dev/stdout\nenableTracing: true\n");
        expect(meshConfigYaml({ b: 1, a: 2 })).to.equal(meshConfigYaml({ a: 2, b: 1 }));
    });
});

describe("aks: serviceMeshProfile", () => {
    it("revisions oldest first by minor (not by text), both gateway modes always listed", () => {
        const p = serviceMeshProfileOf(["asm-1-30", "asm-1-9", "asm-1-30"], [{ mode: "Internal", enabled: true, minReplicas: 2, maxReplicas: 5 }]);
        expect(p).to.deep.equal({
            mode: "Istio",
            istio: {
                revisions: ["asm-1-9", "asm-1-30"],
                components: { ingressGateways: [{ enabled: false, mode: "External" }, { enabled: true, mode: "Internal" }] },
            },
        });
        expect(serviceMeshProfileOf(["asm-1-29", "asm-1-30"], [])).to.deep.equal(serviceMeshProfileOf(["asm-1-30", "asm-1-29"], []));
        expect(serviceMeshProfileOf(["asm-1-29"], [{ mode: "External", enabled: false, minReplicas: 2, maxReplicas: 5 }]).istio.components.ingressGateways[0]).to.deep.equal({ enabled: false, mode: "External" });
    });
});
