/**
 * The Gateway API CRDs at a pinned bundle version, installed the way Istio's docs do
 * (`kubectl apply --server-side -f <release manifest>`), by one command resource:
 *  - pinned: the manifest of exactly mesh.gatewayApi.version and channel, from the Gateway API
 *    project's release assets;
 *  - never downgraded: before applying, the script reads the live CRDs' bundle-version and
 *    refuses (failing the update, nothing applied) when the cluster already has a newer one,
 *    whoever installed it; the transition rule gateway-api-crd-downgrade refuses it earlier,
 *    from the deployed record;
 *  - retained on delete: the command has no delete step, so removing it from the stack (or
 *    destroying the stack) never deletes a CRD, and with it every Gateway, Route and waypoint.
 * Field manager istio-mesh-gateway-api owns what it applies (and takes over fields an earlier
 * `kubectl apply --server-side` of the same manifest set).
 */
import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { KubeAccess } from "../cluster/cluster";
import { accessEnvironment } from "../kubectl/access";
import { KubectlScript, PREAMBLE } from "../kubectl/kubectl";
import { BUNDLE_VERSION_ANNOTATION, Channel, mustParseBundleVersion, formatBundle } from "./versions";

export const GATEWAY_API_FIELD_MANAGER = "istio-mesh-gateway-api";
/** What a successful run prints (its stdout, the record). */
export const CRDS_MARK = "istio-mesh gateway-api crds: ";

/** The release manifest of a bundle version and channel (github.com/kubernetes-sigs/gateway-api releases). */
export function crdManifestUrl(version: string, channel: Channel): string {
    const v = formatBundle(mustParseBundleVersion(version));
    return `https://github.com/kubernetes-sigs/gateway-api/releases/download/${v}/${channel === "experimental" ? "experimental" : "standard"}-install.yaml`;
}

/** The script: refuse a downgrade of the live CRDs, then apply the pinned manifest server-side. */
export function crdsScript(version: string, channel: Channel): KubectlScript {
    const v = formatBundle(mustParseBundleVersion(version));
    const environment = { ISTIO_MESH_GWAPI_VERSION: v, ISTIO_MESH_GWAPI_CHANNEL: channel, ISTIO_MESH_GWAPI_URL: crdManifestUrl(v, channel) };
    const lines = [
        PREAMBLE,
        `live=$(kube get crd gateways.gateway.networking.k8s.io -o jsonpath='{.metadata.annotations.${BUNDLE_VERSION_ANNOTATION.replace(/\./g, "\\.")}}' 2>/dev/null || true)`,
        'if [ -n "$live" ]; then',
        '  lowest=$(printf \'%s\\n%s\\n\' "${live#v}" "${ISTIO_MESH_GWAPI_VERSION#v}" | sort -t. -k1,1n -k2,2n -k3,3n | head -n 1)',
        '  if [ "$lowest" != "${live#v}" ]; then',
        '    echo "the cluster has Gateway API CRDs $live, newer than $ISTIO_MESH_GWAPI_VERSION (mesh.gatewayApi.version): CRDs are never downgraded (stored objects could lose fields and versions). Set mesh.gatewayApi.version: $live. Nothing was applied." >&2',
        "    exit 1",
        "  fi",
        "fi",
        `kube apply --server-side --force-conflicts --field-manager=${GATEWAY_API_FIELD_MANAGER} -f "$ISTIO_MESH_GWAPI_URL" >&2`,
        `echo "${CRDS_MARK}$ISTIO_MESH_GWAPI_VERSION $ISTIO_MESH_GWAPI_CHANNEL"`,
    ];
    return { script: `${lines.join("\n")}\n`, environment };
}

export interface GatewayApiCrdsArgs {
    /** Bundle version, e.g. "v1.4.1" (validated by the config). */
    version: string;
    /** Release channel. @default "standard" */
    channel?: Channel;
    /** The stack's kubeconfig and context. */
    access: KubeAccess;
}

/** The CRDs of the Gateway API at one pinned version (see the module comment for the guarantees). */
export class GatewayApiCrds extends pulumi.ComponentResource {
    /** The record of the last run (`istio-mesh gateway-api crds: <version> <channel>`). */
    public readonly stdout: pulumi.Output<string>;

    constructor(name: string, args: GatewayApiCrdsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("istio-mesh:gatewayapi:GatewayApiCrds", name, {}, opts);
        const run = crdsScript(args.version, args.channel ?? "standard");
        const cmd = new command.local.Command(
            `${name}-apply`,
            // No `delete`: leaving the stack never deletes the CRDs (retain on delete).
            { create: run.script, update: run.script, environment: accessEnvironment(args.access, run.environment), logging: "stderr" },
            // A version or channel change is an update that re-runs the script (environment changes).
            { parent: this },
        );
        this.stdout = cmd.stdout;
        this.registerOutputs({ stdout: this.stdout });
    }
}
