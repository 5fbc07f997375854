/**
 * mesh.dataplane, mesh.ztunnel, mesh.gatewayApi, the namespaces' ambient keys and gateways of
 * kind gateway-api: defaults, and every bad input as one issue at its path naming the fix.
 */
import { expect } from "chai";
import type { RawMesh } from "../../components/config/schema";
import { gatewayApiRecordOf } from "../../components/ambient/record";
import { meshIssues, parseMesh } from "../support/fixtures";

const LIBRARY_WORDING = /Invalid input|Invalid option|expected|received|discriminator|Unrecognized|Too small|Too big/i;
const R = [{ version: "1.29.6" }];
const AMBIENT = { revisions: R, cni: { enabled: true }, dataplane: "ambient", gatewayApi: { version: "v1.4.1" } } as const;
const m = (over: Record<string, unknown>) => ({ ...AMBIENT, ...over }) as unknown as RawMesh;

function issues(mesh: RawMesh): string[] {
    const found = meshIssues(mesh);
    for (const i of found) expect(i).not.to.match(LIBRARY_WORDING);
    return found;
}

describe("config: ambient mode and Gateway API", () => {
    it("a config without any of the keys has neither section (sidecar mode, as before)", () => {
        const c = parseMesh({ revisions: R, namespaces: { shop: "1-29-6" } });
        expect(c.ambient).to.equal(undefined);
        expect(c.gatewayApi).to.equal(undefined);
    });

    it("ambient: ztunnel follows the default revision, namespaces inherit mesh.dataplane, CRDs default to standard and managed", () => {
        const c = parseMesh(m({ namespaces: { shop: "1-29-6", legacy: { revision: "1-29-6", dataplane: "sidecar" }, web: { revision: "1-29-6", waypoint: {} } } }));
        expect(c.ambient?.dataplane).to.equal("ambient");
        expect(c.ambient?.ztunnel).to.deep.equal({ revision: "1-29-6", version: "1.29.6", values: {} });
        expect(c.ambient?.namespaces).to.deep.equal([
            { name: "legacy", dataplane: "sidecar", keepSidecars: false },
            { name: "shop", dataplane: "ambient", keepSidecars: false },
            { name: "web", dataplane: "ambient", keepSidecars: false, waypoint: { name: "waypoint", revision: "1-29-6" } },
        ]);
        expect(c.gatewayApi).to.deep.equal({ crds: { version: "v1.4.1", channel: "standard", manage: true }, gateways: [] });
    });

    it("waypoints per Service: named <service>-waypoint, following the namespace's revision, for Service traffic; Services may share one", () => {
        const c = parseMesh(m({ namespaces: { shop: { revision: "1-29-6", dataplane: "sidecar", services: { reviews: { waypoint: {} }, ratings: { waypoint: { name: "reviews-waypoint" } }, api: { waypoint: { name: "api-wp", for: "all" } } } } } }));
        expect(c.ambient?.namespaces).to.deep.equal([
            {
                name: "shop",
                dataplane: "sidecar",
                keepSidecars: false,
                services: [
                    { name: "api", waypoint: { name: "api-wp", revision: "1-29-6", for: "all" } },
                    { name: "ratings", waypoint: { name: "reviews-waypoint", revision: "1-29-6", for: "service" } },
                    { name: "reviews", waypoint: { name: "reviews-waypoint", revision: "1-29-6", for: "service" } },
                ],
            },
        ]);
    });

    it("a Service may share the namespace's own waypoint (both take Service traffic)", () => {
        expect(issues(m({ namespaces: { shop: { revision: "1-29-6", waypoint: {}, services: { reviews: { waypoint: { name: "waypoint" } } } } } }))).to.deep.equal([]);
    });

    it("the CRD manifest from a mirror or a local file, with {version} and {channel} or the version itself; never in the deployed record", () => {
        for (const manifest of ["https://mirror.example.com/gateway-api/{version}/{channel}-install.yaml", "./crds/gateway-api-v1.4.1-standard.yaml", "/srv/crds/1.4.1/{channel}.yaml"]) {
            expect(issues(m({ gatewayApi: { version: "v1.4.1", manifest } })), manifest).to.deep.equal([]);
            expect(parseMesh(m({ gatewayApi: { version: "v1.4.1", manifest } })).gatewayApi?.crds).to.deep.equal({ version: "v1.4.1", channel: "standard", manage: true, manifest });
        }
        expect(gatewayApiRecordOf(parseMesh(m({ gatewayApi: { version: "v1.4.1", manifest: "/srv/{version}.yaml" } })).gatewayApi)?.crds).to.deep.equal({ version: "v1.4.1", channel: "standard", manage: true });
    });

    it("a gateway of kind gateway-api is not a chart gateway", () => {
        const c = parseMesh(m({ gateways: { web: { kind: "gateway-api", revision: "1-29-6", listeners: [{ name: "http", port: 80, protocol: "HTTP" }] }, gw: { revision: "1-29-6" } } }));
        expect(c.gateways.map((g) => g.name)).to.deep.equal(["gw"]);
        expect(c.gatewayApi?.gateways).to.deep.equal([{ name: "web", namespace: "istio-ingress", revision: "1-29-6", listeners: [{ name: "http", port: 80, protocol: "HTTP" }], labels: {} }]);
    });

    const two = [{ version: "1.29.6" }, { version: "1.30.3" }];
    const cases: [string, RawMesh, string][] = [
        ["ambient without CNI", m({ cni: undefined }), "istio-mesh:mesh.dataplane: ambient mode needs the Istio CNI node agent with its ambient profile (it enrols pods into ztunnel); set mesh.cni: {enabled: true}"],
        ["ambient on a Beta minor", m({ revisions: [{ version: "1.23.6" }] }), "istio-mesh:mesh.revisions[0].version: Istio 1.23.6 runs ambient mode as Beta (Stable from 1.24.0); upgrade every revision to 1.24.x or later with mesh.dataplane: sidecar first, then set mesh.dataplane: ambient in a later change"],
        ["ztunnel in sidecar mode", m({ dataplane: "sidecar", ztunnel: {} }), "istio-mesh:mesh.ztunnel: ztunnel runs only in ambient mode; set mesh.dataplane: ambient or remove mesh.ztunnel"],
        ["an ambient namespace in a sidecar mesh", m({ dataplane: undefined, namespaces: { shop: { revision: "1-29-6", dataplane: "ambient" } } }), "istio-mesh:mesh.namespaces.shop.dataplane: an ambient namespace needs the ambient pieces (ztunnel, the ambient profile of istiod and istio-cni): set mesh.dataplane: ambient first"],
        ["keepSidecars on a sidecar namespace", m({ namespaces: { shop: { revision: "1-29-6", dataplane: "sidecar", keepSidecars: true } } }), "istio-mesh:mesh.namespaces.shop.keepSidecars: only an ambient namespace keeps sidecars (istio.io/rev beside istio.io/dataplane-mode); remove keepSidecars"],
        ["ztunnel on a tag", m({ tags: { prod: "1-29-6" }, ztunnel: { revision: "prod" } }), 'istio-mesh:mesh.ztunnel.revision: "prod" is a tag; ztunnel connects to Service istiod-<revision>, which only a revision has: write the revision it points at (1-29-6)'],
        ["ztunnel on no revision", m({ ztunnel: { revision: "nope" } }), 'istio-mesh:mesh.ztunnel.revision: "nope" is not a revision; name one of 1-29-6'],
        ["ztunnel unnamed with two revisions", m({ revisions: two, defaultRevision: "1-29-6", gatewayApi: { version: "v1.5.1" } }), "istio-mesh:mesh.ztunnel.revision: required with more than one revision: name the revision ztunnel connects to (one of 1-29-6, 1-30-3); it moves in place, on every node, when this changes"],
        ["CRDs older than a revision reads", m({ revisions: [{ version: "1.30.3" }] }), "istio-mesh:mesh.gatewayApi.version: v1.4.1 is older than v1.5.0, which the newest revision reads (older CRDs are invisible to its istiod); set at least v1.5.0"],
        ["a CRD version that is not one", m({ gatewayApi: { version: "latest" } }), 'istio-mesh:mesh.gatewayApi.version: "latest" is not a Gateway API release; write e.g. v1.4.1 (the bundle-version of the CRDs)'],
        ["a waypoint without the CRDs", m({ gatewayApi: undefined, namespaces: { shop: { revision: "1-29-6", waypoint: {} } } }), "istio-mesh:mesh.gatewayApi: waypoints are Gateway API Gateways: set mesh.gatewayApi (e.g. `{version: v1.4.1}` to let the stack install the CRDs, or add `manage: false` when they are installed already)"],
        ["a waypoint on an unknown tag", m({ namespaces: { shop: { revision: "1-29-6", waypoint: { revision: "nope" } } } }), 'istio-mesh:mesh.namespaces.shop.waypoint.revision: "nope" is neither a revision (1-29-6) nor a tag (mesh.tags defines none); point it at one of them'],
        ["a gateway-api gateway without CRDs", m({ gatewayApi: undefined, gateways: { web: { kind: "gateway-api", revision: "1-29-6", listeners: [{ name: "http", port: 80, protocol: "HTTP" }] } } }), "istio-mesh:mesh.gatewayApi: gateways of kind gateway-api need the Gateway API CRDs: set mesh.gatewayApi (e.g. `{version: v1.4.1}`, or add `manage: false` when they are installed already)"],
        ["a gateway-api gateway without revision", m({ gateways: { web: { kind: "gateway-api", listeners: [{ name: "http", port: 80, protocol: "HTTP" }] } } }), "istio-mesh:mesh.gateways.web.revision: set revision: the tag (or revision) whose istiod deploys this Gateway (istio.io/rev); without it the default revision's istiod takes it only from some patches (istio/istio#56767)"],
        ["an HTTPS listener without a certificate", m({ gateways: { web: { kind: "gateway-api", revision: "1-29-6", listeners: [{ name: "https", port: 443, protocol: "HTTPS" }] } } }), "istio-mesh:mesh.gateways.web.listeners[0].tls.certificateRefs: an HTTPS listener terminates TLS: name its certificate Secret, e.g. `tls: {certificateRefs: [{name: web-cert}]}`"],
        ["two listeners of one name", m({ gateways: { web: { kind: "gateway-api", revision: "1-29-6", listeners: [{ name: "http", port: 80, protocol: "HTTP" }, { name: "http", port: 81, protocol: "HTTP" }] } } }), 'istio-mesh:mesh.gateways.web.listeners[1].name: listener "http" is listed twice; names are unique in a Gateway'],
        ["a TCP listener with a hostname", m({ gateways: { web: { kind: "gateway-api", revision: "1-29-6", listeners: [{ name: "db", port: 5432, protocol: "TCP", hostname: "db.example.com" }] } } }), "istio-mesh:mesh.gateways.web.listeners[0].hostname: a TCP listener has no hostname (the Gateway CRD refuses it); remove hostname"],
        ["ambient with the AKS add-on", m({ management: "aks-addon", revisions: [{ version: "1.26" }], cni: undefined, gatewayApi: undefined }), "istio-mesh:mesh.dataplane: this program installs ambient mode only with management helm (the AKS add-on's ambient support is not driven by it); remove mesh.dataplane or set it to sidecar"],
        ["a TLS listener terminating without a certificate", m({ gateways: { web: { kind: "gateway-api", revision: "1-29-6", listeners: [{ name: "tls", port: 8443, protocol: "TLS", tls: { mode: "Terminate" } }] } } }), "istio-mesh:mesh.gateways.web.listeners[0].tls.certificateRefs: a TLS listener in mode Terminate presents a certificate: name its Secret, or use mode Passthrough"],
        ["raw values that turn ambient on", m({ dataplane: undefined, gatewayApi: undefined, cni: { enabled: true, values: { profile: "ambient" } } }), "istio-mesh:mesh.cni.values: profile: ambient is set by the program from mesh.dataplane (so the deployed record says what runs, and the ambient rules see it); remove it and set mesh.dataplane: ambient"],
        ["PILOT_ENABLE_AMBIENT in a revision's values", m({ revisions: [{ version: "1.29.6", values: { pilot: { env: { PILOT_ENABLE_AMBIENT: "true" } } } }] }), "istio-mesh:mesh.revisions[0].values: pilot.env.PILOT_ENABLE_AMBIENT is set by the program from mesh.dataplane (so the deployed record says what runs, and the ambient rules see it); remove it and set mesh.dataplane: ambient"],
        ["Gateway API with the AKS add-on", { management: "aks-addon", revisions: [{ version: "1.26" }], gatewayApi: { version: "v1.3.0" } } as unknown as RawMesh, "istio-mesh:mesh.gatewayApi: with management aks-addon this program manages no Gateway API CRDs or Gateways (the add-on has its own Gateway API support); remove mesh.gatewayApi and the gateways of kind gateway-api"],
        // The CRD manifest's source.
        ["a manifest over plain http", m({ gatewayApi: { version: "v1.4.1", manifest: "http://mirror.example.com/{version}/standard-install.yaml" } }), "istio-mesh:mesh.gatewayApi.manifest: plain http can be altered on the way, and these are cluster-wide schemas; serve the manifest over https, or give a local file"],
        ["a manifest that does not name the version", m({ gatewayApi: { version: "v1.4.1", manifest: "https://mirror.example.com/standard-install.yaml" } }), 'istio-mesh:mesh.gatewayApi.manifest: "https://mirror.example.com/standard-install.yaml" does not name the version: a source that stays the same when mesh.gatewayApi.version changes would apply the same CRDs whatever it pins; put {version} in it (e.g. .../{version}/{channel}-install.yaml) or v1.4.1 itself'],
        ["a manifest with an unknown placeholder", m({ gatewayApi: { version: "v1.4.1", manifest: "/srv/{release}/{version}.yaml" } }), "istio-mesh:mesh.gatewayApi.manifest: {release} is not a placeholder; the placeholders are {version} and {channel}"],
        ["a manifest for CRDs the stack does not manage", m({ gatewayApi: { version: "v1.4.1", manage: false, manifest: "/srv/{version}.yaml" } }), "istio-mesh:mesh.gatewayApi.manifest: the manifest is what the stack applies, and with manage: false it applies nothing; remove manifest, or set manage: true"],
        ["a manifest from another scheme", m({ gatewayApi: { version: "v1.4.1", manifest: "s3://bucket/{version}.yaml" } }), "istio-mesh:mesh.gatewayApi.manifest: a s3:// source cannot be read by kubectl apply -f; give an https URL or a local file"],
        // Waypoints per Service.
        ["a Service's waypoint taking only workload traffic", m({ namespaces: { shop: { revision: "1-29-6", services: { reviews: { waypoint: { for: "workload" } } } } } }), "istio-mesh:mesh.namespaces.shop.services.reviews.waypoint.for: Istio routes a Service through its waypoint only when the waypoint takes Service traffic (istio.io/waypoint-for service or all; fetchWaypointForService in pilot/pkg/serviceregistry/ambient/waypoints.go gives the Service an error status otherwise), and \"workload\" does not: set for: service (the default) or all; for a per-workload waypoint, label the pod template istio.io/use-waypoint instead"],
        ["a Service's waypoint taking no traffic", m({ namespaces: { shop: { revision: "1-29-6", services: { reviews: { waypoint: { for: "none" } } } } } }), "istio-mesh:mesh.namespaces.shop.services.reviews.waypoint.for: Istio routes a Service through its waypoint only when the waypoint takes Service traffic (istio.io/waypoint-for service or all; fetchWaypointForService in pilot/pkg/serviceregistry/ambient/waypoints.go gives the Service an error status otherwise), and \"none\" does not: set for: service (the default) or all; for a per-workload waypoint, label the pod template istio.io/use-waypoint instead"],
        ["a Service name that is not one", m({ namespaces: { shop: { revision: "1-29-6", services: { Reviews_SVC: { waypoint: {} } } } } }), 'istio-mesh:mesh.namespaces.shop.services.Reviews_SVC: "Reviews_SVC" is not a Service name (a DNS-1035 label: lowercase letters, digits and \'-\', starting with a letter, at most 63); write the Service\'s metadata.name'],
        ["a Service name starting with a digit", m({ namespaces: { shop: { revision: "1-29-6", services: { "1reviews": { waypoint: {} } } } } }), 'istio-mesh:mesh.namespaces.shop.services.1reviews: "1reviews" is not a Service name (a DNS-1035 label: lowercase letters, digits and \'-\', starting with a letter, at most 63); write the Service\'s metadata.name'],
        ["a long Service without a waypoint name", m({ namespaces: { shop: { revision: "1-29-6", services: { ["r".repeat(60)]: { waypoint: {} } } } } }), `istio-mesh:mesh.namespaces.shop.services.${"r".repeat(60)}.waypoint.name: the default waypoint name "${"r".repeat(60)}-waypoint" (<service>-waypoint) is not a DNS label; set waypoint.name, e.g. reviews-waypoint`],
        ["two Services sharing a waypoint with different revisions", m({ tags: { prod: "1-29-6" }, namespaces: { shop: { revision: "1-29-6", services: { a: { waypoint: { name: "wp" } }, b: { waypoint: { name: "wp", revision: "prod" } } } } } }), 'istio-mesh:mesh.namespaces.shop.services.b.waypoint: waypoint "wp" is also Service a\'s, with revision 1-29-6 and for: service; one Gateway has one istio.io/rev and one istio.io/waypoint-for: give this one another name, or the same revision and for'],
        ["a Service sharing the namespace's waypoint with another for", m({ namespaces: { shop: { revision: "1-29-6", waypoint: {}, services: { a: { waypoint: { name: "waypoint", for: "all" } } } } } }), 'istio-mesh:mesh.namespaces.shop.services.a.waypoint: waypoint "waypoint" is also mesh.namespaces.shop.waypoint\'s, with revision 1-29-6 and for: service; one Gateway has one istio.io/rev and one istio.io/waypoint-for: give this one another name, or the same revision and for'],
        ["a Service's waypoint on an unknown tag", m({ namespaces: { shop: { revision: "1-29-6", services: { a: { waypoint: { revision: "nope" } } } } } }), 'istio-mesh:mesh.namespaces.shop.services.a.waypoint.revision: "nope" is neither a revision (1-29-6) nor a tag (mesh.tags defines none); point it at one of them'],
        ["a Service's waypoint in a sidecar mesh", m({ dataplane: undefined, namespaces: { shop: { revision: "1-29-6", services: { a: { waypoint: {} } } } } }), "istio-mesh:mesh.namespaces.shop.services: waypoints serve ambient workloads; set mesh.dataplane: ambient first (then bind Services to waypoints, before their namespace moves to ambient)"],
        ["a Service's waypoint without the CRDs", m({ gatewayApi: undefined, namespaces: { shop: { revision: "1-29-6", services: { a: { waypoint: {} } } } } }), "istio-mesh:mesh.gatewayApi: waypoints are Gateway API Gateways: set mesh.gatewayApi (e.g. `{version: v1.4.1}` to let the stack install the CRDs, or add `manage: false` when they are installed already)"],
        // The old per-ServiceAccount binding: Istio never reads istio.io/use-waypoint from a ServiceAccount.
        ["the old serviceAccounts key in an ambient mesh", m({ namespaces: { shop: { revision: "1-29-6", serviceAccounts: { reviews: { waypoint: {} } } } } }), "istio-mesh:mesh.namespaces.shop.serviceAccounts: Istio binds waypoints to namespaces, Services and pods, never to a ServiceAccount (istio.io/use-waypoint is read from the Service or the pod, then its namespace: fetchWaypointForTarget in pilot/pkg/serviceregistry/ambient/waypoints.go), so this binding would send no traffic through the waypoint. Remove serviceAccounts; bind Services with mesh.namespaces.shop.services.<service>.waypoint, the whole namespace with mesh.namespaces.shop.waypoint, or, for a per-workload waypoint, label the pod template of the Deployment istio.io/use-waypoint=<name> (with a waypoint of for: workload or all)"],
        ["the old serviceAccounts key in a sidecar mesh", { revisions: R, namespaces: { shop: { revision: "1-29-6", serviceAccounts: { reviews: { waypoint: { for: "workload" } } } } } } as unknown as RawMesh, "istio-mesh:mesh.namespaces.shop.serviceAccounts: Istio binds waypoints to namespaces, Services and pods, never to a ServiceAccount (istio.io/use-waypoint is read from the Service or the pod, then its namespace: fetchWaypointForTarget in pilot/pkg/serviceregistry/ambient/waypoints.go), so this binding would send no traffic through the waypoint. Remove serviceAccounts; bind Services with mesh.namespaces.shop.services.<service>.waypoint, the whole namespace with mesh.namespaces.shop.waypoint, or, for a per-workload waypoint, label the pod template of the Deployment istio.io/use-waypoint=<name> (with a waypoint of for: workload or all)"],
        ["the old serviceAccounts key of any shape", m({ namespaces: { shop: { revision: "1-29-6", serviceAccounts: ["reviews"] } } }), "istio-mesh:mesh.namespaces.shop.serviceAccounts: Istio binds waypoints to namespaces, Services and pods, never to a ServiceAccount (istio.io/use-waypoint is read from the Service or the pod, then its namespace: fetchWaypointForTarget in pilot/pkg/serviceregistry/ambient/waypoints.go), so this binding would send no traffic through the waypoint. Remove serviceAccounts; bind Services with mesh.namespaces.shop.services.<service>.waypoint, the whole namespace with mesh.namespaces.shop.waypoint, or, for a per-workload waypoint, label the pod template of the Deployment istio.io/use-waypoint=<name> (with a waypoint of for: workload or all)"],
    ];
    for (const [what, mesh, expected] of cases) {
        it(`refuses ${what}`, () => {
            const found = issues(mesh);
            expect(found).to.include(expected);
        });
    }

    it("a chart key on a gateway-api gateway is an unknown key there", () => {
        const found = issues(m({ gateways: { web: { kind: "gateway-api", revision: "1-29-6", replicas: 2, listeners: [{ name: "http", port: 80, protocol: "HTTP" }] } } }));
        expect(found).to.have.length(1);
        expect(found[0]).to.match(/^istio-mesh:mesh\.gateways\.web\.replicas: /);
    });

    it("an unknown gateway kind names the three kinds", () => {
        const found = issues(m({ gateways: { web: { kind: "gatewayapi", revision: "1-29-6" } } }));
        expect(found).to.have.length(1);
        expect(found).to.deep.equal(['istio-mesh:mesh.gateways.web.kind: "gatewayapi" is not allowed; write one of: ingress, egress, gateway-api (did you mean gateway-api?)']);
    });

    it("a gateway-api gateway without listeners is told what to write", () => {
        expect(issues(m({ gateways: { web: { kind: "gateway-api", revision: "1-29-6" } } }))).to.deep.equal([
            "istio-mesh:mesh.gateways.web.listeners: listeners is required: the Gateway's listeners (kind gateway-api), e.g. `listeners: [{name: http, port: 80, protocol: HTTP}]`",
        ]);
    });
});
