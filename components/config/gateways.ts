/**
 * Gateways in the stack config: in place (`revision`: one Deployment that follows a tag or
 * revision) or canary (`canary`: one Deployment per listed tag or revision, all behind one
 * Service the program owns, so the address never changes while revisions come and go).
 */
import { atLeast, dnsLabelProblem, IstioVersion, mustParseVersion } from "../versions/version";
import { DEFAULTS } from "./defaults";
import { ConfigIssue } from "./errors";
import { CanaryService, GatewayConfig, resolveRevision, RevisionConfig } from "./model";
import { byKey } from "./order";
import { EGRESS_ISTIO_LABEL, GatewayKind, GatewayPodOptions, normalizeGatewayOptions, OptionIssue, versionProblems } from "./gatewayOptions";
import type { z } from "zod";
import type { gatewaySchema } from "./schema";
import { derivedNameProblem, labelMapIssues, resourcesIssues } from "./kubernetes";

/** Helm release names are at most 53 characters (the Deployment is named like the release). */
const MAX_RELEASE_NAME = 53;

export interface GatewayScope {
    readonly revisions: readonly RevisionConfig[];
    readonly tags: Readonly<Record<string, string>>;
    readonly defaultRevision: string;
    /** Why a tag/revision reference is invalid, or undefined. */
    readonly refProblem: (ref: string) => string | undefined;
    /** Config path of `gateways.<name>...`. */
    readonly at: (...path: PropertyKey[]) => string;
}

/** Gateway charts before 1.25.5 are rejected by their own values schema under Helm 3.18.5+. */
export function gatewayChartRenders(v: IstioVersion): boolean {
    return atLeast(v, 26) || (v.minor === 25 && v.patch >= 5);
}

/**
 * The selector labels every Deployment of a canary gateway shares (the chart's own selector
 * keys). An egress gateway carries Istio's `istio: egressgateway`, what egress Gateway
 * resources select; an ingress gateway the chart's default (its name without `istio-`).
 */
export function canarySelector(gateway: string, kind: GatewayKind = "ingress"): Record<string, string> {
    return { app: gateway, istio: kind === "egress" ? EGRESS_ISTIO_LABEL : gateway.replace(/^istio-/, "") };
}

/**
 * A canary gateway's one PodDisruptionBudget, over the pods of all its Deployments (each
 * release rendering its own would put every pod under two budgets, and Kubernetes refuses to
 * evict a pod that more than one budget selects: node drains stall). Like the chart's own, only
 * with more than one pod in all (a budget over a single pod would block every drain).
 */
export function canaryBudget(budget: GatewayPodOptions["podDisruptionBudget"], replicas: readonly number[]): GatewayPodOptions["podDisruptionBudget"] {
    return budget === undefined || replicas.reduce((a, b) => a + b, 0) <= 1 ? undefined : { ...budget };
}

function withoutBudget(pod: GatewayPodOptions): GatewayPodOptions {
    const { podDisruptionBudget: _owned, ...rest } = pod;
    return rest;
}

export function normalizeGateways(
    raw: Readonly<Record<string, RawGateway>> | undefined,
    scope: GatewayScope,
    issues: ConfigIssue[],
    scaling: (raw: RawGateway["autoscaling"], replicas: number, path: string) => GatewayConfig["autoscaling"],
): { gateways: GatewayConfig[]; canaryServices: CanaryService[] } {
    const gateways: GatewayConfig[] = [];
    const canaryServices: CanaryService[] = [];
    const problem = (path: string, message: string) => issues.push({ path, message });
    const chartProblem = (ref: string): string | undefined => {
        const revision = scope.revisions.find((r) => r.name === resolveRevision(scope, ref));
        return revision && !gatewayChartRenders(mustParseVersion(revision.version))
            ? `follows Istio ${revision.version}, whose gateway chart fails its own schema under Helm 3.18.5+ (istio#57354, fixed in 1.25.5); point the gateway at a 1.25.5+ revision`
            : undefined;
    };
    for (const [name, g] of Object.entries(raw ?? {}).sort(byKey)) {
        const namespace = g.namespace ?? DEFAULTS.gateway.namespace;
        const nameProblem = dnsLabelProblem(name);
        if (nameProblem) {
            problem(scope.at("gateways", name), nameProblem);
            continue;
        }
        const nsProblem = dnsLabelProblem(namespace);
        if (nsProblem) {
            problem(scope.at("gateways", name, "namespace"), nsProblem);
            continue;
        }
        // What the API server would refuse: label keys/values, annotation keys, quantities.
        issues.push(
            ...labelMapIssues(g.labels, scope.at("gateways", name, "labels")),
            ...labelMapIssues(g.nodeSelector, scope.at("gateways", name, "nodeSelector")),
            ...labelMapIssues(g.service?.annotations, scope.at("gateways", name, "service", "annotations"), false),
            ...resourcesIssues(g.resources, scope.at("gateways", name, "resources")),
        );
        const optionIssues: OptionIssue[] = [];
        const { kind, serviceType, service, pod } = normalizeGatewayOptions(g, optionIssues);
        for (const i of optionIssues) {
            problem(scope.at("gateways", name, ...i.path), i.message);
        }
        // Egress gateways carry Istio's egress label (what egress Gateway resources select) unless set.
        const labels = kind === "egress" && !Object.hasOwn(g.labels ?? {}, "istio") ? { istio: EGRESS_ISTIO_LABEL, ...g.labels } : (g.labels ?? {});
        const versionIssues = (ref: string, inPlace: boolean): boolean => {
            const revision = scope.revisions.find((r) => r.name === resolveRevision(scope, ref));
            const found = revision === undefined ? [] : versionProblems(mustParseVersion(revision.version), service, pod, inPlace);
            for (const i of found) {
                problem(scope.at("gateways", name, ...i.path), i.message);
            }
            return found.length > 0;
        };
        const common = { namespace, serviceType, labels, restart: g.restart ?? DEFAULTS.gateway.restart, values: g.values ?? {}, kind, service, pod };
        if (g.canary === undefined) {
            if (g.revision === undefined) {
                problem(scope.at("gateways", name), "set revision (a tag or revision the gateway follows) or canary (one Deployment per tag or revision)");
                continue;
            }
            const p = scope.refProblem(g.revision) ?? chartProblem(g.revision);
            if (p) {
                problem(scope.at("gateways", name, "revision"), p);
                continue;
            }
            const long = derivedNameProblem("the gateway's Helm release (and Deployment)", name, MAX_RELEASE_NAME, `shorten the gateway name to at most ${MAX_RELEASE_NAME} characters`);
            if (long) {
                problem(scope.at("gateways", name), long);
                continue;
            }
            if (versionIssues(g.revision, true)) {
                continue;
            }
            const replicas = g.replicas ?? DEFAULTS.gateway.replicas;
            const surge = pod.strategy?.maxSurge;
            if (pod.hostNetwork && onOneNode(pod) && (replicas > 1 || (surge !== undefined && surge !== 0 && surge !== "0%"))) {
                problem(
                    scope.at("gateways", name, "hostNetwork"),
                    `with hostNetwork on one node (nodeSelector ${ONE_NODE_LABEL}) only one pod can bind the gateway's host ports there: ` +
                        `${replicas > 1 ? `replicas: ${replicas} leaves all but one Pending` : `strategy.maxSurge: ${surge} makes every rollout wait for a node that never frees`}; ` +
                        `use replicas: 1 and strategy {maxUnavailable: 1, maxSurge: 0} (the default with hostNetwork), or let the gateway run on more nodes`,
                );
            }
            gateways.push({ ...common, name, revision: g.revision, replicas, autoscaling: scaling(g.autoscaling, replicas, scope.at("gateways", name, "autoscaling")) });
            continue;
        }
        // Canary: one release per entry, none rendering a Service; the program's Service selects them all.
        const at = (...p: PropertyKey[]) => scope.at("gateways", name, "canary", ...p);
        const conflicting = (["revision", "replicas", "autoscaling"] as const).filter((k) => g[k] !== undefined);
        if (conflicting.length > 0) {
            problem(scope.at("gateways", name), `canary sets replicas per entry; remove ${conflicting.join(", ")} (canary: {<tag or revision>: {replicas: N}})`);
            continue;
        }
        if (serviceType === "None") {
            problem(scope.at("gateways", name, "service", "type"), "a canary gateway exists to keep one Service in front of its Deployments; use LoadBalancer, ClusterIP or NodePort");
            continue;
        }
        const entries = Object.entries(g.canary).sort(byKey);
        if (entries.length === 0) {
            problem(at(), "list at least one tag or revision: canary: {prod-stable: {replicas: 2}}");
            continue;
        }
        if (!entries.some(([, e]) => (e.replicas ?? DEFAULTS.gateway.replicas) > 0)) {
            problem(at(), "every entry has replicas: 0, so nothing would serve the Service; give one entry replicas >= 1");
        }
        const serving = entries.filter(([, e]) => (e.replicas ?? DEFAULTS.gateway.replicas) > 0).length;
        if (pod.hostNetwork && onOneNode(pod) && serving > 1) {
            problem(
                scope.at("gateways", name, "hostNetwork"),
                `with hostNetwork on one node (nodeSelector ${ONE_NODE_LABEL}), ${serving} canary Deployments would bind the same host ports there and all but one stay Pending; ` +
                    `give only one entry replicas above 0, or let the gateway run on more nodes`,
            );
        }
        for (const [ref, entry] of entries) {
            const release = `${name}-${ref}`;
            const p =
                scope.refProblem(ref) ??
                chartProblem(ref) ??
                derivedNameProblem("the canary Deployment's Helm release", release, MAX_RELEASE_NAME, "shorten the gateway or tag name");
            if (p) {
                problem(at(ref), p);
                continue;
            }
            if (versionIssues(ref, false)) {
                continue;
            }
            const replicas = entry.replicas ?? DEFAULTS.gateway.replicas;
            gateways.push({
                ...common,
                name: release,
                revision: ref,
                serviceType: "None",
                replicas,
                autoscaling: { enabled: false, minReplicas: Math.max(replicas, 1), maxReplicas: Math.max(replicas, 1) },
                labels: { ...common.labels, ...canarySelector(name, kind) },
                canaryOf: name,
                // The Service options belong to the program's Service below, not to this release;
                // so does the budget: one per release would select the same pods twice.
                service: { annotations: {} },
                pod: withoutBudget(common.pod),
            });
        }
        const budget = canaryBudget(pod.podDisruptionBudget, entries.map(([, e]) => e.replicas ?? DEFAULTS.gateway.replicas));
        canaryServices.push({ name, namespace, type: serviceType, selector: canarySelector(name, kind), labels: common.labels, options: service, ...(budget === undefined ? {} : { podDisruptionBudget: budget }) });
    }
    // Names derived from different keys must not meet: a canary `edge` entry `stable` and an
    // in-place `edge-stable` are both the release (and resources) edge-stable.
    const pathOf = (g: GatewayConfig) => (g.canaryOf === undefined ? scope.at("gateways", g.name) : scope.at("gateways", g.canaryOf, "canary", g.revision));
    const byName = new Map<string, GatewayConfig[]>();
    for (const g of gateways) byName.set(g.name, [...(byName.get(g.name) ?? []), g]);
    for (const [release, same] of byName) {
        if (same.length < 2) continue;
        for (const g of same) {
            const others = same.filter((o) => o !== g).map(pathOf);
            problem(pathOf(g), `its gateway Deployment (Helm release) is named ${release}, as is the one of ${others.join(", ")}: both would register the same objects; rename one of the gateways (or the tag)`);
        }
    }
    return { gateways, canaryServices };
}

/** A chart gateway (`kind: gateway-api` ones are split off first, config/ambient.ts). */
type RawGateway = z.infer<typeof gatewaySchema>;

/** The node label that pins a pod to one node by name. */
const ONE_NODE_LABEL = "kubernetes.io/hostname";

/** The gateway's nodeSelector pins it to a single node: host ports can be bound there once. */
function onOneNode(pod: { readonly nodeSelector: Readonly<Record<string, string>> }): boolean {
    return Object.hasOwn(pod.nodeSelector, ONE_NODE_LABEL);
}
