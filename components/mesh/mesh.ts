import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { IstioBase } from "../base/base";
import { defaultRevisionOf, effectiveTags, MeshConfig, resolveRevision } from "../config/model";
import { ControlPlaneRevision } from "../controlplane/revision";
import { Gateway } from "../gateways/gateway";
import { ChartSource } from "../helm/release";
import { NamespaceLabels } from "../namespaces/namespaceLabels";
import { MeshState, toStackOutput } from "../state/deployed";
import { RevisionTag } from "../tags/revisionTag";
import { atLeast, mustParseVersion } from "../versions/version";

export interface MeshArgs {
    /** The validated, normalized stack config. */
    config: MeshConfig;
    /**
     * The state this update deploys (stateOf(config, previous base version)): the very state
     * the transition rules approved, so what is checked is what is built.
     */
    state: MeshState;
}

/**
 * The whole mesh: base chart (which creates the control-plane namespace if missing), one
 * istiod release per revision, one RevisionTag per tag (plus `default`), namespace labels and gateways, wired so that a
 * revision exists before anything points at it. Pulumi deletes removed resources after all
 * creates and updates, so an old revision goes only once nothing points at it any more.
 */
export class Mesh extends pulumi.ComponentResource {
    public readonly revisions: Record<string, ControlPlaneRevision> = {};
    public readonly tags: Record<string, RevisionTag> = {};
    public readonly base: IstioBase;
    /** The state this update deploys; exported as `deployed` and read back next time. */
    public readonly state: MeshState;

    constructor(name: string, args: MeshArgs, opts?: pulumi.ComponentResourceOptions) {
        super("istio-mesh:mesh:Mesh", name, {}, opts);
        const { config } = args;
        this.state = args.state;
        const source: ChartSource = { repository: config.chartRepository, skipAwait: config.cluster.skipAwait };
        const versionOf = (revision: string) => config.revisions.find((r) => r.name === revision)!.version;

        this.base = new IstioBase(
            `${name}-base`,
            { namespace: config.namespace, version: this.state.baseVersion, defaultRevision: defaultRevisionOf(config), source },
            { parent: this },
        );
        for (const revision of config.revisions) {
            this.revisions[revision.name] = new ControlPlaneRevision(
                `${name}-rev-${revision.name}`,
                { revision, namespace: config.namespace, hub: config.hub, controlPlane: config.controlPlane, source },
                { parent: this, dependsOn: [this.base] },
            );
        }
        for (const [tag, revision] of Object.entries(effectiveTags(config))) {
            this.tags[tag] = new RevisionTag(
                `${name}-tag-${tag}`,
                {
                    tag,
                    revision,
                    namespace: config.namespace,
                    service: atLeast(mustParseVersion(versionOf(revision)), 28),
                    skipAwait: config.cluster.skipAwait,
                },
                { parent: this, dependsOn: [this.revisions[revision]] },
            );
        }
        // A namespace or gateway depends on what its label names: the tag, or the revision.
        const target = (ref: string): pulumi.Resource => this.tags[ref] ?? this.revisions[ref];

        const enrolled = new Map<string, NamespaceLabels>();
        for (const ns of config.namespaces) {
            enrolled.set(ns.name, new NamespaceLabels(
                `${name}-ns-${ns.name}`,
                { namespace: ns.name, revision: ns.revision, create: ns.create, labels: { ...ns.labels }, skipAwait: config.cluster.skipAwait },
                { parent: this, dependsOn: [target(ns.revision)] },
            ));
        }
        for (const gw of config.gateways) {
            new Gateway(
                `${name}-gw-${gw.name}`,
                { gateway: gw, version: versionOf(resolveRevision(config, gw.revision)), source },
                { parent: this, dependsOn: [target(gw.revision), ...(enrolled.has(gw.namespace) ? [enrolled.get(gw.namespace)!] : [])] },
            );
        }
        this.registerOutputs({ deployed: toStackOutput(this.state) });
    }
}
