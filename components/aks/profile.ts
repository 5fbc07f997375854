/**
 * What the program sets on the ManagedCluster in add-on mode: `serviceMeshProfile`, in a
 * stable order (a reordered list would be a diff on every update). Pure.
 */
import { addonMinor } from "./catalogue";
import { IngressMode } from "./names";

/** One add-on ingress gateway (External or Internal) and its HPA bounds. */
export interface AddonIngressGateway {
    readonly mode: IngressMode;
    readonly enabled: boolean;
    readonly minReplicas: number;
    readonly maxReplicas: number;
}

/** The part of azure-native's ServiceMeshProfileArgs the program sets. */
export interface ServiceMeshProfile {
    readonly mode: "Istio";
    readonly istio: {
        readonly revisions: string[];
        readonly components: { readonly ingressGateways: { readonly enabled: boolean; readonly mode: IngressMode }[] };
    };
}

const MODES: readonly IngressMode[] = ["External", "Internal"];

/** asm-1-9 before asm-1-30: by minor, not by text. */
function minorOf(revision: string): number {
    return addonMinor(revision.replace(/^asm-1-/, "1.")) ?? Number.MAX_SAFE_INTEGER;
}

/**
 * The profile for these revisions and gateways. Revisions oldest first; both gateway modes are
 * always listed (an unconfigured one as `enabled: false`), so removing a gateway from the
 * config turns it off instead of leaving whatever AKS last had.
 */
export function serviceMeshProfileOf(revisions: readonly string[], gateways: readonly AddonIngressGateway[]): ServiceMeshProfile {
    const sorted = [...new Set(revisions)].sort((a, b) => minorOf(a) - minorOf(b) || (a < b ? -1 : a > b ? 1 : 0));
    return {
        mode: "Istio",
        istio: {
            revisions: sorted,
            components: {
                ingressGateways: MODES.map((mode) => ({ enabled: gateways.some((g) => g.mode === mode && g.enabled), mode })),
            },
        },
    };
}
