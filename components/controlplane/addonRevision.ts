import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { meshConfigYaml } from "../aks/meshConfig";
import { ADDON_INGRESS_NAMESPACE, ADDON_NAMESPACE, ingressHpaName, istiodHpaName, SHARED_CONFIGMAP_KEY, sharedConfigMapName } from "../aks/names";
import { AddonIngressGateway } from "../aks/profile";

/** Field manager of the HPA bounds the program applies (AKS's reconciler owns the rest). */
export const ADDON_HPA_FIELD_MANAGER = "istio-mesh-hpa";

export interface AddonRevisionArgs {
    /** Revision name, asm-1-NN. */
    revision: string;
    /** The shared mesh config (already allow-listed). @default {} (AKS's defaults only) */
    meshConfig?: Readonly<Record<string, unknown>>;
    /** istiod's HPA bounds (min >= 2, checked by the config). */
    istiod: { minReplicas: number; maxReplicas: number };
    /** The add-on's ingress gateways; each enabled one gets its HPA bounds. @default [] */
    ingressGateways?: readonly AddonIngressGateway[];
    /** The resource whose update installs this revision (the ManagedCluster): the HPAs exist only after it. */
    installedBy: pulumi.Resource;
}

/**
 * One revision of the AKS Istio add-on as far as the program owns it: AKS installs istiod
 * (serviceMeshProfile on the ManagedCluster); the program owns
 * - ConfigMap istio-shared-configmap-<revision> in aks-istio-system (key `mesh`), which the
 *   ManagedCluster's update waits for (`sharedConfig`), so the revision starts with it;
 * - the min/max of the HPAs AKS creates for istiod-<revision> and each enabled gateway's
 *   Deployment of this revision (server-side apply, only those two fields), after the revision exists.
 * Never the reconciled ConfigMap istio-<revision>.
 */
export class AddonRevision extends pulumi.ComponentResource {
    public readonly revision: string;
    /** What the ManagedCluster's update must wait for. */
    public readonly sharedConfig: k8s.core.v1.ConfigMap;

    constructor(name: string, args: AddonRevisionArgs, opts?: pulumi.ComponentResourceOptions) {
        super("istio-mesh:controlplane:AddonRevision", name, {}, opts);
        this.revision = args.revision;
        this.sharedConfig = new k8s.core.v1.ConfigMap(
            `${name}-meshconfig`,
            {
                metadata: { name: sharedConfigMapName(args.revision), namespace: ADDON_NAMESPACE, labels: { "istio.io/rev": args.revision, "app.kubernetes.io/managed-by": "istio-mesh" } },
                data: { [SHARED_CONFIGMAP_KEY]: meshConfigYaml(args.meshConfig ?? {}) },
            },
            { parent: this },
        );
        const bounds = (key: string, hpa: string, namespace: string, b: { minReplicas: number; maxReplicas: number }) =>
            new k8s.autoscaling.v2.HorizontalPodAutoscalerPatch(
                `${name}-hpa-${key}`,
                {
                    metadata: {
                        name: hpa,
                        namespace,
                        annotations: { "pulumi.com/patchForce": "true", "pulumi.com/patchFieldManager": ADDON_HPA_FIELD_MANAGER },
                    },
                    spec: { minReplicas: b.minReplicas, maxReplicas: b.maxReplicas },
                },
                { parent: this, dependsOn: [args.installedBy] },
            );
        bounds("istiod", istiodHpaName(args.revision), ADDON_NAMESPACE, args.istiod);
        for (const gw of (args.ingressGateways ?? []).filter((g) => g.enabled)) {
            bounds(gw.mode.toLowerCase(), ingressHpaName(gw.mode, args.revision), ADDON_INGRESS_NAMESPACE, gw);
        }
        this.registerOutputs({ revision: this.revision });
    }
}
