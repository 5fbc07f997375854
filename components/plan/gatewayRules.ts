/**
 * Rules for gateways whose pods sit behind a Service: a canary gateway's Service must always
 * have a Deployment that has already served, and a gateway cannot switch between in place and
 * canary on a live mesh (its Service would change owner, and so its address). Pure.
 */
import { MeshState } from "../state/deployed";
import type { Problem } from "./transitions";

export const GATEWAY_RULES = {
    modeChange: "gateway-mode-change",
    canarySwap: "gateway-canary-swap",
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

export function gatewayProblems(from: MeshState, to: MeshState): Problem[] {
    const problems: Problem[] = [];
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
