/**
 * The mTLS warning and plan steps, from (previous, next) MeshState. Pure.
 */
import type { MeshState } from "../state/deployed";
import { DEFAULT_MTLS, effectiveMtls, MtlsMode, peerAuthentications } from "./config";

export const MTLS_WARNINGS = {
    /** Namespaces move to STRICT: plaintext clients (workloads without a sidecar) are cut off. */
    strict: "mtls-strict",
    /** Namespaces lose mutual TLS (DISABLE): traffic between their sidecars goes in plaintext. */
    disable: "mtls-disable",
} as const;

type Problem = { readonly code: string; readonly message: string };
type Mtls = MeshState["mtls"];

const full = (m: Mtls) => ({ mode: m?.mode ?? DEFAULT_MTLS, namespaces: m?.namespaces ?? {} });

/** Enrolled namespaces (and overridden ones) whose effective mode becomes STRICT in this change. */
export function namespacesTurningStrict(from: MeshState | undefined, to: MeshState): string[] {
    const names = [...new Set([...to.namespaces.map((n) => n.name), ...Object.keys(to.mtls?.namespaces ?? {})])].sort();
    return names.filter((n) => effectiveMtls(full(to.mtls), n) === "STRICT" && (from === undefined || effectiveMtls(full(from.mtls), n) !== "STRICT"));
}

/** Enrolled namespaces (and overridden ones) whose effective mode becomes DISABLE in this change, from another mode. */
export function namespacesTurningDisabled(from: MeshState | undefined, to: MeshState): string[] {
    if (from === undefined) return [];
    const names = [...new Set([...to.namespaces.map((n) => n.name), ...Object.keys(to.mtls?.namespaces ?? {})])].sort();
    return names.filter((n) => effectiveMtls(full(to.mtls), n) === "DISABLE" && effectiveMtls(full(from.mtls), n) !== "DISABLE");
}

export function mtlsWarnings(from: MeshState | undefined, to: MeshState): Problem[] {
    return [...strictWarnings(from, to), ...disableWarnings(from, to)];
}

function disableWarnings(from: MeshState | undefined, to: MeshState): Problem[] {
    // On a live mesh only: a first install with DISABLE takes nothing away.
    const meshWide = from !== undefined && full(to.mtls).mode === "DISABLE" && full(from.mtls).mode !== "DISABLE";
    const turning = namespacesTurningDisabled(from, to);
    if (!meshWide && turning.length === 0) {
        return [];
    }
    const was = from === undefined ? DEFAULT_MTLS : full(from.mtls).mode;
    return [
        {
            code: MTLS_WARNINGS.disable,
            message:
                `${meshWide ? `mTLS goes from ${was} to DISABLE mesh-wide` : "mTLS becomes DISABLE"} for ${turning.length > 0 ? `namespaces ${turning.join(", ")}` : "every namespace without an override"}: ` +
                `their sidecars then send and accept plaintext only, so traffic between workloads is no longer encrypted or authenticated by mutual TLS, ` +
                `and AuthorizationPolicies that match on peer identities (principals, namespaces) stop matching. If the aim is to let plaintext clients in, ` +
                `PERMISSIVE keeps mutual TLS between sidecars; to disable it for one namespace only, use a per-namespace override.`,
        },
    ];
}

function strictWarnings(from: MeshState | undefined, to: MeshState): Problem[] {
    const meshWide = full(to.mtls).mode === "STRICT" && full(from?.mtls).mode !== "STRICT";
    const turning = namespacesTurningStrict(from, to);
    if (!meshWide && turning.length === 0) {
        return [];
    }
    return [
        {
            code: MTLS_WARNINGS.strict,
            message:
                `${meshWide ? "mTLS becomes STRICT mesh-wide" : "mTLS becomes STRICT"} for ${turning.length > 0 ? `namespaces ${turning.join(", ")}` : "every namespace without an override"}: ` +
                `their sidecars then refuse plaintext, so clients without a sidecar (pods not yet restarted into the mesh, jobs with sidecar.istio.io/inject=false, ` +
                `kubelet-independent probes from outside the mesh) are cut off. Check first: istioctl x describe pod / kubectl get pods -n <ns> -o jsonpath for ` +
                `pods without an istio-proxy container; or go through PERMISSIVE with per-namespace overrides.`,
        },
    ];
}

const describe = (namespace: string, controlPlane: string) => (namespace === controlPlane ? "mesh-wide" : `namespace ${namespace}`);

/** Creates, mode changes and removals of the PeerAuthentications, after the revisions. */
export function mtlsSteps(from: MeshState | undefined, to: MeshState): string[] {
    const modes = (s: MeshState | undefined) => new Map(s === undefined ? [] : peerAuthentications(full(s.mtls), s.namespace).map((p) => [p.namespace, p.mode] as [string, MtlsMode]));
    const [before, after] = [modes(from), modes(to)];
    const steps: string[] = [];
    for (const [ns, mode] of after) {
        const old = before.get(ns);
        if (old === undefined) {
            steps.push(`Create PeerAuthentication default in ${ns} (${describe(ns, to.namespace)} mTLS ${mode})`);
        } else if (old !== mode) {
            steps.push(`Set ${describe(ns, to.namespace)} mTLS ${old} -> ${mode} (PeerAuthentication default in ${ns})`);
        }
    }
    for (const [ns, mode] of before) {
        if (!after.has(ns)) {
            steps.push(`Delete PeerAuthentication default in ${ns} (${describe(ns, from?.namespace ?? to.namespace)} mTLS ${mode} -> ${ns === (from?.namespace ?? "") ? DEFAULT_MTLS : "the mesh-wide mode"})`);
        }
    }
    return steps;
}
