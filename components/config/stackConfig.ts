/**
 * Parses and validates the whole `istio-mesh:*` stack config into a MeshConfig.
 * Every problem is collected (not just the first) and names its path and the fix.
 */
import { z } from "zod";
import {
    atLeast,
    dnsLabelProblem,
    IstioVersion,
    kubernetesProblem,
    mustParseVersion,
    parseKubernetesMinor,
    revisionNameFor,
    versionProblem,
} from "../versions/version";
import { DEFAULTS } from "./defaults";
import { ConfigError, ConfigIssue, formatPath } from "./errors";
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
import { clusterSchema, meshSchema, RawCluster, RawMesh } from "./schema";

export const CONFIG_NAMESPACE = "istio-mesh";
const CLUSTER_KEY = `${CONFIG_NAMESPACE}:cluster`;
const MESH_KEY = `${CONFIG_NAMESPACE}:mesh`;
const KNOWN_KEYS = new Set([CLUSTER_KEY, MESH_KEY]);

/**
 * Parses the stack config map (`{"istio-mesh:mesh": {...}, ...}`). Values may be objects
 * (a stack YAML file) or JSON strings (what the Pulumi runtime hands a program).
 * Keys of other namespaces (`kubernetes:*`, `pulumi:*`) are ignored.
 */
export function parseStackConfig(raw: Readonly<Record<string, unknown>>): MeshConfig {
    const issues: ConfigIssue[] = [];
    for (const key of Object.keys(raw).sort()) {
        if (key.startsWith(`${CONFIG_NAMESPACE}:`) && !KNOWN_KEYS.has(key)) {
            issues.push({ path: key, message: `unknown key; the keys are ${[...KNOWN_KEYS].join(" and ")}` });
        }
    }
    const cluster = parsePart(CLUSTER_KEY, clusterSchema, raw[CLUSTER_KEY] ?? { kind: "existing" }, issues);
    const mesh = parsePart(MESH_KEY, meshSchema, raw[MESH_KEY], issues);
    if (cluster === undefined || mesh === undefined) {
        throw new ConfigError(issues);
    }
    const config = normalize(cluster, mesh, issues);
    if (issues.length > 0) {
        throw new ConfigError(issues);
    }
    return config;
}

function parsePart<T>(key: string, schema: z.ZodType<T>, value: unknown, issues: ConfigIssue[]): T | undefined {
    if (value === undefined) {
        issues.push({ path: key, message: `required; see the README's configuration reference` });
        return undefined;
    }
    if (typeof value === "string") {
        try {
            value = JSON.parse(value);
        } catch {
            issues.push({ path: key, message: "must be an object (structured config), not a string" });
            return undefined;
        }
    }
    const result = schema.safeParse(value);
    if (result.success) {
        return result.data;
    }
    for (const issue of result.error.issues) {
        if (issue.code === "unrecognized_keys") {
            for (const k of issue.keys) {
                issues.push({ path: formatPath(key, [...issue.path, k]), message: "unknown key; remove it or fix its spelling" });
            }
        } else {
            issues.push({ path: formatPath(key, issue.path), message: issue.message });
        }
    }
    return undefined;
}

function normalize(rawCluster: RawCluster, mesh: RawMesh, issues: ConfigIssue[]): MeshConfig {
    const at = (...path: PropertyKey[]) => formatPath(MESH_KEY, path);
    const problem = (path: string, message: string) => issues.push({ path, message });

    const cluster = normalizeCluster(rawCluster, issues);
    if ((mesh.management ?? DEFAULTS.management) !== "helm") {
        problem(at("management"), `"aks-addon" is not yet supported; use "helm" (the AKS managed add-on comes with AKS support)`);
    }
    if (mesh.cni?.enabled) {
        problem(at("cni", "enabled"), "Istio CNI is not yet supported by this program; remove mesh.cni or set enabled: false");
    }
    const namespace = mesh.namespace ?? DEFAULTS.namespace;
    const nsProblem = dnsLabelProblem(namespace);
    if (nsProblem) {
        problem(at("namespace"), nsProblem);
    }

    // Revisions: names unique, versions valid; sorted by name so list order never matters.
    const revisions: RevisionConfig[] = [];
    const revisionIndex = new Map<string, number>();
    mesh.revisions.forEach((r, i) => {
        const vProblem = versionProblem(r.version);
        if (vProblem) {
            problem(at("revisions", i, "version"), vProblem);
            return;
        }
        const name = r.name ?? revisionNameFor(r.version);
        const nameProblem = dnsLabelProblem(name);
        if (nameProblem) {
            problem(at("revisions", i, "name"), nameProblem);
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
        revisions.push({ name, version: r.version, values: r.values ?? {} });
    });
    revisions.sort((a, b) => a.name.localeCompare(b.name));
    const revisionNames = new Set(revisions.map((r) => r.name));
    const revisionList = [...revisionNames].join(", ");

    if (cluster.kubernetesVersion !== undefined) {
        const k8sMinor = parseKubernetesMinor(cluster.kubernetesVersion);
        if (k8sMinor === undefined) {
            problem(`${CLUSTER_KEY}.kubernetesVersion`, `"${cluster.kubernetesVersion}" is not a Kubernetes version; write e.g. "1.31"`);
        } else {
            for (const r of revisions) {
                const kProblem = kubernetesProblem(mustParseVersion(r.version), k8sMinor);
                if (kProblem) {
                    problem(at("revisions", revisionIndex.get(r.name)!, "version"), `${kProblem}: pick an Istio release that supports the cluster, or upgrade the cluster first`);
                }
            }
        }
    }

    // Tags point at revisions; a tag may not share a name with a revision.
    const tags: Record<string, string> = {};
    for (const [tag, target] of Object.entries(mesh.tags ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
        const tagProblem = dnsLabelProblem(tag);
        if (tagProblem) {
            problem(at("tags", tag), tagProblem);
        } else if (tag === DEFAULT_TAG) {
            problem(at("tags", tag), `the "default" tag is driven by mesh.defaultRevision; remove it from mesh.tags and set defaultRevision: ${target}`);
        } else if (revisionNames.has(tag)) {
            problem(at("tags", tag), `a tag may not share its name with a revision (istioctl refuses it too); rename the tag`);
        } else if (!revisionNames.has(target)) {
            problem(at("tags", tag), `points at "${target}", which is not a revision; tags point at one of: ${revisionList}`);
        } else {
            tags[tag] = target;
        }
    }
    const refProblem = (ref: string): string | undefined =>
        revisionNames.has(ref) || ref in tags || ref === DEFAULT_TAG
            ? undefined
            : `"${ref}" is neither a revision (${revisionList}) nor a tag (${Object.keys(tags).join(", ") || "none"}); point it at one of them`;

    let defaultRevision = mesh.defaultRevision;
    if (defaultRevision === undefined) {
        if (revisions.length === 1) {
            defaultRevision = revisions[0].name;
        } else {
            problem(at("defaultRevision"), `required with more than one revision: name the tag or revision that istio-injection=enabled namespaces and validation use (one of ${revisionList})`);
            defaultRevision = revisions[0]?.name ?? "";
        }
    } else if (defaultRevision === DEFAULT_TAG || (!revisionNames.has(defaultRevision) && !(defaultRevision in tags))) {
        problem(at("defaultRevision"), `"${defaultRevision}" is neither a revision (${revisionList}) nor a tag; name one of them`);
    }

    const namespaces: NamespaceConfig[] = [];
    for (const [name, value] of Object.entries(mesh.namespaces ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
        const spec = typeof value === "string" ? { revision: value } : value;
        const p = dnsLabelProblem(name) ?? (name === namespace ? "the control-plane namespace is never injected; remove it from mesh.namespaces" : undefined) ?? refProblem(spec.revision);
        if (p) {
            problem(at("namespaces", name), p);
            continue;
        }
        namespaces.push({
            name,
            revision: spec.revision,
            create: ("create" in spec ? spec.create : undefined) ?? DEFAULTS.namespace_.create,
            labels: ("labels" in spec ? spec.labels : undefined) ?? {},
        });
        if ("labels" in spec && spec.labels && ("istio.io/rev" in spec.labels || "istio-injection" in spec.labels)) {
            problem(at("namespaces", name, "labels"), "istio.io/rev and istio-injection are set by the program from `revision`; remove them from labels");
        }
    }

    const gateways: GatewayConfig[] = [];
    for (const [name, g] of Object.entries(mesh.gateways ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
        const gwNamespace = g.namespace ?? DEFAULTS.gateway.namespace;
        const p = dnsLabelProblem(name) ?? refProblem(g.revision);
        if (p) {
            problem(at("gateways", name), p);
            continue;
        }
        const nsP = dnsLabelProblem(gwNamespace);
        if (nsP) {
            problem(at("gateways", name, "namespace"), nsP);
            continue;
        }
        const gwVersion = revisions.find((r) => r.name === resolveRevision({ tags, defaultRevision: defaultRevision ?? "" }, g.revision));
        if (gwVersion && !gatewayChartRenders(mustParseVersion(gwVersion.version))) {
            problem(
                at("gateways", name, "revision"),
                `follows Istio ${gwVersion.version}, whose gateway chart fails its own schema under Helm 3.18.5+ (istio#57354, fixed in 1.25.5); point the gateway at a 1.25.5+ revision`,
            );
            continue;
        }
        const replicas = g.replicas ?? DEFAULTS.gateway.replicas;
        gateways.push({
            name,
            namespace: gwNamespace,
            revision: g.revision,
            serviceType: g.service?.type ?? DEFAULTS.gateway.serviceType,
            replicas,
            autoscaling: scaling(g.autoscaling, replicas, DEFAULTS.gateway.autoscaling, at("gateways", name, "autoscaling"), issues),
            labels: g.labels ?? {},
            values: g.values ?? {},
        });
    }

    return {
        cluster,
        management: "helm",
        namespace,
        chartRepository: mesh.chartRepository ?? DEFAULTS.chartRepository,
        hub: mesh.hub ?? DEFAULTS.hub,
        revisions,
        tags,
        defaultRevision,
        namespaces,
        gateways,
        controlPlane: normalizeControlPlane(mesh, issues),
    };
}

function normalizeCluster(raw: RawCluster, issues: ConfigIssue[]): ClusterConfig {
    if (raw.kind === "aks") {
        issues.push({ path: `${CLUSTER_KEY}.kind`, message: `"aks" is not yet supported; use kind: existing with a kubeconfig context for the AKS cluster` });
        return { kind: "existing", skipAwait: DEFAULTS.cluster.skipAwait };
    }
    return {
        kind: "existing",
        context: raw.context,
        kubeconfig: raw.kubeconfig,
        kubernetesVersion: raw.kubernetesVersion,
        skipAwait: raw.skipAwait ?? DEFAULTS.cluster.skipAwait,
    };
}

function normalizeControlPlane(mesh: RawMesh, issues: ConfigIssue[]): ControlPlaneConfig {
    const cp = mesh.controlPlane ?? {};
    const path = formatPath(MESH_KEY, ["controlPlane"]);
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

/** Gateway charts before 1.25.5 are rejected by their own values schema under Helm 3.18.5+. */
export function gatewayChartRenders(v: IstioVersion): boolean {
    return atLeast(v, 26) || (v.minor === 25 && v.patch >= 5);
}
