/**
 * Invariants between what the rules read and what the program applies, over generated configs
 * (fast-check): for every namespace, the AmbientState the rules see (from the deployed record)
 * carries istio.io/rev and istio.io/dataplane-mode exactly when the namespace patch the program
 * applies does; and the record round-trips through the stack output.
 */
import { expect } from "chai";
import * as fc from "fast-check";
import { ambientLabels, ambientNamespaceOf, carriesRevisionLabel } from "../../components/ambient/namespaces";
import { ambientStateOf } from "../../components/ambient/record";
import { fromStackOutput, stateOf, toStackOutput } from "../../components/state/deployed";
import { parseMesh } from "../support/fixtures";

const arbNamespace = fc.record(
    {
        dataplane: fc.option(fc.constantFrom("sidecar", "ambient"), { nil: undefined }),
        keepSidecars: fc.option(fc.constant(true), { nil: undefined }),
        waypoint: fc.option(fc.record({ for: fc.option(fc.constantFrom("service", "workload", "all", "none"), { nil: undefined }) }, { requiredKeys: [] }), { nil: undefined }),
    },
    { requiredKeys: [] },
);
const arbConfig = fc.record({
    meshDataplane: fc.constantFrom("sidecar", "ambient"),
    namespaces: fc.dictionary(fc.constantFrom("shop", "cart", "web", "pay", "constructor"), arbNamespace, { maxKeys: 4 }),
});

describe("ambient: what the rules read is what the program applies (properties)", () => {
    it("istio.io/rev and dataplane-mode agree between the rules' state and the namespace labels; the record round-trips", () => {
        fc.assert(
            fc.property(arbConfig, ({ meshDataplane, namespaces }) => {
                const ns = Object.fromEntries(
                    Object.entries(namespaces).map(([name, n]) => {
                        // Only valid combinations: keepSidecars on an ambient namespace, waypoints in an ambient mesh.
                        const mode = meshDataplane === "sidecar" ? "sidecar" : (n.dataplane ?? "ambient");
                        return [name, { revision: "prod", ...(meshDataplane === "ambient" && n.dataplane !== undefined ? { dataplane: n.dataplane } : {}), ...(mode === "ambient" && n.keepSidecars ? { keepSidecars: true } : {}), ...(meshDataplane === "ambient" && n.waypoint ? { waypoint: n.waypoint.for === undefined ? {} : { for: n.waypoint.for } } : {}) }];
                    }),
                );
                const config = parseMesh({ revisions: [{ version: "1.29.6" }], tags: { prod: "1-29-6" }, cni: { enabled: true }, dataplane: meshDataplane, gatewayApi: { version: "v1.4.1" }, namespaces: ns });
                const record = fromStackOutput(toStackOutput(stateOf(config)));
                expect(record).to.deep.equal(stateOf(config));
                const seen = ambientStateOf(record!);
                for (const n of config.namespaces) {
                    const a = ambientNamespaceOf(config.ambient, n.name);
                    const rules = seen.namespaces.find((x) => x.name === n.name);
                    const labels = ambientLabels(a);
                    expect(rules?.revision !== undefined, `${n.name} istio.io/rev`).to.equal(carriesRevisionLabel(a));
                    expect(rules?.dataplane === "ambient", `${n.name} dataplane-mode`).to.equal(Object.hasOwn(labels, "istio.io/dataplane-mode"));
                    expect(rules?.useWaypoint, `${n.name} use-waypoint`).to.equal(Object.hasOwn(labels, "istio.io/use-waypoint") ? labels["istio.io/use-waypoint"] : undefined);
                }
            }),
            { numRuns: 150 },
        );
    });
});
