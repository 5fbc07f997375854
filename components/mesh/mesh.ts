import * as pulumi from "@pulumi/pulumi";
import { KubeAccess } from "../cluster/cluster";
import { ManagedControlPlane } from "../cluster/index";
import { effectiveTags, MeshConfig, resolveRevision } from "../config/model";
import { effectiveRevision, namespaceRestartsOnCreate } from "../dataplane/effective";
import { WorkloadRestarts } from "../dataplane/restart";
import { gateConfigOf, gateRecordOf } from "../dataplane/gate";
import { RemovalGate } from "../dataplane/removalGate";
import { adoptedNamespace } from "../adopt/imports";
import { CanaryGatewayService } from "../gateways/canaryService";
import { Gateway } from "../gateways/gateway";
import { ChartSource } from "../helm/release";
import { Namespaces } from "../namespaces/namespaces";
import { MeshState, toStackOutput } from "../state/deployed";
import { RevisionTag } from "../tags/revisionTag";
import { controlPlanesFor } from "./management";
import { cniFor } from "../cni/cni";
import { cniTurnsOn } from "../cni/rules";
import { CNI_RELEASE } from "../cni/values";
import { MeshMtls } from "../security/peerAuthentication";
import { peerAuthentications } from "../security/config";
import { ambientLabels, ambientNamespaceOf, carriesRevisionLabel, restartKey } from "../ambient/namespaces";
import { ambientResources, gatewayApiCrdsFor } from "../ambient/mesh";
import { ZTUNNEL_RELEASE } from "../ambient/facts";

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
    /** The control plane the cluster installs (AKS add-on); undefined = Helm installs it. */
    managed?: ManagedControlPlane;
}

/**
 * The whole mesh: base chart (which creates the control-plane namespace if missing), one
 * istiod release per revision, one RevisionTag per tag (plus `default`), namespace labels and gateways, wired so that a
 * revision exists before anything points at it. Pulumi deletes removed resources after all
 * creates and updates, so an old revision goes only once nothing points at it any more.
 */
export class Mesh extends pulumi.ComponentResource {
    /** Control planes by revision name. */
    public readonly revisions = new Map<string, pulumi.Resource>();
    /** Address of each canary gateway's Service, by gateway name. */
    public readonly gatewayAddresses = new Map<string, pulumi.Output<string>>();
    /** Revision tags (with `default`) by tag name. */
    public readonly tags = new Map<string, RevisionTag>();
    /** Helm release statuses by release name (istio-base, istiod-<revision>); none with the add-on. */
    public readonly releases: Readonly<Record<string, pulumi.Output<string>>>;
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

        // The one place that picks who installs the control planes: Helm or the AKS add-on.
        // Istio CNI after every istiod (order and version: cni/cni.ts); enrolled namespaces wait for
        // it. Turned on for a live mesh, it goes first instead: every istiod's values switch to
        // cni.enabled only once the node agent runs (else new pods fail istio-validation).
        // The Gateway API CRDs first: every istiod starts with them (one that starts without them ignores
        // the kinds until restarted), and the command's live downgrade check fails the update before
        // the base chart, and so everything after it, changes (ambient/mesh.ts).
        const crds = gatewayApiCrdsFor(this, name, config, args.access);
        const first = crds === undefined ? [] : [crds];
        const cniFirst = cniTurnsOn(args.previous, this.state) ? cniFor(this, name, config, this.state, source, first) : undefined;
        const planes = controlPlanesFor(this, name, config, this.state, source, args.managed, args.previous, [...(cniFirst === undefined ? [] : [cniFirst]), ...first], first);
        planes.revisions.forEach((r, n) => this.revisions.set(n, r));
        const cni = cniFirst ?? cniFor(this, name, config, this.state, source, [...this.revisions.values()]);
        const releases = cni === undefined ? planes.releases : { ...planes.releases, [CNI_RELEASE]: cni.status.status };
        for (const [tag, revision] of Object.entries(effectiveTags(config))) {
            this.tags.set(
                tag,
                new RevisionTag(
                    `${name}-tag-${tag}`,
                    {
                        tag,
                        revision,
                        namespace: config.namespace,
                        service: planes.tagService(versionOf(revision)),
                        skipAwait: config.cluster.skipAwait,
                    },
                    { parent: this, dependsOn: [this.lookup(this.revisions, revision)] },
                ),
            );
        }
        // A namespace or gateway depends on what its label names: the tag, or the revision.
        const target = (ref: string): pulumi.Resource => this.tags.get(ref) ?? this.lookup(this.revisions, resolveRevision(config, ref));

        // One resource per namespace (a mesh of 1,000 namespaces must plan in seconds).
        const namespaces = new Namespaces(
            `${name}-ns`,
            {
                namespaces: config.namespaces.map((ns) => ({
                    namespace: ns.name,
                    revision: ns.revision,
                    create: ns.create,
                    deleteWhenRemoved: ns.deleteWhenRemoved,
                    // Ambient: istio.io/dataplane-mode, use-waypoint, and no istio.io/rev without sidecars (ambient/namespaces.ts).
                    labels: { ...ns.labels, ...ambientLabels(ambientNamespaceOf(config.ambient, ns.name)) },
                    revisionLabel: carriesRevisionLabel(ambientNamespaceOf(config.ambient, ns.name)),
                    // What the label names, and the CNI agent that must run before pods are created.
                    dependsOn: [target(ns.revision), ...(cni === undefined ? [] : [cni])],
                })),
                skipAwait: config.cluster.skipAwait,
                access: args.access,
            },
            { parent: this },
        );
        const enrolled = namespaces.enrolled;
        // mTLS after the revisions (the base chart brings the CRD) and the namespaces it names.
        if (config.mtls !== undefined && peerAuthentications(config.mtls, config.namespace).length > 0) {
            new MeshMtls(`${name}-mtls`, { mtls: config.mtls, namespace: config.namespace }, { parent: this, dependsOn: [...this.revisions.values(), namespaces] });
        }
        // What the removal gate waits for: every restart this update performs.
        const restarts: pulumi.Resource[] = [namespaces];
        if (config.namespaces.length > 0) {
            // After every label and the tags they follow have moved (and the revisions are up).
            // An ambient namespace without sidecars runs no proxy: it restarts when it switches data plane, not when its tag moves.
            const entries = config.namespaces.map((ns) => ({ namespace: ns.name, effective: restartKey(ambientNamespaceOf(config.ambient, ns.name), effective(ns.revision)), restart: ns.restart, created: ns.create }));
            const workloads = new WorkloadRestarts(
                `${name}-restarts`,
                {
                    namespaces: entries,
                    // An adopted namespace already runs its revision: nothing to restart for.
                    firstRun: entries
                        .filter((e) => e.restart && namespaceRestartsOnCreate(args.previous, { name: e.namespace, create: e.created }, e.effective))
                        .filter((e) => !adoptedNamespace(config.adopt, args.previous !== undefined, e.namespace))
                        .map((e) => e.namespace),
                    waitSeconds: config.restarts.wait ? config.restarts.timeoutSeconds : undefined,
                    access: args.access,
                },
                { parent: this, dependsOn: [namespaces] },
            );
            restarts.push(workloads);
        }
        // Ambient and Gateway API: CRDs, ztunnel after every istiod and the CNI agent, waypoints and gateway-api Gateways.
        const ambient = ambientResources(this, name, {
            config,
            source,
            access: args.access,
            controlPlane: [...this.revisions.values(), ...(cni === undefined ? [] : [cni])],
            target,
            namespaces: enrolled,
            ...(crds === undefined ? {} : { crds }),
        });
        this.releases = ambient.ztunnel === undefined ? releases : { ...releases, [ZTUNNEL_RELEASE]: ambient.ztunnel.status.status };
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
            restarts.push(release);
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
        // A revision removed by this update goes only after its workloads have been restarted off
        // it and no live pod runs it any more (the gate, there for the life of the stack so that
        // the update after a removal has nothing to delete); the add-on's removal is the cluster's update.
        // Waypoints and gateway-api Gateways too: the gate judges them once their istio.io/rev moved.
        restarts.push(...ambient.gateways.values());
        const next = new Set(this.state.revisions.map((r) => r.name));
        const before = new Set((args.previous?.revisions ?? []).map((r) => r.name));
        const removes = [...before].some((r) => !next.has(r));
        const added = [...next].some((r) => !before.has(r));
        const gate = new RemovalGate(
            `${name}-removal-gate`,
            {
                config: gateConfigOf(this.state, config.management === "aks-addon"),
                before: gateRecordOf(args.previous),
                timeoutSeconds: config.restarts.timeoutSeconds,
                access: args.access,
            },
            { parent: this, dependsOn: restarts },
        );
        // With the add-on, a revision added in the same update (a refused swap, overridden) is
        // installed by that very cluster update, which the restarts onto it wait for: the gate
        // cannot come first then, and the preview-time check is all there is.
        planes.settle(!removes || (config.management === "aks-addon" && added) ? [] : [gate]);
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
