/**
 * Kubernetes Gateway API CRD bundle versions and what each Istio minor needs of them, as data.
 * Pure. Sources (components/ambient/FACTS.md, "Gateway API"): istio/istio go.mod at each
 * release tag (the gateway-api module istiod is built against) and the map of minimum bundle
 * versions per CRD below which istiod does not watch a CRD (pkg/kube/kclient/crdwatcher.go,
 * from 1.30.1 pkg/config/schema/gatewayapi/minimumversions.go); recorded in
 * tests/fixtures/gatewayapi/istio-gateway-api.json, which the tests compare with this table.
 */

/** A Gateway API bundle version ("v1.4.1" or "1.4.1"): the CRDs' gateway.networking.k8s.io/bundle-version. */
export interface BundleVersion {
    readonly major: number;
    readonly minor: number;
    readonly patch: number;
}

/** The two release channels of the Gateway API CRDs; experimental is a superset of standard. */
export const CHANNELS = ["standard", "experimental"] as const;
export type Channel = (typeof CHANNELS)[number];

/** Annotation the Gateway API project puts on each CRD with its bundle version. */
export const BUNDLE_VERSION_ANNOTATION = "gateway.networking.k8s.io/bundle-version";

export interface IstioGatewayApiFacts {
    /** The gateway-api module version in the release's go.mod (the last patch of each minor we pin). */
    readonly builtAgainst: string;
    /** CRD name -> the lowest bundle version istiod of this minor watches; older CRDs are ignored. */
    readonly minimumCrdVersions: Readonly<Record<string, string>>;
    /**
     * The oldest bundle whose standard channel has every resource this minor reads at the API
     * version it reads it: below it, kinds become invisible to istiod. 1.30 reads TLSRoute and
     * ReferenceGrant from gateway.networking.k8s.io/v1 (upgrade notes: CRDs must be v1.5.x).
     */
    readonly requiredBundle: string;
}

const GRPC = "grpcroutes.gateway.networking.k8s.io";
const BACKEND_TLS = "backendtlspolicies.gateway.networking.k8s.io";
const TLS = "tlsroutes.gateway.networking.k8s.io";

/** Per Istio minor (1.x), from the tags this program pins (1.22.8 ... 1.30.3). */
export const ISTIO_GATEWAY_API: Readonly<Record<number, IstioGatewayApiFacts>> = {
    22: { builtAgainst: "v1.1.0", minimumCrdVersions: { [GRPC]: "1.1.0" }, requiredBundle: "1.1.0" },
    23: { builtAgainst: "v1.1.0", minimumCrdVersions: { [GRPC]: "1.1.0" }, requiredBundle: "1.1.0" },
    24: { builtAgainst: "v1.2.1", minimumCrdVersions: { [GRPC]: "1.1.0" }, requiredBundle: "1.1.0" },
    25: { builtAgainst: "v1.2.1", minimumCrdVersions: { [GRPC]: "1.1.0" }, requiredBundle: "1.1.0" },
    26: { builtAgainst: "v1.3.0", minimumCrdVersions: { [GRPC]: "1.1.0" }, requiredBundle: "1.1.0" },
    27: { builtAgainst: "v1.3.0", minimumCrdVersions: { [GRPC]: "1.1.0" }, requiredBundle: "1.1.0" },
    28: { builtAgainst: "v1.4.1", minimumCrdVersions: { [GRPC]: "1.1.0", [BACKEND_TLS]: "1.4.0" }, requiredBundle: "1.4.0" },
    29: { builtAgainst: "v1.4.1", minimumCrdVersions: { [GRPC]: "1.1.0", [BACKEND_TLS]: "1.4.0" }, requiredBundle: "1.4.0" },
    30: { builtAgainst: "v1.5.1", minimumCrdVersions: { [GRPC]: "1.1.0", [BACKEND_TLS]: "1.4.0", [TLS]: "1.5.0" }, requiredBundle: "1.5.0" },
};

const BUNDLE_RE = /^v?(\d+)\.(\d+)\.(\d+)$/;

/** "v1.4.1" / "1.4.1" -> the version; undefined for anything else (release candidates included). */
export function parseBundleVersion(text: string): BundleVersion | undefined {
    const m = BUNDLE_RE.exec(text);
    return m ? { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]) } : undefined;
}

export function mustParseBundleVersion(text: string): BundleVersion {
    const v = parseBundleVersion(text);
    if (v === undefined) {
        throw new Error(`internal: "${text}" is not a validated Gateway API bundle version`);
    }
    return v;
}

export function compareBundleVersions(a: BundleVersion, b: BundleVersion): number {
    return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

export const formatBundle = (v: BundleVersion) => `v${v.major}.${v.minor}.${v.patch}`;

/** Facts of Istio 1.`minor`, or undefined for a minor this table does not know. */
export function gatewayApiFactsFor(minor: number): IstioGatewayApiFacts | undefined {
    return Object.hasOwn(ISTIO_GATEWAY_API, minor) ? ISTIO_GATEWAY_API[minor] : undefined;
}

/** The CRDs istiod of Istio 1.`minor` ignores at bundle `bundle` (each below its minimum). */
export function ignoredCrds(minor: number, bundle: BundleVersion): string[] {
    const facts = gatewayApiFactsFor(minor);
    if (facts === undefined) {
        return [];
    }
    return Object.entries(facts.minimumCrdVersions)
        .filter(([, min]) => compareBundleVersions(bundle, mustParseBundleVersion(min)) < 0)
        .map(([crd]) => crd)
        .sort();
}

/** The bundle every Istio minor in `minors` accepts: the highest requiredBundle among them. */
export function requiredBundleFor(minors: readonly number[]): BundleVersion | undefined {
    return minors
        .map((m) => gatewayApiFactsFor(m))
        .filter((f): f is IstioGatewayApiFacts => f !== undefined)
        .map((f) => mustParseBundleVersion(f.requiredBundle))
        .reduce<BundleVersion | undefined>((best, v) => (best === undefined || compareBundleVersions(v, best) > 0 ? v : best), undefined);
}
