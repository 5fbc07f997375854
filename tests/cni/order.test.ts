/**
 * Istio CNI on a live mesh: turned on, the agent is installed (and awaited) before any istiod
 * switches to cni.enabled; otherwise after every istiod. And the skew rule: the agent follows the
 * newest revision, never more than one minor from any revision's control plane.
 */
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { cniFirstSteps, cniTurnsOn } from "../../components/cni/rules";
import { runProgram } from "../../components/plan/mockRun";
import { planSteps } from "../../components/plan/steps";
import { evaluateTransition, RULES, WARNINGS } from "../../components/plan/transitions";
import { MeshState } from "../../components/state/deployed";
import { meshConfigMap, state } from "../support/fixtures";

type Mesh = Record<string, unknown>;
const mesh = (versions: string[], cni: boolean, extra: Mesh = {}): Mesh => ({
    revisions: versions.map((version) => ({ version })),
    defaultRevision: `1-${versions[0].split(".").slice(1).join("-")}`,
    namespaces: { shop: `1-${versions[0].split(".").slice(1).join("-")}` },
    ...(cni ? { cni: { enabled: true } } : {}),
    ...extra,
});

/** What each resource waits for (its dependsOn, by name), as the program registers it. */
async function waits(config: Mesh, previous: MeshState | null): Promise<Map<string, string[]>> {
    const deps = new Map<string, string[]>();
    const names = new Map<pulumi.Resource, string>();
    await runProgram(meshConfigMap(config), previous, {
        onResource: (r) => {
            names.set(r.resource, r.name);
            const d = r.opts.dependsOn;
            deps.set(r.name, (Array.isArray(d) ? d : d === undefined ? [] : [d]).map((x) => names.get(x as pulumi.Resource) ?? "?"));
        },
    });
    return deps;
}

describe("cni: order on a live mesh, and version skew", () => {
    describe("order", () => {
        it("turned on for a live mesh: istio-cni first, every istiod after it", async () => {
            const off = state(mesh(["1.30.3"], false));
            const deps = await waits(mesh(["1.30.3"], true), off);
            expect(deps.get("mesh-cni")).to.deep.equal([]);
            expect(deps.get("mesh-rev-1-30-3")).to.deep.equal(["mesh-base", "mesh-cni"]);
            expect(planSteps(off, state(mesh(["1.30.3"], true)))[0]).to.equal(
                "Install Istio CNI 1.30.3 as Helm release istio-cni in istio-system (DaemonSet istio-cni-node) first, and wait for it, before any istiod switches to cni.enabled (injecting without istio-init)",
            );
        });

        const after: [string, MeshState | null][] = [
            ["a fresh install", null],
            ["an upgrade with CNI already on", state(mesh(["1.29.6"], true))],
        ];
        for (const [what, previous] of after) {
            it(`${what}: istio-cni after every istiod (today's order), which never waits for it`, async () => {
                const deps = await waits(mesh(["1.29.6", "1.30.3"], true), previous);
                expect(deps.get("mesh-cni")).to.deep.equal(["mesh-rev-1-29-6", "mesh-rev-1-30-3"]);
                expect(deps.get("mesh-rev-1-30-3")).to.deep.equal(["mesh-base"]);
                expect(cniFirstSteps(previous ?? undefined, state(mesh(["1.29.6", "1.30.3"], true)))).to.deep.equal([]);
            });
        }

        it("cniTurnsOn: only off -> on on a live mesh", () => {
            const [off, on] = [state(mesh(["1.30.3"], false)), state(mesh(["1.30.3"], true))];
            expect([cniTurnsOn(off, on), cniTurnsOn(undefined, on), cniTurnsOn(on, on), cniTurnsOn(on, off)]).to.deep.equal([true, false, false, false]);
        });
    });

    describe("skew: the agent within one minor of every revision", () => {
        const cases: { name: string; from: Mesh; to: Mesh; previousBase?: string; refused: string[]; warned: string[] }[] = [
            { name: "a one-minor canary with CNI on", from: mesh(["1.29.6"], true), to: mesh(["1.29.6", "1.30.3"], true), refused: [], warned: [] },
            { name: "a two-minor canary with CNI on", from: mesh(["1.28.10"], true), to: mesh(["1.28.10", "1.30.3"], true), refused: [RULES.cniSkew], warned: [] },
            { name: "a two-minor canary with CNI off", from: mesh(["1.28.10"], false), to: mesh(["1.28.10", "1.30.3"], false), refused: [], warned: [] },
            { name: "CNI turned on beside a two-minor spread", from: mesh(["1.28.10", "1.30.3"], false), to: mesh(["1.28.10", "1.30.3"], true), refused: [RULES.cniSkew], warned: [WARNINGS.cniRestart] },
            // The overridden canary's rollback keeps the newer agent: warned, never refused (a revert is one up).
            { name: "the rollback of an overridden canary", from: mesh(["1.28.10", "1.30.3"], true), to: mesh(["1.28.10"], true), previousBase: "1.30.3", refused: [], warned: [WARNINGS.cniSkewDeployed] },
            { name: "completing it", from: mesh(["1.28.10", "1.30.3"], true), to: mesh(["1.30.3"], true), previousBase: "1.30.3", refused: [], warned: [] },
        ];
        for (const c of cases) {
            it(`${c.name}: ${c.refused.length > 0 ? `refused (${c.refused.join(", ")})` : "allowed"}`, () => {
                const from = state(c.from);
                const r = evaluateTransition(from, state(c.to, c.previousBase ?? from.baseVersion));
                expect(r.problems.map((p) => p.code)).to.deep.equal(c.refused);
                expect(r.warnings.map((w) => w.code).filter((w) => w.startsWith("cni-"))).to.deep.equal(c.warned);
            });
        }

        it("names the versions and the safe sequence; overridable for one run", () => {
            const [from, to] = [state(mesh(["1.28.10"], true)), state(mesh(["1.28.10", "1.30.3"], true))];
            const r = evaluateTransition(from, to);
            expect(r.problems.map((p) => p.message)).to.deep.equal([
                `Istio CNI 1.30.3 (release istio-cni, which follows the newest revision) would run 2 minors from revision "1-28-10" (1.28.10) and its proxies; ` +
                    `Istio supports the CNI node agent within 1 minor of the control plane. Safe sequence: with CNI on, canary one minor at a time ` +
                    `(add 1.29.x beside 1.28.10, move everything onto it, remove 1.28.10, then the next minor), or override this rule for one run.`,
            ]);
            const overridden = evaluateTransition(from, to, [RULES.cniSkew]);
            expect(overridden.problems).to.deep.equal([]);
            expect(overridden.warnings[0].message).to.match(/^OVERRIDDEN \(allow-unsafe\): Istio CNI 1\.30\.3/);
            const rolledBack = evaluateTransition(to, state(mesh(["1.28.10"], true), "1.30.3"));
            expect(rolledBack.warnings.find((w) => w.code === WARNINGS.cniSkewDeployed)?.message).to.equal(
                `Istio CNI 1.30.3 runs 2 minors from revision "1-28-10" (1.28.10), beyond Istio's one-minor support: move its workloads to a newer revision and remove "1-28-10".`,
            );
        });
    });
});
