/**
 * Parses and validates the whole `istio-mesh:*` stack config into a MeshConfig.
 * Every problem is collected (not just the first) and names its path and the fix.
 */
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import {
    atLeast,
    dnsLabelProblem,
    kubernetesProblem,
    mustParseVersion,
    parseKubernetesMinor,
    parseVersion,
    revisionNameFor,
    versionProblem,
} from "../versions/version";
import { DEFAULTS } from "./defaults";
import { ConfigError, ConfigIssue, formatPath } from "./errors";
import { describeIssues, MINIMAL_MESH, rootProblem } from "./messages";
import { topLevelKeyIssues } from "./topLevelKeys";
import { byCodePoint, byKey } from "./order";
import { derivedNameProblem, DNS_LABEL_NAME_MAX, HELM_RELEASE_MAX, hubProblem, labelMapIssues, resourcesIssues, SYSTEM_NAMESPACES, UNDELETABLE_NAMESPACES } from "./kubernetes";
import {
    ClusterConfig,
    DEFAULT_TAG,
    MeshConfig,
    NamespaceConfig,
    RevisionConfig,
} from "./model";
import { gatewayChartRenders, normalizeGateways } from "./gateways";
import { addonProblems, addonRevision, normalizeAddon, normalizeAksCluster } from "./aks";
import { ADDON_NAMESPACE } from "../aks/names";
import { clusterSchema, meshSchema, RawCluster, RawMesh } from "./schema";
import { normalizeCni } from "../cni/config";
import { normalizeMtls } from "../security/config";
import { normalizeAdopt } from "../adopt/config";
import { normalizeProbe } from "../probe/config";
import { normalizeAddons } from "../addons/config";
import { wireAddons } from "../addons/wiring";
import { normalizeControlPlane, scaling } from "./controlPlane";
import { normalizeAmbient, normalizeGatewayApi, rawAmbientValueIssues, splitGateways } from "./ambient";

import { containsSecureValue, isSecureValue, SECRET_PLACEHOLDER, withSecrets } from "./secrets";
import { lookalikeOf, plainSpelling, withCodePoints } from "./lookalike";
import { unsafeKeyIssues } from "./unsafeKeys";

export { gatewayChartRenders, containsSecureValue, isSecureValue, SECRET_PLACEHOLDER };

export const CONFIG_NAMESPACE = "istio-mesh";
const CLUSTER_KEY = `${CONFIG_NAMESPACE}:cluster`;
const MESH_KEY = `${CONFIG_NAMESPACE}:mesh`;
const KNOWN_KEYS = new Set([CLUSTER_KEY, MESH_KEY]);

/**
 * Parses the stack config map (`{"istio-mesh:mesh": {...}, ...}`). Values may be objects
 * (a stack YAML file) or JSON strings (what the Pulumi runtime hands a program).
 * Keys of other namespaces (`kubernetes:*`, `pulumi:*`) are ignored.
 */
export function parseStackConfig(raw: Readonly<Record<string, unknown>>, secretKeys: readonly string[] = []): MeshConfig {
    // Misplaced keys (`mesh:`, `istio-mesh:mesh.revisions`) get a hint naming the right key, and
    // stand in for the key they meant: no second "missing" issue for one mistake.
    const { issues, meant } = topLevelKeyIssues(Object.keys(raw), CONFIG_NAMESPACE, [...KNOWN_KEYS]);
    const cluster = parsePart(CLUSTER_KEY, clusterSchema, raw[CLUSTER_KEY] ?? { kind: "existing" }, issues, secretKeys);
    const mesh = meant.has(MESH_KEY) && raw[MESH_KEY] === undefined ? undefined : parsePart(MESH_KEY, meshSchema, raw[MESH_KEY], issues, secretKeys);
    if (cluster === undefined || mesh === undefined) {
        throw new ConfigError(withCodePoints(issues));
    }
    // The add-ons' tracing provider joins every istiod's meshConfig (components/addons/wiring.ts).
    const config = wireAddons(normalize(cluster, mesh, issues), issues, MESH_KEY);
    if (issues.length > 0) {
        // A name with a look-alike character reads the same on screen: every message names its code point.
        throw new ConfigError(withCodePoints(issues));
    }
    return config;
}

function parsePart<T>(key: string, schema: z.ZodType<T>, value: unknown, issues: ConfigIssue[], secretKeys: readonly string[]): T | undefined {
    if (value === undefined) {
        issues.push({ path: key, message: key === MESH_KEY ? `missing; ${MINIMAL_MESH}` : "missing; see the README's configuration reference" });
        return undefined;
    }
    if (typeof value === "string") {
        try {
            value = JSON.parse(value);
        } catch {
            issues.push({ path: key, message: rootProblem(key === MESH_KEY, value) ?? "must be a map of settings" });
            return undefined;
        }
    }
    value = withSecrets(key, value, secretKeys.includes(key), issues, CLUSTER_KEY);
    if (value === undefined) {
        return undefined;
    }
    const rootIssue = rootProblem(key === MESH_KEY, value);
    if (rootIssue !== undefined) {
        issues.push({ path: key, message: rootIssue });
        return undefined;
    }
    // Keys an object cannot hold (`__proto__`) are reported, then left out, before the schema
    // would drop them without a word.
    const unsafe = unsafeKeyIssues(key, value);
    issues.push(...unsafe.issues);
    value = unsafe.value;
    const result = schema.safeParse(value);
    if (result.success) {
        return result.data;
    }
    // Rewritten in the user's words (messages.ts): never the validation library's.
    issues.push(...describeIssues(key, schema, value, result.error.issues));
    return undefined;
}

function normalize(rawCluster: RawCluster, mesh: RawMesh, issues: ConfigIssue[]): MeshConfig {
    const at = (...path: PropertyKey[]) => formatPath(MESH_KEY, path);
    const problem = (path: string, message: string) => issues.push({ path, message });

    const cluster = normalizeCluster(rawCluster, issues);
    const management = mesh.management ?? DEFAULTS.management;
    // The AKS add-on: revisions named by AKS, no default revision, no Helm gateways (config/aks.ts).
    const addon = management === "aks-addon";
    const namespace = mesh.namespace ?? (addon ? ADDON_NAMESPACE : DEFAULTS.namespace);
    const nsProblem = dnsLabelProblem(namespace);
    if (nsProblem) {
        problem(at("namespace"), nsProblem);
    }
    const hub = mesh.hub === undefined ? undefined : hubProblem(mesh.hub);
    if (hub) problem(at("hub"), hub);
    // Quantities where they are written (a revision inherits mesh.controlPlane's: reported once).
    issues.push(...resourcesIssues(mesh.controlPlane?.resources, at("controlPlane", "resources")));
    mesh.revisions.forEach((r, i) => issues.push(...resourcesIssues(r.controlPlane?.resources, at("revisions", i, "controlPlane", "resources"))));

    // Revisions: names unique, versions valid; sorted by name so list order never matters.
    const revisions: RevisionConfig[] = [];
    const revisionIndex = new Map<string, number>();
    // Names of entries (revisions, then tags) that are themselves in error: references to them
    // are not reported again, so one mistake gives one issue (its root cause).
    const invalidRefs = new Set<string>();
    mesh.revisions.forEach((r, i) => {
        if (addon) {
            const a = addonRevision(r, at, i, issues);
            if (a === undefined) {
                invalidRefs.add(r.name ?? r.version);
            } else if (revisionIndex.has(a.name)) {
                problem(at("revisions", i), `duplicate revision "${a.name}" (also revisions[${revisionIndex.get(a.name)}]); remove one of them`);
            } else {
                revisionIndex.set(a.name, i);
                revisions.push({ ...a, values: {} });
            }
            return;
        }
        const vProblem = versionProblem(r.version);
        if (vProblem) {
            problem(at("revisions", i, "version"), vProblem);
            invalidRefs.add(r.name ?? revisionNameFor(r.version));
            return;
        }
        const name = r.name ?? revisionNameFor(r.version);
        const nameProblem =
            dnsLabelProblem(name) ??
            (name === DEFAULT_TAG ? `a revision may not be named "default": istio.io/rev=default means the default tag (mesh.defaultRevision); name it e.g. after its version (${revisionNameFor(r.version)})` : undefined) ??
            derivedNameProblem("the Helm release", `istiod-${name}`, HELM_RELEASE_MAX, `shorten the revision name to at most ${HELM_RELEASE_MAX - "istiod-".length} characters`);
        if (nameProblem) {
            problem(at("revisions", i, "name"), nameProblem);
            invalidRefs.add(name);
            return;
        }
        if (revisionIndex.has(name)) {
            problem(
                at("revisions", i),
                `duplicate revision "${name}" (also revisions[${revisionIndex.get(name)}]); give one of them a distinct name`,
            );
            return;
        }
        revisionIndex.set(name, i);
        revisions.push({
            name,
            version: r.version,
            values: r.values ?? {},
            // revision > controlPlane > program defaults > chart defaults (each key replaces).
            ...(r.controlPlane === undefined ? {} : { controlPlane: normalizeControlPlane({ ...mesh.controlPlane, ...r.controlPlane }, issues, at("revisions", i, "controlPlane")) }),
        });
    });
    revisions.sort((a, b) => byCodePoint(a.name, b.name));
    // Revisions as meant: the valid ones and those in error (a duplicate is one revision).
    const meantRevisions = revisions.length + invalidRefs.size;
    const revisionNames = new Set(revisions.map((r) => r.name));
    // Never a list that ends empty ("one of: "): with no valid revision, say so and what to do.
    const revisionList = [...revisionNames].join(", ") || "none is valid yet: fix the issues under mesh.revisions first";
    // A reference to an entry in error is that entry's issue only, also when it is written in
    // plain ASCII and the entry holds a look-alike ("prоd" with a Cyrillic о): one mistake.
    const plainKey = (s: string) => plainSpelling(s).toLowerCase();
    const isInvalidRef = (ref: string) => invalidRefs.has(ref) || [...invalidRefs].some((x) => plainKey(x) === plainKey(ref));

    if (cluster.kubernetesVersion !== undefined && !addon) {
        const k8sMinor = parseKubernetesMinor(cluster.kubernetesVersion);
        if (k8sMinor === undefined) {
            // An AKS cluster's version is checked with its block (config/aks.ts).
            if (cluster.kind === "existing") problem(`${CLUSTER_KEY}.kubernetesVersion`, `"${cluster.kubernetesVersion}" is not a Kubernetes version; write e.g. "1.31"`);
        } else {
            for (const r of revisions) {
                const kProblem = kubernetesProblem(mustParseVersion(r.version), k8sMinor);
                if (kProblem) {
                    const index = revisionIndex.get(r.name);
                    if (index === undefined) {
                        throw new Error(`internal: revision "${r.name}" has no index in mesh.revisions`);
                    }
                    problem(at("revisions", index, "version"), `${kProblem}: pick an Istio release that supports the cluster, or upgrade the cluster first`);
                }
            }
        }
    }

    // Tags point at revisions; a tag may not share a name with a revision.
    const tags: Record<string, string> = {};
    for (const [tag, target] of Object.entries(mesh.tags ?? {}).sort(byKey)) {
        // istiod 1.28+ charts render a Service per tag: its name must be a DNS label too.
        const targetVersion = parseVersion(revisions.find((r) => r.name === target)?.version ?? "");
        const tagProblem =
            dnsLabelProblem(tag) ??
            (targetVersion !== undefined && atLeast(targetVersion, 28)
                ? derivedNameProblem("the tag's Service", `istiod-revision-tag-${tag}`, DNS_LABEL_NAME_MAX, `shorten the tag to at most ${DNS_LABEL_NAME_MAX - "istiod-revision-tag-".length} characters`)
                : undefined);
        if (tagProblem) {
            invalidRefs.add(tag);
            problem(at("tags", tag), tagProblem);
        } else if (tag === DEFAULT_TAG) {
            // The add-on has no default revision at all: config/aks.ts says so.
            if (!addon) problem(at("tags", tag), `the "default" tag is driven by mesh.defaultRevision; remove it from mesh.tags and set defaultRevision: ${target}`);
        } else if (revisionNames.has(tag)) {
            problem(at("tags", tag), `a tag may not share its name with a revision (istioctl refuses it too); rename the tag`);
        } else if (!revisionNames.has(target)) {
            // A tag on a revision whose own entry is in error: that entry's issue says it all.
            if (!isInvalidRef(target)) {
                const meant = lookalikeOf(target, revisionNames);
                const pointAt = revisionNames.size === 0 ? `no revision is valid yet (fix the issues under mesh.revisions first)` : `tags point at one of: ${revisionList}`;
                problem(at("tags", tag), `points at "${target}", which is not a revision${meant === undefined ? "" : ` (did you mean "${meant}"?)`}; ${pointAt}`);
            }
            invalidRefs.add(tag);
        } else {
            tags[tag] = target;
        }
    }
    const tagList = () => (Object.keys(tags).length === 0 ? "mesh.tags defines none" : Object.keys(tags).join(", "));
    const refProblem = (ref: string): string | undefined => {
        if (revisionNames.has(ref) || Object.hasOwn(tags, ref) || ref === DEFAULT_TAG || isInvalidRef(ref)) {
            return undefined;
        }
        const meant = lookalikeOf(ref, [...revisionNames, ...Object.keys(tags)]);
        return `"${ref}" is neither a revision (${revisionList}) nor a tag (${tagList()}); point it at one of them${meant === undefined ? "" : ` (did you mean "${meant}"?)`}`;
    };

    let defaultRevision = mesh.defaultRevision;
    if (addon) {
        // No default revision in add-on mode (a set one is reported by config/aks.ts).
        defaultRevision = "";
    } else if (defaultRevision === undefined) {
        // One entry in error is that entry's issue, not a missing default as well.
        if (meantRevisions > 1) {
            problem(at("defaultRevision"), `required with more than one revision: name the tag or revision that istio-injection=enabled namespaces and validation use (one of ${revisionList})`);
        }
        defaultRevision = revisions[0]?.name ?? "";
    } else if ((defaultRevision === DEFAULT_TAG && !invalidRefs.has(DEFAULT_TAG)) || (!revisionNames.has(defaultRevision) && !Object.hasOwn(tags, defaultRevision) && !isInvalidRef(defaultRevision))) {
        const meant = lookalikeOf(defaultRevision, [...revisionNames, ...Object.keys(tags)]);
        problem(at("defaultRevision"), `"${defaultRevision}" is neither a revision (${revisionList}) nor a tag (${tagList()}); name one of them${meant === undefined ? "" : ` (did you mean "${meant}"?)`}`);
    }

    const namespaces: NamespaceConfig[] = [];
    for (const [name, value] of Object.entries(mesh.namespaces ?? {}).sort(byKey)) {
        const spec = typeof value === "string" ? { revision: value } : value;
        const p =
            dnsLabelProblem(name) ??
            (name === namespace ? "the control-plane namespace is never injected; remove it from mesh.namespaces" : undefined) ??
            (SYSTEM_NAMESPACES.has(name) ? `Istio never injects into ${name}, and enrolling it would restart the cluster's own system workloads; remove it from mesh.namespaces` : undefined) ??
            refProblem(spec.revision);
        if (p) {
            problem(at("namespaces", name), p);
            continue;
        }
        const create = (typeof value === "string" ? undefined : value.create) ?? DEFAULTS.namespace_.create;
        const deleteWhenRemoved = typeof value === "string" ? undefined : value.deleteWhenRemoved;
        issues.push(...labelMapIssues(typeof value === "string" ? undefined : value.labels, at("namespaces", name, "labels")));
        if (deleteWhenRemoved === true && UNDELETABLE_NAMESPACES.has(name)) {
            problem(at("namespaces", name, "deleteWhenRemoved"), `Kubernetes never deletes the ${name} namespace; remove deleteWhenRemoved`);
        } else if (deleteWhenRemoved !== undefined && !create) {
            problem(
                at("namespaces", name, "deleteWhenRemoved"),
                "only a namespace the stack creates (create: true) can be deleted by it; an existing namespace is never deleted, only unlabelled. Remove deleteWhenRemoved",
            );
        }
        namespaces.push({
            name,
            revision: spec.revision,
            create,
            deleteWhenRemoved: create && (deleteWhenRemoved ?? DEFAULTS.namespace_.deleteWhenRemoved),
            restart: (typeof value === "string" ? undefined : value.restart) ?? DEFAULTS.namespace_.restart,
            labels: (typeof value === "string" ? undefined : value.labels) ?? {},
        });
        if ("labels" in spec && spec.labels && (Object.hasOwn(spec.labels, "istio.io/rev") || Object.hasOwn(spec.labels, "istio-injection"))) {
            problem(at("namespaces", name, "labels"), "istio.io/rev and istio-injection are set by the program from `revision`; remove them from labels");
        }
    }

    // Gateways of kind gateway-api are Gateway objects, not chart releases (config/ambient.ts).
    const split = splitGateways(mesh.gateways);
    const { gateways, canaryServices } = normalizeGateways(
        addon || mesh.gateways === undefined ? undefined : split.chart,
        { revisions, tags, defaultRevision: defaultRevision ?? "", refProblem, at },
        issues,
        (raw, replicas, path) => scaling(raw, replicas, DEFAULTS.gateway.autoscaling, path, issues),
    );

    const cni = normalizeCni(mesh.cni, { namespace, enrolled: namespaces.map((n) => n.name), addon, at: (...p) => at("cni", ...p) }, issues);
    if (addon) {
        issues.push(...addonProblems(mesh, cluster, revisions, at, CLUSTER_KEY));
    }
    const ambientScope = { revisions, tags, defaultRevision: defaultRevision ?? "", namespace, addon, cniEnabled: cni !== undefined, revisionIndex, refProblem, at };
    const ambient = normalizeAmbient(mesh, ambientScope, issues);
    issues.push(...rawAmbientValueIssues([...mesh.revisions.map((r, i) => ({ path: at("revisions", i, "values"), values: r.values })), { path: at("cni", "values"), values: mesh.cni?.values }]));
    const gatewayApi = normalizeGatewayApi(mesh.gatewayApi, split.gatewayApi, { ...ambientScope, waypoints: (ambient?.namespaces ?? []).filter((n) => n.waypoint !== undefined || (n.services ?? []).length > 0).length }, issues);
    return {
        cluster,
        management,
        ...(addon ? { aksAddon: normalizeAddon(mesh, at, issues) } : {}),
        ...(cni === undefined ? {} : { cni }),
        mtls: normalizeMtls(mesh.mtls, { namespace, at: (...p) => at("mtls", ...p) }, issues),
        namespace,
        chartRepository: mesh.chartRepository ?? DEFAULTS.chartRepository,
        hub: mesh.hub ?? DEFAULTS.hub,
        revisions,
        tags,
        defaultRevision,
        namespaces,
        gateways,
        canaryServices,
        controlPlane: normalizeControlPlane(mesh.controlPlane, issues, at("controlPlane")),
        restarts: {
            wait: mesh.restarts?.wait ?? DEFAULTS.restarts.wait,
            timeoutSeconds: mesh.restarts?.timeoutSeconds ?? DEFAULTS.restarts.timeoutSeconds,
        },
        ...(mesh.adopt === undefined ? {} : { adopt: normalizeAdopt(mesh.adopt, at, issues) }),
        ...(mesh.probe === undefined ? {} : { probe: normalizeProbe(mesh.probe, new Set(namespaces.map((n) => n.name)), at, issues) }),
        ...(mesh.addons === undefined ? {} : { addons: normalizeAddons(mesh.addons, at, issues) }),
        ...(ambient === undefined ? {} : { ambient }),
        ...(gatewayApi === undefined ? {} : { gatewayApi }),
    };
}

function normalizeCluster(raw: RawCluster, issues: ConfigIssue[]): ClusterConfig {
    if (raw.kind === "aks") {
        return normalizeAksCluster(raw, (...path) => formatPath(CLUSTER_KEY, path), issues);
    }
    return {
        kind: "existing",
        context: raw.context,
        kubeconfig: raw.kubeconfig,
        kubernetesVersion: raw.kubernetesVersion,
        skipAwait: raw.skipAwait ?? DEFAULTS.cluster.skipAwait,
    };
}

/**
 * The program's stack config: `pulumi.runtime.allConfig()` (decrypted values, secretness
 * dropped) plus which `istio-mesh:*` keys the engine marked secret. The engine marks a key
 * when any value in it is secret (`--secret --path 'istio-mesh:cluster.kubeconfig'` marks
 * `istio-mesh:cluster`); the Node SDK keeps that list (PULUMI_CONFIG_SECRET_KEYS) behind
 * `runtime.isConfigSecret`, untyped in 3.248, hence the fallback to the variable itself.
 */
export function readStackConfig(): MeshConfig {
    const runtime = pulumi.runtime as typeof pulumi.runtime & { isConfigSecret?: (key: string) => boolean };
    const secretKeys = [...KNOWN_KEYS].filter((k) =>
        typeof runtime.isConfigSecret === "function" ? runtime.isConfigSecret(k) : envSecretKeys().includes(k),
    );
    return parseStackConfig(pulumi.runtime.allConfig(), secretKeys);
}

function envSecretKeys(): string[] {
    try {
        const keys: unknown = JSON.parse(process.env.PULUMI_CONFIG_SECRET_KEYS ?? "[]");
        return Array.isArray(keys) ? keys.filter((k): k is string => typeof k === "string") : [];
    } catch {
        return [];
    }
}
