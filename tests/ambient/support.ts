/**
 * Builders for AmbientState in the ambient and Gateway API tests: a healthy ambient mesh on one
 * revision, changed per case by small pure edits (so each table row reads as "this, but ...").
 */
import type { AmbientNamespace, AmbientState, IstiodGateway, RevisionState } from "../../components/ambient/state";

export const rev = (version: string, ambient = true): RevisionState => ({ name: version.replace(/\./g, "-"), version, ambient });

/** One ambient revision 1.29.6, tag prod and default on it, ztunnel and CNI at its version, CRDs v1.4.1. */
export function mesh(over: Partial<AmbientState> = {}): AmbientState {
    return {
        istioNamespace: "istio-system",
        revisions: [rev("1.29.6")],
        tags: { default: "1-29-6", prod: "1-29-6" },
        defaultRevision: "1-29-6",
        namespaces: [{ name: "shop", dataplane: "ambient" }],
        gateways: [{ namespace: "shop", name: "waypoint", className: "istio-waypoint", revision: "prod" }],
        ztunnel: { version: "1.29.6", revision: "1-29-6" },
        cni: { version: "1.29.6", ambient: true },
        gatewayApi: { version: "v1.4.1", channel: "standard", managed: true },
        ...over,
    };
}

/** The canary step: 1.30.3 beside 1.29.6, tags unchanged, CRDs already at v1.5.1. */
export const canary = (over: Partial<AmbientState> = {}) =>
    mesh({ revisions: [rev("1.29.6"), rev("1.30.3")], gatewayApi: { version: "v1.5.1", channel: "standard", managed: true }, ...over });

export const ns = (name: string, dataplane: AmbientNamespace["dataplane"], extra: Partial<AmbientNamespace> = {}): AmbientNamespace => ({ name, dataplane, ...extra });
export const waypoint = (namespace: string, name: string, revision?: string): IstiodGateway => ({ namespace, name, className: "istio-waypoint", ...(revision === undefined ? {} : { revision }) });
export const gateway = (namespace: string, name: string, revision?: string): IstiodGateway => ({ namespace, name, className: "istio", ...(revision === undefined ? {} : { revision }) });

/** A sidecar mesh with no ambient pieces (what a live mesh looks like before ambient). */
export const sidecarMesh = (over: Partial<AmbientState> = {}) =>
    mesh({ revisions: [rev("1.29.6", false)], namespaces: [ns("shop", "sidecar", { revision: "prod" })], gateways: [], ztunnel: undefined, cni: undefined, ...over });
