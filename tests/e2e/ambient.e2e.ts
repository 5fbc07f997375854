/**
 * Ambient and Gateway API objects on a real API server (etcd + kube-apiserver +
 * kube-controller-manager): what the program emits is accepted, with the labels and the
 * istio.io/rev the rules reason about, and the program's own live queries (the CRD check, the
 * in-use check's pods and Gateways) read them back as the unit tests assume.
 *
 * What this cannot show, plainly: no ztunnel, no istio-cni and no waypoint can run here (no
 * nodes with a CNI, no istiod). So no pod is captured, no waypoint is Programmed, and the
 * "waypoint pods" below are bare pods labelled as istiod's waypoint template labels them, made by
 * the test. No Pulumi program runs either: the objects come from the same pure functions the
 * components apply (components/ambient/objects.ts, components/gatewayapi/objects.ts).
 *
 * The Gateway CRD is built from the recorded v1.5.1 schema (tests/fixtures/gatewayapi/
 * gateway-v1.5.1.schema.json: kubernetes-sigs/gateway-api v1.5.1,
 * config/crd/standard/gateway.networking.k8s.io_gateways.yaml, the v1 openAPIV3Schema unchanged,
 * its CEL rules included), served as v1 only (the recorded file keeps no v1beta1 schema).
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { ambientLabels } from "../../components/ambient/namespaces";
import { waypointGateway } from "../../components/ambient/objects";
import { parseStackConfig } from "../../components/config/stackConfig";
import { queryGatewayObjects, queryPods } from "../../components/dataplane/liveQuery";
import { gatewayApiGatewayObject } from "../../components/gatewayapi/objects";
import { GATEWAY_API_LIVE_RULES, liveCrdProblems, queryCrds } from "../../components/gatewayapi/live";
import { IN_USE_RULES, inUseProblems } from "../../components/plan/inUseRule";
import { stateOf } from "../../components/state/deployed";
import { Cluster, startCluster } from "./harness/cluster";
import { ensureTools, missingBinaries } from "./harness/tools";
import { stackFile } from "../support/fixtures";

const REPO = path.resolve(__dirname, "..", "..");
const SCHEMA = path.join(REPO, "tests", "fixtures", "gatewayapi", "gateway-v1.5.1.schema.json");

/** The Gateway CRD of bundle v1.5.1 (standard), v1 only, from the recorded schema. */
function gatewayCrd(): object {
    const recorded = JSON.parse(fs.readFileSync(SCHEMA, "utf8")) as { bundleVersion: string; channel: string; openAPIV3Schema: object };
    return {
        apiVersion: "apiextensions.k8s.io/v1",
        kind: "CustomResourceDefinition",
        metadata: {
            name: "gateways.gateway.networking.k8s.io",
            annotations: {
                "gateway.networking.k8s.io/bundle-version": recorded.bundleVersion,
                "gateway.networking.k8s.io/channel": recorded.channel,
                // *.k8s.io groups need it; the release's own value is not recorded here, and "unapproved, ..." is accepted.
                "api-approved.kubernetes.io": "unapproved, test fixture built from the recorded Gateway API v1.5.1 schema",
            },
        },
        spec: {
            group: "gateway.networking.k8s.io",
            names: { kind: "Gateway", listKind: "GatewayList", plural: "gateways", singular: "gateway", shortNames: ["gtw"] },
            scope: "Namespaced",
            versions: [{ name: "v1", served: true, storage: true, schema: { openAPIV3Schema: recorded.openAPIV3Schema }, subresources: { status: {} } }],
        },
    };
}

describe("e2e: ambient and Gateway API objects on a real API server (no ztunnel or waypoint runs here)", function () {
    let cluster: Cluster;
    const access = () => ({ kubeconfig: cluster.kubeconfig });
    const kubectl = async (args: string[], input?: string) => {
        const r = await cluster.kubectl(args, input === undefined ? undefined : { input });
        expect(r.code, `kubectl ${args.join(" ")}: ${r.stderr}`).to.equal(0);
        return r.stdout.trim();
    };
    const apply = (object: object, manager = "istio-mesh-e2e") => kubectl(["apply", "--server-side", `--field-manager=${manager}`, "-f", "-"], JSON.stringify(object));
    const stack = (name: string) => stateOf(parseStackConfig(stackFile(`ambient/${name}`)));

    before(async function () {
        const binDir = ensureTools({ allowMissing: true });
        const missing = missingBinaries(binDir, ["kube-apiserver", "kube-controller-manager", "kubectl", "etcd"]);
        if (missing.length > 0) throw new Error(`e2e tools missing from ${binDir}: ${missing.join(", ")}`);
        // The program's live queries run kubectl from this process.
        process.env.PATH = `${binDir}${path.delimiter}${process.env.PATH ?? ""}`;
        cluster = await startCluster({ binDir });
        for (const ns of ["bookinfo", "tools"]) await kubectl(["create", "namespace", ns]);
    });

    after(async () => {
        await cluster?.stop();
    });

    it("before the CRDs exist: the CRD check answers 'absent' and the Gateway query answers none, not an error", () => {
        expect(queryCrds(access())).to.deep.equal({ present: false });
        const objects = queryGatewayObjects(access());
        expect(objects).to.have.property("gateways").that.deep.equals([]);
        expect("namespaces" in objects ? objects.namespaces.map((n) => n.name) : []).to.include.members(["bookinfo", "tools"]);
    });

    it("the Gateway CRD from the recorded v1.5.1 schema is established, and the CRD check reads its bundle-version", async () => {
        await apply(gatewayCrd());
        await kubectl(["wait", "--for=condition=Established", "--timeout=60s", "crd/gateways.gateway.networking.k8s.io"]);
        const live = queryCrds(access());
        expect(live).to.deep.equal({ present: true, bundle: "v1.5.1" });
        // A pin below what the cluster has: refused at preview (the rule the unit tests table).
        const r = liveCrdProblems({ gatewayApi: { gateways: [], crds: { version: "v1.4.1", channel: "standard", manage: true } } }, { gatewayApi: { gateways: [], crds: { version: "v1.4.1", channel: "standard", manage: true } } }, live);
        expect(r.refusals.map((p) => p.code)).to.deep.equal([GATEWAY_API_LIVE_RULES.newerInCluster]);
    });

    it("the ambient namespace labels, a waypoint and a gateway-api Gateway are accepted as emitted", async () => {
        const labels = ambientLabels({ name: "bookinfo", dataplane: "ambient", keepSidecars: false, waypoint: { name: "waypoint", revision: "prod-stable" } });
        await kubectl(["label", "namespace", "bookinfo", ...Object.entries(labels).map(([k, v]) => `${k}=${v}`), "--overwrite"]);
        await apply(waypointGateway({ namespace: "bookinfo", name: "waypoint", revision: "prod-stable" }));
        await apply(waypointGateway({ namespace: "bookinfo", name: "reviews-waypoint", revision: "prod-stable", waypointFor: "workload" }));
        await apply(
            gatewayApiGatewayObject({
                name: "web",
                namespace: "bookinfo",
                revision: "prod-stable",
                labels: { team: "shop" },
                listeners: [
                    { name: "http", port: 80, protocol: "HTTP" },
                    { name: "https", port: 443, protocol: "HTTPS", hostname: "shop.example.com", tls: { certificateRefs: [{ name: "shop-cert" }] } },
                ],
            }),
        );
        const got = JSON.parse(await kubectl(["get", "gateways.gateway.networking.k8s.io", "-n", "bookinfo", "-o", "json"])).items.map((g: any) => [g.metadata.name, g.spec.gatewayClassName, g.metadata.labels["istio.io/rev"], g.metadata.labels["istio.io/waypoint-for"] ?? "-"]);
        expect(got).to.deep.equal([
            ["reviews-waypoint", "istio-waypoint", "prod-stable", "workload"],
            ["waypoint", "istio-waypoint", "prod-stable", "-"],
            ["web", "istio", "prod-stable", "-"],
        ]);
        expect(JSON.parse(await kubectl(["get", "namespace", "bookinfo", "-o", "json"])).metadata.labels).to.deep.include({ "istio.io/dataplane-mode": "ambient", "istio.io/use-waypoint": "waypoint" });
    });

    it("the schema is live (the test can fail): an HTTPS listener in Passthrough, which the config refuses first, is refused by the CRD's own rules", async () => {
        const bad = { apiVersion: "gateway.networking.k8s.io/v1", kind: "Gateway", metadata: { name: "bad", namespace: "bookinfo" }, spec: { gatewayClassName: "istio", listeners: [{ name: "https", port: 443, protocol: "HTTPS", tls: { mode: "Passthrough" } }] } };
        const r = await cluster.kubectl(["apply", "--server-side", "-f", "-"], { input: JSON.stringify(bad) });
        expect(r.code).to.not.equal(0);
        expect(r.stderr).to.match(/Passthrough|tls mode/i);
    });

    it("a Service takes istio.io/use-waypoint under the program's field manager; its spec stays the application's", async () => {
        await kubectl(["create", "service", "clusterip", "reviews", "--tcp=9080:9080", "-n", "bookinfo"]);
        await apply({ apiVersion: "v1", kind: "Service", metadata: { name: "reviews", namespace: "bookinfo", labels: { "istio.io/use-waypoint": "reviews-waypoint" } } }, "istio-mesh-waypoint");
        const svc = JSON.parse(await kubectl(["get", "service", "reviews", "-n", "bookinfo", "-o", "json", "--show-managed-fields"]));
        expect(svc.metadata.labels).to.deep.include({ "istio.io/use-waypoint": "reviews-waypoint" });
        expect(svc.spec.ports.map((p: any) => p.port)).to.deep.equal([9080]);
        const ours = svc.metadata.managedFields.filter((f: any) => f.manager === "istio-mesh-waypoint");
        expect(ours, "one entry of the program's field manager").to.have.length(1);
        expect(Object.keys(ours[0].fieldsV1), "it owns metadata only").to.deep.equal(["f:metadata"]);
    });

    it("the in-use check reads a hand-made waypoint on the removed revision from the real server, and clears once it is moved", async () => {
        await kubectl(["label", "namespace", "tools", "istio.io/dataplane-mode=ambient", "istio.io/use-waypoint=tools-waypoint"]);
        await apply(waypointGateway({ namespace: "tools", name: "tools-waypoint", revision: "1-29-6" }));
        // What istiod's waypoint template would run (no istiod here: a bare pod, Pending without a scheduler).
        await apply({
            apiVersion: "v1",
            kind: "Pod",
            metadata: {
                name: "tools-waypoint-6d7e8f9a0-zt5kw",
                namespace: "tools",
                labels: { "gateway.istio.io/managed": "istio.io-mesh-controller", "gateway.networking.k8s.io/gateway-name": "tools-waypoint", "istio.io/rev": "1-29-6", "sidecar.istio.io/inject": "false", "istio.io/dataplane-mode": "none" },
                annotations: { "istio.io/rev": "1-29-6" },
            },
            spec: { containers: [{ name: "istio-proxy", image: "registry.invalid/proxyv2:1.29.6" }] },
        });
        // An ambient application pod with a stale istio.io/rev label: never a sidecar pod.
        await apply({
            apiVersion: "v1",
            kind: "Pod",
            metadata: { name: "grafana", namespace: "tools", labels: { app: "grafana", "istio.io/rev": "1-29-6" }, annotations: { "ambient.istio.io/redirection": "enabled" } },
            spec: { containers: [{ name: "grafana", image: "registry.invalid/grafana:1" }] },
        });
        const read = () => {
            const pods = queryPods(access());
            const objects = queryGatewayObjects(access());
            if ("unreachable" in pods || "unreachable" in objects) throw new Error(JSON.stringify({ pods, objects }));
            return { ...pods, ...objects };
        };
        const refused = inUseProblems(stack("05-promote"), stack("06-complete"), read());
        expect(refused.map((p) => p.code)).to.deep.equal([IN_USE_RULES.gatewayInUse]);
        expect(refused[0].message).to.include("waypoint tools/tools-waypoint (istio.io/rev=1-29-6; 1 pod tools/tools-waypoint-6d7e8f9a0-zt5kw; used by ambient namespace tools)");
        // Moved as the message says (relabel; istiod would redeploy: here the pod is deleted by hand).
        await kubectl(["label", "gateways.gateway.networking.k8s.io", "tools-waypoint", "-n", "tools", "istio.io/rev=1-30-3", "--overwrite"]);
        await kubectl(["delete", "pod", "tools-waypoint-6d7e8f9a0-zt5kw", "-n", "tools", "--wait=true"]);
        expect(inUseProblems(stack("05-promote"), stack("06-complete"), read())).to.deep.equal([]);
    });
});
