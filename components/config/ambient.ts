/**
 * Ambient mode and Gateway API in the stack config: `mesh.dataplane`, `mesh.ztunnel`,
 * `mesh.gatewayApi`, per-namespace `dataplane` / `keepSidecars` / `waypoint`, and gateways of
 * `kind: gateway-api`. Schemas, normalized shapes and validation against the facts in
 * components/ambient/FACTS.md; pure. Kept out of stackConfig.ts so the config module's other
 * changes merge without touching this one.
 */
import { z } from "zod";
import { AMBIENT_GA_MINOR, DATAPLANE_MODES, DataplaneMode, WAYPOINT_FOR, WaypointFor } from "../ambient/facts";
import { ZTUNNEL_LOG_LEVELS } from "../ambient/values";
import { CHANNELS, Channel, compareBundleVersions, formatBundle, parseBundleVersion, requiredBundleFor } from "../gatewayapi/versions";
import { dnsLabelProblem, mustParseVersion, parseVersion } from "../versions/version";
import { DEFAULTS } from "./defaults";
import type { ConfigIssue } from "./errors";
import { labelMapIssues } from "./kubernetes";
import { byKey } from "./order";
import { resolveRevision, RevisionConfig, tagTarget } from "./model";
import { serviceAccountsKeyIssue, serviceWaypoints } from "./serviceWaypoints";

/** `mesh.dataplane`: the data plane of every namespace that does not choose its own. */
export const dataplaneSchema = z.enum(DATAPLANE_MODES);

export const ztunnelSchema = z.strictObject({
    revision: z.string().optional(),
    logLevel: z.enum(ZTUNNEL_LOG_LEVELS).optional(),
    terminationGracePeriodSeconds: z.number().int().min(1).optional(),
    values: z.record(z.string(), z.unknown()).optional(),
});

export const gatewayApiSchema = z.strictObject({
    version: z.string(),
    channel: z.enum(CHANNELS).optional(),
    manage: z.boolean().optional(),
    /** Where the CRD command reads the manifest: an https URL or a local file; {version} and {channel} are replaced. @default the release asset on github.com */
    manifest: z.string().optional(),
});

/** Keys a `mesh.namespaces.<name>` map takes besides the sidecar ones (schema.ts spreads them in). */
const waypointSchema = z.strictObject({ name: z.string().optional(), revision: z.string().optional(), for: z.enum(WAYPOINT_FOR).optional() });
export const namespaceAmbientFields = {
    dataplane: dataplaneSchema.optional(),
    keepSidecars: z.boolean().optional(),
    waypoint: waypointSchema.optional(),
    /** Waypoints per Service: `<service>: {waypoint: {name?, revision?, for?}}` (istio.io/use-waypoint on the Service). */
    services: z.record(z.string(), z.strictObject({ waypoint: waypointSchema })).optional(),
    /** The old per-ServiceAccount binding: read only to refuse it with why (serviceWaypoints.ts). */
    serviceAccounts: z.unknown().optional(),
};

const listenerSchema = z.strictObject({
    name: z.string(),
    port: z.number().int().min(1).max(65535),
    protocol: z.enum(["HTTP", "HTTPS", "TLS", "TCP"]),
    hostname: z.string().min(1).optional(),
    tls: z
        .strictObject({
            mode: z.enum(["Terminate", "Passthrough"]).optional(),
            certificateRefs: z.array(z.strictObject({ name: z.string().min(1), namespace: z.string().optional() })).optional(),
        })
        .optional(),
    allowedRoutes: z.enum(["Same", "All"]).optional(),
});

/** `mesh.gateways.<name>` with `kind: gateway-api`: a Gateway (class istio) that istiod deploys. */
export const gatewayApiGatewaySchema = z.strictObject({
    kind: z.literal("gateway-api"),
    namespace: z.string().optional(),
    revision: z.string().optional(),
    listeners: z.array(listenerSchema).min(1, "empty; list at least one listener, e.g. `- {name: http, port: 80, protocol: HTTP}`"),
    labels: z.record(z.string(), z.string()).optional(),
});
export type RawGatewayApiGateway = z.infer<typeof gatewayApiGatewaySchema>;

export interface ZtunnelConfig {
    /** Revision name ztunnel connects to (istiod-<revision>): mesh.ztunnel.revision, else what the default revision resolves to. */
    readonly revision: string;
    /** Chart and image version: the version of `revision` (ztunnel follows the control plane it connects to). */
    readonly version: string;
    readonly logLevel?: (typeof ZTUNNEL_LOG_LEVELS)[number];
    readonly terminationGracePeriodSeconds?: number;
    /** Raw ztunnel chart values merged last. @default {} */
    readonly values: Readonly<Record<string, unknown>>;
}

export interface AmbientNamespaceConfig {
    readonly name: string;
    readonly dataplane: DataplaneMode;
    /** Ambient only: keep istio.io/rev too, so restarted pods get sidecars (the migration's middle step). */
    readonly keepSidecars: boolean;
    /** The waypoint Gateway of the namespace; the namespace is labelled istio.io/use-waypoint=<name>. */
    readonly waypoint?: { readonly name: string; readonly revision: string; readonly for?: WaypointFor };
    /** Services of the namespace bound to a waypoint (labelled istio.io/use-waypoint=<name>), sorted by name; absent = none. */
    readonly services?: readonly ServiceWaypoint[];
}

/** A Service labelled istio.io/use-waypoint: traffic addressed to it goes through that waypoint (in the same namespace). */
export interface ServiceWaypoint {
    readonly name: string;
    /** The waypoint: a Gateway in the namespace; `for` is service or all (it takes Service-addressed traffic). @default {name: <service>-waypoint, revision: the namespace's, for: service} */
    readonly waypoint: { readonly name: string; readonly revision: string; readonly for: WaypointFor };
}


export interface AmbientConfig {
    /** mesh.dataplane: ambient installs istiod and istio-cni with profile ambient, and ztunnel. */
    readonly dataplane: DataplaneMode;
    /** Present exactly when dataplane is ambient. */
    readonly ztunnel?: ZtunnelConfig;
    /** One per mesh.namespaces entry, by name (sorted). */
    readonly namespaces: readonly AmbientNamespaceConfig[];
}

export interface GatewayApiGatewayConfig {
    readonly name: string;
    readonly namespace: string;
    /** Tag or revision written to the Gateway's istio.io/rev (which istiod deploys it). */
    readonly revision: string;
    readonly listeners: RawGatewayApiGateway["listeners"];
    readonly labels: Readonly<Record<string, string>>;
}

export interface GatewayApiConfig {
    /** The Gateway API CRDs in the cluster; undefined = none (no Gateway API object may be used). */
    readonly crds?: { readonly version: string; readonly channel: Channel; readonly manage: boolean; readonly manifest?: string };
    readonly gateways: readonly GatewayApiGatewayConfig[];
}

export interface AmbientScope {
    readonly revisions: readonly RevisionConfig[];
    readonly tags: Readonly<Record<string, string>>;
    readonly defaultRevision: string;
    readonly namespace: string;
    readonly addon: boolean;
    readonly cniEnabled: boolean;
    /** The index of each revision in mesh.revisions (for paths). */
    readonly revisionIndex: ReadonlyMap<string, number>;
    readonly refProblem: (ref: string) => string | undefined;
    readonly at: (...path: PropertyKey[]) => string;
}

export type RawWaypoint = { name?: string; revision?: string; for?: WaypointFor };
type RawNamespaces = Readonly<Record<string, string | { revision: string; dataplane?: DataplaneMode; keepSidecars?: boolean; waypoint?: RawWaypoint; services?: Readonly<Record<string, { waypoint: RawWaypoint }>>; serviceAccounts?: unknown }>>;
export interface RawAmbient {
    readonly dataplane?: DataplaneMode;
    readonly ztunnel?: z.infer<typeof ztunnelSchema>;
    readonly namespaces?: RawNamespaces;
}

/** mesh.dataplane, mesh.ztunnel and the namespaces' ambient keys; undefined = sidecar mode and none of them set. */
export function normalizeAmbient(raw: RawAmbient, scope: AmbientScope, issues: ConfigIssue[]): AmbientConfig | undefined {
    const problem = (path: string, message: string) => issues.push({ path, message });
    const dataplane = raw.dataplane ?? "sidecar";
    const entries = Object.entries(raw.namespaces ?? {}).sort(byKey);
    const anyAmbientKey = entries.some(([, v]) => typeof v !== "string" && (v.dataplane !== undefined || v.keepSidecars !== undefined || v.waypoint !== undefined || v.services !== undefined || v.serviceAccounts !== undefined));
    if (raw.dataplane === undefined && raw.ztunnel === undefined && !anyAmbientKey) {
        return undefined;
    }
    const ambient = dataplane === "ambient";
    if (ambient && scope.addon) {
        problem(scope.at("dataplane"), "this program installs ambient mode only with management helm (the AKS add-on's ambient support is not driven by it); remove mesh.dataplane or set it to sidecar");
    }
    if (ambient && !scope.cniEnabled) {
        problem(scope.at("dataplane"), "ambient mode needs the Istio CNI node agent with its ambient profile (it enrols pods into ztunnel); set mesh.cni: {enabled: true}");
    }
    if (ambient) {
        scope.revisions.forEach((r) => {
            const v = parseVersion(r.version);
            if (v !== undefined && v.minor < AMBIENT_GA_MINOR) {
                problem(
                    scope.at("revisions", scope.revisionIndex.get(r.name) ?? 0, "version"),
                    `Istio ${r.version} runs ambient mode as Beta (Stable from 1.${AMBIENT_GA_MINOR}.0); upgrade every revision to 1.${AMBIENT_GA_MINOR}.x or later with mesh.dataplane: sidecar first, then set mesh.dataplane: ambient in a later change`,
                );
            }
        });
    } else if (raw.ztunnel !== undefined) {
        problem(scope.at("ztunnel"), "ztunnel runs only in ambient mode; set mesh.dataplane: ambient or remove mesh.ztunnel");
    }
    const namespaces: AmbientNamespaceConfig[] = entries.map(([name, v]) => {
        const spec = typeof v === "string" ? { revision: v } : v;
        const mode = spec.dataplane ?? dataplane;
        if (mode === "ambient" && !ambient) {
            problem(scope.at("namespaces", name, "dataplane"), "an ambient namespace needs the ambient pieces (ztunnel, the ambient profile of istiod and istio-cni): set mesh.dataplane: ambient first");
        }
        if (spec.keepSidecars !== undefined && mode !== "ambient") {
            problem(scope.at("namespaces", name, "keepSidecars"), "only an ambient namespace keeps sidecars (istio.io/rev beside istio.io/dataplane-mode); remove keepSidecars");
        }
        let waypoint: AmbientNamespaceConfig["waypoint"];
        if (spec.waypoint !== undefined) {
            const wName = spec.waypoint.name ?? DEFAULTS.waypoint.namespaceName;
            const wRev = spec.waypoint.revision ?? spec.revision;
            const p = dnsLabelProblem(wName);
            if (p) problem(scope.at("namespaces", name, "waypoint", "name"), p);
            const rp = spec.waypoint.revision === undefined ? undefined : scope.refProblem(spec.waypoint.revision);
            if (rp) problem(scope.at("namespaces", name, "waypoint", "revision"), rp);
            if (!ambient) problem(scope.at("namespaces", name, "waypoint"), "waypoints serve ambient workloads; set mesh.dataplane: ambient first");
            waypoint = { name: wName, revision: wRev, ...(spec.waypoint.for === undefined ? {} : { for: spec.waypoint.for }) };
        }
        if (typeof v !== "string" && v.serviceAccounts !== undefined) issues.push(serviceAccountsKeyIssue(name, scope));
        const services = serviceWaypoints(name, spec, waypoint, ambient, scope, issues);
        return { name, dataplane: mode, keepSidecars: spec.keepSidecars ?? false, ...(waypoint === undefined ? {} : { waypoint }), ...(services.length === 0 ? {} : { services }) };
    });
    return { dataplane, ...(ambient ? { ztunnel: normalizeZtunnel(raw.ztunnel, scope, issues) } : {}), namespaces };
}

function normalizeZtunnel(raw: RawAmbient["ztunnel"], scope: AmbientScope, issues: ConfigIssue[]): ZtunnelConfig {
    const at = (...p: PropertyKey[]) => scope.at("ztunnel", ...p);
    let revision = raw?.revision;
    if (revision === undefined) {
        // Like mesh.defaultRevision: with two revisions, which one ztunnel follows is a reviewed choice.
        if (scope.revisions.length > 1) {
            issues.push({ path: at("revision"), message: `required with more than one revision: name the revision ztunnel connects to (one of ${scope.revisions.map((r) => r.name).join(", ")}); it moves in place, on every node, when this changes` });
        }
        revision = resolveRevision(scope, "default");
    } else if (tagTarget(scope.tags, revision) !== undefined || revision === "default") {
        const target = resolveRevision(scope, revision);
        issues.push({ path: at("revision"), message: `"${revision}" is a tag; ztunnel connects to Service istiod-<revision>, which only a revision has: write the revision it points at (${target})` });
        revision = target;
    } else if (!scope.revisions.some((r) => r.name === revision)) {
        issues.push({ path: at("revision"), message: `"${revision}" is not a revision; name one of ${scope.revisions.map((r) => r.name).join(", ") || "none is valid yet"}` });
    }
    const version = scope.revisions.find((r) => r.name === revision)?.version ?? scope.revisions[0]?.version ?? "";
    return {
        revision,
        version,
        ...(raw?.logLevel === undefined ? {} : { logLevel: raw.logLevel }),
        ...(raw?.terminationGracePeriodSeconds === undefined ? {} : { terminationGracePeriodSeconds: raw.terminationGracePeriodSeconds }),
        values: raw?.values ?? {},
    };
}

/**
 * Raw chart values that would turn ambient on behind the program's back (`profile: ambient`,
 * istio-cni's `ambient.enabled`, istiod's PILOT_ENABLE_AMBIENT): the deployed record could then
 * not say what runs (ambient/record.ts relies on this). Each names mesh.dataplane instead.
 */
export function rawAmbientValueIssues(values: readonly { readonly path: string; readonly values: Readonly<Record<string, unknown>> | undefined }[]): ConfigIssue[] {
    const get = (v: unknown, ...keys: string[]): unknown =>
        keys.reduce<unknown>((here, k) => (here !== null && typeof here === "object" && Object.hasOwn(here, k) ? (here as Record<string, unknown>)[k] : undefined), v);
    return values.flatMap(({ path, values: v }) => {
        const found = [
            get(v, "profile") === "ambient" ? "profile: ambient" : undefined,
            get(v, "ambient", "enabled") !== undefined || get(v, "cni", "ambient", "enabled") !== undefined ? "ambient.enabled" : undefined,
            get(v, "pilot", "env", "PILOT_ENABLE_AMBIENT") !== undefined ? "pilot.env.PILOT_ENABLE_AMBIENT" : undefined,
        ].filter((x): x is string => x !== undefined);
        return found.length === 0 ? [] : [{ path, message: `${found.join(", ")} is set by the program from mesh.dataplane (so the deployed record says what runs, and the ambient rules see it); remove it and set mesh.dataplane: ambient` }];
    });
}

/** `mesh.gatewayApi` and the `kind: gateway-api` gateways; undefined = neither is set. */
export function normalizeGatewayApi(
    raw: z.infer<typeof gatewayApiSchema> | undefined,
    gateways: readonly (readonly [string, RawGatewayApiGateway])[],
    scope: AmbientScope & { readonly waypoints: number },
    issues: ConfigIssue[],
): GatewayApiConfig | undefined {
    if (raw === undefined && gateways.length === 0) {
        if (scope.waypoints > 0) {
            issues.push({ path: scope.at("gatewayApi"), message: "waypoints are Gateway API Gateways: set mesh.gatewayApi (e.g. `{version: v1.4.1}` to let the stack install the CRDs, or add `manage: false` when they are installed already)" });
        }
        return undefined;
    }
    const problem = (path: string, message: string) => issues.push({ path, message });
    if (scope.addon) {
        problem(scope.at(raw === undefined ? "gateways" : "gatewayApi"), "with management aks-addon this program manages no Gateway API CRDs or Gateways (the add-on has its own Gateway API support); remove mesh.gatewayApi and the gateways of kind gateway-api");
        return undefined;
    }
    let crds: GatewayApiConfig["crds"];
    if (raw === undefined) {
        problem(scope.at("gatewayApi"), "gateways of kind gateway-api need the Gateway API CRDs: set mesh.gatewayApi (e.g. `{version: v1.4.1}`, or add `manage: false` when they are installed already)");
    } else {
        const v = parseBundleVersion(raw.version);
        if (v === undefined) {
            problem(scope.at("gatewayApi", "version"), `"${raw.version}" is not a Gateway API release; write e.g. v1.4.1 (the bundle-version of the CRDs)`);
        } else {
            const minors = scope.revisions.flatMap((r) => (parseVersion(r.version) === undefined ? [] : [mustParseVersion(r.version).minor]));
            const required = requiredBundleFor(minors);
            if (required !== undefined && compareBundleVersions(v, required) < 0) {
                problem(scope.at("gatewayApi", "version"), `${formatBundle(v)} is older than ${formatBundle(required)}, which the newest revision reads (older CRDs are invisible to its istiod); set at least ${formatBundle(required)}`);
            }
            const manage = raw.manage ?? DEFAULTS.gatewayApi.manage;
            const manifestP = raw.manifest === undefined ? undefined : manifestProblem(raw.manifest, manage, formatBundle(v));
            if (manifestP) problem(scope.at("gatewayApi", "manifest"), manifestP);
            crds = { version: formatBundle(v), channel: raw.channel ?? DEFAULTS.gatewayApi.channel, manage, ...(raw.manifest === undefined ? {} : { manifest: raw.manifest }) };
        }
    }
    const out: GatewayApiGatewayConfig[] = [];
    for (const [name, g] of gateways) {
        const at = (...p: PropertyKey[]) => scope.at("gateways", name, ...p);
        const namespace = g.namespace ?? DEFAULTS.gateway.namespace;
        const p = dnsLabelProblem(name) ?? undefined;
        if (p) {
            problem(at(), p);
            continue;
        }
        const nsP = dnsLabelProblem(namespace);
        if (nsP) problem(at("namespace"), nsP);
        if (namespace === scope.namespace) problem(at("namespace"), "the control-plane namespace holds no gateways of this kind; pick another namespace (default istio-ingress)");
        if (g.revision === undefined) {
            problem(at("revision"), "set revision: the tag (or revision) whose istiod deploys this Gateway (istio.io/rev); without it the default revision's istiod takes it only from some patches (istio/istio#56767)");
            continue;
        }
        const rp = scope.refProblem(g.revision);
        if (rp) problem(at("revision"), rp);
        issues.push(...labelMapIssues(g.labels, at("labels")));
        if (g.labels !== undefined && Object.hasOwn(g.labels, "istio.io/rev")) problem(at("labels"), "istio.io/rev is set by the program from `revision`; remove it from labels");
        const seen = new Set<string>();
        g.listeners.forEach((l, i) => {
            const lp = dnsLabelProblem(l.name);
            if (lp) problem(at("listeners", i, "name"), lp);
            if (seen.has(l.name)) problem(at("listeners", i, "name"), `listener "${l.name}" is listed twice; names are unique in a Gateway`);
            seen.add(l.name);
            const tls = l.protocol === "HTTPS" || l.protocol === "TLS";
            if (l.tls !== undefined && !tls) problem(at("listeners", i, "tls"), `a ${l.protocol} listener has no TLS; remove tls or use protocol HTTPS or TLS`);
            if (l.protocol === "HTTPS" && (l.tls?.certificateRefs ?? []).length === 0) problem(at("listeners", i, "tls", "certificateRefs"), "an HTTPS listener terminates TLS: name its certificate Secret, e.g. `tls: {certificateRefs: [{name: web-cert}]}`");
            if (l.protocol === "TLS" && l.tls?.mode === "Terminate" && (l.tls.certificateRefs ?? []).length === 0) problem(at("listeners", i, "tls", "certificateRefs"), "a TLS listener in mode Terminate presents a certificate: name its Secret, or use mode Passthrough");
            if (l.protocol === "HTTPS" && l.tls?.mode === "Passthrough") problem(at("listeners", i, "tls", "mode"), "an HTTPS listener always terminates TLS (the Gateway CRD refuses Passthrough); use protocol TLS for passthrough");
            if (l.hostname !== undefined && l.protocol === "TCP") problem(at("listeners", i, "hostname"), "a TCP listener has no hostname (the Gateway CRD refuses it); remove hostname");
        });
        out.push({ name, namespace, revision: g.revision, listeners: g.listeners, labels: g.labels ?? {} });
    }
    return { ...(crds === undefined ? {} : { crds }), gateways: out };
}

/**
 * What is wrong with mesh.gatewayApi.manifest, or undefined. An https URL (a mirror) or a local
 * file; plain http could be altered on the way (these are cluster-wide schemas); a source that
 * does not change with the version would apply the same CRDs whatever mesh.gatewayApi.version
 * pins, so it must hold {version} or the version itself.
 */
export function manifestProblem(manifest: string, manage: boolean, version: string): string | undefined {
    if (!manage) return "the manifest is what the stack applies, and with manage: false it applies nothing; remove manifest, or set manage: true";
    if (manifest.trim() === "") return "empty; give an https URL (e.g. https://mirror.example.com/gateway-api/{version}/{channel}-install.yaml) or a local file, or remove it to use the release on github.com";
    const unknown = (manifest.match(/\{[^}]*\}/g) ?? []).filter((p) => p !== "{version}" && p !== "{channel}");
    if (unknown.length > 0) return `${unknown.join(", ")} is not a placeholder; the placeholders are {version} and {channel}`;
    const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(manifest)?.[1]?.toLowerCase();
    if (scheme !== undefined && scheme !== "https") {
        return scheme === "http"
            ? "plain http can be altered on the way, and these are cluster-wide schemas; serve the manifest over https, or give a local file"
            : `a ${scheme}:// source cannot be read by kubectl apply -f; give an https URL or a local file`;
    }
    if (scheme === "https") {
        try {
            new URL(manifest.split("{version}").join(version).split("{channel}").join("standard"));
        } catch {
            return `"${manifest}" is not a URL; write e.g. https://mirror.example.com/gateway-api/{version}/{channel}-install.yaml`;
        }
    }
    if (!manifest.includes("{version}") && !manifest.includes(version) && !manifest.includes(version.slice(1))) {
        return `"${manifest}" does not name the version: a source that stays the same when mesh.gatewayApi.version changes would apply the same CRDs whatever it pins; put {version} in it (e.g. .../{version}/{channel}-install.yaml) or ${version} itself`;
    }
    return undefined;
}

/** Splits mesh.gateways into the chart gateways and the `kind: gateway-api` ones. */
export function splitGateways<T>(raw: Readonly<Record<string, T | RawGatewayApiGateway>> | undefined): { chart: Record<string, T>; gatewayApi: [string, RawGatewayApiGateway][] } {
    const chart: [string, T][] = [];
    const gatewayApi: [string, RawGatewayApiGateway][] = [];
    for (const [name, g] of Object.entries(raw ?? {}).sort(byKey)) {
        if (isGatewayApi(g)) {
            gatewayApi.push([name, g]);
        } else {
            chart.push([name, g]);
        }
    }
    // fromEntries: a gateway named __proto__ stays an own entry.
    return { chart: Object.fromEntries(chart), gatewayApi };
}

const isGatewayApi = (g: unknown): g is RawGatewayApiGateway => g !== null && typeof g === "object" && (g as { kind?: unknown }).kind === "gateway-api";
