/**
 * Ambient Helm values per version: the ztunnel chart's (every key a real key of that version's
 * values.yaml, recorded in tests/fixtures/ambient) and the ambient profile of istiod and
 * istio-cni (checked against tests/fixtures/istio).
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { ZTUNNEL_KEYS_SINCE, ZTUNNEL_NAME } from "../../components/ambient/facts";
import { ambientProfileValues, ztunnelHasKey, ztunnelValues } from "../../components/ambient/values";
import { chartDefaults, ISTIO_VERSIONS } from "../support/chartKeys";
import { unknownZtunnelKeys, ZTUNNEL_VERSIONS, ztunnelFixture } from "./ztunnelKeys";

const minor = (v: string) => Number(v.split(".")[1]);
const full = (version: string) =>
    ztunnelValues({ version, hub: "docker.io/istio", revision: "1-30-3", istioNamespace: "mesh-system", logLevel: "debug", terminationGracePeriodSeconds: 45 });

describe("ambient: Helm values", () => {
    it("the fixtures cover 1.24 to 1.30, each naming its tag and commit", () => {
        expect(ZTUNNEL_VERSIONS.map(minor)).to.deep.equal([24, 25, 26, 27, 28, 29, 30]);
        for (const v of ZTUNNEL_VERSIONS) {
            expect(ztunnelFixture(v).source).to.match(new RegExp(`^istio/istio tag ${v.replace(/\./g, "\\.")} \\(commit [0-9a-f]{40}\\)`));
        }
    });

    for (const version of ZTUNNEL_VERSIONS) {
        it(`${version}: every ztunnel value is a key of that chart`, () => {
            expect(unknownZtunnelKeys(version, full(version))).to.deep.equal([]);
        });
    }

    it("the key table says from which minor each key exists, as the recorded charts show", () => {
        for (const version of ZTUNNEL_VERSIONS) {
            const keys = ztunnelFixture(version).keys;
            for (const key of Object.keys(ZTUNNEL_KEYS_SINCE)) {
                expect(Object.hasOwn(keys, key), `${key} in ${version}`).to.equal(ztunnelHasKey(minor(version), key));
            }
        }
    });

    it("the check can fail: a key of a later chart is unknown to an earlier one", () => {
        expect(unknownZtunnelKeys("1.24.6", { resourceName: "x", updateStrategy: { type: "OnDelete" } })).to.deep.equal([
            "resourceName (no resourceName in ztunnel 1.24.6)",
            "updateStrategy.type (no updateStrategy in ztunnel 1.24.6)",
        ]);
        expect(unknownZtunnelKeys("1.30.3", { hub: { nested: 1 } })).to.deep.equal(["hub.nested (hub is a scalar)"]);
    });

    it("pins image and revision; resourceName ztunnel only where the chart has it (1.25 names objects after the release)", () => {
        expect(ztunnelValues({ version: "1.24.6", hub: "h", revision: "1-24-6" })).to.deep.equal({ hub: "h", tag: "1.24.6", revision: "1-24-6" });
        expect(ztunnelValues({ version: "1.25.5", hub: "h", revision: "1-25-5" })).to.deep.equal({ hub: "h", tag: "1.25.5", revision: "1-25-5", resourceName: ZTUNNEL_NAME });
        expect(ztunnelFixture("1.25.5").resourceNames).to.match(/^release name/);
        expect(ztunnelFixture("1.26.8").resourceNames).to.match(/^ztunnel/);
        expect(full("1.30.3")).to.deep.equal({
            hub: "docker.io/istio",
            tag: "1.30.3",
            revision: "1-30-3",
            istioNamespace: "mesh-system",
            resourceName: "ztunnel",
            logLevel: "debug",
            terminationGracePeriodSeconds: 45,
        });
    });

    it("the chart defaults it overrides are the test registry, latest, no revision", () => {
        for (const v of ZTUNNEL_VERSIONS) {
            const d = ztunnelFixture(v).defaults;
            expect([d.tag, d.revision, d.istioNamespace, d.terminationGracePeriodSeconds], v).to.deep.equal(["latest", "", "istio-system", 30]);
            expect(String(d.hub), v).to.match(/testing$/);
        }
    });

    it("raw values merge last, deeply", () => {
        const v = ztunnelValues({ version: "1.30.3", hub: "h", revision: "r", values: { tag: "1.30.3-distroless", env: { A: "1" } } });
        expect(v).to.include({ tag: "1.30.3-distroless" });
        expect(v.env).to.deep.equal({ A: "1" });
    });

    it("refuses what the rules refuse first: before 1.24, or without a revision", () => {
        expect(() => ztunnelValues({ version: "1.23.6", hub: "h", revision: "r" })).to.throw(/from 1\.24/);
        expect(() => ztunnelValues({ version: "1.30.3", hub: "h", revision: "" })).to.throw(/needs a revision/);
        expect(() => ambientProfileValues("1.22.8")).to.throw(/from 1\.24/);
    });

    // What `profile: ambient` does in each chart, from the recorded profile files (fixtures/ambient/profiles.json).
    const profiles: { releases: { tag: string; istiodProfileAmbient: any; cniProfileAmbient: any; cniDescopesCniValues: boolean }[] } = JSON.parse(
        fs.readFileSync(path.join(__dirname, "..", "fixtures", "ambient", "profiles.json"), "utf8"),
    );
    it("profiles are recorded for every ztunnel version", () => {
        expect(profiles.releases.map((r) => r.tag)).to.deep.equal(ZTUNNEL_VERSIONS);
    });
    for (const version of ISTIO_VERSIONS.filter((v) => minor(v) >= 24)) {
        it(`${version}: profile ambient turns ambient on in istiod and in istio-cni`, () => {
            expect(ambientProfileValues(version)).to.deep.equal({ profile: "ambient" });
            const p = profiles.releases.find((r) => r.tag === version);
            expect(p, "recorded").to.not.equal(undefined);
            expect(p?.istiodProfileAmbient.pilot.env.PILOT_ENABLE_AMBIENT).to.equal("true");
            expect(p?.istiodProfileAmbient.meshConfig.defaultConfig.proxyMetadata.ISTIO_META_ENABLE_HBONE).to.equal("true");
            // The cni chart reads .Values.ambient.enabled; the profile sets cni.ambient.enabled, which reaches it only through the descope template.
            expect(p?.cniProfileAmbient.cni.ambient.enabled).to.equal(true);
            expect(p?.cniDescopesCniValues).to.equal(true);
            expect((chartDefaults(version, "cni").ambient as { enabled: boolean }).enabled, "off by default").to.equal(false);
        });
    }
});
