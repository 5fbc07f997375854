/** The CRD schema validator on the Istio schemas themselves: what it accepts and refuses, by path. */
import { expect } from "chai";
import { durationMs, validate } from "../../components/istio/openapi";
import { crdProblems, schemaOf } from "./crdSchemas";

const vs = (http: unknown[], extra: Record<string, unknown> = {}) => ({
    apiVersion: "networking.istio.io/v1",
    kind: "VirtualService",
    metadata: { name: "reviews", namespace: "bookinfo" },
    spec: { hosts: ["reviews"], http, ...extra },
});
const route = (r: Record<string, unknown> = {}) => ({ route: [{ destination: { host: "reviews", subset: "v1" } }], ...r });

describe("istio: OpenAPI validation against the 1.30.3 CRDs", function () {
    it("accepts a plain VirtualService", function () {
        expect(crdProblems(vs([route()]))).to.deep.equal([]);
    });

    it("refuses an unknown field, naming its path", function () {
        expect(crdProblems(vs([route({ weights: 3 })]))).to.deep.equal([
            'VirtualService/reviews.spec.http[0]: unknown field "weights" (the API server would prune it, or refuse it with strict field validation)',
        ]);
    });

    it("refuses a missing required field (destination.host)", function () {
        expect(crdProblems(vs([{ route: [{ destination: { subset: "v1" } }] }]))).to.deep.equal(['VirtualService/reviews.spec.http[0].route[0].destination: missing required field "host"']);
    });

    it("refuses a wrong type and an out-of-range integer", function () {
        expect(crdProblems(vs([route({ retries: { attempts: "3" } })]))).to.deep.equal(["VirtualService/reviews.spec.http[0].retries.attempts: must be an integer"]);
        const gw = { apiVersion: "networking.istio.io/v1", kind: "Gateway", metadata: { name: "g", namespace: "n" }, spec: { servers: [{ hosts: ["*"], port: { number: -1, name: "http", protocol: "HTTP" } }] } };
        expect(crdProblems(gw)).to.deep.equal(["Gateway/g.spec.servers[0].port.number: must be >= 0 (got -1)"]);
    });

    it("refuses two of the mutually exclusive match kinds (oneOf)", function () {
        const problems = crdProblems(vs([route({ match: [{ headers: { "end-user": { exact: "jason", prefix: "j" } } }] })]));
        expect(problems).to.have.length(1);
        expect(problems[0]).to.match(/^VirtualService\/reviews\.spec\.http\[0\]\.match\[0\]\.headers\.end-user: matches 2 oneOf alternatives/);
    });

    it("evaluates the duration CEL rule: below 1ms or malformed is refused", function () {
        expect(crdProblems(vs([route({ timeout: "10s" })]))).to.deep.equal([]);
        expect(crdProblems(vs([route({ timeout: "0s" })]))).to.deep.equal(["VirtualService/reviews.spec.http[0].timeout: must be a valid duration greater than 1ms"]);
        expect(crdProblems(vs([route({ timeout: "10 seconds" })]))).to.deep.equal(["VirtualService/reviews.spec.http[0].timeout: must be a valid duration greater than 1ms"]);
        expect(durationMs("1m30s")).to.equal(90_000);
        expect(durationMs("1.5s")).to.equal(1500);
        expect(durationMs("500us")).to.equal(0.5);
        expect(durationMs("s")).to.equal(undefined);
    });

    it("evaluates the at-most-N-fields CEL rules (Telemetry selector/targetRef/targetRefs)", function () {
        const t = { apiVersion: "telemetry.istio.io/v1", kind: "Telemetry", metadata: { name: "t", namespace: "istio-system" } };
        expect(crdProblems({ ...t, spec: { selector: { matchLabels: { app: "a" } } } })).to.deep.equal([]);
        expect(crdProblems({ ...t, spec: { selector: { matchLabels: { app: "a" } }, targetRefs: [{ kind: "Gateway", group: "gateway.networking.k8s.io", name: "g" }] } })).to.deep.equal([
            "Telemetry/t.spec: only one of targetRefs or selector can be set",
        ]);
    });

    it("reports a CEL rule it cannot evaluate instead of passing it", function () {
        const schema = { type: "object", properties: { a: { type: "string", "x-kubernetes-validations": [{ rule: "self.size() < 3" }] } } };
        expect(validate({ a: "x" }, schema)).to.deep.equal(["<root>.a: CEL rule not evaluated by this validator: self.size() < 3 (add it to CEL_RULES)"]);
        expect(validate({}, schema)).to.deep.equal([]);
    });

    it("accepts int-or-string, free-form maps and null only where nullable", function () {
        const s = { type: "object", properties: { p: { "x-kubernetes-int-or-string": true }, m: { type: "object", additionalProperties: { type: "string" } }, n: { type: "string", nullable: true } } };
        expect(validate({ p: 8080, m: { a: "b" }, n: null }, s)).to.deep.equal([]);
        expect(validate({ p: "http" }, s)).to.deep.equal([]);
        expect(validate({ p: 1.5, m: { a: 1 } }, s)).to.deep.equal(["<root>.p: must be an integer or a string", "<root>.m.a: must be a string"]);
        expect(validate({ p: null }, s)).to.deep.equal(["<root>.p: must not be null"]);
        expect(validate("x", { type: "string", enum: ["a"] })).to.deep.equal(['<root>: must be one of "a" (got "x")']);
    });

    it("knows the CRDs it checks against", function () {
        for (const kind of ["Gateway", "VirtualService", "DestinationRule"]) {
            expect(schemaOf(kind).properties?.spec, kind).to.not.equal(undefined);
        }
    });
});
