/**
 * The Bookinfo sample's routing objects against a real kube-apiserver with Istio 1.30.3's CRDs
 * installed: the server validates each object against its CRD's openAPIV3Schema (types,
 * required fields, oneOf, CEL rules) and, with strict field validation, refuses unknown fields
 * instead of pruning them. The add-ons' tracing Telemetry likewise. Also checks that the server
 * refuses what the unit tests' validator refuses, so the two agree. No Pulumi engine: kubectl
 * server-side apply, as a field manager.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { tracingTelemetry } from "../../components/addons/telemetry";
import { parseSample, SAMPLE_KEY } from "../../examples/bookinfo/config";
import { routingObjects } from "../../examples/bookinfo/routing";
import { DEFAULT_CRD_FILE } from "../../scripts/gen-istio-types";
import { crdProblems } from "../istio/crdSchemas";
import { Cluster, startCluster } from "./harness/cluster";
import { cleanupDirs, ensureTools, missingBinaries } from "./harness/tools";

const REPO = path.resolve(__dirname, "..", "..");
const NS = "bookinfo";
const CRDS = [...["gateways", "virtualservices", "destinationrules"].map((p) => `crd/${p}.networking.istio.io`), "crd/telemetries.telemetry.istio.io"];

describe("e2e: Bookinfo routing objects accepted by the API server with the 1.30.3 CRDs", function () {
    let cluster: Cluster;
    const sample = () => parseSample(parse(fs.readFileSync(path.join(REPO, "examples", "bookinfo", "Pulumi.dev.yaml"), "utf8")).config[SAMPLE_KEY]);
    const apply = (obj: unknown) => cluster.kubectl(["apply", "--server-side", "--field-manager=istio-mesh-bookinfo", "--validate=strict", "-f", "-"], { input: JSON.stringify(obj) });

    before(async function () {
        const binDir = ensureTools({ allowMissing: true });
        const missing = missingBinaries(binDir, ["etcd", "kube-apiserver", "kubectl"]);
        if (missing.length > 0) throw new Error(`e2e tools missing from ${binDir}: ${missing.join(", ")}`);
        const t0 = Date.now();
        cluster = await startCluster({ binDir, controllerManager: false, log: (m) => console.log(`      ${m}`) });
        const crds = await cluster.kubectl(["apply", "--server-side", "-f", DEFAULT_CRD_FILE], { timeoutMs: 120_000 });
        expect(crds.code, crds.stderr).to.equal(0);
        const ready = await cluster.kubectl(["wait", "--for=condition=Established", "--timeout=60s", ...CRDS]);
        expect(ready.code, ready.stderr).to.equal(0);
        for (const name of [NS, "istio-system"]) {
            const ns = await cluster.kubectl(["create", "namespace", name]);
            expect(ns.code, ns.stderr).to.equal(0);
        }
        console.log(`      [time] cluster + CRDs: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    });

    after(async function () {
        try {
            await cluster?.stop();
        } finally {
            cleanupDirs();
        }
    });

    it("every routing object of the example is accepted, and stored as emitted (nothing pruned)", async function () {
        const r = routingObjects(sample());
        const all = [...r.destinationRules, ...r.gateways, ...r.virtualServices];
        expect(all).to.have.length(10);
        for (const o of all) {
            const res = await apply(o);
            expect(res.code, `${o.kind}/${o.metadata.name}: ${res.stderr}\n${cluster.logs(5)}`).to.equal(0);
        }
        for (const o of all) {
            const got = await cluster.kubectl(["get", `${o.kind.toLowerCase()}.networking.istio.io`, o.metadata.name, "-n", NS, "-o", "json"]);
            expect(got.code, got.stderr).to.equal(0);
            const stored = JSON.parse(got.stdout);
            expect(stored.apiVersion).to.equal("networking.istio.io/v1");
            expect(stored.spec, `${o.kind}/${o.metadata.name} as stored`).to.deep.equal(o.spec);
        }
    });

    it("the add-ons' tracing Telemetry is accepted too", async function () {
        const t = tracingTelemetry("istio-system", 2.5);
        const res = await apply(t);
        expect(res.code, res.stderr).to.equal(0);
        const got = await cluster.kubectl(["get", "telemetry.telemetry.istio.io", t.metadata.name, "-n", "istio-system", "-o", "json"]);
        expect(JSON.parse(got.stdout).spec).to.deep.equal(t.spec);
    });

    it("the server refuses what the unit tests' validator refuses (they agree)", async function () {
        const reviews = structuredClone(routingObjects(sample()).virtualServices.find((v) => v.metadata.name === "reviews")!);
        reviews.metadata.name = "reviews-broken";
        const cases: { what: string; edit: (o: any) => void; server: RegExp }[] = [
            { what: "a timeout below 1ms (CEL rule)", edit: (o) => (o.spec.http[1].timeout = "0s"), server: /must be a valid duration greater than 1ms/ },
            { what: "an unknown field", edit: (o) => (o.spec.http[1].mirrorRatio = 10), server: /mirrorRatio: field not declared in schema/ },
            { what: "exact and prefix in one header match (oneOf)", edit: (o) => (o.spec.http[0].match[0].headers["end-user"].prefix = "j"), server: /oneOf|must validate one and only one/ },
            { what: "a string where an integer belongs", edit: (o) => (o.spec.http[1].retries.attempts = "3"), server: /retries\.attempts: expected numeric/ },
        ];
        for (const c of cases) {
            const obj = structuredClone(reviews);
            c.edit(obj);
            expect(crdProblems(obj), `validator on ${c.what}`).to.not.deep.equal([]);
            const res = await apply(obj);
            expect(res.code, `server accepted ${c.what}`).to.not.equal(0);
            expect(res.stderr, `${c.what}: ${res.stderr}`).to.match(c.server);
        }
        const none = await cluster.kubectl(["get", "virtualservice.networking.istio.io", "reviews-broken", "-n", NS]);
        expect(none.code).to.not.equal(0);
    });
});
