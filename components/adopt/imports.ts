/**
 * How the first `pulumi up` of an adopted stack takes over the objects that already run: the
 * program registers the very resources it always registers (same URNs, same provider, same
 * parents) and adds Pulumi's `import` option to those whose Kubernetes identity is listed in
 * `mesh.adopt`. The engine then reads the live object (an ImportStep) instead of creating it,
 * and continues with the ordinary diff against what the program declares.
 *
 * Why resource options and not `pulumi import --file`: the program's resources are children of
 * components (mesh → mesh-base → mesh-base-release) bound to the explicit `cluster-provider`;
 * an import file would have to repeat every parent and the provider reference by URN before the
 * program has ever run, and any slip creates resources the next `up` deletes or replaces. Here
 * the URNs are the program's own by construction, and the ids are derived from the inputs the
 * program computes (a Release's `<namespace>/<name>`, the real provider's import id, see
 * pulumi-kubernetes helm_release.go Read → parseFqName; a webhook configuration's name; a
 * Service's `<namespace>/<name>`).
 *
 * Only while nothing is deployed yet (no `deployed` output): the engine ignores `import` for a
 * resource already in the state with that id (step_generator.go: an import happens only when
 * there is no old resource or its id differs), so a failed first update can simply be re-run,
 * and once deployed the list is inert: a release removed later and re-added is created, not
 * looked for.
 */
import * as pulumi from "@pulumi/pulumi";
import { AdoptConfig } from "./config";

export const RELEASE_TYPE = "kubernetes:helm.sh/v3:Release";
export const WEBHOOK_TYPE = "kubernetes:admissionregistration.k8s.io/v1:MutatingWebhookConfiguration";
export const SERVICE_TYPE = "kubernetes:core/v1:Service";

type Props = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
const meta = (props: Props): Props => (props.metadata !== null && typeof props.metadata === "object" ? (props.metadata as Props) : {});

/**
 * The import id the program would need for a resource of `type` with these inputs, when that
 * object is listed in `adopt`; undefined otherwise. Pure.
 */
export function adoptedImportId(adopt: AdoptConfig, type: string, props: Props): string | undefined {
    if (type === RELEASE_TYPE) {
        const id = `${str(props.namespace)}/${str(props.name)}`;
        return adopt.releases.includes(id) ? id : undefined;
    }
    if (type === WEBHOOK_TYPE) {
        const name = str(meta(props).name);
        return name !== undefined && adopt.mutatingWebhookConfigurations.includes(name) ? name : undefined;
    }
    if (type === SERVICE_TYPE) {
        const id = `${str(meta(props).namespace)}/${str(meta(props).name)}`;
        return adopt.services.includes(id) ? id : undefined;
    }
    return undefined;
}

/** Whether this update adopts: an `adopt` block and nothing deployed yet. */
export function adopting(adopt: AdoptConfig | undefined, previousDeployed: boolean): adopt is AdoptConfig {
    return adopt !== undefined && !previousDeployed;
}

/**
 * An existing namespace whose label already selects what the config says: adopting it must not
 * restart its workloads (they already run that revision's proxies).
 */
export function adoptedNamespace(adopt: AdoptConfig | undefined, previousDeployed: boolean, namespace: string): boolean {
    return adopting(adopt, previousDeployed) && adopt.namespaces.includes(namespace);
}

/**
 * A Service's import reads its live spec, `clusterIP(s)` included, which the program never sets:
 * the real provider's diff then deletes `spec.clusterIP`, which forces a replacement (diff.go
 * forceNewProperties), and the engine refuses to replace a resource it is importing. The API
 * server owns that field anyway, so an adopted Service ignores it for good (its stored inputs keep
 * the imported address, and a later diff without the ignore would replace it).
 */
export const ADOPTED_SERVICE_IGNORES = ["spec.clusterIP", "spec.clusterIPs"];

/**
 * Transformations for the Mesh component (they apply to every resource below it): adds
 * `import: <id>` to each listed object while nothing is deployed, and ADOPTED_SERVICE_IGNORES to
 * listed Services always. Empty without an `adopt` block.
 */
export function adoptionTransformations(adopt: AdoptConfig | undefined, previousDeployed: boolean): pulumi.ResourceTransformation[] {
    if (adopt === undefined) {
        return [];
    }
    return [
        (args) => {
            const id = adoptedImportId(adopt, args.type, args.props as Props);
            if (id === undefined) {
                return undefined;
            }
            const opts: pulumi.CustomResourceOptions = { ...args.opts };
            if (args.type === SERVICE_TYPE) {
                opts.ignoreChanges = [...(opts.ignoreChanges ?? []), ...ADOPTED_SERVICE_IGNORES];
            }
            if (adopting(adopt, previousDeployed)) {
                opts.import = id;
            }
            return { props: args.props, opts };
        },
    ];
}
