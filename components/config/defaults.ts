/** Every default of the stack config, in one place (the README's reference mirrors it). */
export const DEFAULTS = {
    management: "helm",
    namespace: "istio-system",
    chartRepository: "https://istio-release.storage.googleapis.com/charts",
    hub: "docker.io/istio",
    cluster: { skipAwait: false },
    controlPlane: {
        // Two replicas so istiod's PodDisruptionBudget (minAvailable 1) never blocks a node drain.
        replicas: 2,
        autoscaling: { enabled: true, maxReplicas: 5 },
        pdb: { minAvailable: 1 },
    },
    namespace_: { create: false, deleteWhenRemoved: false, restart: true },
    // Restarts do not wait by default: a rollout's readiness is the workload owner's to watch.
    restarts: { wait: false, timeoutSeconds: 300 },
    // AKS (`istio-mesh:cluster` kind: aks): a small production cluster, not the cheapest one.
    aks: {
        // The group usually holds more than the cluster (DNS, vaults): the stack creates it only when asked.
        createResourceGroup: false,
        // Short-lived certificate-based kubeconfig of the cluster user; admin is break-glass only.
        credentials: "user",
        // Azure CNI Overlay: pods do not consume VNet addresses, and kubenet retires in 2028.
        networkPlugin: "azure",
        networkPluginMode: "overlay",
        // Workload identity (federated tokens, no secrets in pods) needs the OIDC issuer.
        oidcIssuer: true,
        workloadIdentity: true,
        // A pool without an explicit mode is for workloads; one pool must say System.
        poolMode: "User",
        // The pool used when nodePools is omitted: 4 vCPU/16 GiB nodes fit istiod (2 replicas),
        // two gateway replicas and AKS's system pods; one node per zone survives a zone outage,
        // and the autoscaler adds up to two for surges and node-image upgrades (max surge).
        systemPool: { name: "system", vmSize: "Standard_D4ds_v5", zones: ["1", "2", "3"], autoscaling: { minCount: 3, maxCount: 5 } },
        // Standard tier: the uptime SLA a production control plane needs (Free has none).
        sku: { name: "Base", tier: "Standard" },
        // AKS applies Kubernetes patches of the pinned minor and node-image updates itself.
        upgradeChannel: "patch",
        nodeOSUpgradeChannel: "NodeImage",
    },
    // The AKS add-on's own HPA defaults (istiod and gateways): AKS refuses a minimum below 2.
    aksAddon: { minReplicas: 2, maxReplicas: 5 },
    // Gateway API CRDs (mesh.gatewayApi): the standard channel Istio's docs install, managed by the stack.
    gatewayApi: { channel: "standard", manage: true },
    // Waypoints (mesh.namespaces.<ns>.waypoint and .services.<svc>.waypoint). A Service's waypoint is
    // named after it (<service>-waypoint) and takes Service-addressed traffic, the only kind Istio
    // routes through a Service's waypoint (components/ambient/FACTS.md, "Waypoints").
    waypoint: { namespaceName: "waypoint", serviceNameSuffix: "-waypoint", serviceFor: "service" },
    gateway: {
        namespace: "istio-ingress",
        serviceType: "LoadBalancer",
        replicas: 2,
        autoscaling: { enabled: false, maxReplicas: 5 },
        restart: true,
    },
} as const;
