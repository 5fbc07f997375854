/**
 * The version facts, value by value: the README's Kubernetes support table, the exact
 * messages a user sees, and the edges of every comparison.
 */
import { expect } from "chai";
import {
    atLeast,
    compareVersions,
    dnsLabelProblem,
    kubernetesProblem,
    minorDistance,
    mustParseVersion,
    newestVersion,
    parseKubernetesMinor,
    parseVersion,
    revisionNameFor,
    versionProblem,
} from "../../components/versions/version";

const v = mustParseVersion;

describe("versions: facts and edges", () => {
    // README, configuration reference: `kubernetesVersion`.
    const table: [number[], number, number][] = [
        [[22, 23], 27, 30],
        [[24], 28, 31],
        [[25], 29, 32],
        [[26, 27], 29, 33],
        [[28], 30, 34],
        [[29], 31, 35],
        [[30], 32, 36],
    ];

    it("supports exactly the README's Kubernetes range for every Istio minor", () => {
        for (const [minors, lo, hi] of table) {
            for (const minor of minors) {
                const istio = v(`1.${minor}.1`);
                expect(kubernetesProblem(istio, lo - 1), `1.${minor} on 1.${lo - 1}`).to.equal(`Istio 1.${minor}.1 supports Kubernetes 1.${lo} to 1.${hi}, not 1.${lo - 1}`);
                expect(kubernetesProblem(istio, lo), `1.${minor} on 1.${lo}`).to.equal(undefined);
                expect(kubernetesProblem(istio, hi), `1.${minor} on 1.${hi}`).to.equal(undefined);
                expect(kubernetesProblem(istio, hi + 1), `1.${minor} on 1.${hi + 1}`).to.equal(`Istio 1.${minor}.1 supports Kubernetes 1.${lo} to 1.${hi}, not 1.${hi + 1}`);
            }
        }
        // A minor without a known range is not checked.
        expect(kubernetesProblem(v("1.31.0"), 10)).to.equal(undefined);
    });

    it("parses versions into numbers and keeps the text", () => {
        expect(parseVersion("1.30.3")).to.deep.equal({ major: 1, minor: 30, patch: 3, text: "1.30.3" });
        expect(parseVersion("10.200.3000")).to.deep.equal({ major: 10, minor: 200, patch: 3000, text: "10.200.3000" });
        for (const bad of ["1.30.3 ", "x1.30.3", "1.30.3.4", "1..3", "a.b.c"]) {
            expect(parseVersion(bad), bad).to.equal(undefined);
        }
        expect(() => mustParseVersion("1.30")).to.throw(`internal: "1.30" is not a validated Istio version`);
        expect(mustParseVersion("1.29.6").text).to.equal("1.29.6");
    });

    it("says why a version is not usable, in the user's words", () => {
        expect(versionProblem("1.30")).to.equal(`"1.30" is not a full Istio release; write MAJOR.MINOR.PATCH, e.g. "1.30.3"`);
        const unsupported = (t: string) => `Istio ${t} is not supported; use a 1.22.x to 1.30.x release`;
        for (const t of ["1.21.9", "1.31.0", "2.25.0", "0.25.0"]) {
            expect(versionProblem(t), t).to.equal(unsupported(t));
        }
        for (const t of ["1.22.0", "1.26.1", "1.22.8", "1.30.5"]) {
            expect(versionProblem(t), t).to.equal(undefined);
        }
        // Releases that do not exist: past the newest patch of the minor, or with a leading zero.
        expect(versionProblem("1.30.99")).to.equal("Istio 1.30.99 has not been released: 1.30 patches are 1.30.0 to 1.30.5 (the newest known here; components/versions/releases.ts lists them and says how to add a newer one)");
        expect(versionProblem("1.22.9")).to.match(/^Istio 1\.22\.9 has not been released: 1\.22 patches are 1\.22\.0 to 1\.22\.8/);
        for (const [t, fix] of [["1.30.03", "1.30.3"], ["1.030.3", "1.30.3"], ["01.30.3", "1.30.3"], ["1.30.00", "1.30.0"]]) {
            expect(versionProblem(t), t).to.equal(`"${t}" is not how Istio writes a release (no leading zeros); write ${fix}`);
        }
        expect(versionProblem("1.30.0")).to.equal(undefined); // a single 0 is no leading zero
    });

    it("orders by major, then minor, then patch", () => {
        const order = ["0.99.99", "1.9.9", "1.29.6", "1.29.10", "1.30.0", "2.0.0"].map(v);
        for (let i = 0; i < order.length; i++) {
            for (let j = 0; j < order.length; j++) {
                expect(Math.sign(compareVersions(order[i], order[j])), `${order[i].text} vs ${order[j].text}`).to.equal(Math.sign(i - j));
            }
        }
        expect(minorDistance(v("1.30.0"), v("2.1.0"))).to.equal(1000 - 29);
        expect(minorDistance(v("1.29.0"), v("1.29.9"))).to.equal(0);
    });

    it("finds the newest version, whatever the order", () => {
        expect(newestVersion([])).to.equal(undefined);
        expect(newestVersion([v("1.29.6")])?.text).to.equal("1.29.6");
        expect(newestVersion(["1.28.10", "1.30.3", "1.29.6"].map(v))?.text).to.equal("1.30.3");
        expect(newestVersion(["1.30.3", "1.30.10", "1.30.4"].map(v))?.text).to.equal("1.30.10");
        // Equal versions: the first one stays.
        const [a, b] = [v("1.29.6"), v("1.29.6")];
        expect(newestVersion([a, b])).to.equal(a);
    });

    it("atLeast compares minor and patch, any 2.x being newer", () => {
        expect(atLeast(v("1.28.6"), 28, 6)).to.equal(true);
        expect(atLeast(v("1.28.5"), 28, 6)).to.equal(false);
        expect(atLeast(v("1.29.0"), 28, 6)).to.equal(true);
        expect(atLeast(v("1.27.9"), 28)).to.equal(false);
        expect(atLeast(v("1.28.0"), 28)).to.equal(true);
        expect(atLeast(v("2.0.0"), 28, 6)).to.equal(true);
    });

    it("names revisions and checks DNS labels, with the reason", () => {
        expect(revisionNameFor("1.30.3")).to.equal("1-30-3");
        expect(revisionNameFor("1.30.30")).to.equal("1-30-30");
        expect(dnsLabelProblem("x".repeat(63))).to.equal(undefined);
        expect(dnsLabelProblem("x".repeat(64))).to.equal(`"${"x".repeat(64)}" is longer than 63 characters`);
        expect(dnsLabelProblem("a")).to.equal(undefined);
        expect(dnsLabelProblem("a-1")).to.equal(undefined);
        expect(dnsLabelProblem("1.30.3")).to.equal(
            `"1.30.3" is not a DNS label: use lower-case letters, digits and '-', starting and ending with a letter or digit (a '.' is never valid: write 1-30-3, not 1.30.3)`,
        );
        for (const bad of ["", "ab-", "-ab", "aB", "a b", "a.b", "é"]) {
            expect(dnsLabelProblem(bad), JSON.stringify(bad)).to.be.a("string");
        }
    });

    it("reads Kubernetes versions as written by users and clusters", () => {
        expect(parseKubernetesMinor("1.31")).to.equal(31);
        expect(parseKubernetesMinor("v1.31")).to.equal(31);
        expect(parseKubernetesMinor("1.31.2")).to.equal(31);
        expect(parseKubernetesMinor("v1.32.14")).to.equal(32);
        for (const bad of ["1.31.", "2.31", "1.31.2.1", "x1.31", "1.31x", "v1", "1.", "1.31.a"]) {
            expect(parseKubernetesMinor(bad), bad).to.equal(undefined);
        }
    });
});
