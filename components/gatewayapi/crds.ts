/**
 * The Gateway API CRDs at a pinned bundle version, installed the way Istio's docs do
 * (`kubectl apply --server-side -f <release manifest>`), by one command resource:
 *  - pinned: the manifest of exactly mesh.gatewayApi.version and channel, from the Gateway API
 *    project's release assets, or from mesh.gatewayApi.manifest (a mirror or a local file, for
 *    clusters that cannot reach github.com), checked after applying to be that version;
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

/** The placeholders a manifest source (mesh.gatewayApi.manifest) may hold, replaced by the pinned version and channel. */
export const MANIFEST_PLACEHOLDERS = ["{version}", "{channel}"] as const;

/**
 * Where the CRD command reads the manifest: mesh.gatewayApi.manifest (an https URL, e.g. a
 * mirror, or a file on the machine that runs pulumi) with {version} and {channel} replaced;
 * without one, the Gateway API release asset (crdManifestUrl).
 */
export function crdManifestSource(version: string, channel: Channel, manifest?: string): string {
    const v = formatBundle(mustParseBundleVersion(version));
    return manifest === undefined ? crdManifestUrl(v, channel) : manifest.split("{version}").join(v).split("{channel}").join(channel);
}

/** True when a (resolved) manifest source is a URL, not a local file. */
export const isManifestUrl = (source: string) => /^[a-z][a-z0-9+.-]*:\/\//i.test(source);

/**
 * A managed manifest read from a local file that is not on this machine: the error, naming the
 * config key and the path as resolved; undefined otherwise (URLs are fetched by kubectl).
 */
export function missingManifestFile(crds: { readonly version: string; readonly channel: Channel; readonly manage: boolean; readonly manifest?: string } | undefined, exists: (path: string) => boolean): string | undefined {
    if (crds?.manage !== true || crds.manifest === undefined) return undefined;
    const source = crdManifestSource(crds.version, crds.channel, crds.manifest);
    return isManifestUrl(source) || exists(source)
        ? undefined
        : `istio-mesh:mesh.gatewayApi.manifest: ${source} (from "${crds.manifest}") is not a file on this machine; the CRD command applies it from here (relative paths are from the project directory). Copy the ${crds.version} ${crds.channel}-install.yaml release asset there, or fix the path`;
}

/**
 * The script: refuse a downgrade of the live CRDs, apply the pinned manifest server-side, then
 * read the live bundle-version back and fail if it is not the pin (a source serving another
 * version than mesh.gatewayApi.version says is caught on its first apply, not judged as the pin).
 */
export function crdsScript(version: string, channel: Channel, manifest?: string): KubectlScript {
    const v = formatBundle(mustParseBundleVersion(version));
    const environment = { ISTIO_MESH_GWAPI_VERSION: v, ISTIO_MESH_GWAPI_CHANNEL: channel, ISTIO_MESH_GWAPI_URL: crdManifestSource(v, channel, manifest) };
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
        // Only with a source of the user's: the release assets are the pinned version by construction.
        ...(manifest === undefined
            ? []
            : [
                  `after=$(kube get crd gateways.gateway.networking.k8s.io -o jsonpath='{.metadata.annotations.${BUNDLE_VERSION_ANNOTATION.replace(/\./g, "\\.")}}' 2>/dev/null || true)`,
                  'if [ "${after#v}" != "${ISTIO_MESH_GWAPI_VERSION#v}" ]; then',
                  '  echo "applied $ISTIO_MESH_GWAPI_URL (mesh.gatewayApi.manifest), but the Gateway CRD now says bundle-version ${after:-none}, not $ISTIO_MESH_GWAPI_VERSION (mesh.gatewayApi.version): the source serves another version. Point mesh.gatewayApi.manifest at the $ISTIO_MESH_GWAPI_VERSION $ISTIO_MESH_GWAPI_CHANNEL-install.yaml release asset (or its copy), then run pulumi up again." >&2',
                  "  exit 1",
                  "fi",
              ]),
        `echo "${CRDS_MARK}$ISTIO_MESH_GWAPI_VERSION $ISTIO_MESH_GWAPI_CHANNEL"`,
    ];
    return { script: `${lines.join("\n")}\n`, environment };
}

export interface GatewayApiCrdsArgs {
    /** Bundle version, e.g. "v1.4.1" (validated by the config). */
    version: string;
    /** Release channel. @default "standard" */
    channel?: Channel;
    /** Manifest source: an https URL or a local file, {version}/{channel} replaced. @default the Gateway API release asset on github.com */
    manifest?: string;
    /** The stack's kubeconfig and context. */
    access: KubeAccess;
}

/** The CRDs of the Gateway API at one pinned version (see the module comment for the guarantees). */
export class GatewayApiCrds extends pulumi.ComponentResource {
    /** The record of the last run (`istio-mesh gateway-api crds: <version> <channel>`). */
    public readonly stdout: pulumi.Output<string>;

    constructor(name: string, args: GatewayApiCrdsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("istio-mesh:gatewayapi:GatewayApiCrds", name, {}, opts);
        const run = crdsScript(args.version, args.channel ?? "standard", args.manifest);
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
