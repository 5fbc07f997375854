/**
 * Every ambient and Gateway API transition rule, table-driven: for each row of the rules
 * table at least one case where it fires (with the objects and the safe sequence in its
 * message) and one close case where it does not. The last test fails when a rule is added to
 * the table without a firing case here.
 */
import { expect } from "chai";
import { GATEWAY_REVISION_RULES } from "../../components/ambient/gatewayRules";
import { AMBIENT_RULES, AMBIENT_WARNINGS } from "../../components/ambient/rules";
import type { AmbientState } from "../../components/ambient/state";
import { AMBIENT_TRANSITION_TABLE, evaluateAmbient } from "../../components/ambient/transitions";
import { GATEWAY_API_RULES, GATEWAY_API_WARNINGS } from "../../components/gatewayapi/rules";
import { canary, gateway, mesh, ns, rev, sidecarMesh, waypoint } from "./support";

interface Case {
    readonly title: string;
    readonly from: AmbientState | undefined;
    readonly to: AmbientState;
    /** Refusal codes, in table order. */
    readonly problems: readonly string[];
    readonly warnings: readonly string[];
    /** Fragments every message of the first finding must contain (objects, the fix). */
    readonly says?: readonly string[];
}

/** One ambient revision `version` with everything at that version (tags, ztunnel, CNI), CRDs v1.5.1. */
const on = (version: string, over: Partial<AmbientState> = {}) => {
    const r = rev(version);
    const gatewayApi = { version: "v1.5.1", channel: "standard" as const, managed: true };
    return mesh({ revisions: [r], tags: { default: r.name, prod: r.name }, defaultRevision: r.name, ztunnel: { version, revision: r.name }, cni: { version, ambient: true }, gatewayApi, ...over });
};
const unlabelled = (version: string) => on(version, { tags: {}, gateways: [waypoint("shop", "waypoint")], gatewayApi: { version: "v1.2.1", channel: "standard", managed: true } });
const R = AMBIENT_RULES;
const W = AMBIENT_WARNINGS;
const G = GATEWAY_REVISION_RULES;
const A = GATEWAY_API_RULES;

const CASES: readonly Case[] = [
    { title: "a steady ambient mesh", from: mesh(), to: mesh(), problems: [], warnings: [] },
    { title: "a first install of an ambient mesh", from: undefined, to: mesh(), problems: [], warnings: [] },

    {
        title: "ambient on 1.23 (Beta): revision, ztunnel and CNI each refused",
        from: undefined,
        to: on("1.23.6", { gatewayApi: { version: "v1.1.0", channel: "standard", managed: true } }),
        problems: [R.betaVersion, R.betaVersion, R.betaVersion],
        warnings: [],
        says: ['revision "1-23-6" runs Istio 1.23.6', "Stable from 1.24.0", "Safe sequence: upgrade the control plane to 1.24.x"],
    },
    { title: "1.24 is the first Stable minor", from: undefined, to: on("1.24.6", { gatewayApi: { version: "v1.2.1", channel: "standard", managed: true } }), problems: [], warnings: [] },

    { title: "an ambient namespace without ztunnel", from: undefined, to: mesh({ ztunnel: undefined }), problems: [R.componentsMissing], warnings: [], says: ['namespace "shop", waypoint shop/waypoint need the ztunnel DaemonSet', "install the missing piece first"] },
    { title: "istio-cni without its ambient profile", from: undefined, to: mesh({ cni: { version: "1.29.6", ambient: false } }), problems: [R.componentsMissing], warnings: [], says: ["istio-cni's ambient profile"] },
    { title: "no istio-cni at all", from: undefined, to: mesh({ cni: undefined }), problems: [R.componentsMissing], warnings: [], says: ["istio-cni (installed with profile ambient)"] },
    { title: "ztunnel's revision without the ambient profile", from: undefined, to: mesh({ revisions: [rev("1.29.6", false)] }), problems: [R.componentsMissing], warnings: [], says: ['ambient profile on revision "1-29-6"'] },
    { title: "ztunnel installed ahead of any ambient namespace is fine", from: undefined, to: mesh({ namespaces: [ns("shop", "sidecar")], gateways: [] }), problems: [], warnings: [] },

    { title: "ztunnel pointed at a tag", from: undefined, to: mesh({ ztunnel: { version: "1.29.6", revision: "prod" } }), problems: [R.ztunnelRevision], warnings: [], says: ['"prod" is a tag', "istiod-<revision>.istio-system.svc:15012", "never a tag"] },
    { title: "ztunnel with no revision", from: undefined, to: mesh({ ztunnel: { version: "1.29.6" } }), problems: [R.ztunnelRevision], warnings: [], says: ["no revision is set", "Service istiod"] },
    { title: "ztunnel pointed at a revision not installed", from: undefined, to: mesh({ ztunnel: { version: "1.29.6", revision: "1-28-0" } }), problems: [R.ztunnelRevision], warnings: [], says: ['no revision "1-28-0" is installed', "(1-29-6)"] },

    { title: "ztunnel ahead of its control plane", from: undefined, to: canary({ ztunnel: { version: "1.30.3", revision: "1-29-6" } }), problems: [R.ztunnelSkew], warnings: [], says: ['ztunnel 1.30.3 would be ahead of control plane "1-29-6" (1.29.6)', "upgrade the control plane first"] },
    { title: "ztunnel two minors behind", from: undefined, to: on("1.30.3", { ztunnel: { version: "1.28.10", revision: "1-30-3" } }), problems: [R.ztunnelSkew], warnings: [], says: ["ztunnel 1.28.10 would lag", "1.x+1"] },
    { title: "ztunnel one minor behind (the documented order)", from: undefined, to: canary({ ztunnel: { version: "1.29.6", revision: "1-30-3" } }), problems: [], warnings: [] },

    { title: "istio-cni ahead of the newest control plane", from: undefined, to: mesh({ cni: { version: "1.30.3", ambient: true } }), problems: [R.cniSkew], warnings: [], says: ['istio-cni 1.30.3 would be ahead of control plane "1-29-6"'] },
    { title: "istio-cni two minors behind the newest", from: undefined, to: on("1.30.3", { cni: { version: "1.28.10", ambient: true } }), problems: [R.cniSkew], warnings: [], says: ["istio-cni 1.28.10 would lag"] },
    { title: "istio-cni at the canary's version while the old revision runs", from: undefined, to: canary({ cni: { version: "1.30.3", ambient: true } }), problems: [], warnings: [] },

    {
        title: "ztunnel upgraded two minors in place",
        from: mesh({ ztunnel: { version: "1.28.10", revision: "1-29-6" } }),
        to: canary({ ztunnel: { version: "1.30.3", revision: "1-30-3" } }),
        problems: [R.ztunnelSkip],
        warnings: [W.ztunnelRestart],
        says: ["ztunnel would move in place 1.28.10 -> 1.30.3", "one minor per change"],
    },

    {
        title: "a live sidecar namespace moved in the change that first installs ztunnel",
        from: sidecarMesh(),
        to: mesh(),
        problems: [R.enrolBeforeZtunnel],
        warnings: [W.moveToAmbient],
        says: ['namespace "shop" moves to ambient in the change that first installs ztunnel', "2) move \"shop\" in a later change"],
    },
    {
        title: "a sidecar namespace moved once ztunnel runs: restarts named",
        from: mesh({ namespaces: [ns("shop", "sidecar", { revision: "prod" })], gateways: [] }),
        to: mesh(),
        problems: [],
        warnings: [W.moveToAmbient],
        says: ["kubectl rollout restart deployment,statefulset,daemonset -n shop", "a sidecar wins over ambient", "processed by neither a sidecar nor ztunnel", "ztunnel enforces them as DENY"],
    },

    {
        title: "an ambient namespace dropped straight to sidecars",
        from: mesh(),
        to: mesh({ namespaces: [ns("shop", "sidecar", { revision: "prod" })] }),
        problems: [R.leaveWithoutSidecar],
        warnings: [],
        says: ["plain text outside the mesh", "add istio.io/rev=prod", "kubectl rollout restart deployment,statefulset,daemonset -n shop"],
    },
    {
        title: "an ambient namespace leaving the mesh altogether",
        from: mesh(),
        to: mesh({ namespaces: [ns("shop", "sidecar")], gateways: [] }),
        problems: [R.leaveWithoutSidecar],
        warnings: [],
        says: ["add istio.io/rev=<tag>", 'If "shop" is meant to leave the mesh altogether, override this rule.'],
    },
    { title: "a revision with the ambient profile on 1.23 alone is refused too", from: undefined, to: sidecarMesh({ revisions: [rev("1.23.6")], tags: { prod: "1-23-6" }, defaultRevision: "1-23-6" }), problems: [R.betaVersion], warnings: [] },
    { title: "leaving ambient after the sidecars are back (istio.io/rev set first)", from: mesh({ namespaces: [ns("shop", "ambient", { revision: "prod" })] }), to: mesh({ namespaces: [ns("shop", "sidecar", { revision: "prod" })] }), problems: [], warnings: [] },
    { title: "an ambient namespace that also has istio.io/rev", from: mesh(), to: mesh({ namespaces: [ns("shop", "ambient", { revision: "prod" })] }), problems: [], warnings: [W.injectionLabel], says: ["istio.io/rev=prod", "every new pod gets a sidecar"] },

    {
        title: "leaving ambient while bound to a waypoint",
        from: mesh({ namespaces: [ns("shop", "ambient", { revision: "prod", useWaypoint: "waypoint" })] }),
        to: mesh({ namespaces: [ns("shop", "sidecar", { revision: "prod", useWaypoint: "waypoint" })] }),
        problems: [R.switchWithWaypoint],
        warnings: [],
        says: ['namespace "shop" leaves ambient while bound to waypoint "waypoint"', "remove istio.io/use-waypoint"],
    },
    {
        title: "moving to ambient and binding a new waypoint in one change",
        from: mesh({ namespaces: [ns("shop", "sidecar", { revision: "prod" })], gateways: [] }),
        to: mesh({ namespaces: [ns("shop", "ambient", { useWaypoint: "waypoint" })] }),
        problems: [R.switchWithWaypoint],
        warnings: [W.moveToAmbient],
        says: ['binds it to waypoint "waypoint"', "check the Gateway is Programmed"],
    },
    {
        title: "moving to ambient and binding a Service to a new waypoint in one change",
        from: mesh({ namespaces: [ns("shop", "sidecar", { revision: "prod" })], gateways: [] }),
        to: mesh({ namespaces: [ns("shop", "ambient", { services: [{ name: "reviews", useWaypoint: "reviews-waypoint" }] })], gateways: [waypoint("shop", "reviews-waypoint", "prod")] }),
        problems: [R.switchWithServiceWaypoint],
        warnings: [W.moveToAmbient],
        says: ['namespace "shop" moves to ambient in the same change that binds its Services to waypoints (reviews -> reviews-waypoint, mesh.namespaces.shop.services)', "check each Gateway is Programmed"],
    },
    {
        title: "moving to ambient with the Service's waypoint deployed and bound beforehand",
        from: mesh({ namespaces: [ns("shop", "sidecar", { revision: "prod", services: [{ name: "reviews", useWaypoint: "reviews-waypoint" }] })], gateways: [waypoint("shop", "reviews-waypoint", "prod")] }),
        to: mesh({ namespaces: [ns("shop", "ambient", { services: [{ name: "reviews", useWaypoint: "reviews-waypoint" }] })], gateways: [waypoint("shop", "reviews-waypoint", "prod")] }),
        problems: [],
        warnings: [W.moveToAmbient],
    },
    {
        title: "leaving ambient while a Service is bound to a waypoint",
        from: mesh({ namespaces: [ns("shop", "ambient", { revision: "prod", services: [{ name: "reviews", useWaypoint: "reviews-waypoint" }] })], gateways: [waypoint("shop", "reviews-waypoint", "prod")] }),
        to: mesh({ namespaces: [ns("shop", "sidecar", { revision: "prod" })], gateways: [] }),
        problems: [R.switchWithServiceWaypoint],
        warnings: [],
        says: ['namespace "shop" leaves ambient while Services reviews are bound to waypoints', "remove mesh.namespaces.shop.services"],
    },
    {
        title: "moving to ambient with the waypoint deployed and bound beforehand",
        from: mesh({ namespaces: [ns("shop", "sidecar", { revision: "prod", useWaypoint: "waypoint" })] }),
        to: mesh({ namespaces: [ns("shop", "ambient", { useWaypoint: "waypoint" })] }),
        problems: [],
        warnings: [W.moveToAmbient],
    },

    {
        title: "ztunnel and istio-cni upgraded in place after the canary",
        from: canary(),
        to: canary({ ztunnel: { version: "1.30.3", revision: "1-30-3" }, cni: { version: "1.30.3", ambient: true } }),
        problems: [],
        warnings: [W.ztunnelRestart, W.cniRestart],
        says: ["ztunnel changes in place (1.29.6 -> 1.30.3, revision 1-29-6 -> 1-30-3)", "long-lived TCP connection", "maxSurge 1, maxUnavailable 0"],
    },
    { title: "ztunnel re-pointed to the canary revision only", from: canary(), to: canary({ ztunnel: { version: "1.29.6", revision: "1-30-3" } }), problems: [], warnings: [W.ztunnelRestart], says: ["(revision 1-29-6 -> 1-30-3)"] },

    { title: "a waypoint naming neither a revision nor a tag", from: undefined, to: mesh({ gateways: [waypoint("shop", "waypoint", "canary")] }), problems: [G.waypointUnresolved], warnings: [], says: ['waypoint shop/waypoint would be deployed by no istiod: its istio.io/rev is "canary"', "default, prod, 1-29-6"] },
    { title: "a waypoint on a tag whose revision is gone", from: undefined, to: mesh({ tags: { default: "1-29-6", prod: "1-30-3" } }), problems: [G.waypointUnresolved], warnings: [], says: ['tag "prod", which points at "1-30-3"'] },
    {
        title: "an unlabelled waypoint through its namespace's istio.io/rev",
        from: undefined,
        to: mesh({ namespaces: [ns("shop", "ambient", { revision: "nope" })], gateways: [waypoint("shop", "waypoint")] }),
        problems: [G.waypointUnresolved],
        warnings: [W.injectionLabel],
        says: ['the istio.io/rev of namespace shop is "nope"'],
    },
    { title: "an unlabelled waypoint, no default tag, default revision 1.25.4: no istiod takes it", from: undefined, to: unlabelled("1.25.4"), problems: [G.waypointUnresolved], warnings: [], says: ["istiod 1.25.4 (the default revision) takes unlabelled Gateways only through that tag"] },
    { title: "the same on 1.25.5, whose default revision takes it", from: undefined, to: unlabelled("1.25.5"), problems: [], warnings: [] },
    { title: "no default tag and no default revision", from: undefined, to: on("1.28.10", { tags: {}, defaultRevision: undefined, gateways: [waypoint("shop", "waypoint")] }), problems: [G.waypointUnresolved], warnings: [], says: ["neither a \"default\" tag nor a default revision"] },
    { title: "a Gateway API gateway (class istio) on an unknown revision", from: undefined, to: mesh({ gateways: [gateway("ingress", "public", "nope")] }), problems: [G.gatewayUnresolved], warnings: [], says: ["gateway ingress/public would be deployed by no istiod"] },

    {
        title: "removing the revision a waypoint and a gateway use while they move to a brand-new one",
        from: mesh({ gateways: [waypoint("shop", "waypoint", "prod"), gateway("ingress", "public", "prod")] }),
        to: on("1.30.3", { ztunnel: { version: "1.29.6", revision: "1-30-3" }, cni: { version: "1.29.6", ambient: true }, gatewayApi: { version: "v1.5.1", channel: "standard", managed: true }, gateways: [waypoint("shop", "waypoint", "prod"), gateway("ingress", "public", "prod")] }),
        problems: [G.waypointRemoved, G.gatewayRemoved],
        warnings: [W.ztunnelRestart],
        says: ['revision "1-29-6" is removed while waypoint shop/waypoint', 'moves to "1-30-3", a revision created in this same change', '3) remove "1-29-6" in a later change'],
    },
    {
        title: "removing the old revision after the canary has served them (promotion)",
        from: canary({ gateways: [waypoint("shop", "waypoint", "prod"), gateway("ingress", "public", "prod")] }),
        to: on("1.30.3", { ztunnel: { version: "1.29.6", revision: "1-30-3" }, cni: { version: "1.29.6", ambient: true }, gatewayApi: { version: "v1.5.1", channel: "standard", managed: true }, gateways: [waypoint("shop", "waypoint", "prod"), gateway("ingress", "public", "prod")] }),
        problems: [],
        warnings: [W.ztunnelRestart],
    },

    { title: "Gateway API CRDs downgraded", from: mesh(), to: mesh({ gatewayApi: { version: "v1.4.0", channel: "standard", managed: true } }), problems: [A.downgrade], warnings: [], says: ["v1.4.1 -> v1.4.0", "keep mesh.gatewayApi.version: v1.4.1 or newer"] },
    {
        title: "CRDs recorded as someone else's (v1.5.1), then managed by the stack at an older pin",
        from: mesh({ gatewayApi: { version: "v1.5.1", channel: "standard", managed: false } }),
        to: mesh({ gatewayApi: { version: "v1.4.1", channel: "standard", managed: true } }),
        problems: [A.downgrade],
        warnings: [],
        says: ["v1.5.1 (recorded as installed by someone else, manage: false) -> v1.4.1", "keep mesh.gatewayApi.version: v1.5.1"],
    },
    { title: "CRDs recorded as someone else's, then managed by the stack at the same version", from: mesh({ gatewayApi: { version: "v1.4.1", channel: "standard", managed: false } }), to: mesh(), problems: [], warnings: [] },
    {
        title: "experimental CRDs recorded as someone else's, then managed by the stack on the standard channel",
        from: mesh({ gatewayApi: { version: "v1.4.1", channel: "experimental", managed: false } }),
        to: mesh(),
        problems: [A.channelDowngrade],
        warnings: [],
        says: ["experimental (recorded as installed by someone else, manage: false) to the standard channel"],
    },
    { title: "Gateway API CRDs upgraded", from: mesh(), to: mesh({ gatewayApi: { version: "v1.5.1", channel: "standard", managed: true } }), problems: [], warnings: [] },
    { title: "CRDs someone else installed may move either way", from: mesh({ gatewayApi: { version: "v1.5.1", channel: "standard", managed: false } }), to: mesh({ gatewayApi: { version: "v1.4.1", channel: "standard", managed: false } }), problems: [], warnings: [] },
    { title: "experimental channel to standard", from: mesh({ gatewayApi: { version: "v1.4.1", channel: "experimental", managed: true } }), to: mesh(), problems: [A.channelDowngrade], warnings: [], says: ["TCPRoute and UDPRoute"] },
    { title: "managed CRDs deleted", from: mesh({ gateways: [] }), to: mesh({ gateways: [], gatewayApi: undefined }), problems: [A.removal], warnings: [], says: ["(v1.4.1) would be deleted"] },
    { title: "managed CRDs released to someone else", from: mesh(), to: mesh({ gatewayApi: { version: "v1.4.1", channel: "standard", managed: false } }), problems: [A.removal], warnings: [], says: ["retain on delete"] },
    {
        title: "a 1.30 revision on v1.4 CRDs",
        from: undefined,
        to: canary({ gatewayApi: { version: "v1.4.1", channel: "standard", managed: true } }),
        problems: [A.tooOld],
        warnings: [],
        says: ['revision "1-30-3" (Istio 1.30.3) needs Gateway API CRDs v1.5.0 or newer', "tlsroutes.gateway.networking.k8s.io"],
    },
    { title: "Gateways without any Gateway API CRDs", from: undefined, to: mesh({ gatewayApi: undefined }), problems: [A.missing], warnings: [], says: ["shop/waypoint"] },
    { title: "CRDs older than the minor Istio is built against (but above its minimum)", from: undefined, to: on("1.27.9", { gatewayApi: { version: "v1.2.1", channel: "standard", managed: true } }), problems: [], warnings: [GATEWAY_API_WARNINGS.olderThanBuilt], says: ["built against Gateway API v1.3.0", "has v1.2.1"] },
];

describe("ambient: transition rules (table)", () => {
    for (const c of CASES) {
        it(c.title, () => {
            const r = evaluateAmbient(c.from, c.to);
            expect(r.problems.map((p) => p.code), "refusals").to.deep.equal(c.problems);
            expect(r.warnings.map((p) => p.code), "warnings").to.deep.equal(c.warnings);
            const first = [...r.problems, ...r.warnings][0];
            for (const s of c.says ?? []) {
                expect(first.message).to.include(s);
            }
            for (const p of r.problems) {
                expect(p.message, p.code).to.include("Safe sequence");
            }
        });
    }

    it("an overridden refusal comes back as a warning, marked, and only that code", () => {
        const to = mesh({ ztunnel: { version: "1.29.6", revision: "prod" }, gatewayApi: undefined });
        const r = evaluateAmbient(undefined, to, [R.ztunnelRevision]);
        expect(r.problems.map((p) => p.code)).to.deep.equal([A.missing]);
        expect(r.warnings.map((p) => p.code)).to.deep.equal([R.ztunnelRevision]);
        expect(r.warnings[0].message).to.match(/^OVERRIDDEN \(allow-unsafe\): ztunnel fetches/);
        expect(evaluateAmbient(undefined, to, ["all"]).problems).to.deep.equal([]);
    });

    it("every row of the table has a case above where it fires", () => {
        const fired = new Set(CASES.flatMap((c) => [...c.problems, ...c.warnings]));
        expect(AMBIENT_TRANSITION_TABLE.map((r) => r.code).filter((code) => !fired.has(code))).to.deep.equal([]);
    });

    it("codes are unique, so an override names exactly one rule", () => {
        const codes = AMBIENT_TRANSITION_TABLE.map((r) => r.code);
        expect(new Set(codes).size).to.equal(codes.length);
    });
});
