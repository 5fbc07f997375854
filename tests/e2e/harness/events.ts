/**
 * The engine's event log as the scenarios read it. The Automation API runs every `up`/`preview`
 * with `pulumi --event-log <file>` and hands each line of that file to `onEvent` in order;
 * MeshStack keeps them per operation (`events`). Here, pure functions over those events: which
 * step of which resource started and finished when, and whether one resource's step finished
 * before another's began (the order the engine really ran them in, not the order declared).
 */
import type * as auto from "@pulumi/pulumi/automation";

/** One step's start ("pre") or end ("outputs" = done, "failed") in the log, at `index`. */
export interface LoggedStep {
    index: number;
    phase: "pre" | "outputs" | "failed";
    op: string;
    urn: string;
    /** The resource's name (the URN's last segment). */
    name: string;
    type: string;
    /** Top-level input keys that changed (pre events of updates). */
    diffs: string[];
}

/** The step events of one operation's log, in the engine's order (by sequence number). */
export function loggedSteps(events: readonly auto.EngineEvent[]): LoggedStep[] {
    const sorted = [...events].sort((a, b) => a.sequence - b.sequence);
    const out: LoggedStep[] = [];
    for (const e of sorted) {
        const [phase, m] = e.resourcePreEvent
            ? (["pre", e.resourcePreEvent.metadata] as const)
            : e.resOutputsEvent
              ? (["outputs", e.resOutputsEvent.metadata] as const)
              : e.resOpFailedEvent
                ? (["failed", e.resOpFailedEvent.metadata] as const)
                : ([undefined, undefined] as const);
        if (phase === undefined || m === undefined) continue;
        out.push({ index: out.length, phase, op: m.op, urn: m.urn, name: m.urn.split("::").pop() ?? m.urn, type: m.type, diffs: [...(m.diffs ?? [])] });
    }
    return out;
}

export type StepMatch = (s: LoggedStep) => boolean;

/** A match for steps of resources of `type` whose name ends with `suffix`, with op in `ops`. */
export function stepOf(type: string, suffix: string, ops: readonly string[]): StepMatch {
    return (s) => s.type === type && s.name.endsWith(suffix) && ops.includes(s.op);
}

/**
 * Problems with "every step matching `then` starts only after the step matching `first` is done":
 * none = the order held. `first` must match exactly one resource, be done (an outputs event, not a
 * failure) and `then` must match at least one step, else the check proves nothing and says so.
 */
export function orderProblems(steps: readonly LoggedStep[], first: StepMatch, then: StepMatch): string[] {
    const firsts = steps.filter(first);
    const urns = [...new Set(firsts.map((s) => s.urn))];
    if (urns.length !== 1) return [`expected one resource to go first, found ${urns.length}: ${urns.join(", ") || "none"}`];
    const done = firsts.find((s) => s.phase === "outputs");
    if (done === undefined) return [`${urns[0]} never finished (${firsts.map((s) => `${s.phase} ${s.op}`).join(", ")})`];
    const later = steps.filter((s) => s.phase === "pre" && then(s));
    if (later.length === 0) return ["no step of the resources that should follow it"];
    return later.filter((s) => s.index < done.index).map((s) => `${s.op} ${s.name} started (event ${s.index}) before ${done.name} was done (event ${done.index})`);
}
