/**
 * Every ambient and Gateway API rule in one table, and its evaluation over FROM -> TO. Pure.
 * components/plan/transitions.ts runs this table through meshRules.ts on every transition.
 */
import { GATEWAY_API_TABLE } from "../gatewayapi/rules";
import { GATEWAY_REVISION_TABLE } from "./gatewayRules";
import { AnyRule, RuleResult, runRules } from "./rule";
import { AMBIENT_TABLE } from "./rules";
import type { AmbientState } from "./state";

export const AMBIENT_TRANSITION_TABLE: readonly AnyRule[] = [...AMBIENT_TABLE, ...GATEWAY_REVISION_TABLE, ...GATEWAY_API_TABLE];

/** FROM (undefined: first install) -> TO; `allowUnsafe` lists refusal codes (or "all") the operator overrides. */
export function evaluateAmbient(from: AmbientState | undefined, to: AmbientState, allowUnsafe: readonly string[] = []): RuleResult {
    return runRules(AMBIENT_TRANSITION_TABLE, from, to, allowUnsafe);
}
