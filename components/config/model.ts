/**
 * The normalized stack config: every default applied, every reference checked.
 * Components and the planner only ever see this shape, never raw stack YAML.
 */
import type { GatewayKind, GatewayPodOptions, GatewayServiceOptions } from "./gatewayOptions";
import type { CniConfig } from "../cni/config";
import type { MtlsConfig } from "../security/config";
import type { AdoptConfig } from "../adopt/config";
import type { ProbeConfig } from "../probe/config";
import type { AddonsConfig } from "../addons/config";

import type { AksAddonConfig, AksClusterConfig } from "./aks";
import type { AmbientConfig, GatewayApiConfig } from "./ambient";

export type JsonMap = { [key: string]: unknown };

/** Where the mesh runs, by `kind`: a cluster reached through a kubeconfig, or an AKS cluster the stack creates. */
export type ClusterConfig = ExistingClusterConfig | AksClusterConfig;

export interface ExistingClusterConfig {
    /** `existing`: a cluster reached through a kubeconfig context. */
    readonly kind: "existing";
    /** kubeconfig context; undefined = the kubeconfig's current context. */
    readonly context?: string;
    /** kubeconfig path or contents; undefined = $KUBECONFIG or ~/.kube/config. */
    readonly kubeconfig?: string;
    /** Kubernetes minor of the cluster ("1.31"), checked against each revision. */
    readonly kubernetesVersion?: string;
    /** Do not wait for Helm releases and objects to become ready (clusters without nodes). */
    readonly skipAwait: boolean;
}

export interface RevisionConfig {
    /** DNS-label revision name (`istio.io/rev` value), e.g. 1-30-3. */
    readonly name: string;
    /** Full Istio release, e.g. 1.30.3. */
    readonly version: string;
    /** Raw istiod chart values merged last (escape hatch; not checked against the chart). */
    readonly values: JsonMap;
    /**
     * This revision's control plane when it overrides mesh.controlPlane (each key it sets
     * replaces that key); undefined = mesh.controlPlane. Precedence: revision > controlPlane >
     * program defaults > chart defaults (raw `values` still merge last).
     */
    readonly controlPlane?: ControlPlaneConfig;
}

export interface NamespaceConfig {
    readonly name: string;
    /** Tag or revision name written to the namespace's `istio.io/rev` label. */
    readonly revision: string;
    /** true: the program creates the namespace; false: it must exist and is only labelled. */
    readonly create: boolean;
    /**
     * Only with `create`: true deletes the namespace and everything in it when it leaves the
     * config (or on destroy); false (default) lets the stack forget it and leaves it running.
     */
    readonly deleteWhenRemoved: boolean;
    /** Restart the namespace's workloads when its effective revision changes. */
    readonly restart: boolean;
    /** Extra labels the program sets on the namespace. */
    readonly labels: Readonly<Record<string, string>>;
}

export interface GatewayConfig {
    /** Helm release name and gateway Deployment/Service name. */
    readonly name: string;
    readonly namespace: string;
    /** Tag or revision whose control plane injects the gateway (`revision` chart value). */
    readonly revision: string;
    /** Service type; "None" renders no Service. */
    readonly serviceType: "LoadBalancer" | "ClusterIP" | "NodePort" | "None";
    readonly replicas: number;
    readonly autoscaling: { readonly enabled: boolean; readonly minReplicas: number; readonly maxReplicas: number };
    readonly labels: Readonly<Record<string, string>>;
    /** Roll the gateway's pods when the revision it follows changes (a pod annotation Helm applies). */
    readonly restart: boolean;
    readonly values: JsonMap;
    /** Set on each Deployment of a canary gateway: the gateway (and Service) it serves behind. */
    readonly canaryOf?: string;
    /** ingress (default) or egress (ClusterIP Service and Istio's egress labels by default). */
    readonly kind: GatewayKind;
    /** Service options (ports, annotations, ...); a canary Deployment's are on its CanaryService. */
    readonly service: GatewayServiceOptions;
    /** Pod options: resources, placement, hostNetwork, strategy, PDB (see gatewayOptions.ts). */
    readonly pod: GatewayPodOptions;
}

/** The one Service in front of a canary gateway's Deployments, owned by the program. */
export interface CanaryService {
    readonly name: string;
    readonly namespace: string;
    readonly type: "LoadBalancer" | "ClusterIP" | "NodePort";
    /** The labels every Deployment of the gateway carries (the chart's selector keys). */
    readonly selector: Readonly<Record<string, string>>;
    readonly labels: Readonly<Record<string, string>>;
    /** Ports (undefined: the chart's defaults), annotations, load-balancer class, traffic policy. */
    readonly options: GatewayServiceOptions;
    /** The gateway's one PodDisruptionBudget over all its Deployments' pods (canaryBudget); undefined = none. */
    readonly podDisruptionBudget?: GatewayPodOptions["podDisruptionBudget"];
}

export interface ControlPlaneConfig {
    readonly replicas: number;
    readonly autoscaling: { readonly enabled: boolean; readonly minReplicas: number; readonly maxReplicas: number };
    readonly resources?: JsonMap;
    /** PodDisruptionBudget for istiod; exactly one of the two numbers is set. */
    readonly pdb: { readonly minAvailable?: number; readonly maxUnavailable?: number };
    readonly meshConfig: JsonMap;
}

export interface MeshConfig {
    readonly cluster: ClusterConfig;
    /** Who installs the control planes: Helm releases, or AKS's managed add-on (serviceMeshProfile). */
    readonly management: "helm" | "aks-addon";
    /** Only with management aks-addon: its gateways, istiod HPA bounds and shared mesh config. */
    readonly aksAddon?: AksAddonConfig;
    /** Control-plane namespace. */
    readonly namespace: string;
    /** Helm repository URL of the Istio charts (base, istiod, gateway). */
    readonly chartRepository: string;
    /** Image registry of the Istio images (`global.hub`). */
    readonly hub: string;
    /** Sorted by name: list order in the stack file never matters. */
    readonly revisions: readonly RevisionConfig[];
    /** Tag name -> revision name (already resolved: tags always point at revisions). */
    readonly tags: Readonly<Record<string, string>>;
    /** Tag or revision name as written; "" = none (the AKS add-on has no default revision). */
    readonly defaultRevision: string;
    readonly namespaces: readonly NamespaceConfig[];
    /** Gateway Deployments: in-place gateways, and one entry per Deployment of a canary gateway. */
    readonly gateways: readonly GatewayConfig[];
    /** The Services of canary gateways. */
    readonly canaryServices: readonly CanaryService[];
    readonly controlPlane: ControlPlaneConfig;
    /** Istio CNI node agent (mesh.cni with enabled: true); undefined = injection uses istio-init. */
    readonly cni?: CniConfig;
    /** Mesh-wide mTLS and per-namespace overrides; undefined = PERMISSIVE, none (Istio's default). */
    readonly mtls?: MtlsConfig;
    /** How namespace restarts run: wait for each rollout, at most timeoutSeconds each. */
    readonly restarts: { readonly wait: boolean; readonly timeoutSeconds: number };
    /** Objects that already ran when the stack was created (`npm run adopt`); imported by the first update only. */
    readonly adopt?: AdoptConfig;
    /** The availability probe (mesh.probe); undefined = none. */
    readonly probe?: ProbeConfig;
    /** Observability add-ons (mesh.addons); undefined = none. */
    readonly addons?: AddonsConfig;
    /** Ambient mode (mesh.dataplane, mesh.ztunnel, the namespaces' dataplane and waypoints); undefined = sidecar mode, none set. */
    readonly ambient?: AmbientConfig;
    /** Gateway API CRDs (mesh.gatewayApi) and the `kind: gateway-api` gateways; undefined = neither. */
    readonly gatewayApi?: GatewayApiConfig;
}

/** The tag that the default revision drives (Istio's own name for it). */
export const DEFAULT_TAG = "default";

/** What references resolve against: a config or a deployed state. */
export type RefScope = { readonly tags: Readonly<Record<string, string>>; readonly defaultRevision: string };

/**
 * The revision a tag points at, or undefined. An own-property lookup: a tag, namespace or
 * revision named like an Object member (`constructor` is a valid DNS label) is just a name.
 */
export function tagTarget(tags: Readonly<Record<string, string>>, tag: string): string | undefined {
    return Object.hasOwn(tags, tag) ? tags[tag] : undefined;
}

/** Resolves a tag or revision name (or `default`) to the revision it selects. */
export function resolveRevision(config: RefScope, ref: string): string {
    if (ref === DEFAULT_TAG) {
        return tagTarget(config.tags, config.defaultRevision) ?? config.defaultRevision;
    }
    return tagTarget(config.tags, ref) ?? ref;
}

/** The revision the default revision resolves to. */
export function defaultRevisionOf(config: RefScope): string {
    return resolveRevision(config, DEFAULT_TAG);
}

/** Tags the program manages: the configured ones plus `default` for the default revision (if any). */
export function effectiveTags(config: RefScope): Record<string, string> {
    return config.defaultRevision === "" ? { ...config.tags } : { ...config.tags, [DEFAULT_TAG]: defaultRevisionOf(config) };
}
