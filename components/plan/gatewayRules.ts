/**
 * Rules for gateways whose pods sit behind a Service: a canary gateway's Service must always
 * have a Deployment that has already served, and a gateway cannot switch between in place and
 * canary on a live mesh (its Service would change owner, and so its address). Pure.
 */
import { resolveRevision } from "../config/model";
import { MeshState } from "../state/deployed";
import type { Problem } from "./transitions";

export const GATEWAY_RULES = {
    modeChange: "gateway-mode-change",
    canarySwap: "gateway-canary-swap",
    addressChange: "gateway-address-change",
    serviceRemoved: "gateway-service-removed",
    namespaceConflict: "gateway-namespace-revision-conflict",
} as const;

type Gw = MeshState["gateways"][number];

/** Canary gateway name -> its Deployments. */
function groups(state: MeshState): Map<string, Gw[]> {
    const out = new Map<string, Gw[]>();
    for (const g of state.gateways) {
        if (g.canaryOf !== undefined) {
            out.set(g.canaryOf, [...(out.get(g.canaryOf) ?? []), g]);
        }
    }
    return out;
}

const inPlace = (state: MeshState) => new Set(state.gateways.filter((g) => g.canaryOf === undefined).map((g) => g.name));

/** Where a gateway's client-facing Service lives: an in-place gateway's own, or its canary group's. */
function serviceNamespaces(state: MeshState): Map<string, string> {
    const out = new Map<string, string>();
    for (const g of state.gateways) {
        out.set(g.canaryOf ?? g.name, g.namespace);
    }
    return out;
}

/** A rule over FROM -> TO: one refusal per object it finds. */
interface GatewayRule {
    readonly code: string;
    readonly check: (from: MeshState, to: MeshState) => Problem[];
}

/**
 * The rows for changes that move a gateway's client-facing address (each refused, overridable
 * for one run): the message says the address changes and what to do instead.
 */
export const ADDRESS_RULES: readonly GatewayRule[] = [
    {
        // The release (in place) or the program's Service (canary) is named by namespace: a move
        // replaces the Service, and a LoadBalancer's address with it.
        code: GATEWAY_RULES.addressChange,
        check: (from, to) => {
            const [before, after] = [serviceNamespaces(from), serviceNamespaces(to)];
            return [...after]
                .filter(([name, ns]) => before.has(name) && before.get(name) !== ns && (groups(from).has(name) === groups(to).has(name)))
                .map(([name, ns]) => ({
                    code: GATEWAY_RULES.addressChange,
                    message:
                        `gateway "${name}" moves namespace ${before.get(name)} -> ${ns}: its Service ${name} is deleted in ${before.get(name)} and created in ${ns} ` +
                        `(${groups(to).has(name) ? "the program's canary Service" : "the Helm release is replaced"}), so clients lose its address (a LoadBalancer gets a new one). ` +
                        `Safe sequence: keep the namespace; to move it, add a gateway under a new name in ${ns}, move DNS to its address, then remove "${name}".`,
                }));
        },
    },
    {
        // A whole canary gateway going takes the program's Service, and its address, with it.
        code: GATEWAY_RULES.serviceRemoved,
        check: (from, to) => {
            const [after, toInPlace] = [groups(to), inPlace(to)];
            return [...groups(from)]
                .filter(([name]) => !after.has(name) && !toInPlace.has(name))
                .map(([name, entries]) => ({
                    code: GATEWAY_RULES.serviceRemoved,
                    message:
                        `canary gateway "${name}" is removed with all its Deployments (${entries.map((e) => e.name).join(", ")}): Service ${name} in ${entries[0].namespace} ` +
                        `is deleted and its address released. Safe sequence: move clients and DNS off it first; then override this rule for the run that removes it.`,
                }));
        },
    },
];

/**
 * A gateway in a namespace that mesh.namespaces enrolls on another revision: the namespace's
 * label picks the injector, not the gateway's, so the plan's "follows X" would be false.
 * Checked on every change, a first install included.
 */
export function gatewayNamespaceConflicts(to: MeshState): Problem[] {
    const enrolled = new Map(to.namespaces.map((n) => [n.name, n]));
    return to.gateways.flatMap((g) => {
        const ns = enrolled.get(g.namespace);
        if (ns === undefined) {
            return [];
        }
        const [gwRev, nsRev] = [resolveRevision(to, g.revision), resolveRevision(to, ns.revision)];
        return gwRev === nsRev
            ? []
            : [
                  {
                      code: GATEWAY_RULES.namespaceConflict,
                      message:
                          `gateway "${g.name}" follows ${g.revision} (${gwRev}) but its namespace ${g.namespace} is enrolled on ${ns.revision} (${nsRev}) in mesh.namespaces: ` +
                          `the namespace's istio.io/rev label decides which istiod injects the gateway's pods, so it would not run ${gwRev}. ` +
                          `Fix: point the gateway and namespace ${g.namespace} at the same tag or revision, or put the gateway in a namespace of its own.`,
                  },
              ];
    });
}

export function gatewayProblems(from: MeshState, to: MeshState): Problem[] {
    const problems: Problem[] = ADDRESS_RULES.flatMap((r) => r.check(from, to));
    const [fromGroups, toGroups] = [groups(from), groups(to)];
    const [fromInPlace, toInPlace] = [inPlace(from), inPlace(to)];
    for (const name of [...new Set([...fromGroups.keys(), ...toGroups.keys()])].sort()) {
        if ((fromGroups.has(name) && toInPlace.has(name)) || (fromInPlace.has(name) && toGroups.has(name))) {
            const toCanary = toGroups.has(name);
            problems.push({
                code: GATEWAY_RULES.modeChange,
                message:
                    `gateway "${name}" changes from ${toCanary ? "in place to canary" : "canary to in place"}: its Service would be deleted by ` +
                    `${toCanary ? "the Helm release" : "the program"} and created again by ${toCanary ? "the program" : "a Helm release"}, and a LoadBalancer ` +
                    `gets a new address. Safe sequence: keep the mode; to change it, add a gateway under a new name, move DNS to it, then remove the old one.`,
            });
        }
    }
    for (const [name, before] of fromGroups) {
        const after = toGroups.get(name);
        if (after === undefined) {
            continue;
        }
        const removed = before.filter((g) => !after.some((a) => a.name === g.name)).map((g) => g.revision);
        const added = after.filter((g) => !before.some((b) => b.name === g.name)).map((g) => g.revision);
        if (removed.length > 0 && added.length > 0) {
            problems.push({
                code: GATEWAY_RULES.canarySwap,
                message:
                    `canary gateway "${name}" removes its Deployment(s) for ${removed.join(", ")} in the same change that adds ${added.join(", ")}: ` +
                    `the Service would be left with Deployments that have not served yet. Safe sequence: add ${added.join(", ")} beside the old ` +
                    `one(s), shift traffic with replicas, then remove ${removed.join(", ")} in a later change.`,
            });
        }
    }
    return problems;
}
