/**
 * The ordered steps of a change, in the order the program carries them out (creates and
 * updates in dependency order, removals last) and in the words of the manual runbook.
 */
import { DEFAULT_TAG, defaultRevisionOf, effectiveTags, resolveRevision } from "../config/model";
import { MeshState } from "../state/deployed";
import { tagWebhookName } from "../tags/webhooks";

type Named = { readonly name: string; readonly revision: string };

/** The single step of a change that changes nothing. */
export const NO_CHANGE = "No change to the mesh";

export function planSteps(from: MeshState | undefined, to: MeshState): string[] {
    const steps: string[] = [];
    const before = from ?? { namespace: to.namespace, revisions: [], tags: {}, defaultRevision: "", namespaces: [], gateways: [], baseVersion: "" };
    const fromRevs = new Map(before.revisions.map((r) => [r.name, r.version]));
    const toRevs = new Map(to.revisions.map((r) => [r.name, r.version]));

    if (from === undefined) {
        steps.push(`Install the base chart ${to.baseVersion} (CRDs, default validator) as release istio-base in ${to.namespace}`);
    } else if (before.baseVersion !== to.baseVersion) {
        steps.push(`Upgrade the base chart (CRDs, default validator) ${before.baseVersion} -> ${to.baseVersion}`);
    }
    for (const [name, version] of toRevs) {
        const old = fromRevs.get(name);
        if (old === undefined) {
            steps.push(`Install control plane revision ${name} (Istio ${version}) as Helm release istiod-${name}`);
        } else if (old !== version) {
            steps.push(`Upgrade revision ${name} in place ${old} -> ${version} (Helm upgrade of istiod-${name})`);
        }
    }
    const fromTags = from ? effectiveTags(before) : {};
    const toTags = effectiveTags(to);
    for (const [tag, rev] of Object.entries(toTags)) {
        const old = fromTags[tag];
        const what = tag === DEFAULT_TAG ? "the default tag (istio-injection=enabled namespaces)" : `tag ${tag}`;
        if (old === undefined) {
            steps.push(`Create ${what} -> revision ${rev} (MutatingWebhookConfiguration ${tagWebhookName(tag, to.namespace)})`);
        } else if (old !== rev) {
            steps.push(`Move ${what}: ${old} -> ${rev}`);
        }
    }
    if (from !== undefined && defaultRevisionOf(before) !== defaultRevisionOf(to)) {
        steps.push(`Move the default revision ${defaultRevisionOf(before)} -> ${defaultRevisionOf(to)} (base defaultRevision: istiod-default-validator now calls istiod-${defaultRevisionOf(to)})`);
    }
    const restarts: string[] = [];
    const moves = (kind: "namespace" | "gateway", olds: readonly Named[], news: readonly Named[]) => {
        for (const n of news) {
            const old = olds.find((o) => o.name === n.name);
            const rev = resolveRevision(to, n.revision);
            const oldRev = old ? resolveRevision(before, old.revision) : undefined;
            if (old === undefined) {
                steps.push(kind === "namespace" ? `Label namespace ${n.name} istio.io/rev=${n.revision} (revision ${rev}); remove istio-injection` : `Install gateway ${n.name} following ${n.revision} (revision ${rev})`);
            } else if (old.revision !== n.revision) {
                steps.push(`Point ${kind} ${n.name} at ${n.revision} (was ${old.revision}): ${oldRev === rev ? `revision ${rev} unchanged` : `revision ${oldRev} -> ${rev}`}`);
            } else if (oldRev !== rev) {
                steps.push(`${kind === "namespace" ? "Namespace" : "Gateway"} ${n.name} follows ${n.revision}: revision ${oldRev} -> ${rev}`);
            }
            if (oldRev !== undefined && oldRev !== rev) {
                restarts.push(kind === "namespace" ? `kubectl rollout restart deployment -n ${n.name}` : `kubectl rollout restart deployment/${n.name} -n ${to.gateways.find((g) => g.name === n.name)?.namespace}`);
            }
        }
    };
    moves("namespace", before.namespaces, to.namespaces);
    moves("gateway", before.gateways, to.gateways);
    if (restarts.length > 0) {
        steps.push(`Restart the moved workloads so their proxies change control plane: ${restarts.join("; ")}`);
    }
    for (const n of before.namespaces.filter((o) => !to.namespaces.some((x) => x.name === o.name))) {
        steps.push(`Remove the istio.io/rev label from namespace ${n.name} (or delete the namespace, if the program created it)`);
    }
    for (const g of before.gateways.filter((o) => !to.gateways.some((x) => x.name === o.name))) {
        steps.push(`Uninstall gateway ${g.name}`);
    }
    for (const tag of Object.keys(fromTags).filter((t) => !(t in toTags))) {
        steps.push(`Remove tag ${tag} (was -> ${fromTags[tag]})`);
    }
    for (const [name, version] of fromRevs) {
        if (!toRevs.has(name)) {
            steps.push(`Uninstall control plane revision ${name} (Istio ${version}, release istiod-${name}) after everything above`);
        }
    }
    if (from !== undefined && steps.length === 0) {
        steps.push(NO_CHANGE);
    }
    return steps;
}
