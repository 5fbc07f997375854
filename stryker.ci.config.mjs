// The CI subset of mutation testing (`npm run test:mutation:ci`): the modules that decide what
// a change may do (transition rules, guard, steps, the deployed state read-back), without the
// static mutants (module-level constants, each needing a fresh test process). Fails under 80 %.
// The whole run (`npm run test:mutation`) covers config, versions, tags and Helm values too.
import base from "./stryker.config.mjs";

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
    ...base,
    mutate: ["components/plan/transitions.ts", "components/plan/steps.ts", "components/plan/guard.ts", "components/state/deployed.ts"],
    ignoreStatic: true,
    // The type checker roughly doubles the run; mutants that do not compile fail their tests anyway.
    checkers: [],
    reporters: ["clear-text", "progress-append-only", "json"],
    jsonReporter: { fileName: "reports/mutation/ci.json" },
    thresholds: { high: 90, low: 80, break: 80 },
};
