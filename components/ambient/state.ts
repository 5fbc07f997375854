/**
 * The minimal picture of a mesh that the ambient and Gateway API rules read. Pure.
 *
 * Deliberately independent of components/config and components/state: record.ts
 * (`ambientStateOf`) maps a mesh state to it. Names follow Istio's labels: `revision` fields hold what the object's
 * `istio.io/rev` label holds (a tag or a revision name), never a resolved revision.
 */
import type { Channel } from "../gatewayapi/versions";
import { defaultRevisionOwnsGateways, DataplaneMode, IstiodGatewayClass, WaypointFor } from "./facts";

export interface RevisionState {
    /** Revision name (DNS label), e.g. 1-30-3. */
    readonly name: string;
    /** Istio release, e.g. 1.30.3. */
    readonly version: string;
    /** Installed with the istiod chart's `profile: ambient` (PILOT_ENABLE_AMBIENT). */
    readonly ambient: boolean;
}

export interface AmbientNamespace {
    readonly name: string;
    /** sidecar: no istio.io/dataplane-mode label; ambient: istio.io/dataplane-mode=ambient. */
    readonly dataplane: DataplaneMode;
    /** The namespace's istio.io/rev label (tag or revision); undefined = none. */
    readonly revision?: string;
    /** The namespace's istio.io/use-waypoint label (a waypoint name, or namespace/name); undefined = none. */
    readonly useWaypoint?: string;
    /** Services of the namespace labelled istio.io/use-waypoint (a waypoint of the namespace), sorted; undefined = none. */
    readonly services?: readonly { readonly name: string; readonly useWaypoint: string }[];
}

/** A Gateway API Gateway that istiod deploys: a waypoint (istio-waypoint) or a gateway (istio). */
export interface IstiodGateway {
    readonly namespace: string;
    readonly name: string;
    readonly className: IstiodGatewayClass;
    /** The Gateway's own istio.io/rev label (tag or revision); undefined = its namespace's, else the default. */
    readonly revision?: string;
    /** Waypoints only: istio.io/waypoint-for; undefined = "service". */
    readonly waypointFor?: WaypointFor;
}

export interface AmbientState {
    /** The control-plane namespace (istiod, ztunnel, istio-cni). */
    readonly istioNamespace: string;
    readonly revisions: readonly RevisionState[];
    /** Revision tags, tag -> revision name, including `default` when it exists. */
    readonly tags: Readonly<Record<string, string>>;
    /** The revision istiod-default-validator points at; undefined = none. */
    readonly defaultRevision?: string;
    readonly namespaces: readonly AmbientNamespace[];
    readonly gateways: readonly IstiodGateway[];
    /** The ztunnel release; undefined = not installed. `revision` is the chart's `revision` value. */
    readonly ztunnel?: { readonly version: string; readonly revision?: string };
    /** The istio-cni release; `ambient` = installed with `profile: ambient`. */
    readonly cni?: { readonly version: string; readonly ambient: boolean };
    /**
     * The Gateway API CRDs: `managed` = the stack installs them (and so may change or delete
     * them); false = present, installed by someone else. undefined = not present.
     */
    readonly gatewayApi?: { readonly version: string; readonly channel: Channel; readonly managed: boolean };
}

const tagTarget = (s: AmbientState, tag: string) => (Object.hasOwn(s.tags, tag) ? s.tags[tag] : undefined);
const revisionNamed = (s: AmbientState, name: string) => s.revisions.find((r) => r.name === name);

/**
 * The revision whose istiod deploys and configures the Gateway, or undefined when none does.
 * Mirrors istiod's tag watcher: the Gateway's istio.io/rev, else its namespace's, names a
 * revision or a tag; with neither, the `default` tag's revision, else the default revision
 * where that istiod version takes unlabelled Gateways (facts.defaultRevisionOwnsGateways).
 */
export function gatewayRevision(s: AmbientState, g: IstiodGateway): RevisionState | undefined {
    const selected = g.revision ?? s.namespaces.find((n) => n.name === g.namespace)?.revision;
    if (selected !== undefined && selected !== "") {
        return revisionNamed(s, selected) ?? revisionNamed(s, tagTarget(s, selected) ?? "");
    }
    const viaDefaultTag = tagTarget(s, "default");
    if (viaDefaultTag !== undefined) {
        return revisionNamed(s, viaDefaultTag);
    }
    const dflt = s.defaultRevision === undefined ? undefined : revisionNamed(s, s.defaultRevision);
    if (dflt === undefined) {
        return undefined;
    }
    const [, minor, patch] = dflt.version.split(".").map(Number);
    return defaultRevisionOwnsGateways(minor, patch) ? dflt : undefined;
}

/** The revision ztunnel fetches its config and certificates from: istiod-<revision> (or istiod with none). */
export function ztunnelRevision(s: AmbientState): RevisionState | undefined {
    if (s.ztunnel === undefined) {
        return undefined;
    }
    const r = s.ztunnel.revision ?? "";
    // The chart's XDS/CA address is istiod[-<revision>].<ns>.svc: with no revision, the revision
    // installed without a name (Service istiod) would be needed, which this program never creates.
    return r === "" ? undefined : revisionNamed(s, r);
}

export const waypoints = (s: AmbientState) => s.gateways.filter((g) => g.className === "istio-waypoint");
export const ambientNamespaces = (s: AmbientState) => s.namespaces.filter((n) => n.dataplane === "ambient");
export const gatewayKey = (g: { readonly namespace: string; readonly name: string }) => `${g.namespace}/${g.name}`;
