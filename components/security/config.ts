/**
 * `mesh.mtls`: the mesh-wide mutual-TLS mode (a PeerAuthentication `default` in the
 * control-plane namespace) and per-namespace overrides. Schema, normalized shape, the
 * PeerAuthentication objects it means, and the transition warning; pure.
 */
import { z } from "zod";
import { dnsLabelProblem } from "../versions/version";

export const MTLS_MODES = ["STRICT", "PERMISSIVE", "DISABLE"] as const;
export type MtlsMode = (typeof MTLS_MODES)[number];

/** Istio's behaviour without any PeerAuthentication, and the program's default. */
export const DEFAULT_MTLS: MtlsMode = "PERMISSIVE";

const mode = z.enum(MTLS_MODES);
// The map first: an invalid map is then described by its own keys, not as "not one of the modes".
export const mtlsSchema = z.union([z.strictObject({ mode: mode.optional(), namespaces: z.record(z.string(), mode).optional() }), mode]);
export type RawMtls = z.infer<typeof mtlsSchema>;

export interface MtlsConfig {
    /** Mesh-wide mode. Default PERMISSIVE (Istio's own default). */
    readonly mode: MtlsMode;
    /** Namespace -> its own mode (PeerAuthentication `default` in that namespace). Default: none. */
    readonly namespaces: Readonly<Record<string, MtlsMode>>;
}

export function normalizeMtls(
    raw: RawMtls | undefined,
    scope: { readonly namespace: string; readonly at: (...path: PropertyKey[]) => string },
    issues: { path: string; message: string }[],
): MtlsConfig {
    const spec = typeof raw === "string" ? { mode: raw } : (raw ?? {});
    const namespaces: Record<string, MtlsMode> = {};
    for (const [ns, m] of Object.entries(spec.namespaces ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
        const p =
            dnsLabelProblem(ns) ??
            (ns === scope.namespace ? `the control-plane namespace holds the mesh-wide policy; set mtls.mode instead of an override for ${ns}` : undefined);
        if (p) {
            issues.push({ path: scope.at("namespaces", ns), message: p });
            continue;
        }
        namespaces[ns] = m;
    }
    return { mode: spec.mode ?? DEFAULT_MTLS, namespaces };
}

/** One PeerAuthentication the program owns: always named `default` (one per namespace, as Istio's docs). */
export interface PeerAuthenticationSpec {
    readonly namespace: string;
    readonly mode: MtlsMode;
}

/**
 * The PeerAuthentications a config means. PERMISSIVE mesh-wide creates nothing: no policy
 * *is* Istio's PERMISSIVE, so an object saying it again only adds something that collides
 * (AlreadyExists) with a `default` an operator applied by hand, and that every return to the
 * default would have to delete. STRICT and DISABLE create `default` in the control-plane
 * namespace; every per-namespace override creates one (it is explicit, even PERMISSIVE: it
 * then loosens a STRICT mesh for that namespace).
 */
export function peerAuthentications(mtls: MtlsConfig | undefined, controlPlaneNamespace: string): PeerAuthenticationSpec[] {
    if (mtls === undefined) {
        return [];
    }
    return [
        ...(mtls.mode === DEFAULT_MTLS ? [] : [{ namespace: controlPlaneNamespace, mode: mtls.mode }]),
        ...Object.entries(mtls.namespaces).map(([namespace, mode]) => ({ namespace, mode })),
    ];
}

/** A PeerAuthentication object (security.istio.io/v1, served by every base chart 1.22-1.30). */
export function peerAuthenticationObject(spec: PeerAuthenticationSpec) {
    return {
        apiVersion: "security.istio.io/v1",
        kind: "PeerAuthentication",
        metadata: { name: "default", namespace: spec.namespace },
        spec: { mtls: { mode: spec.mode } },
    };
}

/** The mode a namespace's workloads get: its override, else the mesh-wide mode. */
export function effectiveMtls(mtls: { readonly mode: MtlsMode; readonly namespaces: Readonly<Record<string, MtlsMode>> } | undefined, namespace: string): MtlsMode {
    if (mtls === undefined) {
        return DEFAULT_MTLS;
    }
    return Object.hasOwn(mtls.namespaces, namespace) ? mtls.namespaces[namespace] : mtls.mode;
}
