/**
 * Ambient-mode facts the rules and the Helm values rely on, as data. Pure. Each constant names
 * where it comes from; components/ambient/FACTS.md has the full list with sources.
 */

/** Ambient (ztunnel, waypoints, their APIs) is Stable from 1.24 (1.24.0 release announcement). */
export const AMBIENT_GA_MINOR = 24;
/** Ambient was Beta in 1.22 and 1.23; this program installs it only where it is Stable. */
export const AMBIENT_BETA_MINORS: readonly number[] = [22, 23];

/**
 * ztunnel and istio-cni at 1.x work with a control plane at 1.x or 1.x+1: they may lag the
 * control plane by one minor and are never ahead of it, so the control plane is upgraded first
 * (ambient Helm upgrade guide, "CNI node agent" and "ztunnel DaemonSet").
 */
export const MAX_NODE_AGENT_LAG_MINORS = 1;

/** Labels and classes, in Istio's own words (istio/api label/labels.gen.go; pkg/config/constants). */
export const LABELS = {
    dataplaneMode: "istio.io/dataplane-mode",
    useWaypoint: "istio.io/use-waypoint",
    waypointFor: "istio.io/waypoint-for",
    rev: "istio.io/rev",
    injection: "istio-injection",
} as const;

/** Values of istio.io/dataplane-mode; a namespace without the label is not ambient ("sidecar" here). */
export const DATAPLANE_MODES = ["sidecar", "ambient"] as const;
export type DataplaneMode = (typeof DATAPLANE_MODES)[number];

/** gatewayClassName of a waypoint (constants.WaypointGatewayClassName) and of istiod's gateways (PILOT_GATEWAY_API_DEFAULT_GATEWAYCLASS_NAME). */
export const WAYPOINT_CLASS = "istio-waypoint";
export const GATEWAY_CLASS = "istio";
export const ISTIOD_GATEWAY_CLASSES = [GATEWAY_CLASS, WAYPOINT_CLASS] as const;
export type IstiodGatewayClass = (typeof ISTIOD_GATEWAY_CLASSES)[number];

/** istio.io/waypoint-for: what traffic a waypoint takes; "service" when the label is absent. */
export const WAYPOINT_FOR = ["service", "workload", "all", "none"] as const;
export type WaypointFor = (typeof WAYPOINT_FOR)[number];

/** A waypoint listens on HBONE port 15008 (`istioctl waypoint generate`). */
export const WAYPOINT_LISTENER = { name: "mesh", port: 15008, protocol: "HBONE" } as const;

/** Helm release and chart of ztunnel (ambient Helm install guide: `helm install ztunnel istio/ztunnel`). */
export const ZTUNNEL_RELEASE = "ztunnel";
export const ZTUNNEL_CHART = "ztunnel";

/**
 * The ztunnel chart's value keys this program sets, and the first minor whose values.yaml has
 * each (tests/fixtures/ambient/ztunnel-<version>.keys.json; `revision` exists since 1.20,
 * istio/istio#46421). `resourceName` exists from 1.25, whose chart names every object after
 * the Helm release unless it is set (reverted to a fixed "ztunnel" in 1.26, istio/istio#55927).
 */
export const ZTUNNEL_KEYS_SINCE: Readonly<Record<string, number>> = {
    hub: 22,
    tag: 22,
    revision: 22,
    istioNamespace: 22,
    logLevel: 22,
    terminationGracePeriodSeconds: 22,
    resourceName: 25,
    updateStrategy: 26,
};

/** The ztunnel DaemonSet's name in every minor the values pin it for (istiod trusts ServiceAccount `ztunnel`). */
export const ZTUNNEL_NAME = "ztunnel";

/**
 * Which revision deploys a Gateway (waypoints included) that names no revision, neither itself
 * nor through its namespace: the revision the `default` tag points at; and, where no `default`
 * tag exists, the default revision only from these patches on (pkg/revisions/tag_watcher.go
 * IsMine; istio/istio#56767, backported). Before them such a Gateway is deployed by no istiod.
 */
export const DEFAULT_REVISION_OWNS_GATEWAYS_FROM: Readonly<Record<number, number>> = {
    25: 5,
    26: 4,
    27: 1,
    28: 0,
    29: 0,
    30: 0,
};

/** True when istiod `minor.patch` deploys unlabelled Gateways as the default revision without a `default` tag. */
export function defaultRevisionOwnsGateways(minor: number, patch: number): boolean {
    if (minor > 30) {
        return true;
    }
    const from = Object.hasOwn(DEFAULT_REVISION_OWNS_GATEWAYS_FROM, minor) ? DEFAULT_REVISION_OWNS_GATEWAYS_FROM[minor] : undefined;
    return from !== undefined && patch >= from;
}
