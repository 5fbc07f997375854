/**
 * The management strategy: who installs the control planes. Chosen once, by the mesh
 * component; everything after it (tags, namespaces, gateways, restarts) is the same for both.
 * - helm: the base chart and one istiod release per revision (ControlPlaneRevision);
 * - aks-addon: AKS installs them through the ManagedCluster's serviceMeshProfile (set by the
 *   cluster factory); the program owns each revision's shared mesh config and HPA bounds
 *   (AddonRevision) and orders the cluster's update after the mesh configs.
 */
import * as pulumi from "@pulumi/pulumi";
import { IstioBase } from "../base/base";
import { ManagedControlPlane } from "../cluster/index";
import { defaultRevisionOf, MeshConfig } from "../config/model";
import { AddonRevision } from "../controlplane/addonRevision";
import { ControlPlaneRevision } from "../controlplane/revision";
import { ChartSource } from "../helm/release";
import { MeshState } from "../state/deployed";
import { atLeast, mustParseVersion } from "../versions/version";

export interface ControlPlanes {
    /** What a tag, namespace or gateway pointing at a revision waits for, by revision name. */
    readonly revisions: ReadonlyMap<string, pulumi.Resource>;
    /** Helm release statuses by release name (empty for the add-on). */
    readonly releases: Readonly<Record<string, pulumi.Output<string>>>;
    /** Whether a tag on `version` also gets Service istiod-revision-tag-<tag> (istiod 1.28+ charts render one). */
    tagService(version: string): boolean;
    /**
     * Releases what the control planes' own update waits for (the AKS add-on's ManagedCluster:
     * the shared mesh configs, plus `also`, e.g. the removal gate). Call once; a no-op for Helm,
     * whose removals are deletes that Pulumi runs after every create and update.
     */
    settle(also: readonly pulumi.Resource[]): void;
}

export function controlPlanesFor(
    parent: pulumi.Resource,
    name: string,
    config: MeshConfig,
    state: MeshState,
    source: ChartSource,
    managed: ManagedControlPlane | undefined,
    previous?: MeshState,
    after: readonly pulumi.Resource[] = [],
    /** What the base chart waits for: the Gateway API CRD command, whose downgrade check must pass before anything changes. */
    beforeBase: readonly pulumi.Resource[] = [],
): ControlPlanes {
    if (config.management === "aks-addon") {
        if (managed === undefined || config.aksAddon === undefined) {
            throw new pulumi.ResourceError("internal: management aks-addon without the AKS cluster that runs it", parent);
        }
        const addon = config.aksAddon;
        const revisions = new Map<string, AddonRevision>();
        // What points at a revision waits for it: a new one exists once the ManagedCluster's update
        // installed it (the AddonRevision, whose HPA bounds wait for that update); one that ran
        // before exists already, so only its shared config, never the cluster's update, which may
        // itself wait for the restarts onto it (the removal gate of a complete or rollback).
        const before = new Set((previous?.management === "aks-addon" ? previous.revisions : []).map((r) => r.name));
        const dependable = new Map<string, pulumi.Resource>();
        for (const r of config.revisions) {
            // No dependsOn here: its ConfigMap must be free to go before the ManagedCluster's
            // update; its istiod HPA child waits for that update, so whatever points at the
            // revision (tags, labels) waits for AKS to have installed it.
            revisions.set(
                r.name,
                new AddonRevision(
                    `${name}-addon-${r.name}`,
                    { revision: r.name, meshConfig: config.controlPlane.meshConfig, istiod: addon.istiod, ingressGateways: addon.ingressGateways, installedBy: managed.resource },
                    { parent },
                ),
            );
        }
        for (const [n, r] of revisions) {
            dependable.set(n, before.has(n) ? r.sharedConfig : r);
        }
        const shared = [...revisions.values()].map((r) => r.sharedConfig);
        return { revisions: dependable, releases: {}, tagService: () => false, settle: (also) => managed.waitFor([...shared, ...also]) };
    }
    const base = new IstioBase(`${name}-base`, { namespace: config.namespace, version: state.baseVersion, defaultRevision: defaultRevisionOf(config), source }, { parent, dependsOn: [...beforeBase] });
    const releases: Record<string, pulumi.Output<string>> = { "istio-base": base.status.status };
    const revisions = new Map<string, pulumi.Resource>();
    for (const revision of config.revisions) {
        const cp = new ControlPlaneRevision(
            `${name}-rev-${revision.name}`,
            { revision, namespace: config.namespace, hub: config.hub, controlPlane: config.controlPlane, cni: config.cni, source, ambient: config.ambient?.dataplane === "ambient" },
            // `after`: the CNI agent when this update turns CNI on (mesh.ts).
            { parent, dependsOn: [base, ...after] },
        );
        revisions.set(revision.name, cp);
        releases[`istiod-${revision.name}`] = cp.status.status;
    }
    return { revisions, releases, tagService: (version) => atLeast(mustParseVersion(version), 28), settle: () => undefined };
}
