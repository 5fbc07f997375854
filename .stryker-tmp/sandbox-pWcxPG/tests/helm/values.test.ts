// @ts-nocheck
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { ControlPlaneConfig, GatewayConfig } from "../../components/config/model";
import { baseValues, deepMerge, gatewayValues, istiodValues, supportsValidationFailurePolicy } from "../../components/helm/values";
import { mustParseVersion } from "../../components/versions/version";
import { gatewayChartRenders } from "../../components/config/stackConfig";
import { chartDefaults, ISTIO_VERSIONS, unknownKeys } from "../support/chartKeys";
import { parseMesh, SHARED } from "../support/fixtures";

const mesh = { namespace: "istio-system", hub: "docker.io/istio" };
const cp = (over: Partial<ControlPlaneConfig> = {}): ControlPlaneConfig => ({ ...parseMesh({ revisions: [{ version: "1.30.3" }] }).controlPlane, ...over });
const gateway: GatewayConfig = parseMesh({ revisions: [{ version: "1.30.3" }], gateways: { gw: { revision: "1-30-3", labels: { team: "edge" } } } }).gateways[0];

describe("helm: values per chart version", () => {
    it("has the chart values of every minor 1.22-1.30 to check against", () => {
        expect(ISTIO_VERSIONS.map((v) => mustParseVersion(v).minor)).to.deep.equal([22, 23, 24, 25, 26, 27, 28, 29, 30]);
    });

    for (const version of ISTIO_VERSIONS) {
        describe(version, () => {
            const revision = { name: version.replace(/\./g, "-"), version, values: {} };

            it("istiod: every key is a real key of the chart (both PDB styles, resources)", () => {
                for (const c of [cp(), cp({ pdb: { maxUnavailable: 1 }, resources: { requests: { cpu: "500m" } }, meshConfig: { accessLogFile: "/dev/stdout" } })]) {
                    expect(unknownKeys(version, "istiod", istiodValues(mesh, c, revision))).to.deep.equal([]);
                }
            });

            it("istiod: revision set, tags empty, pilot keys where this version reads them", () => {
                const values = istiodValues(mesh, cp(), revision);
                expect(values.revision).to.equal(revision.name);
                expect(values.revisionTags).to.deep.equal([]);
                const topLevel = "replicaCount" in chartDefaults(version, "istiod");
                expect("replicaCount" in values, "top-level replicaCount").to.equal(topLevel);
                expect("pilot" in values, "pilot.*").to.equal(!topLevel);
                expect(mustParseVersion(version).minor >= 24).to.equal(topLevel);
            });

            it("base: every key is a real key (or a template-only key) of the chart", () => {
                expect(unknownKeys(version, "base", baseValues(mesh, version, revision.name))).to.deep.equal([]);
            });

            const gw = fs.existsSync(path.join(SHARED, "istio", version, "gateway", "values.yaml"));
            if (gw && gatewayChartRenders(mustParseVersion(version))) {
                it("gateway: every key is in values.yaml and allowed by values.schema.json", () => {
                    const values = gatewayValues(gateway, "1-30-3@1.30.3");
                    expect(values.podAnnotations, "the effective-revision annotation is set").to.deep.equal({ "istio-mesh/effective-revision": "1-30-3@1.30.3" });
                    expect(unknownKeys(version, "gateway", values)).to.deep.equal([]);
                    const schema = JSON.parse(fs.readFileSync(path.join(SHARED, "istio", version, "gateway", "values.schema.json"), "utf8"));
                    const props = schema.$defs.values.properties;
                    for (const [k, v] of Object.entries(values)) {
                        expect(props, `schema has ${k}`).to.have.property(k);
                        // Sub-keys are checked where the schema closes the object (additionalProperties: false).
                        if (props[k].properties && props[k].additionalProperties === false && v && typeof v === "object") {
                            for (const sub of Object.keys(v)) {
                                expect(props[k].properties, `schema has ${k}.${sub}`).to.have.property(sub);
                            }
                        }
                    }
                });
            }
        });
    }

    it("sets base.validationFailurePolicy exactly where the chart has it", () => {
        expect(supportsValidationFailurePolicy(mustParseVersion("1.28.5"))).to.equal(false);
        expect(supportsValidationFailurePolicy(mustParseVersion("1.28.6"))).to.equal(true);
        expect(supportsValidationFailurePolicy(mustParseVersion("1.29.1"))).to.equal(false);
        expect(supportsValidationFailurePolicy(mustParseVersion("1.29.2"))).to.equal(true);
        expect(baseValues(mesh, "1.30.0", "a")).to.deep.include({ base: { validationFailurePolicy: "Fail" } });
        expect(baseValues(mesh, "1.27.9", "a")).not.to.have.property("base");
    });

    it("base calls the default revision by its revision name", () => {
        expect(baseValues(mesh, "1.30.3", "1-30-3")).to.deep.include({ defaultRevision: "1-30-3", global: { istioNamespace: "istio-system" } });
    });

    it("merges raw revision values last (escape hatch)", () => {
        const values = istiodValues(mesh, cp(), { name: "r", version: "1.30.3", values: { global: { logAsJson: true }, replicaCount: 4 } });
        expect(values.replicaCount).to.equal(4);
        expect((values.global as Record<string, unknown>).logAsJson).to.equal(true);
        expect((values.global as Record<string, unknown>).istioNamespace).to.equal("istio-system");
        expect(deepMerge({ a: [1, 2] }, { a: [3] })).to.deep.equal({ a: [3] });
    });

    it("the key checker itself catches a wrong key and a pre-1.24 shape on 1.30", () => {
        expect(unknownKeys("1.30.3", "istiod", { pilot: { replicaCount: 2 } })).to.have.length(1);
        expect(unknownKeys("1.30.3", "istiod", { replicaCount: 2, nope: 1 })).to.deep.equal(["nope (no nope in istiod 1.30.3)"]);
        expect(unknownKeys("1.22.8", "istiod", { pdb: { minAvailable: 1 } })).to.have.length(1);
    });
});
