/**
 * Ambient objects as data: the waypoint Gateway (valid against the Gateway API CRD of the
 * oldest and newest bundles the supported Istio minors are built against, v1.2.1 and v1.5.1)
 * and the labels of an ambient namespace.
 */
import { expect } from "chai";
import { namespaceLabels, waypointGateway } from "../../components/ambient/objects";
import { GATEWAY_BUNDLES, gatewayProblems, recordedGateway } from "./gatewaySchema";

describe("ambient: objects", () => {
    it("a waypoint is what istioctl generates: class istio-waypoint, HBONE on 15008, labels only when chosen", () => {
        expect(waypointGateway({ namespace: "shop", name: "waypoint" })).to.deep.equal({
            apiVersion: "gateway.networking.k8s.io/v1",
            kind: "Gateway",
            metadata: { name: "waypoint", namespace: "shop" },
            spec: { gatewayClassName: "istio-waypoint", listeners: [{ name: "mesh", port: 15008, protocol: "HBONE" }] },
        });
        expect(waypointGateway({ namespace: "shop", name: "w", revision: "prod", waypointFor: "all" }).metadata.labels).to.deep.equal({ "istio.io/waypoint-for": "all", "istio.io/rev": "prod" });
        expect(() => waypointGateway({ namespace: "shop", name: "w", waypointFor: "pods" as never })).to.throw(/waypoint-for "pods"/);
    });

    for (const bundle of GATEWAY_BUNDLES) {
        it(`${bundle}: the waypoint Gateway passes the recorded CRD schema (standard channel)`, () => {
            const rec = recordedGateway(bundle);
            expect([rec.bundleVersion, rec.channel]).to.deep.equal([bundle, "standard"]);
            expect(gatewayProblems(waypointGateway({ namespace: "shop", name: "waypoint", revision: "prod", waypointFor: "service" }), bundle)).to.deep.equal([]);
        });

        it(`${bundle}: the check can fail (a bad protocol, duplicate listeners, an unknown field)`, () => {
            const gw = waypointGateway({ namespace: "shop", name: "waypoint" });
            const bad = { ...gw, spec: { ...gw.spec, listeners: [{ name: "mesh", port: 15008, protocol: "HB ONE" }, { name: "mesh", port: 15008, protocol: "HB ONE" }], extra: 1 } };
            const problems = gatewayProblems(bad as never, bundle);
            expect(problems.some((p) => p.includes("listeners[0].protocol: must match")), "protocol").to.equal(true);
            expect(problems.some((p) => /Listener name must be unique|exists_one\(l2, l1\.name/.test(p)), "unique names").to.equal(true);
            expect(problems.some((p) => p.includes("extra")), "unknown field").to.equal(true);
        });
    }

    it("namespace labels: ambient or no data-plane label at all, never istio-injection", () => {
        expect(namespaceLabels({ name: "shop", dataplane: "ambient", useWaypoint: "waypoint" })).to.deep.equal({
            "istio.io/dataplane-mode": "ambient",
            "istio.io/rev": null,
            "istio.io/use-waypoint": "waypoint",
            "istio-injection": null,
        });
        expect(namespaceLabels({ name: "shop", dataplane: "sidecar", revision: "prod" })).to.deep.equal({
            "istio.io/dataplane-mode": null,
            "istio.io/rev": "prod",
            "istio.io/use-waypoint": null,
            "istio-injection": null,
        });
    });
});
