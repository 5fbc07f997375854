/**
 * The ordered steps of a change, in the order the program carries them out (creates and
 * updates in dependency order, removals last) and in the words of the manual runbook.
 */
import { DEFAULT_TAG, defaultRevisionOf, effectiveTags, resolveRevision, tagTarget } from "../config/model";
import { MeshState } from "../state/deployed";
import { effectiveRevision, restartedBy } from "../dataplane/effective";
import { restartsWording } from "./inUseRule";
import { tagWebhookName } from "../tags/webhooks";
import { addonControlPlaneSteps } from "./addonSteps";
import { cniFirstSteps, cniSteps } from "../cni/rules";
import { mtlsSteps } from "../security/rules";
import { gatewayStateSteps } from "./gatewayStateRules";
import { ambientPlanSteps } from "../ambient/planSteps";

type Named = { readonly name: string; readonly revision: string };
type NamespaceState = MeshState["namespaces"][number];
type GatewayState = MeshState["gateways"][number];

/** A restart, done by the program (restart: true) or left to the operator (restart: false). */
function restartStep(kind: "namespace" | "gateway", n: NamespaceState | GatewayState, effective: string): string {
    const onto = effective.replace("@", " (Istio ") + ")";
    if (kind === "gateway") {
        const gw = n as GatewayState;
        return gw.restart
            ? `Restart gateway ${gw.name} onto ${onto}: Helm rolls its pods (pod annotation istio-mesh/effective-revision)`
            : `Restart gateway ${gw.name} onto ${onto} BY HAND (restart: false): kubectl rollout restart deployment/${gw.name} -n ${gw.namespace}`;
    }
    return n.restart
        ? `Restart the workloads of namespace ${n.name} onto ${onto} (automatic, after its label and tags have moved: kubectl rollout restart deployment,statefulset,daemonset -n ${n.name})`
        : `Restart the workloads of namespace ${n.name} onto ${onto} BY HAND (restart: false): kubectl rollout restart deployment,statefulset,daemonset -n ${n.name}`;
}

/** Enrolling a namespace: created with its label, or labelled and rid of istio-injection once. */
function enrolStep(n: NamespaceState, rev: string): string {
    return n.create
        ? `Create namespace ${n.name} labelled istio.io/rev=${n.revision} (revision ${rev})`
        : `Label namespace ${n.name} istio.io/rev=${n.revision} (revision ${rev}); remove istio-injection once (kubectl label namespace ${n.name} istio-injection-)`;
}

/**
 * When a removed revision goes: after the restarts this update performs and the removal gate
 * (mesh-removal-gate-verify) that checks every live pod after them.
 */
export function removalWaits(from: MeshState | undefined, to: MeshState, revision: string): string {
    const restarted = restartsWording(restartedBy(from, to));
    return `${restarted === undefined ? "after everything above" : `after ${restarted}`}, once the removal gate has found no running or pending pod on ${revision} (else the update stops and ${revision} stays)`;
}

/** Every gateway Service the change replaces (namespace moved) or deletes (a canary gateway removed): their addresses change. */
function serviceSteps(from: MeshState, to: MeshState): string[] {
    const where = (s: MeshState) => new Map(s.gateways.map((g) => [g.canaryOf ?? g.name, g.namespace]));
    const canary = (s: MeshState, name: string) => s.gateways.some((g) => g.canaryOf === name);
    const [before, after] = [where(from), where(to)];
    const steps: string[] = [];
    for (const [name, ns] of before) {
        const now = after.get(name);
        if (now === undefined && canary(from, name)) {
            steps.push(`Delete Service ${name} in ${ns} (canary gateway ${name}): its address is released`);
        } else if (now !== undefined && now !== ns) {
            steps.push(`Replace Service ${name}: deleted in ${ns}, created in ${now} (gateway ${name} moved namespace): a new address`);
        }
    }
    return steps;
}

/** The single step of a change that changes nothing. */
export const NO_CHANGE = "No change to the mesh";

export function planSteps(from: MeshState | undefined, to: MeshState): string[] {
    // No runbook turns one management into the other (the management-switch rule says why):
    // Helm steps read from an add-on's state, or the reverse, would be nonsense.
    if (from !== undefined && from.management !== to.management) {
        return [`Switch management ${from.management} -> ${to.management}: no in-place sequence exists (management-switch); migrating is a new stack on a new cluster`];
    }
    const steps: string[] = [];
    const before = from ?? { management: to.management, namespace: to.namespace, revisions: [], tags: {}, defaultRevision: "", namespaces: [], gateways: [], baseVersion: "" };
    // The AKS add-on's control planes are serviceMeshProfile edits (addonSteps.ts), not Helm releases.
    const addon = to.management === "aks-addon" ? addonControlPlaneSteps(from, to, (r) => removalWaits(from, to, r)) : undefined;
    const fromRevs = new Map(before.revisions.map((r) => [r.name, r.version]));
    const toRevs = new Map(to.revisions.map((r) => [r.name, r.version]));

    // Ambient and Gateway API (ambient/planSteps.ts): the CRDs before every istiod that reads them.
    const ambient = ambientPlanSteps(from, to);
    // An ambient namespace without sidecars runs no proxy: no istio.io/rev enrolment, no restart onto a revision.
    const proxyless = (s: MeshState, name: string) => {
        const n = s.ambient !== undefined && Object.hasOwn(s.ambient.namespaces, name) ? s.ambient.namespaces[name] : undefined;
        return n !== undefined && n.dataplane === "ambient" && !n.keepSidecars;
    };
    steps.push(...ambient.first);
    steps.push(...cniFirstSteps(from, to));
    if (addon !== undefined) {
        steps.push(...addon.first);
    } else if (from === undefined) {
        steps.push(`Install the base chart ${to.baseVersion} (CRDs, default validator) as release istio-base in ${to.namespace}`);
    } else if (before.baseVersion !== to.baseVersion) {
        steps.push(`Upgrade the base chart (CRDs, default validator) ${before.baseVersion} -> ${to.baseVersion}`);
    }
    for (const [name, version] of addon !== undefined ? [] : toRevs) {
        const old = fromRevs.get(name);
        if (old === undefined) {
            steps.push(`Install control plane revision ${name} (Istio ${version}) as Helm release istiod-${name}`);
        } else if (old !== version) {
            steps.push(`Upgrade revision ${name} in place ${old} -> ${version} (Helm upgrade of istiod-${name})`);
        }
    }
    // Istio CNI after the control planes (its release waits for every istiod).
    steps.push(...cniSteps(from, to));
    const fromTags = from ? effectiveTags(before) : {};
    const toTags = effectiveTags(to);
    for (const [tag, rev] of Object.entries(toTags)) {
        const old = tagTarget(fromTags, tag);
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
    const moves = (kind: "namespace" | "gateway", olds: readonly Named[], news: readonly (NamespaceState | GatewayState)[]) => {
        for (const n of news) {
            const old = olds.find((o) => o.name === n.name);
            const rev = resolveRevision(to, n.revision);
            const oldRev = old ? resolveRevision(before, old.revision) : undefined;
            if (old === undefined) {
                if (kind === "gateway" || !proxyless(to, n.name)) {
                    steps.push(kind === "gateway" ? `Install gateway ${n.name} following ${n.revision} (revision ${rev})` : enrolStep(n as NamespaceState, rev));
                }
            } else if (old.revision !== n.revision) {
                steps.push(`Point ${kind} ${n.name} at ${n.revision} (was ${old.revision}): ${oldRev === rev ? `revision ${rev} unchanged` : `revision ${oldRev} -> ${rev}`}`);
            } else if (oldRev !== rev) {
                steps.push(`${kind === "namespace" ? "Namespace" : "Gateway"} ${n.name} follows ${n.revision}: revision ${oldRev} -> ${rev}`);
            }
            // Workloads restart when the revision (or its version) they run changes, and an
            // existing namespace's workloads when it is first enrolled (to get a proxy at all).
            const now = effectiveRevision(to, n.revision);
            const was = old === undefined ? undefined : effectiveRevision(before, old.revision);
            const enrolled = old === undefined && kind === "namespace" && !(n as NamespaceState).create;
            // A proxyless ambient namespace's restarts are data-plane switches (ambient.middle says them).
            if (((was !== undefined && was !== now) || enrolled) && !(kind === "namespace" && (proxyless(to, n.name) || (old !== undefined && proxyless(before as MeshState, n.name))))) {
                restarts.push(restartStep(kind, n, now ?? rev));
            }
        }
    };
    moves("namespace", before.namespaces, to.namespaces);
    moves("gateway", before.gateways, to.gateways);
    steps.push(...restarts);
    steps.push(...ambient.middle);
    steps.push(...mtlsSteps(from, to));
    for (const n of to.namespaces) {
        const old = before.namespaces.find((o) => o.name === n.name);
        if (old !== undefined && old.create && !n.create) {
            steps.push(
                old.deleteWhenRemoved
                    ? `Namespace ${n.name}: create: false DELETES namespace ${n.name} and everything in it, then cannot label it`
                    : `Namespace ${n.name}: the stack stops owning the Namespace object (kept, with everything in it) and patches only its labels`,
            );
        }
    }
    for (const n of before.namespaces.filter((o) => !to.namespaces.some((x) => x.name === o.name))) {
        steps.push(
            !n.create
                ? `Remove the istio.io/rev label from namespace ${n.name} (the namespace and its workloads stay)`
                : n.deleteWhenRemoved
                  ? `Remove namespace ${n.name}: DELETES namespace ${n.name} and everything in it (created with deleteWhenRemoved: true)`
                  : `Remove namespace ${n.name} from the stack: it stays, with everything in it and its istio.io/rev label (created by the stack, deleteWhenRemoved: false)`,
        );
    }
    for (const g of before.gateways.filter((o) => !to.gateways.some((x) => x.name === o.name))) {
        steps.push(`Uninstall gateway ${g.name}`);
    }
    steps.push(...serviceSteps(before, to));
    steps.push(...gatewayStateSteps(from, to));
    for (const [tag, old] of Object.entries(fromTags).filter(([t]) => !Object.hasOwn(toTags, t))) {
        steps.push(`Remove tag ${tag} (was -> ${old})`);
    }
    steps.push(...ambient.last);
    steps.push(...(addon?.last ?? []));
    for (const [name, version] of addon !== undefined ? [] : fromRevs) {
        if (!toRevs.has(name)) {
            steps.push(`Uninstall control plane revision ${name} (Istio ${version}, release istiod-${name}) ${removalWaits(from, to, name)}`);
        }
    }
    if (from !== undefined && steps.length === 0) {
        steps.push(NO_CHANGE);
    }
    return steps;
}
