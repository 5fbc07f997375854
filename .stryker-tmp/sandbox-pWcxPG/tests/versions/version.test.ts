// @ts-nocheck
import { expect } from "chai";
import * as fc from "fast-check";
import {
    compareVersions,
    dnsLabelProblem,
    kubernetesProblem,
    minorDistance,
    mustParseVersion,
    parseKubernetesMinor,
    parseVersion,
    revisionNameFor,
    versionProblem,
} from "../../components/versions/version";

describe("versions", () => {
    it("parses full releases only", () => {
        expect(parseVersion("1.30.3")).to.deep.include({ major: 1, minor: 30, patch: 3 });
        for (const bad of ["1.30", "v1.30.3", "1.30.3-beta.1", "1.30.x", "", " 1.30.3"]) {
            expect(parseVersion(bad), bad).to.equal(undefined);
        }
    });

    it("refuses minors outside 1.22-1.30 with the supported range in the message", () => {
        expect(versionProblem("1.21.6")).to.match(/1\.22\.x to 1\.30\.x/);
        expect(versionProblem("1.31.0")).to.match(/not supported/);
        expect(versionProblem("1.22.0")).to.equal(undefined);
        expect(versionProblem("1.30")).to.match(/MAJOR\.MINOR\.PATCH/);
    });

    it("derives DNS-label revision names from versions", () => {
        expect(revisionNameFor("1.30.3")).to.equal("1-30-3");
        fc.assert(
            fc.property(fc.nat(99), fc.nat(99), fc.nat(99), (a, b, c) => {
                const name = revisionNameFor(`${a}.${b}.${c}`);
                return dnsLabelProblem(name) === undefined && !name.includes(".");
            }),
        );
    });

    it("rejects names with dots, capitals or edge dashes", () => {
        for (const bad of ["1.30.3", "Canary", "-a", "a-", "a_b", "x".repeat(64)]) {
            expect(dnsLabelProblem(bad), bad).to.be.a("string");
        }
        expect(dnsLabelProblem("1-30-3")).to.equal(undefined);
    });

    it("orders versions and measures minor distance", () => {
        expect(compareVersions(mustParseVersion("1.29.10"), mustParseVersion("1.29.9"))).to.be.greaterThan(0);
        expect(minorDistance(mustParseVersion("1.28.1"), mustParseVersion("1.30.0"))).to.equal(2);
        expect(minorDistance(mustParseVersion("1.30.0"), mustParseVersion("1.29.9"))).to.equal(-1);
    });

    it("checks Kubernetes support ranges", () => {
        expect(parseKubernetesMinor("1.31")).to.equal(31);
        expect(parseKubernetesMinor("v1.31.2")).to.equal(31);
        expect(parseKubernetesMinor("1.x")).to.equal(undefined);
        expect(kubernetesProblem(mustParseVersion("1.30.3"), 31)).to.match(/1\.32 to 1\.36/);
        expect(kubernetesProblem(mustParseVersion("1.29.6"), 31)).to.equal(undefined);
        expect(kubernetesProblem(mustParseVersion("1.22.8"), 31)).to.match(/1\.27 to 1\.30/);
    });
});
