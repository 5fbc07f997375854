/**
 * Stack selection from a pull request's changed files (components/review/select.ts, pure): which
 * stacks are planned, previewed and updated, and what each needs (kubeconfig secret, passphrase).
 * Moved here from tests/scripts/prComment.test.ts, whose other tests run plans and processes.
 */
import { expect } from "chai";
import { ChangedFile, kubeconfigSecretName, parseNameStatus, PlanTarget, selectStacks, stackFileHasKubeconfig, stackNeedsPassphrase, stackOfFile } from "../../components/review/select";

const modified = (...paths: string[]): ChangedFile[] => paths.map((p) => ({ status: "modified", path: p }));
const STACK_FILES = ["Pulumi.dev.yaml", "Pulumi.prod.yaml", "Pulumi.staging-eu.yaml"];
const names = (ts: readonly PlanTarget[]) => ts.map((t) => t.stack ?? t.file);

describe("pr-comment: stack selection from changed files", () => {
    it("Pulumi.<stack>.yaml at the root is that stack; Pulumi.yaml and nested files are not stack files", () => {
        expect(stackOfFile("Pulumi.prod.yaml")).to.equal("prod");
        expect(stackOfFile("./Pulumi.staging-eu.yml")).to.equal("staging-eu");
        expect(stackOfFile("Pulumi.yaml")).to.equal(undefined);
        expect(stackOfFile("stacks/Pulumi.prod.yaml")).to.equal(undefined);
        expect(stackOfFile("Pulumi.prod.yaml.bak")).to.equal(undefined);
    });

    it("a changed stack file selects that stack only (plan, preview, up)", () => {
        const sel = selectStacks(modified("Pulumi.prod.yaml", "README.md"), { stackFiles: STACK_FILES });
        expect(names(sel.plan)).to.deep.equal(["prod"]);
        expect(sel.stacks).to.deep.equal([{ stack: "prod", file: "Pulumi.prod.yaml", kind: "stack", reason: "file-changed", kubeconfigSecret: "KUBECONFIG_PROD", kubeconfigInStackFile: false, needsPassphrase: false }]);
        expect(sel.programChanged).to.equal(false);
    });

    it("a program change selects every stack, sorted, each saying why", () => {
        for (const file of ["index.ts", "components/mesh/mesh.ts", "Pulumi.yaml", "package-lock.json", "package.json"]) {
            const sel = selectStacks(modified(file, "Pulumi.prod.yaml"), { stackFiles: STACK_FILES });
            expect(names(sel.stacks), file).to.deep.equal(["dev", "prod", "staging-eu"]);
            expect(sel.stacks.map((s) => s.reason)).to.deep.equal(["program-changed", "file-changed", "program-changed"]);
            expect(sel.programChanged).to.equal(true);
        }
    });

    it("stacks/*.yaml examples are planned only: never previewed or updated", () => {
        const sel = selectStacks(modified("stacks/03-promote.yaml", "stacks/02-canary.yaml"), { stackFiles: STACK_FILES });
        expect(names(sel.plan)).to.deep.equal(["stacks/02-canary.yaml", "stacks/03-promote.yaml"]);
        expect(sel.plan.every((t) => t.kind === "example" && t.stack === undefined)).to.equal(true);
        expect(sel.stacks).to.deep.equal([]);
    });

    it("stacks come before examples; docs, tests and workflows select nothing", () => {
        expect(names(selectStacks(modified("stacks/01-install.yaml", "Pulumi.dev.yaml"), { stackFiles: STACK_FILES }).plan)).to.deep.equal(["dev", "stacks/01-install.yaml"]);
        const none = selectStacks(modified("README.md", "tests/plan/steps.test.ts", "docs/x.md", ".github/workflows/up.yml", "scripts/bench.ts"), { stackFiles: STACK_FILES });
        expect(none.plan).to.deep.equal([]);
        expect(none.stacks).to.deep.equal([]);
    });

    it("a deleted stack file is reported as removed, never planned or destroyed; a new one is planned", () => {
        const changed = parseNameStatus("D\tPulumi.old.yaml\nA\tPulumi.new.yaml\nD\tstacks/01-install.yaml\n");
        const sel = selectStacks(changed, { stackFiles: [...STACK_FILES, "Pulumi.new.yaml"] });
        expect(sel.removed).to.deep.equal([{ stack: "old", file: "Pulumi.old.yaml" }]);
        expect(names(sel.plan)).to.deep.equal(["new"]);
    });

    it("parses git diff --name-status (and bare paths)", () => {
        expect(parseNameStatus("M\tPulumi.prod.yaml\r\nA\tstacks/05.yaml\nD\tx\n\nindex.ts\n")).to.deep.equal([
            { status: "modified", path: "Pulumi.prod.yaml" },
            { status: "added", path: "stacks/05.yaml" },
            { status: "deleted", path: "x" },
            { status: "modified", path: "index.ts" },
        ]);
    });

    it("a manual run selects all stacks or the ones named; an unknown name is an error", () => {
        expect(names(selectStacks([], { stackFiles: STACK_FILES, all: true }).stacks)).to.deep.equal(["dev", "prod", "staging-eu"]);
        expect(names(selectStacks([], { stackFiles: STACK_FILES, only: ["staging-eu"] }).stacks)).to.deep.equal(["staging-eu"]);
        expect(() => selectStacks([], { stackFiles: STACK_FILES, only: ["qa"] })).to.throw(/no stack file for stack "qa" \(have: dev, prod, staging-eu\)/);
    });

    it("the kubeconfig secret per stack, and stack files that carry their own kubeconfig", () => {
        expect(kubeconfigSecretName("staging-eu")).to.equal("KUBECONFIG_STAGING_EU");
        expect(stackFileHasKubeconfig({ "istio-mesh:cluster": { kubeconfig: { secure: "v1:abc" } } })).to.equal(true);
        expect(stackFileHasKubeconfig({ "istio-mesh:cluster": { secure: "v1:abc" } })).to.equal(true);
        expect(stackFileHasKubeconfig({ "istio-mesh:cluster": { kubeconfig: "apiVersion: v1\nkind: Config\n" } })).to.equal(true);
        // a path is someone's file, not the runner's: the secret is still needed
        expect(stackFileHasKubeconfig({ "istio-mesh:cluster": { kubeconfig: "~/.kube/prod.yaml" } })).to.equal(false);
        expect(stackFileHasKubeconfig({ "istio-mesh:cluster": { kind: "existing" } })).to.equal(false);
        expect(stackFileHasKubeconfig(undefined)).to.equal(false);
        const doc = { encryptionsalt: "v1:salt", config: { "istio-mesh:cluster": { kubeconfig: { secure: "v1:x" } } } };
        const sel = selectStacks(modified("Pulumi.prod.yaml"), { stackFiles: STACK_FILES, readStackFile: () => doc });
        expect(sel.stacks[0]).to.deep.include({ kubeconfigInStackFile: true, needsPassphrase: true });
    });

    it("a passphrase is needed for passphrase-encrypted stacks only", () => {
        expect(stackNeedsPassphrase({ encryptionsalt: "v1:salt", config: {} })).to.equal(true);
        expect(stackNeedsPassphrase({ secretsprovider: "azurekeyvault://vault.vault.azure.net/keys/k", encryptedkey: "x" })).to.equal(false);
        expect(stackNeedsPassphrase({ config: {} })).to.equal(false);
        expect(stackNeedsPassphrase(undefined)).to.equal(false);
    });
});
