/**
 * The one gateway option no gateway chart (1.22-1.30) can express: running the pods on the
 * node's network. The charts have no `hostNetwork` or `dnsPolicy` value, and from 1.25.5 their
 * values schema refuses unknown keys, so it is a typed server-side-apply patch of the
 * Deployment the release rendered, under its own field manager:
 *  - Helm upgrades merge three ways (old manifest, new manifest, live) and never render these
 *    two fields, so an upgrade keeps them;
 *  - deleting the patch (hostNetwork removed from the config) gives the fields up, and the API
 *    server's defaults (hostNetwork false, dnsPolicy ClusterFirst) come back;
 *  - dnsPolicy ClusterFirstWithHostNet goes with it: on the host network the default
 *    ClusterFirst silently falls back to the node's resolv.conf, and the proxy can no longer
 *    resolve istiod-<rev>.<ns>.svc (the runbook's pitfall).
 * Pure spec builder here; Gateway creates the resource after its release.
 */

/** Field manager of the patch, so it owns exactly these two fields. */
export const HOST_NETWORK_FIELD_MANAGER = "istio-mesh-host-network";

/** The DNS policy a host-network pod needs to resolve cluster Services. */
export const HOST_NETWORK_DNS_POLICY = "ClusterFirstWithHostNet";

/** `skipAwait`: do not wait for the patched Deployment's rollout (clusters without nodes). */
export function hostNetworkPatch(deployment: string, namespace: string, skipAwait = false) {
    return {
        metadata: {
            name: deployment,
            namespace,
            annotations: {
                "pulumi.com/patchForce": "true",
                "pulumi.com/patchFieldManager": HOST_NETWORK_FIELD_MANAGER,
                ...(skipAwait ? { "pulumi.com/skipAwait": "true" } : {}),
            },
        },
        spec: { template: { spec: { hostNetwork: true, dnsPolicy: HOST_NETWORK_DNS_POLICY } } },
    };
}
