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
    mutate: [
        "components/plan/transitions.ts",
        "components/plan/addonRules.ts",
        "components/plan/steps.ts",
        "components/plan/guard.ts",
        "components/state/deployed.ts",
        "components/state/readDeployed.ts",
        // Issue 20 part 5: modules where a mutant every test survived was found by review.
        "components/kubectl/sync.ts",
        "components/dataplane/inUse.ts",
        "components/gateways/canaryService.ts",
        "components/gateways/gateway.ts",
        "components/gateways/hostNetwork.ts",
        "components/addons/addons.ts",
        "components/addons/config.ts",
        "components/probe/report.ts",
        "components/probe/manifest.ts",
        "components/review/markdown.ts",
        "components/review/select.ts",
        "components/adopt/mapping.ts",
        "components/adopt/stackFile.ts",
    ],
    mochaOptions: {
        ...base.mochaOptions,
        spec: [
            // Issue 20 part 5's modules first: their own unit tests, and the components built
            // alone under mocks (tests/support/components.ts). First, so that a mutant they kill
            // stops there instead of after the whole-program runs of tests/state/ (a mutant's
            // covering tests run in this order, up to the first failure). Not whole-program runs
            // themselves: those also execute the plan modules, and each of their surviving
            // mutants would be re-run with them in every incremental run.
            "tests/kubectl/sync.test.ts",
            "tests/dataplane/inUse.test.ts",
            "tests/dataplane/inUsePods.test.ts",
            "tests/review/mutants.test.ts",
            "tests/review/select.test.ts",
            "tests/review/selectStacks.test.ts",
            "tests/review/markdown.test.ts",
            "tests/review/markdownText.test.ts",
            "tests/review/selectRules.test.ts",
            "tests/probe/report.test.ts",
            "tests/probe/manifest.test.ts",
            "tests/probe/reportRules.test.ts",
            "tests/gateways/components.test.ts",
            "tests/addons/component.test.ts",
            "tests/adopt/mapping.test.ts",
            "tests/adopt/golden.test.ts",
            "tests/adopt/stackFile.test.ts",
            "tests/adopt/stackFileRules.test.ts",
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
