/**
 * What the sample needs from the mesh stack, checked against the mesh's `deployed` output (read
 * through the mesh's own strict read-back): its namespace is enrolled by the mesh and follows a
 * revision tag (so upgrades move it by moving the tag, and the mesh restarts it), and every
 * Gateway sits on an ingress gateway the mesh deploys. Pure.
 */
import { DEFAULT_TAG } from "../../components/config/model";
import { MeshState } from "../../components/state/deployed";
import { SAMPLE_KEY, SampleConfig, SampleIssue } from "./config";

/** The mesh stack's namespace entry the sample runs in, and what it follows. */
export interface MeshLink {
    /** Tag the namespace follows (`istio.io/rev` value). */
    readonly tag: string;
    /** Revision the tag points at now. */
    readonly revision: string;
}

export function meshLinkIssues(config: SampleConfig, mesh: MeshState | undefined, meshStack: string): { issues: SampleIssue[]; link?: MeshLink } {
    if (mesh === undefined) {
        return { issues: [{ path: "bookinfo:meshStack", message: `stack "${meshStack}" has no \`deployed\` output; deploy the mesh stack first (pulumi up in the repository root)` }] };
    }
    const issues: SampleIssue[] = [];
    const ns = mesh.namespaces.find((n) => n.name === config.namespace);
    let link: MeshLink | undefined;
    if (ns === undefined) {
        issues.push({
            path: `${SAMPLE_KEY}.namespace`,
            message: `"${config.namespace}" is not one of the mesh stack's namespaces (${mesh.namespaces.map((n) => n.name).join(", ") || "none"}); add it to the mesh stack's mesh.namespaces, e.g. ${config.namespace}: {revision: <tag>, create: true}, and run its update first`,
        });
    } else {
        const tags = new Map(Object.entries(mesh.tags));
        const target = ns.revision === DEFAULT_TAG ? (tags.get(mesh.defaultRevision) ?? mesh.defaultRevision) : tags.get(ns.revision);
        if (target === undefined) {
            issues.push({
                path: `${SAMPLE_KEY}.namespace`,
                message: `"${config.namespace}" follows revision "${ns.revision}" directly; point it at a tag in the mesh stack (mesh.namespaces.${config.namespace}.revision: one of ${[...tags.keys(), DEFAULT_TAG].join(", ")}) so an upgrade moves it by moving the tag`,
            });
        } else {
            link = { tag: ns.revision, revision: target };
        }
    }
    const ingress = new Set(mesh.gateways.map((g) => g.canaryOf ?? g.name));
    for (const g of config.gateways) {
        if (!ingress.has(g.ingress)) {
            issues.push({
                path: `${SAMPLE_KEY}.gateways.${g.name}.ingress`,
                message: `"${g.ingress}" is not an ingress gateway of the mesh stack (${[...ingress].join(", ") || "none"}); name one of them, or add it to the mesh stack's mesh.gateways`,
            });
        }
    }
    return { issues, link };
}
