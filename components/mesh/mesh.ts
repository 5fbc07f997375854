import * as pulumi from "@pulumi/pulumi";
import { IstioBase } from "../base/base";
import { KubeAccess } from "../cluster/cluster";
import { defaultRevisionOf, effectiveTags, MeshConfig, resolveRevision } from "../config/model";
import { ControlPlaneRevision } from "../controlplane/revision";
import { effectiveRevision, namespaceRestartsOnCreate } from "../dataplane/effective";
import { WorkloadRestart } from "../dataplane/restart";
import { CanaryGatewayService } from "../gateways/canaryService";
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
    /** How one-shot commands (kubectl) reach the cluster: the provider's kubeconfig and context. */
    access: KubeAccess;
    /** What the last update deployed (undefined: nothing); decides which workloads restart. */
    previous?: MeshState;
}

/**
 * The whole mesh: base chart (which creates the control-plane namespace if missing), one
 * istiod release per revision, one RevisionTag per tag (plus `default`), namespace labels and gateways, wired so that a
 * revision exists before anything points at it. Pulumi deletes removed resources after all
 * creates and updates, so an old revision goes only once nothing points at it any more.
 */
export class Mesh extends pulumi.ComponentResource {
    /** Control planes by revision name. */
    public readonly revisions = new Map<string, ControlPlaneRevision>();
    /** Address of each canary gateway's Service, by gateway name. */
    public readonly gatewayAddresses = new Map<string, pulumi.Output<string>>();
    /** Revision tags (with `default`) by tag name. */
    public readonly tags = new Map<string, RevisionTag>();
    public readonly base: IstioBase;
    /** The state this update deploys; exported as `deployed` and read back next time. */
    public readonly state: MeshState;

    constructor(name: string, args: MeshArgs, opts?: pulumi.ComponentResourceOptions) {
        super("istio-mesh:mesh:Mesh", name, {}, opts);
        const { config } = args;
        this.state = args.state;
        const source: ChartSource = { repository: config.chartRepository, skipAwait: config.cluster.skipAwait };
        // Config validation guarantees every reference names a revision; a miss is a bug here.
        const effective = (ref: string): string => {
            const e = effectiveRevision(this.state, ref);
            if (e === undefined) {
                throw new pulumi.ResourceError(`internal: "${ref}" resolves to no revision of the approved state`, this);
            }
            return e;
        };
        const versionOf = (ref: string): string => effective(ref).split("@")[1];

        this.base = new IstioBase(
            `${name}-base`,
            { namespace: config.namespace, version: this.state.baseVersion, defaultRevision: defaultRevisionOf(config), source },
            { parent: this },
        );
        for (const revision of config.revisions) {
            this.revisions.set(
                revision.name,
                new ControlPlaneRevision(
                    `${name}-rev-${revision.name}`,
                    { revision, namespace: config.namespace, hub: config.hub, controlPlane: config.controlPlane, source },
                    { parent: this, dependsOn: [this.base] },
                ),
            );
        }
        for (const [tag, revision] of Object.entries(effectiveTags(config))) {
            this.tags.set(
                tag,
                new RevisionTag(
                    `${name}-tag-${tag}`,
                    {
                        tag,
                        revision,
                        namespace: config.namespace,
                        service: atLeast(mustParseVersion(versionOf(revision)), 28),
                        skipAwait: config.cluster.skipAwait,
                    },
                    { parent: this, dependsOn: [this.lookup(this.revisions, revision)] },
                ),
            );
        }
        // A namespace or gateway depends on what its label names: the tag, or the revision.
        const target = (ref: string): pulumi.Resource => this.tags.get(ref) ?? this.lookup(this.revisions, resolveRevision(config, ref));

        const enrolled = new Map<string, NamespaceLabels>();
        for (const ns of config.namespaces) {
            const labels = new NamespaceLabels(
                `${name}-ns-${ns.name}`,
                {
                    namespace: ns.name,
                    revision: ns.revision,
                    create: ns.create,
                    deleteWhenRemoved: ns.deleteWhenRemoved,
                    labels: { ...ns.labels },
                    skipAwait: config.cluster.skipAwait,
                    access: args.access,
                },
                { parent: this, dependsOn: [target(ns.revision)] },
            );
            enrolled.set(ns.name, labels);
            if (ns.restart) {
                // After the label and the tag it follows have moved (and the revision is up).
                const e = effective(ns.revision);
                new WorkloadRestart(
                    `${name}-ns-${ns.name}-restart`,
                    {
                        namespace: ns.name,
                        effective: e,
                        restartOnCreate: namespaceRestartsOnCreate(args.previous, ns, e),
                        waitSeconds: config.restarts.wait ? config.restarts.timeoutSeconds : undefined,
                        access: args.access,
                    },
                    { parent: this, dependsOn: [labels] },
                );
            }
        }
        // Canary gateways: the Deployments first (each release creates the namespace if missing,
        // like helm --create-namespace), then the one Service in front of them.
        const canaryReleases = new Map<string, Gateway[]>();
        for (const gw of config.gateways) {
            const inNamespace = enrolled.get(gw.namespace);
            const release = new Gateway(
                `${name}-gw-${gw.name}`,
                { gateway: gw, version: versionOf(gw.revision), source, effective: effective(gw.revision) },
                { parent: this, dependsOn: [target(gw.revision), ...(inNamespace === undefined ? [] : [inNamespace])] },
            );
            if (gw.canaryOf !== undefined) {
                canaryReleases.set(gw.canaryOf, [...(canaryReleases.get(gw.canaryOf) ?? []), release]);
            }
        }
        for (const svc of config.canaryServices) {
            const service = new CanaryGatewayService(
                `${name}-gwsvc-${svc.name}`,
                { service: svc, skipAwait: config.cluster.skipAwait },
                { parent: this, dependsOn: canaryReleases.get(svc.name) ?? [] },
            );
            this.gatewayAddresses.set(svc.name, service.address);
        }
        this.registerOutputs({ deployed: toStackOutput(this.state), gatewayAddresses: Object.fromEntries(this.gatewayAddresses) });
    }

    private lookup<T>(map: ReadonlyMap<string, T>, key: string): T {
        const found = map.get(key);
        if (found === undefined) {
            throw new pulumi.ResourceError(`internal: no "${key}" among ${[...map.keys()].join(", ")}`, this);
        }
        return found;
    }
}
