import { UserError } from "../errors";
import { MeshState } from "../state/deployed";
import { LiveCheck } from "./inUseRule";
import { evaluateTransition, Problem } from "./transitions";

/** Env var naming the rules an operator overrides for one run: codes, comma-separated, or "all". */
export const ALLOW_UNSAFE_ENV = "ISTIO_MESH_ALLOW_UNSAFE";

export function parseAllowUnsafe(value: string | undefined): string[] {
    return (value ?? "").split(",").map((s) => s.trim()).filter((s) => s.length > 0);
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
export function guardTransition(from: MeshState | undefined, to: MeshState, allowUnsafe: readonly string[], live?: LiveCheck): readonly Problem[] {
    const result = evaluateTransition(from, to, allowUnsafe, live);
    if (result.problems.length > 0) {
        throw new TransitionRefused(result.problems);
    }
    return result.warnings;
}
