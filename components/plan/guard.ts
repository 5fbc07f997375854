import { UserError } from "../errors";
import { MeshState } from "../state/deployed";
import { LiveCheck } from "./inUseRule";
import { evaluateTransition, Problem, RULES } from "./transitions";
import { AMBIENT_REFUSAL_CODES } from "../ambient/meshRules";
import { GATEWAY_API_LIVE_RULES, LiveCrds } from "../gatewayapi/live";

/** Env var naming the rules an operator overrides for one run: codes, comma-separated, or "all". */
export const ALLOW_UNSAFE_ENV = "ISTIO_MESH_ALLOW_UNSAFE";

/** Every rule code an operator may override, and "all". */
export function overridableCodes(): string[] {
    return [...Object.values(RULES), ...AMBIENT_REFUSAL_CODES, ...Object.values(GATEWAY_API_LIVE_RULES), "all"];
}

/**
 * Rule codes from ISTIO_MESH_ALLOW_UNSAFE or --allow-unsafe. An unknown code is an error that
 * lists the valid ones: a typo must never read as "no override" (or as an override of nothing).
 */
export function parseAllowUnsafe(value: string | undefined, source = ALLOW_UNSAFE_ENV): string[] {
    const codes = (value ?? "").split(",").map((s) => s.trim()).filter((s) => s.length > 0);
    const valid = new Set(overridableCodes());
    const unknown = codes.filter((c) => !valid.has(c));
    if (unknown.length > 0) {
        throw new UserError(`${source}: unknown rule code${unknown.length > 1 ? "s" : ""} ${unknown.map((c) => `"${c}"`).join(", ")}; the rule codes are: ${[...valid].join(", ")}`);
    }
    return codes;
}

/** Thrown when the transition FROM -> TO is refused; the message is the planner's. */
export class TransitionRefused extends UserError {
    constructor(public readonly problems: readonly Problem[]) {
        super(
            `istio-mesh refused this change before touching the cluster:\n` +
                problems.map((p) => `  - [${p.code}] ${p.message}`).join("\n") +
                `\nTo proceed anyway (you own the risk), set ${ALLOW_UNSAFE_ENV}=${problems.map((p) => p.code).join(",")} for this one run.`,
        );
        this.name = "TransitionRefused";
    }
}

/** Applies the transition rules; returns the warnings or throws TransitionRefused. */
export function guardTransition(from: MeshState | undefined, to: MeshState, allowUnsafe: readonly string[], live?: LiveCheck, crds?: LiveCrds): readonly Problem[] {
    const result = evaluateTransition(from, to, allowUnsafe, live, crds);
    if (result.problems.length > 0) {
        throw new TransitionRefused(result.problems);
    }
    return result.warnings;
}
