/**
 * Ambient mode and the Gateway API in the `deployed` record, and the one mapping from a
 * deployed (or next) mesh state to the AmbientState the rules read. Pure.
 *
 * Two optional sub-objects of the schema-4 record, `ambient` and `gatewayApi`: absent in every
 * state written before them. Reading "absent" as "sidecar mode, nothing ambient, no Gateway
 * API object or CRD managed by the stack" is provably true: no istio-mesh before them applied
 * istio.io/dataplane-mode, ztunnel, a waypoint, a Gateway or a CRD of gateway.networking.k8s.io,
 * and this one writes the sub-object whenever the config sets any of them. The one way an older
 * stack could have run ambient pieces is raw chart values (`values: {profile: ambient}`); those
 * are refused by the config now (config/ambient.ts, `rawAmbientValueIssues`), so the next
 * update cannot build on them unseen.
 */
import { z } from "zod";
import type { AmbientConfig, GatewayApiConfig } from "../config/ambient";
import { defaultRevisionOf, effectiveTags, resolveRevision } from "../config/model";
import { CHANNELS, formatBundle, parseBundleVersion } from "../gatewayapi/versions";
import { dnsLabelProblem } from "../versions/version";
import { DATAPLANE_MODES, DataplaneMode, WAYPOINT_FOR, WaypointFor } from "./facts";
import type { AmbientState, IstiodGateway } from "./state";

export interface AmbientRecord {
    readonly dataplane: DataplaneMode;
    /** The ztunnel release; absent = not installed (sidecar mode). */
    readonly ztunnel?: { readonly version: string; readonly revision: string };
    /** Namespaces of mesh.namespaces with their data plane, by name. */
    readonly namespaces: Readonly<
        Record<
            string,
            {
                readonly dataplane: DataplaneMode;
                readonly keepSidecars: boolean;
                readonly waypoint?: { readonly name: string; readonly revision: string; readonly for?: WaypointFor };
                /** Service name -> the waypoint it is bound to (istio.io/use-waypoint on the Service); absent = none. */
                readonly services?: Readonly<Record<string, { readonly waypoint: { readonly name: string; readonly revision: string; readonly for: WaypointFor } }>>;
            }
        >
    >;
}

export interface GatewayApiRecord {
    /** The CRDs: `manage` = the stack installed them (and would delete them). Absent = none. */
    readonly crds?: { readonly version: string; readonly channel: (typeof CHANNELS)[number]; readonly manage: boolean };
    /** Gateways of kind gateway-api. */
    readonly gateways: readonly { readonly name: string; readonly namespace: string; readonly revision: string }[];
}

const name = z.string().superRefine((s, ctx) => {
    const p = dnsLabelProblem(s);
    if (p) ctx.addIssue({ code: "custom", message: p });
});
const bundle = z.string().refine((s) => parseBundleVersion(s) !== undefined, { message: 'is not a Gateway API bundle version (e.g. "v1.4.1")' });

/** The zod shapes of the two sub-objects (state/deployed.ts adds them to schema 4, optional). */
export const ambientRecordSchema = z.strictObject({
    dataplane: z.enum(DATAPLANE_MODES),
    ztunnel: z.strictObject({ version: z.string(), revision: name }).optional(),
    namespaces: z.record(
        name,
        z.strictObject({
            dataplane: z.enum(DATAPLANE_MODES),
            keepSidecars: z.boolean(),
            waypoint: z.strictObject({ name, revision: name, for: z.enum(WAYPOINT_FOR).optional() }).optional(),
            services: z.record(name, z.strictObject({ waypoint: z.strictObject({ name, revision: name, for: z.enum(WAYPOINT_FOR) }) })).optional(),
        }),
    ),
});
export const gatewayApiRecordSchema = z.strictObject({
    crds: z.strictObject({ version: bundle, channel: z.enum(CHANNELS), manage: z.boolean() }).optional(),
    gateways: z.array(z.strictObject({ name, namespace: name, revision: name })),
});

/** What the record says of the config being deployed (undefined = the config sets none of it). */
export function ambientRecordOf(a: AmbientConfig | undefined): AmbientRecord | undefined {
    if (a === undefined) {
        return undefined;
    }
    return {
        dataplane: a.dataplane,
        ...(a.ztunnel === undefined ? {} : { ztunnel: { version: a.ztunnel.version, revision: a.ztunnel.revision } }),
        namespaces: Object.fromEntries(
            a.namespaces.map((n) => [
                n.name,
                {
                    dataplane: n.dataplane,
                    keepSidecars: n.keepSidecars,
                    ...(n.waypoint === undefined ? {} : { waypoint: { ...n.waypoint } }),
                    ...(n.services === undefined ? {} : { services: Object.fromEntries(n.services.map((svc) => [svc.name, { waypoint: { ...svc.waypoint } }])) }),
                },
            ]),
        ),
    };
}

export function gatewayApiRecordOf(g: GatewayApiConfig | undefined): GatewayApiRecord | undefined {
    if (g === undefined) {
        return undefined;
    }
    return {
        // Not the manifest source: where the CRDs were read from is no fact about the cluster (the command's inputs hold it).
        ...(g.crds === undefined ? {} : { crds: { version: formatBundle(parseBundleVersion(g.crds.version) ?? { major: 0, minor: 0, patch: 0 }), channel: g.crds.channel, manage: g.crds.manage } }),
        gateways: g.gateways.map((x) => ({ name: x.name, namespace: x.namespace, revision: x.revision })),
    };
}

/** Dangling references inside the sub-objects, as `path: message` pairs (paths below `deployed`). */
export function recordProblems(s: {
    readonly revisions: readonly { readonly name: string }[];
    readonly tags: Readonly<Record<string, string>>;
    readonly namespaces: readonly { readonly name: string }[];
    readonly ambient?: AmbientRecord;
    readonly gatewayApi?: GatewayApiRecord;
}): { path: (string | number)[]; message: string }[] {
    const revisions = new Set(s.revisions.map((r) => r.name));
    const refOk = (r: string) => revisions.has(r) || Object.hasOwn(s.tags, r) || r === "default";
    const out: { path: (string | number)[]; message: string }[] = [];
    if (s.ambient?.ztunnel !== undefined && !revisions.has(s.ambient.ztunnel.revision)) {
        out.push({ path: ["ambient", "ztunnel", "revision"], message: `"${s.ambient.ztunnel.revision}" is not a deployed revision` });
    }
    const names = new Set(s.namespaces.map((n) => n.name));
    for (const [ns, n] of Object.entries(s.ambient?.namespaces ?? {})) {
        if (!names.has(ns)) out.push({ path: ["ambient", "namespaces", ns], message: `"${ns}" is not one of deployed.namespaces` });
        if (n.waypoint !== undefined && !refOk(n.waypoint.revision)) out.push({ path: ["ambient", "namespaces", ns, "waypoint", "revision"], message: `"${n.waypoint.revision}" is neither a deployed revision, a tag nor "default"` });
        for (const [svc, b] of Object.entries(n.services ?? {})) {
            if (!refOk(b.waypoint.revision)) out.push({ path: ["ambient", "namespaces", ns, "services", svc, "waypoint", "revision"], message: `"${b.waypoint.revision}" is neither a deployed revision, a tag nor "default"` });
        }
    }
    (s.gatewayApi?.gateways ?? []).forEach((g, i) => {
        if (!refOk(g.revision)) out.push({ path: ["gatewayApi", "gateways", i, "revision"], message: `"${g.revision}" is neither a deployed revision, a tag nor "default"` });
    });
    return out;
}

/** The part of a mesh state (deployed or next) the ambient and Gateway API rules read. */
export interface AmbientSource {
    readonly namespace: string;
    readonly revisions: readonly { readonly name: string; readonly version: string }[];
    readonly tags: Readonly<Record<string, string>>;
    readonly defaultRevision: string;
    readonly namespaces: readonly { readonly name: string; readonly revision: string }[];
    readonly cni?: { readonly version: string };
    readonly ambient?: AmbientRecord;
    readonly gatewayApi?: GatewayApiRecord;
}

/** True when the rules have anything to look at: ambient or the Gateway API is, or was, in the record. */
export const hasAmbientOrGatewayApi = (s: AmbientSource | undefined) => s?.ambient !== undefined || s?.gatewayApi !== undefined;

/**
 * The AmbientState of a mesh state. Every revision runs the ambient profile exactly when the
 * mesh's data plane is ambient (the program sets it on all of them, so a canary never differs);
 * istio-cni likewise. A namespace carries istio.io/rev unless it is ambient without
 * keepSidecars (namespaces.ts writes it that way); a waypoint Gateway always carries its own.
 */
export function ambientStateOf(s: AmbientSource): AmbientState {
    const ambient = s.ambient?.dataplane === "ambient";
    const nsRecord = (n: string) => (s.ambient !== undefined && Object.hasOwn(s.ambient.namespaces, n) ? s.ambient.namespaces[n] : undefined);
    // The namespace's waypoint, then those its Services use (one Gateway per name: the config makes them agree).
    const waypoints: IstiodGateway[] = s.namespaces.flatMap((n) => {
        const rec = nsRecord(n.name);
        const all = [...(rec?.waypoint === undefined ? [] : [rec.waypoint]), ...Object.values(rec?.services ?? {}).map((b) => b.waypoint)];
        const byName = new Map<string, IstiodGateway>();
        for (const w of all) {
            if (!byName.has(w.name)) byName.set(w.name, { namespace: n.name, name: w.name, className: "istio-waypoint" as const, revision: w.revision, ...(w.for === undefined ? {} : { waypointFor: w.for }) });
        }
        return [...byName.values()];
    });
    const gateways: IstiodGateway[] = (s.gatewayApi?.gateways ?? []).map((g) => ({ namespace: g.namespace, name: g.name, className: "istio" as const, revision: g.revision }));
    const dflt = s.defaultRevision === "" ? undefined : defaultRevisionOf(s);
    return {
        istioNamespace: s.namespace,
        revisions: s.revisions.map((r) => ({ name: r.name, version: r.version, ambient })),
        tags: effectiveTags(s),
        ...(dflt === undefined ? {} : { defaultRevision: dflt }),
        namespaces: s.namespaces.map((n) => {
            const rec = nsRecord(n.name);
            const dataplane = rec?.dataplane ?? "sidecar";
            const withRev = dataplane === "sidecar" || rec?.keepSidecars === true;
            return {
                name: n.name,
                dataplane,
                ...(withRev ? { revision: n.revision } : {}),
                ...(rec?.waypoint === undefined ? {} : { useWaypoint: rec.waypoint.name }),
                ...(rec?.services === undefined ? {} : { services: Object.entries(rec.services).map(([name, b]) => ({ name, useWaypoint: b.waypoint.name })).sort((a, b) => (a.name < b.name ? -1 : 1)) }),
            };
        }),
        gateways: [...waypoints, ...gateways],
        ...(s.ambient?.ztunnel === undefined ? {} : { ztunnel: { version: s.ambient.ztunnel.version, revision: s.ambient.ztunnel.revision } }),
        ...(s.cni === undefined ? {} : { cni: { version: s.cni.version, ambient } }),
        ...(s.gatewayApi?.crds === undefined ? {} : { gatewayApi: { version: s.gatewayApi.crds.version, channel: s.gatewayApi.crds.channel, managed: s.gatewayApi.crds.manage } }),
    };
}

/** The effective revision name a waypoint or gateway follows (for dependsOn and plan wording). */
export const gatewayTarget = (s: AmbientSource, ref: string) => resolveRevision(s, ref);
