// The CI subset of mutation testing (`npm run test:mutation:ci`): the modules that decide what
// a change may do (transition rules incl. the AKS add-on's, guard, steps, the deployed state
// read-back), without the static mutants (module-level constants, each needing a fresh test
// process). Fails under 80 % on any of them.
// Incremental: results are kept in reports/mutation/ci-incremental.json (committed), and a run
// re-tests only mutants whose code or covering tests changed since, so CI stays within its
// time budget; a change to those modules or their tests is re-tested in full.
// The whole run (`npm run test:mutation`) covers config, versions, tags, AKS and Helm values too.
import base from "./stryker.config.mjs";

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
    ...base,
    mutate: ["components/plan/transitions.ts", "components/plan/addonRules.ts", "components/plan/steps.ts", "components/plan/guard.ts", "components/state/deployed.ts", "components/state/readDeployed.ts"],
    mochaOptions: {
        ...base.mochaOptions,
        spec: [
            "tests/state/**/*.test.ts",
            "tests/plan/transitions.test.ts",
            "tests/plan/steps.test.ts",
            "tests/plan/guard.test.ts",
            "tests/plan/transitionMessages.test.ts",
            "tests/plan/namespaceRules.test.ts",
            "tests/aks/addonRules.test.ts",
            "tests/cni/cni.test.ts",
            "tests/security/mtls.test.ts",
        ],
    },
    ignoreStatic: true,
    incremental: true,
    incrementalFile: "reports/mutation/ci-incremental.json",
    // The type checker roughly doubles the run; mutants that do not compile fail their tests anyway.
    checkers: [],
    reporters: ["clear-text", "progress-append-only", "json"],
    jsonReporter: { fileName: "reports/mutation/ci.json" },
    thresholds: { high: 90, low: 80, break: 80 },
};
