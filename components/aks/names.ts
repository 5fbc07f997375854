/**
 * Where the AKS Istio add-on puts things (fixed by AKS, not configurable). Pure.
 */

/** Control-plane namespace of the add-on: Deployment/Service istiod-asm-1-NN live here. */
export const ADDON_NAMESPACE = "aks-istio-system";
/** Namespace of the add-on's ingress gateways. */
export const ADDON_INGRESS_NAMESPACE = "aks-istio-ingress";
/** Key of the shared ConfigMap that holds the mesh config (YAML). */
export const SHARED_CONFIGMAP_KEY = "mesh";

/** ConfigMap the add-on merges under its defaults for one revision. */
export function sharedConfigMapName(revision: string): string {
    return `istio-shared-configmap-${revision}`;
}

/** The HPA AKS creates for a revision's istiod. */
export function istiodHpaName(revision: string): string {
    return `istiod-${revision}`;
}

export type IngressMode = "External" | "Internal";

/** The add-on's gateway Deployment (and Service, without the revision suffix) for a mode. */
export function ingressGatewayName(mode: IngressMode): string {
    return `aks-istio-ingressgateway-${mode.toLowerCase()}`;
}

/** The HPA AKS creates for a gateway mode's Deployment of one revision. */
export function ingressHpaName(mode: IngressMode, revision: string): string {
    return `${ingressGatewayName(mode)}-${revision}`;
}
