/**
 * The add-on's transition rules, one row each with its message (and the `az aks mesh` command
 * it replaces), and the runbook's stack files through the offline plan.
 */
import { expect } from "chai";
import { parseStackConfig } from "../../components/config/stackConfig";
import { ADDON_RULES, ADDON_WARNINGS } from "../../components/plan/addonRules";
import { plan, StackFile } from "../../components/plan/plan";
import { planSteps } from "../../components/plan/steps";
import { evaluateTransition, RULES } from "../../components/plan/transitions";
import { MeshState, stateOf } from "../../components/state/deployed";
import { meshConfigMap, stackFile } from "../support/fixtures";

type Json = Record<string, unknown>;
const AKS: Json = { kind: "aks", resourceGroup: "rg-mesh", kubernetesVersion: "1.33" };

/** An add-on state: revisions by minor, optional tags/namespaces. */
function addon(versions: string[], extra: Json = {}): MeshState {
    return stateOf(parseStackConfig(meshConfigMap({ management: "aks-addon", revisions: versions.map((version) => ({ version })), ...extra }, AKS)));
}
function helm(extra: Json = {}): MeshState {
    return stateOf(parseStackConfig(meshConfigMap({ revisions: [{ version: "1.30.3" }], ...extra }, AKS)));
}
const codes = (ps: readonly { code: string }[]) => ps.map((p) => p.code);

describe("plan: the AKS add-on's transition rules", () => {
    it("the runbook moves are allowed: install, start (n+1 and n+2), promote, complete, rollback", () => {
        const cases: [MeshState | undefined, MeshState][] = [
            [undefined, addon(["1.29"])],
            [addon(["1.29"]), addon(["1.29", "1.30"])],
            [addon(["1.28"]), addon(["1.28", "1.30"])],
            [addon(["1.29", "1.30"]), addon(["1.30"])],
            [addon(["1.29", "1.30"]), addon(["1.29"])],
        ];
        for (const [from, to] of cases) {
            const r = evaluateTransition(from, to);
            expect(r.problems, `${from?.revisions.map((x) => x.name)} -> ${to.revisions.map((x) => x.name)}`).to.deep.equal([]);
        }
    });

    it("a canary beyond n+2 is refused, naming az aks mesh upgrade start and the targets", () => {
        const from = { ...addon(["1.29"]), revisions: [{ name: "asm-1-27", version: "1.27" }] };
        const r = evaluateTransition(from, { ...addon(["1.30"]), revisions: [{ name: "asm-1-27", version: "1.27" }, { name: "asm-1-30", version: "1.30" }] });
        expect(codes(r.problems)).to.include(ADDON_RULES.canarySkip);
        const p = r.problems.find((x) => x.code === ADDON_RULES.canarySkip)!;
        expect(p.message).to.equal(
            "canary asm-1-30 is 3 minors above the running asm-1-27: AKS upgrades to n+1 or n+2 only (`az aks mesh upgrade start --revision asm-1-30` is refused; `az aks mesh get-upgrades` lists the targets). Safe sequence: upgrade through asm-1-29 first.",
        );
    });

    it("no swap without a canary: the only revision removed while another is added", () => {
        const r = evaluateTransition(addon(["1.29"]), addon(["1.30"]));
        expect(codes(r.problems)).to.deep.equal([ADDON_RULES.swap]);
        expect(r.problems[0].message).to.equal(
            "every running revision [asm-1-29] is removed while [asm-1-30] is added in one change: the add-on has no such operation (it is `az aks mesh upgrade start` and `az aks mesh upgrade complete` at once, with no canary to verify). Safe sequence: 1) revisions [asm-1-29, asm-1-30] (upgrade start); 2) move tags/namespaces and restart workloads; 3) revisions [asm-1-30] (upgrade complete).",
        );
        // The Helm rule does not fire in add-on mode (one message per mistake).
        expect(codes(r.problems)).to.not.include(RULES.replaceAll);
    });

    it("no re-adding an older revision after complete (AKS refuses downgrades outside a rollback)", () => {
        const r = evaluateTransition(addon(["1.30"]), addon(["1.29", "1.30"]));
        expect(codes(r.problems)).to.deep.equal([ADDON_RULES.downgrade]);
        expect(r.problems[0].message).to.match(/^asm-1-29 is added back below the running asm-1-30: AKS refuses downgrades; only a canary can be rolled back \(`az aks mesh upgrade rollback`/);
    });

    it("a deprecated revision: refused as a new install or canary, a warning with the upgrade path where it runs", () => {
        const install = evaluateTransition(undefined, addon(["1.28"]));
        expect(codes(install.problems)).to.deep.equal([ADDON_RULES.deprecated]);
        expect(install.problems[0].message).to.equal(
            'asm-1-28 is deprecated (end of life ~2026-08): AKS refuses it as a new install or canary target ("Revision asm-1-28 is not supported by the service mesh add-on"; `az aks mesh enable --revision asm-1-28` fails the same way). Use a supported revision: asm-1-29, asm-1-30.',
        );
        const canary = evaluateTransition(addon(["1.27"]), addon(["1.27", "1.28"]));
        expect(codes(canary.problems)).to.deep.equal([ADDON_RULES.deprecated]);
        expect(canary.problems[0].message).to.include("`az aks mesh upgrade start --revision asm-1-28` fails the same way");
        const running = evaluateTransition(addon(["1.28"]), addon(["1.28"]));
        expect(running.problems).to.deep.equal([]);
        expect(codes(running.warnings)).to.deep.equal([ADDON_WARNINGS.deprecatedRunning]);
        expect(running.warnings[0].message).to.equal(
            "asm-1-28 is deprecated (end of life ~2026-08): it keeps running, but AKS no longer supports it. Upgrade path: add asm-1-29 or asm-1-30 as a canary (`az aks mesh upgrade start`), move tags/namespaces, then remove asm-1-28 (`az aks mesh upgrade complete`).",
        );
        // Upgrading away from it is allowed (still warned about while it runs).
        expect(evaluateTransition(addon(["1.28"]), addon(["1.28", "1.30"])).problems).to.deep.equal([]);
    });

    it("an empty revision list is invalid (the API reads it as keep-existing)", () => {
        const r = evaluateTransition(addon(["1.30"]), { ...addon(["1.30"]), revisions: [] });
        expect(codes(r.problems)).to.include(ADDON_RULES.empty);
        expect(r.problems.find((p) => p.code === ADDON_RULES.empty)!.message).to.match(/^the add-on's revision list is empty: the AKS API reads an empty list as "keep the existing revisions".*az aks mesh disable/);
    });

    it("switching management on a live mesh is refused, both ways, and nothing else is judged", () => {
        const up = evaluateTransition(helm(), addon(["1.30"]));
        expect(codes(up.problems)).to.deep.equal([ADDON_RULES.managementSwitch]);
        expect(up.problems[0].message).to.match(/^management changes helm -> aks-addon on a live mesh: the AKS add-on cannot run beside a self-managed Istio \(it is what `az aks mesh enable` would refuse\).*migrating is a new cluster/);
        const down = evaluateTransition(addon(["1.30"]), helm());
        expect(codes(down.problems)).to.deep.equal([ADDON_RULES.managementSwitch]);
        expect(down.problems[0].message).to.include("`az aks mesh disable`, serviceMeshProfile mode Disabled) deletes the Istio CRDs");
        // A first install in either mode is no switch.
        expect(evaluateTransition(undefined, helm()).problems).to.deep.equal([]);
    });

    // Found planning stacks/aks/addon-01-install.yaml -> stacks/aks/helm.yaml: an internal error
    // (exit 3, "\"1.29\" is not a validated Istio version": the add-on's minor taken as a base chart version).
    for (const [from, to, direction] of [
        ["aks/addon-01-install", "aks/helm", "aks-addon -> helm"],
        ["aks/helm", "aks/addon-01-install", "helm -> aks-addon"],
        ["aks/addon-02-canary", "aks/helm", "aks-addon -> helm"],
    ] as const) {
        it(`the offline plan ${from} -> ${to} is refused by management-switch alone (${direction}), with no runbook steps`, async () => {
            const p = await plan({ config: stackFile(from) }, { config: stackFile(to) });
            expect(p.verdict).to.equal("refused");
            expect(codes(p.problems)).to.deep.equal([ADDON_RULES.managementSwitch]);
            expect(p.problems[0].message).to.match(new RegExp(`^management changes ${direction} on a live mesh: .* Safe sequence: keep management as it is; migrating is a new cluster`));
            expect(p.steps).to.deep.equal([`Switch management ${direction}: no in-place sequence exists (management-switch); migrating is a new stack on a new cluster`]);
        });
    }

    it("tags and namespaces follow Helm's rules when a revision is removed", () => {
        const from = addon(["1.29"], { tags: { stable: "asm-1-29" }, namespaces: { shop: "stable" } });
        const to = addon(["1.29", "1.30"], { tags: { stable: "asm-1-30" }, namespaces: { shop: "stable" } });
        expect(evaluateTransition(from, to).problems).to.deep.equal([]);
        // Complete while moving the tag to the revision it removes... and users moved onto a brand-new one:
        const bad = evaluateTransition(addon(["1.29", "1.30"], { tags: { stable: "asm-1-29" } }), addon(["1.30"], { tags: { stable: "asm-1-30" } }));
        expect(bad.problems).to.deep.equal([]);
        expect(codes(bad.warnings)).to.include("promote-and-remove-in-one-change");
    });

    it("the in-use check applies: removing a revision live pods still use is refused", () => {
        const from = addon(["1.29", "1.30"], { namespaces: { shop: "asm-1-30" } });
        const to = addon(["1.30"], { namespaces: { shop: "asm-1-30" } });
        const pods = [{ namespace: "legacy", name: "api-1", phase: "Running", labels: { "istio.io/rev": "asm-1-29" }, annotations: { "sidecar.istio.io/status": "{}" } }];
        const r = evaluateTransition(from, to, [], { pods });
        expect(codes(r.problems)).to.deep.equal([RULES.inUse]);
        expect(r.problems[0].message).to.match(/^revision "asm-1-29" is removed while 1 running or pending pod that this update does not restart still use its proxy/);
    });

    it("every add-on rule is reached by some change above, and is overridable (listed in RULES)", () => {
        const changes: [MeshState | undefined, MeshState][] = [
            [{ ...addon(["1.29"]), revisions: [{ name: "asm-1-27", version: "1.27" }] }, { ...addon(["1.30"]), revisions: [{ name: "asm-1-27", version: "1.27" }, { name: "asm-1-30", version: "1.30" }] }],
            [addon(["1.29"]), addon(["1.30"])],
            [addon(["1.30"]), addon(["1.29", "1.30"])],
            [undefined, addon(["1.28"])],
            [addon(["1.30"]), { ...addon(["1.30"]), revisions: [] }],
            [helm(), addon(["1.30"])],
        ];
        const seen = new Set(changes.flatMap(([from, to]) => codes(evaluateTransition(from, to).problems)));
        for (const code of Object.values(ADDON_RULES)) {
            expect(seen.has(code), code).to.equal(true);
            expect(Object.values(RULES) as string[], code).to.include(code);
        }
    });

    it("each refusal can be overridden by its code", () => {
        const r = evaluateTransition(addon(["1.29"]), addon(["1.30"]), [ADDON_RULES.swap]);
        expect(r.problems).to.deep.equal([]);
        expect(r.warnings[0].message).to.match(/^OVERRIDDEN \(allow-unsafe\): every running revision/);
    });

    it("steps name the az aks mesh commands: enable, upgrade start (after the ConfigMap), complete, rollback", () => {
        expect(planSteps(undefined, addon(["1.29"])).slice(0, 2)).to.deep.equal([
            "Enable the AKS Istio add-on with serviceMeshProfile revisions [asm-1-29] on the ManagedCluster (az aks mesh enable --revision asm-1-29)",
            "Create ConfigMap istio-shared-configmap-asm-1-29 (key mesh) in aks-istio-system once the add-on made the namespace; istiod-asm-1-29 merges it under AKS's defaults",
        ]);
        expect(planSteps(addon(["1.29"]), addon(["1.29", "1.30"]))).to.deep.equal([
            "Create ConfigMap istio-shared-configmap-asm-1-30 (key mesh) in aks-istio-system before the canary starts",
            "Start the canary: serviceMeshProfile revisions [asm-1-29, asm-1-30] on the ManagedCluster (az aks mesh upgrade start --revision asm-1-30); AKS installs istiod-asm-1-30 in aks-istio-system",
        ]);
        expect(planSteps(addon(["1.29", "1.30"]), addon(["1.30"]))).to.deep.equal([
            "Remove revision asm-1-29 from the add-on after everything above, once the removal gate has found no running or pending pod on asm-1-29 (else the update stops and asm-1-29 stays): serviceMeshProfile revisions [asm-1-30] (az aks mesh upgrade complete); then ConfigMap istio-shared-configmap-asm-1-29 goes",
        ]);
        expect(planSteps(addon(["1.29", "1.30"]), addon(["1.29"]))).to.deep.equal([
            "Remove revision asm-1-30 from the add-on after everything above, once the removal gate has found no running or pending pod on asm-1-30 (else the update stops and asm-1-30 stays): serviceMeshProfile revisions [asm-1-29] (az aks mesh upgrade rollback); then ConfigMap istio-shared-configmap-asm-1-30 goes",
        ]);
        const tagged = planSteps(addon(["1.29"], { tags: { stable: "asm-1-29" } }), addon(["1.29", "1.30"], { tags: { stable: "asm-1-30" } }));
        expect(tagged).to.include("Move tag stable: asm-1-29 -> asm-1-30");
        expect(tagged.join("\n")).to.not.match(/Helm|base chart|default/);
    });
});

describe("plan: the stacks/aks runbook", () => {
    const file = (name: string): StackFile => ({ config: stackFile(`aks/${name}`) });
    const runbook: [string | undefined, string, "allowed" | "refused"][] = [
        [undefined, "helm", "allowed"],
        [undefined, "addon-01-install", "allowed"],
        ["addon-01-install", "addon-02-canary", "allowed"],
        ["addon-02-canary", "addon-03-promote", "allowed"],
        ["addon-03-promote", "addon-04-complete", "allowed"],
        // Rollback during the canary: back to the one revision.
        ["addon-02-canary", "addon-01-install", "allowed"],
        // Skipping the canary, and going back after complete, are refused.
        ["addon-01-install", "addon-04-complete", "refused"],
        ["addon-04-complete", "addon-02-canary", "refused"],
        // Helm on AKS -> the add-on on the same cluster: refused.
        ["helm", "addon-01-install", "refused"],
    ];
    for (const [from, to, verdict] of runbook) {
        it(`${from ?? "(nothing)"} -> ${to}: ${verdict}`, async function () {
            this.timeout(120000);
            const p = await plan(from === undefined ? undefined : file(from), file(to));
            expect(p.verdict, JSON.stringify(p.problems)).to.equal(verdict);
            const mc = p.resources.find((r) => r.type === "azure-native:containerservice:ManagedCluster");
            expect(mc, "the ManagedCluster").to.not.equal(undefined);
            if (to.startsWith("addon")) {
                expect((mc!.inputs.serviceMeshProfile as { istio: { revisions: string[] } }).istio.revisions).to.deep.equal(
                    parseStackConfig(stackFile(`aks/${to}`)).revisions.map((r) => r.name),
                );
            } else {
                expect(mc!.inputs).to.not.have.property("serviceMeshProfile");
            }
        });
    }
});
