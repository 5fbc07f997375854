/**
 * The cluster factory: the one place that knows the cluster's kind. Everything downstream
 * gets a Kubernetes provider and a KubeAccess, whichever kind made them.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { serviceMeshProfileOf } from "../aks/profile";
import { AKS_CLUSTER_NAME } from "../config/aks";
import { ConfigError } from "../config/errors";
import { ClusterConfig, MeshConfig } from "../config/model";
import { LiveAccess, LivePods, queryGatewayObjects, queryPods } from "../dataplane/liveQuery";
import { LiveCrds, queryCrds } from "../gatewayapi/live";
import { MeshState } from "../state/deployed";
import { Cluster, KubeAccess } from "./cluster";

/**
 * A control plane the cluster itself installs (the AKS add-on, through the ManagedCluster).
 * `resource` is what objects pointing at a revision wait for; `waitFor` makes the cluster's
 * update wait for what the new revisions read (call once).
 */
export interface ManagedControlPlane {
    readonly resource: pulumi.Resource;
    waitFor(resources: pulumi.Resource[]): void;
}

export interface KubeCluster {
    readonly provider: k8s.Provider;
    readonly access: KubeAccess;
    /** Set in add-on mode only. */
    readonly managed?: ManagedControlPlane;
    /** A cluster the stack created (AKS): its kubeconfig, secret, for the stack output `kubeconfig`. */
    readonly kubeconfig?: pulumi.Output<string>;
    /** Releases whatever waits on the mesh (a no-op unless `managed`); safe to call twice. */
    settle(): void;
}

/** The AKS cluster's name: as configured, else the stack's (which must then be a valid AKS name). */
export function aksClusterName(cluster: Extract<ClusterConfig, { kind: "aks" }>): string {
    const name = cluster.name ?? pulumi.getStack();
    if (!AKS_CLUSTER_NAME.test(name)) {
        throw new ConfigError([{ path: "istio-mesh:cluster.name", message: `the stack name "${name}" is not a valid AKS cluster name (1-63 letters, digits, '-' or '_'); set name explicitly` }]);
    }
    return name;
}

/**
 * @pulumi/azure-native, loaded only for an AKS cluster: on every other stack it was a tenth of
 * a second of each start (`pulumi up`, preview, the offline plan) for nothing.
 */
function azure(): { aks: typeof import("./aks"); containerservice: typeof import("@pulumi/azure-native/containerservice") } {
    /* eslint-disable @typescript-eslint/no-var-requires */
    return { aks: require("./aks"), containerservice: require("@pulumi/azure-native/containerservice") };
}

export function clusterFor(name: string, config: MeshConfig, previous: MeshState | undefined): KubeCluster {
    const c = config.cluster;
    if (c.kind === "existing") {
        const cluster = new Cluster(name, { context: c.context, kubeconfig: c.kubeconfig === undefined ? undefined : pulumi.secret(c.kubeconfig) });
        return { provider: cluster.provider, access: cluster.access, settle: () => undefined };
    }
    const addon = config.aksAddon;
    const aks = new (azure().aks.AksCluster)(name, {
        cluster: c,
        name: aksClusterName(c),
        serviceMeshProfile: addon === undefined ? undefined : serviceMeshProfileOf(config.revisions.map((r) => r.name), addon.ingressGateways),
        // An add-on mesh deployed before runs on a cluster that exists (switching management is refused).
        exists: addon !== undefined && previous?.management === "aks-addon",
    });
    const managed = addon === undefined ? undefined : { resource: aks.managedCluster, waitFor: (r: pulumi.Resource[]) => aks.waitFor(r) };
    return { provider: aks.provider, access: aks.access, managed, kubeconfig: aks.kubeconfig, settle: () => aks.waitFor([]) };
}

/**
 * Where the live checks (in use, Gateway API CRDs) ask the cluster, at preview and up: the
 * stack's kubeconfig and context; for AKS, the cluster's current credentials. A failure to get
 * them is an unreachable cluster, never a fallback to whatever ~/.kube/config points at.
 */
export async function liveAccessFor(c: ClusterConfig): Promise<LiveAccess | { unreachable: string }> {
    if (c.kind === "existing") {
        return { kubeconfig: c.kubeconfig, context: c.context };
    }
    const where = { resourceGroupName: c.resourceGroup, resourceName: aksClusterName(c) };
    let kubeconfig: string | undefined;
    try {
        const { containerservice } = azure();
        const r = c.credentials === "admin" ? await containerservice.listManagedClusterAdminCredentials(where) : await containerservice.listManagedClusterUserCredentials(where);
        kubeconfig = r.kubeconfigs[0] === undefined ? undefined : Buffer.from(r.kubeconfigs[0].value, "base64").toString("utf8");
    } catch (e) {
        const why = e instanceof Error ? e.message : String(e);
        return { unreachable: `the ${c.credentials} credentials of AKS cluster ${where.resourceName} could not be read${why === "" ? "" : ` (${why})`}; check \`az login\` and access to resource group ${c.resourceGroup}` };
    }
    return kubeconfig === undefined ? { unreachable: `AKS returned no ${c.credentials} kubeconfig for ${where.resourceName}` } : { kubeconfig };
}

/**
 * The in-use check's question to the live cluster (kubectl, at preview and up): every pod, and
 * every Gateway and namespace (waypoints and istiod's gateways run on a revision too).
 */
export async function livePodsFor(c: ClusterConfig, kubectl = "kubectl"): Promise<LivePods> {
    const access = await liveAccessFor(c);
    if ("unreachable" in access) return access;
    const pods = queryPods(access, kubectl);
    if ("unreachable" in pods) return pods;
    const objects = queryGatewayObjects(access, kubectl);
    return "unreachable" in objects ? objects : { ...pods, ...objects };
}

/** The Gateway API CRD check's question to the live cluster (kubectl, at preview and up). */
export async function liveCrdsFor(c: ClusterConfig, kubectl = "kubectl"): Promise<LiveCrds> {
    const access = await liveAccessFor(c);
    return "unreachable" in access ? access : queryCrds(access, kubectl);
}
