/**
 * Gateway API versions per Istio minor: the table in components/gatewayapi/versions.ts must
 * say what istio/istio says at each pinned tag (tests/fixtures/gatewayapi, recorded from its
 * go.mod and its minimum-CRD-version map), and the version arithmetic the rules use.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import {
    compareBundleVersions,
    formatBundle,
    gatewayApiFactsFor,
    ignoredCrds,
    ISTIO_GATEWAY_API,
    mustParseBundleVersion,
    parseBundleVersion,
    requiredBundleFor,
} from "../../components/gatewayapi/versions";

interface Recorded {
    releases: { tag: string; commit: string; goModGatewayApi: string; minimumCrdVersions: Record<string, string> }[];
}
const recorded: Recorded = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "fixtures", "gatewayapi", "istio-gateway-api.json"), "utf8"));
const minor = (tag: string) => Number(tag.split(".")[1]);

describe("gatewayapi: versions per Istio minor", () => {
    it("covers exactly the recorded minors 1.22 to 1.30", () => {
        expect(Object.keys(ISTIO_GATEWAY_API).map(Number)).to.deep.equal(recorded.releases.map((r) => minor(r.tag)));
    });

    for (const r of recorded.releases) {
        it(`${r.tag}: built against ${r.goModGatewayApi}, minimum CRD versions as istiod has them`, () => {
            const facts = gatewayApiFactsFor(minor(r.tag));
            expect(facts?.builtAgainst).to.equal(r.goModGatewayApi);
            expect(facts?.minimumCrdVersions).to.deep.equal(r.minimumCrdVersions);
            expect(r.commit).to.match(/^[0-9a-f]{40}$/);
        });
    }

    it("the required bundle is at least every CRD minimum (below it a kind is ignored)", () => {
        for (const [m, f] of Object.entries(ISTIO_GATEWAY_API)) {
            const required = mustParseBundleVersion(f.requiredBundle);
            expect(ignoredCrds(Number(m), required), m).to.deep.equal([]);
        }
        expect(ISTIO_GATEWAY_API[30].requiredBundle, "1.30 upgrade notes: CRDs v1.5.x").to.equal("1.5.0");
    });

    it("parses bundle versions with or without v, refuses release candidates", () => {
        expect(parseBundleVersion("v1.4.1")).to.deep.equal({ major: 1, minor: 4, patch: 1 });
        expect(parseBundleVersion("1.5.0")).to.deep.equal({ major: 1, minor: 5, patch: 0 });
        expect(parseBundleVersion("v1.3.0-rc.1")).to.equal(undefined);
        expect(() => mustParseBundleVersion("latest")).to.throw(/not a validated/);
        expect(formatBundle({ major: 1, minor: 2, patch: 3 })).to.equal("v1.2.3");
    });

    it("orders by major, minor, patch", () => {
        const v = (s: string) => mustParseBundleVersion(s);
        expect(compareBundleVersions(v("1.4.1"), v("1.4.0"))).to.be.greaterThan(0);
        expect(compareBundleVersions(v("1.4.9"), v("1.5.0"))).to.be.lessThan(0);
        expect(compareBundleVersions(v("2.0.0"), v("1.9.9"))).to.be.greaterThan(0);
        expect(compareBundleVersions(v("1.5.1"), v("v1.5.1"))).to.equal(0);
    });

    it("names the CRDs a minor ignores at an older bundle", () => {
        expect(ignoredCrds(30, mustParseBundleVersion("v1.3.0"))).to.deep.equal(["backendtlspolicies.gateway.networking.k8s.io", "tlsroutes.gateway.networking.k8s.io"]);
        expect(ignoredCrds(29, mustParseBundleVersion("v1.4.0"))).to.deep.equal([]);
        expect(ignoredCrds(22, mustParseBundleVersion("v1.0.0"))).to.deep.equal(["grpcroutes.gateway.networking.k8s.io"]);
        expect(ignoredCrds(99, mustParseBundleVersion("v0.1.0")), "unknown minor").to.deep.equal([]);
    });

    it("the bundle a set of revisions needs is the highest of theirs", () => {
        expect(requiredBundleFor([28, 30])).to.deep.equal({ major: 1, minor: 5, patch: 0 });
        expect(requiredBundleFor([26, 28])).to.deep.equal({ major: 1, minor: 4, patch: 0 });
        expect(requiredBundleFor([99])).to.equal(undefined);
    });
});
