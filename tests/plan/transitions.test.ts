import { ADDON_RULES } from "../../components/plan/addonRules";
import { expect } from "chai";
import * as fc from "fast-check";
import { LiveCheck } from "../../components/plan/inUseRule";
import { evaluateTransition, RULES, WARNINGS } from "../../components/plan/transitions";
import { guardTransition, TransitionRefused } from "../../components/plan/guard";
import { MeshState } from "../../components/state/deployed";
import { parseStackConfig } from "../../components/config/stackConfig";
import { stateOf } from "../../components/state/deployed";
import { GATEWAY_STATE_RULES } from "../../components/plan/gatewayStateRules";
import { ARB, arbTransition, stackFile, state } from "../support/fixtures";

const codes = (from: MeshState | undefined, to: MeshState, allow: string[] = []) => evaluateTransition(from, to, allow).problems.map((p) => p.code);
const warningCodes = (from: MeshState | undefined, to: MeshState) => evaluateTransition(from, to).warnings.map((p) => p.code);
const example = (name: string, previousBase?: string) => stateOf(parseStackConfig(stackFile(name)), previousBase);

const v29 = { revisions: [{ version: "1.29.6" }], tags: { stable: "1-29-6" }, defaultRevision: "stable", namespaces: { shop: "stable" } };

describe("plan: transition rules", () => {
    it("allows the documented sequence and its reverts", () => {
        const seq = ["01-install", "02-canary", "03-promote", "04-complete"];
        let from: MeshState | undefined;
        for (const name of seq) {
            const to = example(name, from?.baseVersion);
            expect(codes(from, to), `-> ${name}`).to.deep.equal([]);
            // Reverting to the previous step is an ordinary, allowed transition.
            if (from !== undefined) {
                expect(codes(to, stateOf(parseStackConfig(stackFile(seq[seq.indexOf(name) - 1])), to.baseVersion)), `${name} -> back`).to.deep.equal([]);
            }
            from = to;
        }
    });

    it("refuses replacing every revision at once", () => {
        expect(codes(example("01-install"), example("04-complete"))).to.include(RULES.replaceAll);
    });

    it("refuses removing a revision whose users move to a revision created in the same change", () => {
        const to = state({ revisions: [{ version: "1.29.6" }, { version: "1.30.3" }], tags: { stable: "1-30-3" }, defaultRevision: "1-29-6", namespaces: { shop: "stable" } });
        const from = state({ revisions: [{ version: "1.29.6" }, { version: "1.28.10" }], tags: { stable: "1-28-10" }, defaultRevision: "1-29-6", namespaces: { shop: "stable" } });
        const result = evaluateTransition(from, to);
        expect(result.problems.map((p) => p.code)).to.deep.equal([RULES.removedStillUsed, RULES.removedStillUsed]);
        expect(result.problems[0].message).to.match(/revision "1-28-10" is removed while tag "stable".*moves to "1-30-3".*Safe sequence/);
    });

    it("allows promote-and-remove in one change, with a warning", () => {
        const from = example("02-canary");
        const to = state({ revisions: [{ version: "1.30.3" }], tags: { "prod-stable": "1-30-3" }, defaultRevision: "prod-stable", namespaces: { bookinfo: "prod-stable", payments: "prod-stable" }, gateways: { "istio-ingressgateway": { revision: "prod-stable" } } });
        expect(codes(from, to)).to.deep.equal([]);
        expect(warningCodes(from, to)).to.include(WARNINGS.promoteAndRemove);
    });

    it("rolls back a canary without a promote warning", () => {
        expect(warningCodes(example("02-canary"), example("01-install", "1.30.3"))).not.to.include(WARNINGS.promoteAndRemove);
    });

    it("lets a canary skip one minor but not two", () => {
        const from = state({ revisions: [{ version: "1.28.10" }] });
        const canary = (version: string) => state({ revisions: [{ version: "1.28.10" }, { version }], defaultRevision: "1-28-10" });
        expect(codes(from, canary("1.30.3"))).to.deep.equal([]);
        expect(codes(state({ revisions: [{ version: "1.27.9" }] }), state({ revisions: [{ version: "1.27.9" }, { version: "1.30.3" }], defaultRevision: "1-27-9" }))).to.deep.equal([RULES.canarySkip]);
    });

    it("re-installs an older revision only with nothing moving onto it in the same change", () => {
        const from = state({ revisions: [{ version: "1.30.3" }], namespaces: { shop: "1-30-3" } });
        const readd = (ns: string) => state({ revisions: [{ version: "1.30.3" }, { version: "1.29.6" }], defaultRevision: "1-30-3", namespaces: { shop: ns } });
        expect(codes(from, readd("1-30-3"))).to.deep.equal([]);
        expect(codes(from, readd("1-29-6"))).to.deep.equal([RULES.canaryOlder]);
    });

    it("allows in-place patch changes and one minor up; refuses skips and older minors", () => {
        const named = (version: string) => state({ revisions: [{ version, name: "stable" }] });
        expect(codes(named("1.29.6"), named("1.29.2"))).to.deep.equal([]);
        expect(codes(named("1.29.6"), named("1.30.3"))).to.deep.equal([]);
        expect(warningCodes(named("1.29.6"), named("1.30.3"))).to.include(WARNINGS.restart);
        expect(codes(named("1.28.10"), named("1.30.3"))).to.deep.equal([RULES.inPlaceSkip]);
        expect(codes(named("1.30.3"), named("1.29.6"))).to.deep.equal([RULES.inPlaceDowngrade]);
    });

    it("lets an operator override a named rule, loudly", () => {
        const from = example("01-install");
        const to = example("04-complete");
        const all = evaluateTransition(from, to, ["all"]);
        expect(all.problems).to.deep.equal([]);
        expect(all.warnings.filter((w) => w.message.startsWith("OVERRIDDEN"))).to.have.length.greaterThan(1);
        expect(codes(from, to, [RULES.replaceAll])).to.not.include(RULES.replaceAll);
        expect(codes(from, to, [RULES.replaceAll])).to.include(RULES.removedStillUsed);
    });

    it("guard throws the planner's message with the override hint", () => {
        expect(() => guardTransition(example("01-install"), example("04-complete"), [])).to.throw(TransitionRefused, /replace-all-revisions[\s\S]*ISTIO_MESH_ALLOW_UNSAFE=/);
        expect(guardTransition(undefined, example("01-install"), [])).to.deep.equal([]);
    });

    it("refuses moving the control plane to another namespace", () => {
        expect(codes(state({ revisions: [{ version: "1.29.6" }] }), state({ revisions: [{ version: "1.29.6" }], namespace: "mesh" }))).to.deep.equal([RULES.namespaceMove]);
    });

    it("warns about CRD adoption when base crosses 1.24", () => {
        const from = state({ revisions: [{ version: "1.23.6" }] });
        const to = state({ revisions: [{ version: "1.23.6" }, { version: "1.24.6" }], defaultRevision: "1-23-6" });
        expect(warningCodes(from, to)).to.include(WARNINGS.crdAdoption);
    });

    // Properties over random changes (tests/support/fixtures.ts): tags, tag-routed defaults,
    // gateways, created namespaces, in-place version changes, live pods. The expected verdict
    // is computed here from the README's rule table, never with the module's own helpers.
    it("refuses exactly what the rule table says, once per object involved (property)", () => {
        fc.assert(
            fc.property(arbTransition(), arbLive, arbAllow, ({ from, to }, live, allow) => {
                const expected = expectedRefusals(from, to, live);
                const result = evaluateTransition(from, to, allow, live);
                const overridden = (c: string) => allow.includes("all") || allow.includes(c);
                expect(result.problems.map((p) => p.code).sort(), "refused").to.deep.equal(expected.filter((c) => !overridden(c)));
                const loud = result.warnings.filter((w) => w.message.startsWith("OVERRIDDEN (allow-unsafe): "));
                expect(loud.map((w) => w.code).sort(), "overridden").to.deep.equal(expected.filter(overridden));
            }),
            { numRuns: 500 },
        );
    });

    // Whatever change is accepted, no revision is ever removed while something that used it
    // moves to a revision that did not exist before the change, and one revision survives.
    it("never allows removing a revision whose referrers land on a brand-new revision (property)", () => {
        fc.assert(
            fc.property(arbTransition(), ({ from, to }) => {
                if (evaluateTransition(from, to).problems.length > 0) {
                    return;
                }
                const fromNames = new Set(from.revisions.map((r) => r.name));
                const toNames = new Set(to.revisions.map((r) => r.name));
                const toRefs = users(to);
                for (const ref of users(from)) {
                    if (toNames.has(ref.revision)) continue;
                    const now = toRefs.find((x) => x.kind === ref.kind && x.name === ref.name);
                    if (now !== undefined) {
                        expect(fromNames.has(now.revision), `${ref.kind} ${ref.name} -> ${now.revision}`).to.equal(true);
                    }
                }
                expect(to.revisions.some((r) => fromNames.has(r.name))).to.equal(true);
            }),
            { numRuns: 300 },
        );
    });

    it("the random changes reach every rule (each code refused in some generated case)", () => {
        const seen = new Map<string, number>();
        const cases = fc.sample(fc.tuple(arbTransition(), arbLive), { numRuns: 1000, seed: 13 });
        for (const [{ from, to }, live] of cases) {
            for (const p of evaluateTransition(from, to, [], live).problems) {
                seen.set(p.code, (seen.get(p.code) ?? 0) + 1);
            }
        }
        // The AKS add-on's rules need add-on states; tests/aks/addonRules.test.ts reaches each of them.
        const addonCodes: readonly string[] = Object.values(ADDON_RULES);
        // The generated gateways keep their kind and Service type; tests/plan/gatewayStateRules.test.ts reaches those rules.
        const stateCodes: readonly string[] = Object.values(GATEWAY_STATE_RULES);
        for (const code of Object.values(RULES).filter((c) => !addonCodes.includes(c) && !stateCodes.includes(c))) {
            expect(seen.get(code) ?? 0, code).to.be.greaterThan(0);
        }
        // And the referrers that only a gateway or a tag-routed default brings.
        const gatewayOnly = cases.filter(([{ from, to }]) => expectedRefusals(from, to, undefined).length !== expectedRefusals(from, to, undefined, ["gateway"]).length);
        expect(gatewayOnly.length, "cases whose verdict depends on a gateway").to.be.greaterThan(0);
        const routedDefault = cases.filter(
            ([{ from, to }]) =>
                Object.hasOwn(from.tags, from.defaultRevision) &&
                expectedRefusals(from, to, undefined).length !== expectedRefusals(from, to, undefined, ["default revision", "tag"]).length,
        );
        expect(routedDefault.length, "cases whose verdict depends on a default revision routed through a tag").to.be.greaterThan(0);
    });
});

// ------------------------------------------------------------------------------------------
// The oracle: the README's rule table, restated on plain data.

type Kind = "tag" | "namespace" | "gateway" | "default revision";

/** Who uses which revision: tags, namespaces and gateways (through a tag, `default` or directly), the default revision. */
function users(s: MeshState, ignore: readonly Kind[] = []): { kind: Kind; name: string; revision: string }[] {
    const tags = new Map(Object.entries(s.tags));
    const resolve = (ref: string): string => (ref === "default" ? resolve(s.defaultRevision) : (tags.get(ref) ?? ref));
    return [
        ...[...tags].map(([name, revision]) => ({ kind: "tag" as Kind, name, revision })),
        ...s.namespaces.map((n) => ({ kind: "namespace" as Kind, name: n.name, revision: resolve(n.revision) })),
        ...s.gateways.map((g) => ({ kind: "gateway" as Kind, name: g.name, revision: resolve(g.revision) })),
        { kind: "default revision" as Kind, name: "default", revision: resolve(s.defaultRevision) },
    ].filter((u) => !ignore.includes(u.kind));
}

const parts = (v: string) => v.split(".").map(Number);
const minorOf = (v: string) => parts(v)[1];
const older = (a: string, b: string) => {
    const [x, y] = [parts(a), parts(b)];
    return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
};

/** The refusal codes FROM -> TO should get, one per object involved, sorted. */
function expectedRefusals(from: MeshState, to: MeshState, live: LiveCheck | undefined, ignore: readonly Kind[] = []): string[] {
    const codes: string[] = [];
    const before = new Map(from.revisions.map((r) => [r.name, r.version]));
    const after = new Map(to.revisions.map((r) => [r.name, r.version]));
    const removed = [...before.keys()].filter((n) => !after.has(n));
    const newest = [...before.values()].sort(older).pop()!;
    if (from.namespace !== to.namespace) codes.push(RULES.namespaceMove);
    // The CNI release never moves namespace on a live mesh.
    if (from.cni !== undefined && to.cni !== undefined && from.cni.namespace !== to.cni.namespace) codes.push(RULES.cniNamespaceMove);
    // The CNI agent never lands more than one minor from a revision, unless that skew was already deployed.
    const skews = (s: MeshState) => (s.cni === undefined ? [] : s.revisions.filter((r) => Math.abs(minorOf(r.version) - minorOf(s.cni!.version)) > 1).map((r) => `${r.name}@${r.version}:${s.cni!.version}`));
    for (const k of skews(to)) if (!skews(from).includes(k)) codes.push(RULES.cniSkew);
    if (![...after.keys()].some((n) => before.has(n))) codes.push(RULES.replaceAll);
    for (const [name, version] of after) {
        const old = before.get(name);
        if (old === undefined) {
            // A canary may skip one minor; an older one may come back only with nothing on it.
            if (minorOf(version) - minorOf(newest) > 2) codes.push(RULES.canarySkip);
            else if (older(version, newest) < 0 && users(to, ignore).some((u) => u.revision === name)) codes.push(RULES.canaryOlder);
        } else if (old !== version) {
            // In place: one minor up at most, never an older minor.
            if (minorOf(version) - minorOf(old) > 1) codes.push(RULES.inPlaceSkip);
            else if (minorOf(version) < minorOf(old)) codes.push(RULES.inPlaceDowngrade);
        }
    }
    for (const n of from.namespaces) {
        const next = to.namespaces.find((x) => x.name === n.name);
        // A namespace created with deleteWhenRemoved is deleted when it leaves or stops being created.
        if (n.create && n.deleteWhenRemoved && !(next?.create ?? false)) codes.push(RULES.namespaceDeletion);
        // An existing namespace cannot become one the stack creates.
        if (next !== undefined && !n.create && next.create) codes.push(RULES.namespaceAdoption);
    }
    const nowUsers = users(to, ignore);
    for (const u of users(from, ignore).filter((x) => removed.includes(x.revision))) {
        const now = nowUsers.find((x) => x.kind === u.kind && x.name === u.name);
        if (now !== undefined && !before.has(now.revision)) codes.push(RULES.removedStillUsed);
    }
    // Gateways: in place and canary never switch on a live mesh; a canary keeps a Deployment that has served.
    const canaries = (s: MeshState) => {
        const out = new Map<string, string[]>();
        for (const g of s.gateways.filter((x) => x.canaryOf !== undefined)) out.set(g.canaryOf!, [...(out.get(g.canaryOf!) ?? []), g.name]);
        return out;
    };
    const inPlace = (s: MeshState) => new Set(s.gateways.filter((g) => g.canaryOf === undefined).map((g) => g.name));
    const [fromCanaries, toCanaries] = [canaries(from), canaries(to)];
    for (const name of new Set([...fromCanaries.keys(), ...toCanaries.keys()])) {
        if ((fromCanaries.has(name) && inPlace(to).has(name)) || (inPlace(from).has(name) && toCanaries.has(name))) codes.push(RULES.gatewayModeChange);
        const [was, now] = [fromCanaries.get(name), toCanaries.get(name)];
        if (was !== undefined && now !== undefined && was.some((d) => !now.includes(d)) && now.some((d) => !was.includes(d))) codes.push(RULES.gatewayCanarySwap);
        // A whole canary gateway gone (not turned in place) deletes its Service and address.
        if (was !== undefined && now === undefined && !inPlace(to).has(name)) codes.push(RULES.gatewayServiceRemoved);
    }
    // A gateway's Service moving namespace (same mode) is replaced: a new address.
    const serviceNs = (s: MeshState) => new Map(s.gateways.map((g) => [g.canaryOf ?? g.name, g.namespace]));
    for (const [name, ns] of serviceNs(to)) {
        const old = serviceNs(from).get(name);
        if (old !== undefined && old !== ns && fromCanaries.has(name) === toCanaries.has(name)) codes.push(RULES.gatewayAddressChange);
    }
    // A gateway in a namespace enrolled on another revision (checked on the TO config alone).
    const resolve = (s: MeshState, ref: string): string => (ref === "default" ? resolve(s, s.defaultRevision) : Object.hasOwn(s.tags, ref) ? s.tags[ref] : ref);
    for (const g of to.gateways) {
        const ns = to.namespaces.find((n) => n.name === g.namespace);
        if (ns !== undefined && resolve(to, ns.revision) !== resolve(to, g.revision)) codes.push(RULES.gatewayNamespaceConflict);
    }
    if (removed.length > 0 && live !== undefined && !("offline" in live)) {
        if ("unreachable" in live) {
            codes.push(RULES.inUseUnavailable);
        } else {
            const tags = new Map(Object.entries(from.tags));
            const inUse = new Set(live.pods.filter((p) => p.phase === "Running" || p.phase === "Pending").map((p) => tags.get(p.labels["istio.io/rev"]) ?? p.labels["istio.io/rev"]));
            codes.push(...removed.filter((r) => inUse.has(r)).map(() => RULES.inUse));
        }
    }
    return codes.sort();
}

/** What the live cluster answers: not asked, offline, unreachable, or pods labelled with a tag or revision. */
const arbLive: fc.Arbitrary<LiveCheck | undefined> = fc.oneof(
    fc.constant(undefined),
    fc.constant({ offline: true as const }),
    fc.constant({ unreachable: "connection refused" }),
    fc.record({
        pods: fc.array(
            fc.record({
                namespace: fc.constantFrom("ns0", "ns1"),
                name: fc.constantFrom("web", "db", "job"),
                phase: fc.constantFrom("Running", "Pending", "Succeeded", "Failed"),
                labels: fc.record({ "istio.io/rev": fc.constantFrom(...ARB.revisionNames, ...ARB.tags) }),
                annotations: fc.constant({}),
            }),
            { maxLength: 3 },
        ),
    }),
);

/** Overrides: none mostly, some rules, or all. */
const arbAllow: fc.Arbitrary<string[]> = fc.oneof(
    { weight: 3, arbitrary: fc.constant<string[]>([]) },
    { weight: 1, arbitrary: fc.subarray<string>(Object.values(RULES)) },
    { weight: 1, arbitrary: fc.constant<string[]>(["all"]) },
);
