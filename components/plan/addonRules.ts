/**
 * Transition rules of the AKS Istio add-on (management: aks-addon), and the one rule that
 * guards switching management at all. Each message names the `az aks mesh` command the config
 * change replaces. Pure: previous state x next state -> refusals and warnings.
 *
 * What the add-on allows (AKS-FACTS, istio-upgrade.md): `revisions` goes [old] -> [old, new]
 * (upgrade start: new is n+1 or n+2) -> [new] (upgrade complete) or back to [old] (upgrade
 * rollback); at most two; never empty; no downgrade outside a rollback; deprecated revisions
 * only where they already run.
 */
import { asmRevision, AsmRevision, supportedRevisions, upgradeTargets } from "../aks/catalogue";
import { MeshState } from "../state/deployed";
import type { Problem } from "./transitions";

export const ADDON_RULES = {
    managementSwitch: "management-switch",
    canarySkip: "addon-canary-skips-minors",
    swap: "addon-swap-without-canary",
    downgrade: "addon-downgrade",
    deprecated: "addon-deprecated-revision",
    empty: "addon-empty-revisions",
} as const;

export const ADDON_WARNINGS = {
    deprecatedRunning: "addon-deprecated-revision-running",
} as const;

/** AKS lets a canary skip one minor (n+2), not more. */
export const ADDON_MAX_CANARY_MINORS = 2;

const minorOf = (r: { readonly version: string }) => Number(r.version.split(".")[1]);
const list = (rs: readonly { readonly name: string }[]) => `[${rs.map((r) => r.name).join(", ")}]`;
const targetsText = (from: AsmRevision) => {
    const t = upgradeTargets(from);
    return t.length === 0 ? "no supported revision is known above it (update components/aks/catalogue.ts)" : t.map((r) => r.name).join(" or ");
};

/** Switching helm <-> aks-addon on a live mesh: refused whatever else changes. */
export function managementProblems(from: MeshState | undefined, to: MeshState): Problem[] {
    if (from === undefined || from.management === to.management) {
        return [];
    }
    const toAddon = to.management === "aks-addon";
    return [
        {
            code: ADDON_RULES.managementSwitch,
            message:
                `management changes ${from.management} -> ${to.management} on a live mesh: ` +
                (toAddon
                    ? `the AKS add-on cannot run beside a self-managed Istio (it is what \`az aks mesh enable\` would refuse), and the Helm releases would go while workloads still use them. `
                    : `turning the add-on off (\`az aks mesh disable\`, serviceMeshProfile mode Disabled) deletes the Istio CRDs, every Istio resource and the namespaces aks-istio-system and aks-istio-ingress with everything in them. `) +
                `Safe sequence: keep management as it is; migrating is a new cluster (a new stack) running ${to.management}, workloads moved to it, then this one torn down.`,
        },
    ];
}

/** The add-on's revision rules (both sides aks-addon, or a first install in add-on mode). */
export function addonRevisionProblems(from: MeshState | undefined, to: MeshState): { refusals: Problem[]; warnings: Problem[] } {
    const refusals: Problem[] = [];
    const warnings: Problem[] = [];
    if (to.revisions.length === 0) {
        refusals.push({
            code: ADDON_RULES.empty,
            message:
                `the add-on's revision list is empty: the AKS API reads an empty list as "keep the existing revisions", so nothing would be removed. ` +
                `To remove the add-on, tear the stack down (serviceMeshProfile mode Disabled, what \`az aks mesh disable\` does) after moving workloads off the mesh.`,
        });
        return { refusals, warnings };
    }
    const fromNames = new Set((from?.revisions ?? []).map((r) => r.name));
    const added = to.revisions.filter((r) => !fromNames.has(r.name));
    const kept = to.revisions.filter((r) => fromNames.has(r.name));
    const newestFrom = from === undefined || from.revisions.length === 0 ? undefined : from.revisions.reduce((a, b) => (minorOf(b) > minorOf(a) ? b : a));

    if (from !== undefined && from.revisions.length > 0 && kept.length === 0) {
        refusals.push({
            code: ADDON_RULES.swap,
            message:
                `every running revision ${list(from.revisions)} is removed while ${list(added)} is added in one change: the add-on has no such operation ` +
                `(it is \`az aks mesh upgrade start\` and \`az aks mesh upgrade complete\` at once, with no canary to verify). ` +
                `Safe sequence: 1) revisions ${list([...from.revisions, ...added])} (upgrade start); 2) move tags/namespaces and restart workloads; 3) revisions ${list(added)} (upgrade complete).`,
        });
    }
    for (const r of added) {
        const entry = asmRevision(r.name);
        if (entry !== undefined && entry.status === "deprecated") {
            refusals.push({
                code: ADDON_RULES.deprecated,
                message:
                    `${r.name} is deprecated (end of life ${entry.endOfLife}): AKS refuses it as a new install or canary target ` +
                    `("Revision ${r.name} is not supported by the service mesh add-on"; \`az aks mesh ${from === undefined ? "enable --revision" : "upgrade start --revision"} ${r.name}\` fails the same way). ` +
                    `Use a supported revision: ${supportedRevisions().map((x) => x.name).join(", ")}.`,
            });
        }
        if (newestFrom === undefined) {
            continue;
        }
        const d = minorOf(r) - minorOf(newestFrom);
        if (d > ADDON_MAX_CANARY_MINORS) {
            const fromEntry = asmRevision(newestFrom.name);
            refusals.push({
                code: ADDON_RULES.canarySkip,
                message:
                    `canary ${r.name} is ${d} minors above the running ${newestFrom.name}: AKS upgrades to n+1 or n+2 only ` +
                    `(\`az aks mesh upgrade start --revision ${r.name}\` is refused; \`az aks mesh get-upgrades\` lists the targets). ` +
                    `Safe sequence: upgrade through ${fromEntry === undefined ? `asm-1-${minorOf(newestFrom) + ADDON_MAX_CANARY_MINORS}` : targetsText(fromEntry)} first.`,
            });
        } else if (d < 0) {
            refusals.push({
                code: ADDON_RULES.downgrade,
                message:
                    `${r.name} is added back below the running ${newestFrom.name}: AKS refuses downgrades; only a canary can be rolled back ` +
                    `(\`az aks mesh upgrade rollback\`, i.e. revisions [${r.name}, ${newestFrom.name}] -> [${r.name}] while both still run). ` +
                    `Safe sequence: stay on ${newestFrom.name}; after a complete, the way back is a new cluster.`,
            });
        }
    }
    for (const r of kept) {
        const entry = asmRevision(r.name);
        if (entry !== undefined && entry.status === "deprecated") {
            warnings.push({
                code: ADDON_WARNINGS.deprecatedRunning,
                message:
                    `${r.name} is deprecated (end of life ${entry.endOfLife}): it keeps running, but AKS no longer supports it. ` +
                    `Upgrade path: add ${targetsText(entry)} as a canary (\`az aks mesh upgrade start\`), move tags/namespaces, then remove ${r.name} (\`az aks mesh upgrade complete\`).`,
            });
        }
    }
    return { refusals, warnings };
}
