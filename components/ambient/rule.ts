/**
 * The shape of a transition rule as a table row, and the runner that evaluates a table. Pure.
 *
 * A row says when it has something to look at (`applies`), which objects break it (`check`,
 * one finding per object) and what to tell the operator about one finding (`message`: the
 * objects and the safe sequence). Refusals can be overridden by code, like the rules in
 * components/plan/transitions.ts; warnings are advisory.
 */
import type { AmbientState } from "./state";

export interface Problem {
    /** Stable rule identifier, also what --allow-unsafe takes. */
    readonly code: string;
    readonly message: string;
}

export interface Rule<F> {
    readonly code: string;
    readonly severity: "refusal" | "warning";
    /** True when the transition has anything this rule looks at (cheap; `check` runs only then). */
    readonly applies: (from: AmbientState | undefined, to: AmbientState) => boolean;
    /** The findings, one per offending object; empty = the transition passes this rule. */
    readonly check: (from: AmbientState | undefined, to: AmbientState) => readonly F[];
    readonly message: (finding: F, to: AmbientState) => string;
}

/** A row of any finding type, for tables mixing rules (the finding never leaves its row). */
export type AnyRule = Rule<unknown>;

/** Erases the finding type of a row so rows of different findings share one table. */
export const row = <F>(r: Rule<F>): AnyRule => r as unknown as AnyRule;

export interface RuleResult {
    /** Refusals not overridden: non-empty means the change must not run. */
    readonly problems: readonly Problem[];
    /** Overridden refusals (prefixed OVERRIDDEN) and warnings. */
    readonly warnings: readonly Problem[];
}

/** Runs every row of `table` over FROM -> TO; `allowUnsafe` lists overridden codes (or "all"). */
export function runRules(table: readonly AnyRule[], from: AmbientState | undefined, to: AmbientState, allowUnsafe: readonly string[] = []): RuleResult {
    const problems: Problem[] = [];
    const overridden: Problem[] = [];
    const warnings: Problem[] = [];
    const allowAll = allowUnsafe.includes("all");
    for (const r of table) {
        if (!r.applies(from, to)) {
            continue;
        }
        for (const f of r.check(from, to)) {
            const p = { code: r.code, message: r.message(f, to) };
            if (r.severity === "warning") {
                warnings.push(p);
            } else if (allowAll || allowUnsafe.includes(r.code)) {
                overridden.push({ code: r.code, message: `OVERRIDDEN (allow-unsafe): ${p.message}` });
            } else {
                problems.push(p);
            }
        }
    }
    return { problems, warnings: [...overridden, ...warnings] };
}

/** Istio minor of "1.30.3" (versions reaching the rules are validated upstream). */
export function minorOf(version: string): number {
    const m = /^1\.(\d+)\.\d+$/.exec(version);
    if (m === null) {
        throw new Error(`internal: "${version}" is not a validated Istio version`);
    }
    return Number(m[1]);
}
