/**
 * Every Gateway the program emits is valid against the recorded Gateway API CRD schemas
 * (tests/fixtures/gatewayapi, v1.2.1 and v1.5.1, with the listener CEL rules): gateways of
 * kind gateway-api built from config, in each listener shape the config accepts, and the
 * Gateways the program registers for the ambient runbook under mocks.
 */
import { expect } from "chai";
import { gatewayApiGatewayObject } from "../../components/gatewayapi/objects";
import { runProgram } from "../../components/plan/mockRun";
import { GATEWAY_BUNDLES, gatewayProblems } from "../ambient/gatewaySchema";
import { parseMesh, stackFile } from "../support/fixtures";

const BASE = { revisions: [{ version: "1.29.6" }], tags: { prod: "1-29-6" }, gatewayApi: { version: "v1.4.1" } };
const gatewaysOf = (listeners: unknown[]) => parseMesh({ ...BASE, gateways: { web: { kind: "gateway-api", revision: "prod", namespace: "edge", labels: { team: "web" }, listeners } } }).gatewayApi?.gateways ?? [];

const SHAPES: [string, unknown[]][] = [
    ["HTTP", [{ name: "http", port: 80, protocol: "HTTP" }]],
    ["HTTP with a hostname and routes from all namespaces", [{ name: "http", port: 8080, protocol: "HTTP", hostname: "*.example.com", allowedRoutes: "All" }]],
    ["HTTPS terminating with a Secret", [{ name: "https", port: 443, protocol: "HTTPS", hostname: "shop.example.com", tls: { certificateRefs: [{ name: "shop-cert" }] } }]],
    ["TLS passthrough", [{ name: "tls", port: 8443, protocol: "TLS", hostname: "db.example.com" }]],
    ["TLS terminating with a Secret elsewhere", [{ name: "tls", port: 9443, protocol: "TLS", tls: { mode: "Terminate", certificateRefs: [{ name: "c", namespace: "certs" }] } }]],
    ["TCP", [{ name: "db", port: 5432, protocol: "TCP" }]],
    ["several listeners", [{ name: "http", port: 80, protocol: "HTTP" }, { name: "https", port: 443, protocol: "HTTPS", tls: { certificateRefs: [{ name: "c" }] } }]],
];

describe("gatewayapi: emitted Gateways against the recorded CRD schemas", () => {
    for (const bundle of GATEWAY_BUNDLES) {
        for (const [what, listeners] of SHAPES) {
            it(`${bundle}: a gateway-api gateway, ${what}`, () => {
                const [g] = gatewaysOf(listeners);
                const o = gatewayApiGatewayObject(g);
                expect(o.metadata.labels).to.deep.equal({ team: "web", "istio.io/rev": "prod" });
                expect(gatewayProblems(o as never, bundle)).to.deep.equal([]);
            });
        }

        it(`${bundle}: the check sees a broken listener (a TCP listener with a hostname)`, () => {
            const [g] = gatewaysOf([{ name: "db", port: 5432, protocol: "TCP" }]);
            const o = gatewayApiGatewayObject(g);
            const bad = { ...o, spec: { ...o.spec, listeners: [{ ...o.spec.listeners[0], hostname: "x.example.com" }] } };
            expect(gatewayProblems(bad as never, bundle)).not.to.deep.equal([]);
        });
    }

    it("v1.5.1: the listener TLS rule is evaluated and can fail (Terminate without a certificate)", () => {
        const [g] = gatewaysOf([{ name: "tls", port: 8443, protocol: "TLS" }]);
        const o = gatewayApiGatewayObject(g);
        const bad = { ...o, spec: { ...o.spec, listeners: [{ ...o.spec.listeners[0], tls: { mode: "Terminate" } }] } };
        expect(gatewayProblems(bad as never, "v1.5.1").join("\n")).to.match(/listeners\[0\]\.tls: /);
        expect(gatewayProblems(o as never, "v1.5.1")).to.deep.equal([]);
    });

    it("every Gateway the program registers for the ambient runbook passes both schemas", async function () {
        this.timeout(60_000);
        const run = await runProgram(stackFile("ambient/02-waypoint"), null);
        const gateways = run.resources.filter((r) => r.type === "kubernetes:gateway.networking.k8s.io/v1:Gateway");
        expect(gateways.map((g) => g.name).sort()).to.deep.equal(["mesh-gwapi-web-gateway", "mesh-waypoint-bookinfo-waypoint-gateway"]);
        for (const g of gateways) {
            const { apiVersion, kind, metadata, spec } = g.inputs as Record<string, any>;
            for (const bundle of GATEWAY_BUNDLES) {
                expect(gatewayProblems({ apiVersion, kind, metadata, spec } as never, bundle), `${g.name} ${bundle}`).to.deep.equal([]);
            }
        }
    });
});
