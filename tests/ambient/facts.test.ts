/**
 * Ambient facts and the revision resolution the rules share: which istiod deploys a Gateway
 * (waypoints included) and which one ztunnel connects to, as istiod's tag watcher and the
 * ztunnel chart decide it.
 */
import { expect } from "chai";
import { AMBIENT_GA_MINOR, defaultRevisionOwnsGateways, MAX_NODE_AGENT_LAG_MINORS } from "../../components/ambient/facts";
import { gatewayRevision, ztunnelRevision } from "../../components/ambient/state";
import { canary, mesh, ns, rev, waypoint } from "./support";

describe("ambient: facts", () => {
    it("ambient is installed from 1.24, node agents lag by at most one minor", () => {
        expect([AMBIENT_GA_MINOR, MAX_NODE_AGENT_LAG_MINORS]).to.deep.equal([24, 1]);
    });

    const cases: [string, boolean][] = [
        ["1.24.6", false],
        ["1.25.4", false],
        ["1.25.5", true],
        ["1.26.3", false],
        ["1.26.4", true],
        ["1.27.0", false],
        ["1.27.1", true],
        ["1.28.0", true],
        ["1.30.3", true],
        ["1.31.0", true],
        ["1.23.6", false],
    ];
    for (const [v, owns] of cases) {
        it(`istiod ${v} ${owns ? "takes" : "does not take"} unlabelled Gateways as the default revision without a default tag`, () => {
            const [, minor, patch] = v.split(".").map(Number);
            expect(defaultRevisionOwnsGateways(minor, patch)).to.equal(owns);
        });
    }
});

describe("ambient: which revision serves a Gateway", () => {
    const wp = (revision?: string) => waypoint("shop", "waypoint", revision);
    const rows: [string, ReturnType<typeof mesh>, ReturnType<typeof wp>, string | undefined][] = [
        ["its own istio.io/rev naming a revision", canary(), wp("1-30-3"), "1-30-3"],
        ["its own istio.io/rev naming a tag", canary({ tags: { prod: "1-30-3" } }), wp("prod"), "1-30-3"],
        ["its own label wins over its namespace's", canary({ namespaces: [ns("shop", "ambient", { revision: "1-29-6" })] }), wp("1-30-3"), "1-30-3"],
        ["its namespace's istio.io/rev when it has none", canary({ namespaces: [ns("shop", "ambient", { revision: "1-30-3" })] }), wp(), "1-30-3"],
        ["the default tag when neither has one", canary({ tags: { default: "1-30-3" } }), wp(), "1-30-3"],
        ["the default revision without a default tag (1.29 does that)", canary({ tags: {}, defaultRevision: "1-29-6" }), wp(), "1-29-6"],
        ["nothing for an unknown label", canary(), wp("nope"), undefined],
        ["nothing for a tag pointing at a removed revision", mesh({ tags: { prod: "1-28-0" } }), wp("prod"), undefined],
        ["nothing on 1.24 with no default tag", mesh({ revisions: [rev("1.24.6")], tags: {}, defaultRevision: "1-24-6" }), wp(), undefined],
        ["nothing with no default at all", mesh({ tags: {}, defaultRevision: undefined }), wp(), undefined],
    ];
    for (const [title, state, g, expected] of rows) {
        it(title, () => {
            expect(gatewayRevision(state, g)?.name).to.equal(expected);
        });
    }

    it("ztunnel connects to a revision named by its chart value, never through a tag", () => {
        expect(ztunnelRevision(mesh())?.name).to.equal("1-29-6");
        expect(ztunnelRevision(mesh({ ztunnel: { version: "1.29.6", revision: "prod" } }))).to.equal(undefined);
        expect(ztunnelRevision(mesh({ ztunnel: { version: "1.29.6" } }))).to.equal(undefined);
        expect(ztunnelRevision(mesh({ ztunnel: undefined }))).to.equal(undefined);
    });
});
