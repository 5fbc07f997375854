/**
 * The ManagedCluster's serviceMeshProfile in add-on mode (components/aks/profile.ts): the
 * revision list in a stable order, both ingress gateway modes always listed.
 */
import { expect } from "chai";
import { AddonIngressGateway, serviceMeshProfileOf } from "../../components/aks/profile";
import { parseStackConfig } from "../../components/config/stackConfig";
import { meshConfigMap } from "../support/fixtures";

const gw = (mode: AddonIngressGateway["mode"], enabled = true): AddonIngressGateway => ({ mode, enabled, minReplicas: 2, maxReplicas: 5 });
const revisions = (names: string[]) => serviceMeshProfileOf(names, []).istio.revisions;
const gateways = (gws: AddonIngressGateway[]) => serviceMeshProfileOf(["asm-1-30"], gws).istio.components.ingressGateways;

describe("aks: the serviceMeshProfile builder", () => {
    it("is the add-on in Istio mode with the revisions and both gateway modes, nothing else", () => {
        expect(serviceMeshProfileOf(["asm-1-29", "asm-1-30"], [gw("External")])).to.deep.equal({
            mode: "Istio",
            istio: {
                revisions: ["asm-1-29", "asm-1-30"],
                components: { ingressGateways: [{ enabled: true, mode: "External" }, { enabled: false, mode: "Internal" }] },
            },
        });
    });

    describe("revisions", () => {
        it("oldest first whatever the config's order (a reordered list would be a diff on every update)", () => {
            expect(revisions(["asm-1-30", "asm-1-29"])).to.deep.equal(["asm-1-29", "asm-1-30"]);
            expect(revisions(["asm-1-29", "asm-1-30"])).to.deep.equal(["asm-1-29", "asm-1-30"]);
            expect(revisions(["asm-1-30"])).to.deep.equal(["asm-1-30"]);
            expect(revisions([])).to.deep.equal([]);
        });

        it("by minor, not by text: asm-1-9 before asm-1-10 and asm-1-30", () => {
            expect(revisions(["asm-1-30", "asm-1-10", "asm-1-9"])).to.deep.equal(["asm-1-9", "asm-1-10", "asm-1-30"]);
            // As text, "asm-1-100" < "asm-1-99"; as minors it is the newer one.
            expect(revisions(["asm-1-100", "asm-1-99"])).to.deep.equal(["asm-1-99", "asm-1-100"]);
        });

        it("each revision once (AKS counts unique values against its two-revision limit)", () => {
            expect(revisions(["asm-1-30", "asm-1-29", "asm-1-30", "asm-1-29"])).to.deep.equal(["asm-1-29", "asm-1-30"]);
        });

        it("a name that is not asm-1-NN sorts after every asm revision, such names by text", () => {
            expect(revisions(["zeta", "asm-1-30", "alpha", "asm-1-29"])).to.deep.equal(["asm-1-29", "asm-1-30", "alpha", "zeta"]);
            expect(revisions(["alpha", "zeta"])).to.deep.equal(["alpha", "zeta"]);
            expect(revisions(["zeta", "alpha"])).to.deep.equal(["alpha", "zeta"]);
            // asm-1- anywhere but at the start, or another major, is just a name.
            expect(revisions(["x-asm-1-5", "asm-1-30"])).to.deep.equal(["asm-1-30", "x-asm-1-5"]);
            expect(revisions(["asm-2-5", "asm-1-30"])).to.deep.equal(["asm-1-30", "asm-2-5"]);
        });

        it("two names of the same minor keep a stable order, by text", () => {
            // "1.30" reads as minor 30 like asm-1-30 (the config never produces it; the order is still fixed).
            expect(revisions(["asm-1-30", "1.30"])).to.deep.equal(["1.30", "asm-1-30"]);
            expect(revisions(["1.30", "asm-1-30"])).to.deep.equal(["1.30", "asm-1-30"]);
            expect(revisions(["asm-1-31", "1.30", "asm-1-30", "asm-1-29"])).to.deep.equal(["asm-1-29", "1.30", "asm-1-30", "asm-1-31"]);
        });

        it("leaves the caller's list alone", () => {
            const names = ["asm-1-30", "asm-1-29"];
            serviceMeshProfileOf(names, []);
            expect(names).to.deep.equal(["asm-1-30", "asm-1-29"]);
        });
    });

    describe("ingress gateways", () => {
        it("External then Internal, always both: an unconfigured mode is turned off, not left as AKS had it", () => {
            expect(gateways([])).to.deep.equal([{ enabled: false, mode: "External" }, { enabled: false, mode: "Internal" }]);
            expect(gateways([gw("Internal")])).to.deep.equal([{ enabled: false, mode: "External" }, { enabled: true, mode: "Internal" }]);
            expect(gateways([gw("External")])).to.deep.equal([{ enabled: true, mode: "External" }, { enabled: false, mode: "Internal" }]);
        });

        it("both modes on together", () => {
            expect(gateways([gw("Internal"), gw("External")])).to.deep.equal([{ enabled: true, mode: "External" }, { enabled: true, mode: "Internal" }]);
        });

        it("a configured gateway with enabled: false is off", () => {
            expect(gateways([gw("External", false), gw("Internal")])).to.deep.equal([{ enabled: false, mode: "External" }, { enabled: true, mode: "Internal" }]);
            expect(gateways([gw("External", false), gw("Internal", false)])).to.deep.equal([{ enabled: false, mode: "External" }, { enabled: false, mode: "Internal" }]);
        });

        it("a mode is on when any entry for it is enabled", () => {
            expect(gateways([gw("External", false), gw("External", true)])).to.deep.equal([{ enabled: true, mode: "External" }, { enabled: false, mode: "Internal" }]);
            expect(gateways([gw("External", true), gw("External", false)])).to.deep.equal([{ enabled: true, mode: "External" }, { enabled: false, mode: "Internal" }]);
        });

        it("HPA bounds are not part of the profile (AKS's HPAs carry them)", () => {
            for (const g of gateways([{ mode: "External", enabled: true, minReplicas: 3, maxReplicas: 9 }])) {
                expect(Object.keys(g).sort()).to.deep.equal(["enabled", "mode"]);
            }
        });
    });

    it("from a parsed stack config: the add-on's revisions and configured gateways", () => {
        const config = parseStackConfig(
            meshConfigMap(
                { management: "aks-addon", revisions: [{ version: "1.30" }, { version: "1.29" }], aksAddon: { ingressGateways: { internal: {}, external: { enabled: false } } } },
                { kind: "aks", resourceGroup: "rg-mesh", kubernetesVersion: "1.33" },
            ),
        );
        expect(serviceMeshProfileOf(config.revisions.map((r) => r.name), config.aksAddon!.ingressGateways)).to.deep.equal({
            mode: "Istio",
            istio: {
                revisions: ["asm-1-29", "asm-1-30"],
                components: { ingressGateways: [{ enabled: false, mode: "External" }, { enabled: true, mode: "Internal" }] },
            },
        });
    });
});
