/**
 * The ambient and Gateway API rules as part of the mesh's transition check: FROM and TO mesh
 * states mapped to AmbientState (record.ts) and run through the one table (transitions.ts).
 * Pure; components/plan/transitions.ts merges the result with the other rules, so one
 * override mechanism and one refusal message cover all of them.
 */
import { AMBIENT_TRANSITION_TABLE } from "./transitions";
import { AmbientSource, ambientStateOf, hasAmbientOrGatewayApi } from "./record";
import { Problem, runRules } from "./rule";

type Source = AmbientSource & { readonly management: "helm" | "aks-addon" };

/** Every refusal code of the ambient and Gateway API table (what --allow-unsafe may name). */
export const AMBIENT_REFUSAL_CODES: readonly string[] = [...new Set(AMBIENT_TRANSITION_TABLE.filter((r) => r.severity === "refusal").map((r) => r.code))];

/**
 * FROM -> TO refusals (not overridden here: the caller applies overrides) and warnings. Nothing
 * when neither side has ambient or the Gateway API (a sidecar mesh is checked exactly as
 * before), or with the AKS add-on (the config refuses ambient and Gateway API keys there, and
 * its versions are minors, not releases).
 */
export function ambientProblems(from: Source | undefined, to: Source): { refusals: Problem[]; warnings: Problem[] } {
    if (to.management !== "helm" || (!hasAmbientOrGatewayApi(from) && !hasAmbientOrGatewayApi(to))) {
        return { refusals: [], warnings: [] };
    }
    // Across a management switch (refused on its own) FROM's versions are not releases.
    const before = from === undefined || from.management !== "helm" ? undefined : ambientStateOf(from);
    const r = runRules(AMBIENT_TRANSITION_TABLE, before, ambientStateOf(to), []);
    return { refusals: [...r.problems], warnings: [...r.warnings] };
}
