import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { MtlsConfig, peerAuthenticationObject, peerAuthentications } from "./config";

export interface MeshMtlsArgs {
    /** Mesh-wide mode and per-namespace overrides (default PERMISSIVE, no overrides). The Mesh creates this component only when that means at least one object. */
    mtls: MtlsConfig;
    /** Control-plane namespace: where the mesh-wide `default` lives. */
    namespace: string;
}

/**
 * Mutual TLS as PeerAuthentication objects named `default`: mesh-wide in the control-plane
 * namespace (none for PERMISSIVE, see peerAuthentications), and one per namespace override.
 * Created after the revisions (the base chart brings the CRD, an istiod enforces it); children
 * are keyed by namespace, so changing a mode is an in-place update.
 *
 * Who owns what: this resource owns each object's spec; istiod only reads them.
 */
export class MeshMtls extends pulumi.ComponentResource {
    /** Namespace -> its PeerAuthentication. */
    public readonly policies = new Map<string, k8s.apiextensions.CustomResource>();

    constructor(name: string, args: MeshMtlsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("istio-mesh:security:MeshMtls", name, {}, opts);
        for (const spec of peerAuthentications(args.mtls, args.namespace)) {
            this.policies.set(spec.namespace, new k8s.apiextensions.CustomResource(`${name}-${spec.namespace}`, peerAuthenticationObject(spec), { parent: this }));
        }
        this.registerOutputs({ namespaces: [...this.policies.keys()] });
    }
}
