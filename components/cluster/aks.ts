import * as containerservice from "@pulumi/azure-native/containerservice";
import * as resources from "@pulumi/azure-native/resources";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ServiceMeshProfile } from "../aks/profile";
import type { AksClusterConfig } from "../config/aks";
import { DEFAULTS } from "../config/defaults";
import { KubeAccess } from "./cluster";

export interface AksClusterArgs {
    /** The normalized `kind: aks` block: resource group, pools, network, identity, credentials. */
    cluster: AksClusterConfig;
    /** The AKS cluster name (resourceName and dnsPrefix). No default: the factory passes the stack name. */
    name: string;
    /**
     * The AKS Istio add-on's profile (management: aks-addon). @default undefined: no
     * serviceMeshProfile is set (Istio, if any, is installed by Helm).
     */
    serviceMeshProfile?: ServiceMeshProfile;
    /**
     * The cluster already runs (an earlier update deployed it): its credentials are read by
     * name, so resources that the ManagedCluster's update must wait for (`waitFor`, the add-on's
     * shared mesh config) can use the provider first. On the first update they come from the
     * created cluster instead, and `waitFor` orders nothing (the namespaces they go to do not
     * exist before the add-on does). @default false
     */
    exists?: boolean;
}

/**
 * An AKS cluster created by the stack: the resource group (only with createResourceGroup), the
 * ManagedCluster and a Kubernetes provider built from its credentials
 * (listManagedClusterUserCredentials, or …Admin… with `credentials: admin`). The kubeconfig is a
 * secret end to end: it goes only into the provider and `kubeconfig`, never into this
 * component's inputs. Downstream components see `provider` and `access` only, as with the
 * existing-context Cluster.
 */
export class AksCluster extends pulumi.ComponentResource {
    public readonly provider: k8s.Provider;
    public readonly access: KubeAccess;
    /** The decoded kubeconfig, secret. */
    public readonly kubeconfig: pulumi.Output<string>;
    public readonly managedCluster: containerservice.ManagedCluster;
    public readonly resourceGroup?: resources.ResourceGroup;
    /** The cluster's name and resource group (plain: what `az aks get-credentials` takes). */
    public readonly clusterName: string;
    public readonly resourceGroupName: string;
    private releaseGate: (resources: pulumi.Resource[]) => void = () => undefined;

    constructor(name: string, args: AksClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("istio-mesh:cluster:AksCluster", name, {}, opts);
        const c = args.cluster;
        this.clusterName = args.name;
        this.resourceGroupName = c.resourceGroup;
        if (c.createResourceGroup) {
            this.resourceGroup = new resources.ResourceGroup(
                `${name}-rg`,
                { resourceGroupName: c.resourceGroup, location: c.location, tags: { ...c.tags } },
                // The group may hold more than this stack's resources by the time it goes.
                { parent: this },
            );
        }
        const gate = args.exists
            ? new Promise<pulumi.Resource[]>((resolve) => {
                  this.releaseGate = resolve;
              })
            : undefined;
        this.managedCluster = new containerservice.ManagedCluster(
            `${name}-aks`,
            {
                resourceGroupName: this.resourceGroup?.name ?? c.resourceGroup,
                resourceName: args.name,
                location: c.location,
                // DNS labels take no '_' (cluster names do).
                dnsPrefix: args.name.replace(/_/g, "-"),
                kubernetesVersion: c.kubernetesVersion,
                identity: { type: "SystemAssigned" },
                sku: { ...DEFAULTS.aks.sku },
                enableRBAC: true,
                agentPoolProfiles: c.nodePools.map((p) => ({
                    name: p.name,
                    mode: p.mode,
                    vmSize: p.vmSize,
                    osType: "Linux",
                    type: "VirtualMachineScaleSets",
                    availabilityZones: p.zones.length > 0 ? [...p.zones] : undefined,
                    ...(p.autoscaling !== undefined
                        ? { enableAutoScaling: true, minCount: p.autoscaling.minCount, maxCount: p.autoscaling.maxCount, count: p.autoscaling.minCount }
                        : { enableAutoScaling: false, count: p.count }),
                })),
                networkProfile: { networkPlugin: c.networkPlugin, networkPluginMode: c.networkPluginMode, loadBalancerSku: "standard" },
                oidcIssuerProfile: { enabled: c.oidcIssuer },
                securityProfile: { workloadIdentity: { enabled: c.workloadIdentity } },
                autoUpgradeProfile: { upgradeChannel: DEFAULTS.aks.upgradeChannel, nodeOSUpgradeChannel: DEFAULTS.aks.nodeOSUpgradeChannel },
                serviceMeshProfile: args.serviceMeshProfile,
                tags: { ...c.tags },
            },
            {
                parent: this,
                // The autoscaler owns the node count of autoscaled pools; `count` only seeds them.
                ignoreChanges: c.nodePools.some((p) => p.autoscaling !== undefined) ? ["agentPoolProfiles[*].count"] : [],
                dependsOn: gate,
            },
        );
        // By name when the cluster exists (no wait on this update of it); from the created
        // cluster otherwise (its name output orders the read after the create).
        const where = args.exists
            ? { resourceGroupName: c.resourceGroup, resourceName: args.name }
            : { resourceGroupName: this.resourceGroup?.name ?? c.resourceGroup, resourceName: this.managedCluster.name };
        const credentials =
            c.credentials === "admin"
                ? containerservice.listManagedClusterAdminCredentialsOutput(where, { parent: this })
                : containerservice.listManagedClusterUserCredentialsOutput(where, { parent: this });
        this.kubeconfig = pulumi.secret(
            credentials.apply((r) => {
                const first = r.kubeconfigs[0];
                if (first === undefined) {
                    throw new pulumi.ResourceError(`internal: AKS returned no ${c.credentials} kubeconfig for ${args.name}`, this);
                }
                return Buffer.from(first.value, "base64").toString("utf8");
            }),
        );
        this.access = { kubeconfig: this.kubeconfig };
        this.provider = new k8s.Provider(
            `${name}-provider`,
            // Server-side apply, as for every cluster (see Cluster).
            { kubeconfig: this.kubeconfig, enableServerSideApply: true },
            { parent: this },
        );
        this.registerOutputs({ kubeconfig: this.kubeconfig, clusterName: this.clusterName, resourceGroupName: this.resourceGroupName });
    }

    /**
     * Makes the ManagedCluster's update wait for `resources` (the add-on's shared mesh config,
     * created before the revision that reads it). Call exactly once, also with [] (the update
     * waits until then); a no-op for a cluster created by this update.
     */
    waitFor(resources: pulumi.Resource[]): void {
        this.releaseGate(resources);
        this.releaseGate = () => undefined;
    }
}
