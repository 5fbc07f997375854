/** Every default of the stack config, in one place (the README's reference mirrors it). */
// @ts-nocheck

export const DEFAULTS = {
  management: "helm",
  namespace: "istio-system",
  chartRepository: "https://istio-release.storage.googleapis.com/charts",
  hub: "docker.io/istio",
  cluster: {
    skipAwait: false
  },
  controlPlane: {
    // Two replicas so istiod's PodDisruptionBudget (minAvailable 1) never blocks a node drain.
    replicas: 2,
    autoscaling: {
      enabled: true,
      maxReplicas: 5
    },
    pdb: {
      minAvailable: 1
    }
  },
  namespace_: {
    create: false,
    deleteWhenRemoved: false,
    restart: true
  },
  // Restarts do not wait by default: a rollout's readiness is the workload owner's to watch.
  restarts: {
    wait: false,
    timeoutSeconds: 300
  },
  gateway: {
    namespace: "istio-ingress",
    serviceType: "LoadBalancer",
    replicas: 2,
    autoscaling: {
      enabled: false,
      maxReplicas: 5
    },
    restart: true
  }
} as const;