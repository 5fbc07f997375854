/**
 * Rules for the Kubernetes Gateway API CRDs: never downgraded, never deleted with the objects
 * in them, never older than what the installed Istio minors read. Table rows over the same
 * AmbientState as the ambient rules; pure. Facts: components/ambient/FACTS.md, "Gateway API".
 */
import { AnyRule, minorOf, row } from "../ambient/rule";
import type { AmbientState } from "../ambient/state";
import { compareBundleVersions, formatBundle, gatewayApiFactsFor, ignoredCrds, mustParseBundleVersion, requiredBundleFor } from "./versions";

export const GATEWAY_API_RULES = {
    downgrade: "gateway-api-crd-downgrade",
    channelDowngrade: "gateway-api-channel-downgrade",
    removal: "gateway-api-crd-removal",
    tooOld: "gateway-api-crds-too-old",
    missing: "gateway-api-crds-missing",
} as const;

export const GATEWAY_API_WARNINGS = {
    olderThanBuilt: "gateway-api-crds-older-than-istio",
} as const;

type Crds = NonNullable<AmbientState["gatewayApi"]>;
/**
 * The CRDs before (managed by the stack or, recorded with manage: false, installed by someone
 * else) and after, when the stack manages them after: a lower pin than what the record says
 * the cluster has is a downgrade whoever installed the CRDs before.
 */
const appliedOver = (from: AmbientState | undefined, to: AmbientState): [Crds, Crds] | undefined =>
    from?.gatewayApi !== undefined && to.gatewayApi?.managed === true ? [from.gatewayApi, to.gatewayApi] : undefined;
const whose = (c: Crds) => (c.managed ? "" : " (recorded as installed by someone else, manage: false)");

const downgrade = row<{ before: string; after: string; whose: string }>({
    code: GATEWAY_API_RULES.downgrade,
    severity: "refusal",
    applies: (from, to) => appliedOver(from, to) !== undefined,
    check: (from, to) => {
        const both = appliedOver(from, to);
        if (both === undefined) {
            return [];
        }
        const [b, a] = both.map((c) => mustParseBundleVersion(c.version));
        return compareBundleVersions(a, b) < 0 ? [{ before: formatBundle(b), after: formatBundle(a), whose: whose(both[0]) }] : [];
    },
    message: (f) =>
        `the Gateway API CRDs would go back ${f.before}${f.whose} -> ${f.after} (mesh.gatewayApi.version): an older bundle can drop API versions and fields that stored Gateways and Routes use (the API server refuses a CRD that drops a version still stored, and prunes the fields the older schema does not know). ` +
        `Safe sequence: keep mesh.gatewayApi.version: ${f.before} or newer; the CRDs follow the newest Istio and are never downgraded, even when a canary is rolled back.`,
});

const channelDowngrade = row<{ version: string; whose: string }>({
    code: GATEWAY_API_RULES.channelDowngrade,
    severity: "refusal",
    applies: (from, to) => appliedOver(from, to) !== undefined,
    check: (from, to) => {
        const both = appliedOver(from, to);
        return both !== undefined && both[0].channel === "experimental" && both[1].channel === "standard" ? [{ version: both[1].version, whose: whose(both[0]) }] : [];
    },
    message: (f) =>
        `the Gateway API CRDs would move from the experimental${f.whose} to the standard channel (${f.version}, mesh.gatewayApi.channel): the experimental-only kinds (such as TCPRoute and UDPRoute) would be deleted with every object of those kinds, and experimental fields pruned from the rest. ` +
        `Safe sequence: keep the experimental channel, or first remove every experimental object and field, then switch in a later change.`,
});

const removal = row<{ version: string; released: boolean }>({
    code: GATEWAY_API_RULES.removal,
    severity: "refusal",
    applies: (from) => from?.gatewayApi?.managed === true,
    check: (from, to) =>
        from?.gatewayApi !== undefined && to.gatewayApi?.managed !== true ? [{ version: from.gatewayApi.version, released: to.gatewayApi !== undefined }] : [],
    message: (f) =>
        f.released
            ? `the stack would stop managing the Gateway API CRDs (${f.version}): a CRD that leaves the stack is deleted, and with it every Gateway, HTTPRoute and waypoint in the cluster. ` +
              `Safe sequence: first release them without deleting (retain on delete) in one update, then mark them as installed by someone else.`
            : `the Gateway API CRDs (${f.version}) would be deleted, and with them every Gateway, HTTPRoute and waypoint in the cluster. ` +
              `Safe sequence: remove every Gateway API object the mesh uses first; to keep the CRDs for others, release them (retain on delete) instead.`,
});

type Bundle = ReturnType<typeof mustParseBundleVersion>;

/** FN for each revision of TO against the cluster's Gateway API bundle ([] without one). */
function perRevision<T>(to: AmbientState, fn: (r: AmbientState["revisions"][number], bundle: Bundle) => T[]): T[] {
    if (to.gatewayApi === undefined) {
        return [];
    }
    const bundle = mustParseBundleVersion(to.gatewayApi.version);
    return to.revisions.flatMap((r) => fn(r, bundle));
}

const tooOld = row<{ revision: string; version: string; bundle: string; required: string; ignored: string[] }>({
    code: GATEWAY_API_RULES.tooOld,
    severity: "refusal",
    applies: (_f, to) => to.gatewayApi !== undefined && to.revisions.length > 0,
    check: (_f, to) =>
        perRevision(to, (r, bundle) => {
            const required = requiredBundleFor([minorOf(r.version)]);
            if (required === undefined || compareBundleVersions(bundle, required) >= 0) {
                return [];
            }
            return [{ revision: r.name, version: r.version, bundle: formatBundle(bundle), required: formatBundle(required), ignored: ignoredCrds(minorOf(r.version), bundle) }];
        }),
    message: (f) =>
        `revision "${f.revision}" (Istio ${f.version}) needs Gateway API CRDs ${f.required} or newer, and the cluster has ${f.bundle}: ` +
        (f.ignored.length > 0 ? `istiod ignores ${f.ignored.join(", ")} below their minimum, ` : "") +
        `the resources it reads at a newer API version become invisible to it (a Gateway then reports no attached routes). ` +
        `Safe sequence: upgrade the CRDs to ${f.required} or newer (standard channel) first, then install the revision in a later change.`,
});

const missing = row<{ gateways: string }>({
    code: GATEWAY_API_RULES.missing,
    severity: "refusal",
    applies: (_f, to) => to.gateways.length > 0,
    check: (_f, to) => (to.gatewayApi === undefined ? [{ gateways: to.gateways.map((g) => `${g.namespace}/${g.name}`).join(", ") }] : []),
    message: (f) =>
        `Gateway API objects (${f.gateways}) but no Gateway API CRDs: most clusters do not ship them, and without the Gateway CRD no waypoint or gateway can be created. ` +
        `Safe sequence: install the CRDs (let the stack manage them at a pinned version, or install them yourself), then add the Gateways.`,
});

const olderThanBuilt = row<{ revision: string; bundle: string; built: string }>({
    code: GATEWAY_API_WARNINGS.olderThanBuilt,
    severity: "warning",
    applies: (_f, to) => to.gatewayApi !== undefined && to.revisions.length > 0,
    check: (_f, to) =>
        perRevision(to, (r, bundle) => {
            const facts = gatewayApiFactsFor(minorOf(r.version));
            const built = facts === undefined ? undefined : mustParseBundleVersion(facts.builtAgainst);
            const required = requiredBundleFor([minorOf(r.version)]);
            // Below the required bundle the refusal above speaks; this is the softer gap above it.
            const belowBuilt = built !== undefined && (bundle.major < built.major || (bundle.major === built.major && bundle.minor < built.minor));
            return belowBuilt && required !== undefined && compareBundleVersions(bundle, required) >= 0
                ? [{ revision: r.name, bundle: formatBundle(bundle), built: formatBundle(built) }]
                : [];
        }),
    message: (f) =>
        `revision "${f.revision}" is built against Gateway API ${f.built} and the cluster has ${f.bundle}: it works, but features of the newer bundle are not available. Istio's docs install ${f.built}'s minor.`,
});

export const GATEWAY_API_TABLE: readonly AnyRule[] = [downgrade, channelDowngrade, removal, tooOld, missing, olderThanBuilt];
