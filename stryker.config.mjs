// Mutation testing of the pure modules (config, versions, state, plan rules, tag webhooks,
// Helm values) with StrykerJS: `npm run test:mutation` (everything, ~see README) or
// `npm run test:mutation:ci` (the plan rules and state, for CI's time budget).
// The tests run against mutants are the modules' own unit tests, plus a few fast program runs
// under mocks that check config paths end to end (CNI, mTLS, gateway options, object-member
// names). The plan command (a child process never sees the active mutant) and the slow
// program tests are left out on purpose: a mutant in a pure module has to be killed by tests
// of that module's own behaviour.
// The tests read only the repository's own fixtures (tests/fixtures), which the sandbox copies.

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
    packageManager: "npm",
    testRunner: "mocha",
    // The TypeScript checker (installed) drops mutants that do not compile, but takes a process
    // from the test runners and more than doubles the run here; opt in with
    // `npm run test:mutation -- --checkers typescript`.
    checkers: [],
    tsconfigFile: "tsconfig.json",
    typescriptChecker: { prioritizePerformanceOverAccuracy: true },
    mutate: [
        "components/config/**/*.ts",
        "components/versions/**/*.ts",
        "components/plan/transitions.ts",
        "components/plan/addonRules.ts",
        "components/plan/steps.ts",
        "components/plan/guard.ts",
        "components/state/deployed.ts",
        "components/state/readDeployed.ts",
        "components/tags/webhooks.ts",
        "components/helm/values.ts",
        "components/aks/catalogue.ts",
        "components/aks/names.ts",
        "components/aks/meshConfig.ts",
        "components/aks/profile.ts",
    ],
    mochaOptions: {
        config: ".mocharc.json",
        require: ["ts-node/register/transpile-only", "./tests/support/mutationHooks.ts"],
        spec: [
            "tests/config/badInput.test.ts",
            "tests/config/order.test.ts",
            "tests/config/problems.test.ts",
            "tests/config/stackConfig.test.ts",
            "tests/config/stackConfigPaths.test.ts",
            "tests/config/messages.test.ts",
            "tests/config/lookalikeAndCascade.test.ts",
            "tests/versions/**/*.test.ts",
            "tests/state/**/*.test.ts",
            "tests/tags/**/*.test.ts",
            "tests/helm/values.test.ts",
            "tests/helm/valueShapes.test.ts",
            "tests/helm/controlPlaneValues.test.ts",
            "tests/plan/transitions.test.ts",
            "tests/plan/steps.test.ts",
            "tests/plan/guard.test.ts",
            "tests/plan/transitionMessages.test.ts",
            "tests/plan/patchAdvice.test.ts",
            "tests/aks/catalogue.test.ts",
            "tests/aks/config.test.ts",
            "tests/aks/addonRules.test.ts",
            "tests/aks/profile.test.ts",
            "tests/aks/meshConfig.test.ts",
            "tests/config/objectMembers.test.ts",
            "tests/gateways/options.test.ts",
            "tests/plan/namespaceRules.test.ts",
            "tests/cni/cni.test.ts",
            "tests/security/mtls.test.ts",
        ],
    },
    coverageAnalysis: "perTest",
    ignorePatterns: ["tests/e2e/**", "reports/**", ".e2e-cache/**", "bin/**"],
    reporters: ["clear-text", "progress-append-only", "html", "json"],
    htmlReporter: { fileName: "reports/mutation/mutation.html" },
    jsonReporter: { fileName: "reports/mutation/mutation.json" },
    clearTextReporter: { allowColor: false, logTests: false, reportMutants: false, reportScoreTable: true },
    thresholds: { high: 90, low: 80, break: null },
    timeoutMS: 10000,
    // A static mutant (a module-level constant) needs a fresh test process each: hours here.
    // They are left out of the score; the constants they would change are asserted by value.
    ignoreStatic: true,
    tempDirName: ".stryker-tmp",
    // Re-test only mutants whose code or covering tests changed since the last run.
    incremental: true,
    incrementalFile: "reports/mutation/incremental.json",
    cleanTempDir: "always",
};
