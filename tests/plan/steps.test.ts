import { expect } from "chai";
import * as fc from "fast-check";
import { planSteps, NO_CHANGE } from "../../components/plan/steps";
import { MeshState } from "../../components/state/deployed";
import { arbMeshState, arbTransition, state } from "../support/fixtures";

const arbState = arbMeshState();

describe("plan: ordered steps", () => {
    it("lists exactly the steps the change needs, in the runbook's order (property)", () => {
        fc.assert(
            fc.property(fc.oneof(arbTransition(), arbState.map((to) => ({ from: undefined, to }))), ({ from, to }) => {
                const steps = planSteps(from, to);
                const expected = expectedSteps(from, to);
                // Each expected step once, nothing else: a step is matched by its kind and object.
                const matched = steps.map((s) => expected.findIndex((e) => e.re.test(s)));
                expect(steps.filter((_, k) => matched[k] < 0), `unexpected steps in ${JSON.stringify(steps)}`).to.deep.equal([]);
                expect(matched.slice().sort((a, b) => a - b), `steps: ${JSON.stringify(steps)}`).to.deep.equal(expected.map((_, i) => i));
                // Installs and upgrades, then moves and restarts, then removals, uninstalls last.
                const phases = matched.map((i) => expected[i].phase);
                expect(phases, JSON.stringify(steps)).to.deep.equal([...phases].sort((a, b) => a - b));
            }),
            { numRuns: 300 },
        );
    });

    it("a config against itself is no change", () => {
        fc.assert(
            fc.property(arbState, (s) => {
                expect(planSteps(s, s)).to.deep.equal([NO_CHANGE]);
            }),
        );
    });

    it("lists the restarts a move needs", () => {
        const from = state({ revisions: [{ version: "1.29.6" }, { version: "1.30.3" }], defaultRevision: "1-29-6", namespaces: { shop: "1-29-6" } });
        const to = state({ revisions: [{ version: "1.29.6" }, { version: "1.30.3" }], defaultRevision: "1-29-6", namespaces: { shop: "1-30-3" } });
        expect(planSteps(from, to)).to.deep.equal([
            "Point namespace shop at 1-30-3 (was 1-29-6): revision 1-29-6 -> 1-30-3",
            "Restart the workloads of namespace shop onto 1-30-3 (Istio 1.30.3) (automatic, after its label and tags have moved: kubectl rollout restart deployment,statefulset,daemonset -n shop)",
        ]);
    });
});

// ------------------------------------------------------------------------------------------
// The steps a change needs, from the README's runbook, computed on plain data.

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** A tag or revision name (or `default`) -> the revision it selects in `s`. */
function resolver(s: MeshState): (ref: string) => string {
    const tags = new Map(Object.entries(s.tags));
    const resolve = (ref: string): string => (ref === "default" ? resolve(s.defaultRevision) : (tags.get(ref) ?? ref));
    return resolve;
}

interface Expected {
    /** 0 base, 1 revisions, 2 tags and default, 3 namespaces and gateways, 4 restarts, 5 namespace ownership, 6 removals, 7 uninstalls. */
    readonly phase: number;
    readonly re: RegExp;
}

function expectedSteps(from: MeshState | undefined, to: MeshState): Expected[] {
    const out: Expected[] = [];
    const step = (phase: number, pattern: string) => out.push({ phase, re: new RegExp(`^${pattern}`) });
    const [was, now] = [from === undefined ? undefined : resolver(from), resolver(to)];
    const effective = (s: MeshState, resolve: (ref: string) => string, ref: string) => `${resolve(ref)}@${s.revisions.find((r) => r.name === resolve(ref))?.version}`;
    // Istio CNI turned on for a live mesh: the agent first, before any istiod changes (README: Istio CNI).
    if (from !== undefined && from.cni === undefined && to.cni !== undefined) step(-1, `Install Istio CNI ${esc(to.cni.version)} as Helm release istio-cni in ${to.cni.namespace} .* first, and wait for it`);
    if (from === undefined) step(0, "Install the base chart ");
    else if (from.baseVersion !== to.baseVersion) step(0, `Upgrade the base chart .* ${esc(from.baseVersion)} -> ${esc(to.baseVersion)}`);
    for (const r of to.revisions) {
        const old = from?.revisions.find((x) => x.name === r.name);
        if (old === undefined) step(1, `Install control plane revision ${r.name} \\(Istio ${esc(r.version)}\\)`);
        else if (old.version !== r.version) step(1, `Upgrade revision ${r.name} in place ${esc(old.version)} -> ${esc(r.version)}`);
    }
    // Istio CNI: after every istiod, before the tags move (README: Istio CNI).
    const [cniWas, cniNow] = [from?.cni, to.cni];
    // One restart instruction per namespace: those with a restart step of their own (effective
    // revision changed, or an existing namespace newly enrolled) are not also told to for CNI.
    const auto = (n: MeshState["namespaces"][number]) => {
        const old = from?.namespaces.find((x) => x.name === n.name);
        return from !== undefined && (old === undefined ? !n.create : effective(from, was!, old.revision) !== effective(to, now, n.revision));
    };
    const byHand = to.namespaces.filter((n) => !auto(n)).map((n) => n.name);
    const cniRestart = byHand.length > 0 || to.namespaces.length === 0;
    if (cniNow !== undefined && cniWas === undefined) {
        if (from === undefined) step(1.5, `Install Istio CNI ${esc(cniNow.version)} as Helm release istio-cni in ${cniNow.namespace} `);
        else if (cniRestart) step(1.5, `Restart the workloads of ${byHand.join(", ") || "every injected namespace"} BY HAND so they lose istio-init: `);
    } else if (cniNow === undefined && cniWas !== undefined) {
        step(1.5, `Disable Istio CNI: .*uninstall release istio-cni from ${cniWas.namespace} `);
        if (cniRestart) step(1.5, `Restart the workloads of ${byHand.join(", ") || "every injected namespace"} BY HAND: `);
    } else if (cniNow !== undefined && cniWas !== undefined && cniNow.version !== cniWas.version) {
        step(1.5, `Upgrade Istio CNI in place ${esc(cniWas.version)} -> ${esc(cniNow.version)} `);
    }
    const tagsOf = (s: MeshState, resolve: (ref: string) => string) => new Map([...Object.entries(s.tags), ["default", resolve(s.defaultRevision)]]);
    const [fromTags, toTags] = [from === undefined ? new Map<string, string>() : tagsOf(from, was!), tagsOf(to, now)];
    const what = (tag: string) => (tag === "default" ? esc("the default tag (istio-injection=enabled namespaces)") : `tag ${tag}`);
    for (const [tag, rev] of toTags) {
        if (!fromTags.has(tag)) step(2, `Create ${what(tag)} .*-> revision ${rev} `);
        else if (fromTags.get(tag) !== rev) step(2, `Move ${what(tag)}: ${fromTags.get(tag)} -> ${rev}$`);
    }
    if (from !== undefined && was!(from.defaultRevision) !== now(to.defaultRevision)) step(2, `Move the default revision ${was!(from.defaultRevision)} -> ${now(to.defaultRevision)} `);
    // Workloads restart when the revision or version they run changes, and an existing
    // namespace's when it is first enrolled.
    const restarts: string[] = [];
    for (const kind of ["namespace", "gateway"] as const) {
        const list = (s: MeshState | undefined) => (s === undefined ? [] : kind === "namespace" ? s.namespaces : s.gateways);
        for (const n of list(to)) {
            const old = list(from).find((x) => x.name === n.name);
            const auto = (n as { restart: boolean }).restart;
            const restart =
                kind === "gateway"
                    ? `Restart gateway ${n.name} onto .*(${auto ? "Helm rolls its pods" : `BY HAND \\(restart: false\\): kubectl rollout restart deployment/${n.name} -n ${(n as { namespace: string }).namespace}`})`
                    : `Restart the workloads of namespace ${n.name} onto .*${auto ? "\\(automatic, .*" : "BY HAND \\(restart: false\\): "}kubectl rollout restart deployment,statefulset,daemonset -n ${n.name}${auto ? "\\)" : ""}$`;
            if (old === undefined) {
                step(3, kind === "gateway" ? `Install gateway ${n.name} following ${n.revision} ` : `(Label|Create) namespace ${n.name} `);
                if (kind === "namespace" && !(n as { create: boolean }).create) restarts.push(restart);
                continue;
            }
            const [oldRev, rev] = [was!(old.revision), now(n.revision)];
            if (old.revision !== n.revision) step(3, `Point ${kind} ${n.name} at ${n.revision} \\(was ${old.revision}\\): ${oldRev === rev ? `revision ${rev} unchanged` : `revision ${oldRev} -> ${rev}`}$`);
            else if (was!(old.revision) !== now(n.revision)) step(3, `${kind === "namespace" ? "Namespace" : "Gateway"} ${n.name} follows ${n.revision}: revision ${was!(old.revision)} -> ${now(n.revision)}$`);
            if (effective(from!, was!, old.revision) !== effective(to, now, n.revision)) restarts.push(restart);
        }
    }
    for (const r of restarts) step(4, r);
    for (const n of to.namespaces) {
        const old = from?.namespaces.find((x) => x.name === n.name);
        if (old !== undefined && old.create && !n.create) step(5, `Namespace ${n.name}: `);
    }
    for (const n of from?.namespaces ?? []) {
        if (!to.namespaces.some((x) => x.name === n.name)) step(6, n.create ? `Remove namespace ${n.name}\\b` : `Remove the istio.io/rev label from namespace ${n.name} `);
    }
    for (const g of from?.gateways ?? []) {
        if (!to.gateways.some((x) => x.name === g.name)) step(6, `Uninstall gateway ${g.name}$`);
    }
    // Gateway Services whose address changes: a canary gateway removed, a Service moving namespace.
    const serviceNs = (s: MeshState | undefined) => new Map((s?.gateways ?? []).map((g) => [g.canaryOf ?? g.name, g.namespace]));
    for (const [name, ns] of serviceNs(from)) {
        const now = serviceNs(to).get(name);
        if (now === undefined && from!.gateways.some((g) => g.canaryOf === name)) step(6, `Delete Service ${name} in ${ns} \\(canary gateway ${name}\\)`);
        else if (now !== undefined && now !== ns) step(6, `Replace Service ${name}: deleted in ${ns}, created in ${now} `);
    }
    for (const [tag, rev] of fromTags) {
        if (!toTags.has(tag)) step(6, `Remove tag ${tag} \\(was -> ${rev}\\)$`);
    }
    for (const r of from?.revisions ?? []) {
        if (!to.revisions.some((x) => x.name === r.name)) step(7, `Uninstall control plane revision ${r.name} \\(Istio ${esc(r.version)}, release istiod-${r.name}\\) after (everything above|.* rolled onto .*), once the removal gate has found no running or pending pod on ${r.name} \\(else the update stops and ${r.name} stays\\)$`);
    }
    if (from !== undefined && out.length === 0) step(0, `${esc(NO_CHANGE)}$`);
    return out;
}
