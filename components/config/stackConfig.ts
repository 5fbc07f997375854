/**
 * Parses and validates the whole `istio-mesh:*` stack config into a MeshConfig.
 * Every problem is collected (not just the first) and names its path and the fix.
 */
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import {
    atLeast,
    dnsLabelProblem,
    IstioVersion,
    kubernetesProblem,
    mustParseVersion,
    parseKubernetesMinor,
    parseVersion,
    revisionNameFor,
    versionProblem,
} from "../versions/version";
import { DEFAULTS } from "./defaults";
import { ConfigError, ConfigIssue, formatPath } from "./errors";
import { describeIssues, MINIMAL_MESH, rootProblem, topLevelKeyIssues } from "./messages";
import { byCodePoint, byKey } from "./order";
import { derivedNameProblem, DNS_LABEL_NAME_MAX, HELM_RELEASE_MAX, hubProblem, labelMapIssues, resourcesIssues, SYSTEM_NAMESPACES, UNDELETABLE_NAMESPACES } from "./kubernetes";
import {
    ClusterConfig,
    ControlPlaneConfig,
    DEFAULT_TAG,
    GatewayConfig,
    MeshConfig,
    NamespaceConfig,
    resolveRevision,
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
import { normalizeAmbient, normalizeGatewayApi, rawAmbientValueIssues, splitGateways } from "./ambient";

export { gatewayChartRenders };

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
        throw new ConfigError(issues);
    }
    // The add-ons' tracing provider joins every istiod's meshConfig (components/addons/wiring.ts).
    const config = wireAddons(normalize(cluster, mesh, issues), issues, MESH_KEY);
    if (issues.length > 0) {
        throw new ConfigError(issues);
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
    value = withSecrets(key, value, secretKeys.includes(key), issues);
    if (value === undefined) {
        return undefined;
    }
    const rootIssue = rootProblem(key === MESH_KEY, value);
    if (rootIssue !== undefined) {
        issues.push({ path: key, message: rootIssue });
        return undefined;
    }
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
    // Never a list that ends empty ("one of: "): with no valid revision, say so.
    const revisionList = [...revisionNames].join(", ") || "none is valid yet";

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
            if (!invalidRefs.has(target)) {
                problem(at("tags", tag), `points at "${target}", which is not a revision; tags point at one of: ${revisionList}`);
            }
            invalidRefs.add(tag);
        } else {
            tags[tag] = target;
        }
    }
    const refProblem = (ref: string): string | undefined =>
        revisionNames.has(ref) || Object.hasOwn(tags, ref) || ref === DEFAULT_TAG || invalidRefs.has(ref)
            ? undefined
            : `"${ref}" is neither a revision (${revisionList}) nor a tag (${Object.keys(tags).join(", ") || "none"}); point it at one of them`;

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
    } else if ((defaultRevision === DEFAULT_TAG && !invalidRefs.has(DEFAULT_TAG)) || (!revisionNames.has(defaultRevision) && !Object.hasOwn(tags, defaultRevision) && !invalidRefs.has(defaultRevision))) {
        problem(at("defaultRevision"), `"${defaultRevision}" is neither a revision (${revisionList}) nor a tag; name one of them`);
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
    const gatewayApi = normalizeGatewayApi(mesh.gatewayApi, split.gatewayApi, { ...ambientScope, waypoints: (ambient?.namespaces ?? []).filter((n) => n.waypoint !== undefined).length }, issues);
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
        controlPlane: normalizeControlPlane(mesh.controlPlane, issues),
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

function normalizeControlPlane(raw: RawMesh["controlPlane"], issues: ConfigIssue[], path = formatPath(MESH_KEY, ["controlPlane"])): ControlPlaneConfig {
    const cp = raw ?? {};
    const replicas = cp.replicas ?? DEFAULTS.controlPlane.replicas;
    if (cp.pdb?.minAvailable !== undefined && cp.pdb?.maxUnavailable !== undefined) {
        issues.push({ path: `${path}.pdb`, message: "set either minAvailable or maxUnavailable, never both (the chart ignores minAvailable then)" });
    }
    const pdb = cp.pdb?.maxUnavailable !== undefined ? { maxUnavailable: cp.pdb.maxUnavailable } : { minAvailable: cp.pdb?.minAvailable ?? DEFAULTS.controlPlane.pdb.minAvailable };
    return {
        replicas,
        autoscaling: scaling(cp.autoscaling, replicas, DEFAULTS.controlPlane.autoscaling, `${path}.autoscaling`, issues),
        resources: cp.resources,
        pdb,
        meshConfig: cp.meshConfig ?? {},
    };
}

function scaling(
    raw: { enabled?: boolean; minReplicas?: number; maxReplicas?: number } | undefined,
    replicas: number,
    defaults: { enabled: boolean; maxReplicas: number },
    path: string,
    issues: ConfigIssue[],
) {
    const minReplicas = raw?.minReplicas ?? replicas;
    const maxReplicas = raw?.maxReplicas ?? Math.max(defaults.maxReplicas, minReplicas);
    if (maxReplicas < minReplicas) {
        issues.push({ path, message: `maxReplicas (${maxReplicas}) is below minReplicas (${minReplicas}); raise maxReplicas` });
    }
    return { enabled: raw?.enabled ?? defaults.enabled, minReplicas, maxReplicas };
}

// --- Secrets -------------------------------------------------------------------------------
// Only `istio-mesh:cluster.kubeconfig` may be a Pulumi secret (and it is handled as one even
// when it is not). Everything else is plain config that ends up in Helm values, labels and
// resource names: a secret there would be written out in plain text, so it is refused.

/** What a secret value shows as in the plan, and the stand-in for one it cannot decrypt. */
export const SECRET_PLACEHOLDER = "[secret]";

const PLAIN_EXPECTED =
    "this value is a Pulumi secret; istio-mesh reads it as plain config: run `pulumi config set` without --secret";

/** A Pulumi encrypted config value as it stands in a stack file: `{secure: "v1:..."}`. */
export function isSecureValue(v: unknown): v is { secure: string } {
    return v !== null && typeof v === "object" && !Array.isArray(v) && Object.keys(v).length === 1 && typeof (v as { secure?: unknown }).secure === "string";
}

/** True when a value holds an encrypted (`secure:`) value anywhere (what makes the engine list its key as secret). */
export function containsSecureValue(v: unknown): boolean {
    if (isSecureValue(v)) {
        return true;
    }
    if (Array.isArray(v)) {
        return v.some(containsSecureValue);
    }
    return v !== null && typeof v === "object" && Object.values(v).some(containsSecureValue);
}

/**
 * Secure-value handling for one top-level key, before the schema sees it. A stack file (the plan
 * command) carries encrypted values as `{secure: ...}`: the whole `istio-mesh:cluster` or its
 * `kubeconfig` become an opaque kubeconfig (SECRET_PLACEHOLDER); anywhere else it is an error
 * naming the path. Under the Pulumi CLI values arrive decrypted and only the key is known to
 * be secret (`keyIsSecret`): fine for the cluster (the kubeconfig is a secret anyway), an error
 * for the mesh. Returns undefined when it pushed an issue.
 */
function withSecrets(key: string, value: unknown, keyIsSecret: boolean, issues: ConfigIssue[]): unknown {
    if (key === CLUSTER_KEY) {
        if (isSecureValue(value)) {
            return { kind: "existing", kubeconfig: SECRET_PLACEHOLDER };
        }
        if (value !== null && typeof value === "object" && isSecureValue((value as { kubeconfig?: unknown }).kubeconfig)) {
            value = { ...value, kubeconfig: SECRET_PLACEHOLDER };
        }
    }
    const found: string[] = [];
    const walk = (v: unknown, path: PropertyKey[]) => {
        if (isSecureValue(v)) {
            found.push(formatPath(key, path));
        } else if (Array.isArray(v)) {
            v.forEach((e, i) => walk(e, [...path, i]));
        } else if (v !== null && typeof v === "object") {
            for (const [k, e] of Object.entries(v)) {
                walk(e, [...path, k]);
            }
        }
    };
    walk(value, []);
    if (found.length === 0 && keyIsSecret && key !== CLUSTER_KEY) {
        found.push(key);
    }
    for (const path of found) {
        issues.push({ path, message: PLAIN_EXPECTED });
    }
    return found.length > 0 ? undefined : value;
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
