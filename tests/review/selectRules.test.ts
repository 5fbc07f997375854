/** Stack selection's small rules one by one (components/review/select.ts): each row fails if its rule changes. */
import { expect } from "chai";
import { ChangedFile, githubOutputs, isExampleFile, normalize, parseNameStatus, selectStacks, stackFileHasKubeconfig, stackFileProblem, stackNeedsPassphrase, unquoteGitPath } from "../../components/review/select";

const STACK_FILES = ["Pulumi.dev.yaml", "Pulumi.prod.yaml", "Pulumi.staging-eu.yaml"];
const of = (...files: [ChangedFile["status"], string][]): ChangedFile[] => files.map(([status, path]) => ({ status, path }));

describe("review: stack selection rules", () => {
    it("paths: backslashes become slashes, only a leading ./ goes", () => {
        expect(normalize("a\\b\\c")).to.equal("a/b/c");
        expect(normalize("./x")).to.equal("x");
        expect(normalize("docs/./x")).to.equal("docs/./x");
    });

    const stackFiles: [string, boolean][] = [
        ["Pulumi.prod.yaml", true],
        ["Pulumi.prod.yml", true],
        ["Pulumi.Prod.yml", false],
        ["Pulumi.a b.yaml", false],
        ["Pulumi.yaml", true],
        ["Pulumi.yml", true],
        ["xPulumi.A.yaml", true],
        ["Pulumi.A.yaml.bak", true],
        ["stacks/Pulumi.A.yaml", true],
    ];
    for (const [file, fine] of stackFiles) {
        it(`stack file name ${JSON.stringify(file)}: ${fine ? "no problem (fine, or no stack file)" : "refused"}`, () => expect(stackFileProblem(file) === undefined).to.equal(fine));
    }
    it("the refusal names the file and the stack name", () => {
        expect(stackFileProblem("Pulumi.Bad.yml")).to.match(/^stack file "Pulumi\.Bad\.yml": the stack name "Bad" is not a DNS label/);
    });

    it("examples: stacks/*.yaml or .yml at the root's stacks/ only", () => {
        expect([isExampleFile("stacks/a.yaml"), isExampleFile("stacks/a.yml"), isExampleFile("x/stacks/a.yaml"), isExampleFile("stacks/a.yaml.bak")]).to.deep.equal([true, true, false, false]);
    });

    const kubeconfigs: [unknown, boolean][] = [
        [null, false],
        [["x"], false],
        ["a string", false],
        [{ kind: "aks" }, true],
        [{ kubeconfig: "apiVersion: v1" }, true],
        [{ kubeconfig: "  apiVersion: v1" }, true],
        [{ kubeconfig: "xapiVersion: v1" }, false],
        [{ kubeconfig: "my apiVersion: notes" }, false],
        [{ kubeconfig: '  {"kind": "Config"}' }, true],
        [{ kubeconfig: "x{" }, false],
        [{ kubeconfig: "a\nb" }, true],
        [{ kubeconfig: { secure: "v1:x", other: 1 } }, false],
        [{ kubeconfig: { secure: 5 } }, false],
        [{ secure: "v1:x" }, true],
    ];
    for (const [cluster, has] of kubeconfigs) {
        it(`istio-mesh:cluster ${JSON.stringify(cluster)}: ${has ? "carries its kubeconfig" : "needs the secret"}`, () => expect(stackFileHasKubeconfig({ "istio-mesh:cluster": cluster })).to.equal(has));
    }

    const passphrases: [Record<string, unknown>, boolean][] = [
        [{ secretsprovider: "", encryptionsalt: "v1:s" }, true],
        [{ secretsprovider: "passphrase" }, true],
        [{ secretsprovider: "awskms://k", encryptionsalt: "v1:s" }, false],
        [{ secretsprovider: 5, encryptionsalt: "v1:s" }, true],
        [{ encryptionsalt: 5 }, false],
    ];
    for (const [doc, needs] of passphrases) {
        it(`stack document ${JSON.stringify(doc)}: ${needs ? "needs" : "does not need"} the passphrase`, () => expect(stackNeedsPassphrase(doc)).to.equal(needs));
    }

    it("git's C-quoted paths; anything not wholly quoted stays as it is", () => {
        expect(unquoteGitPath('"')).to.equal('"');
        expect(unquoteGitPath('a"')).to.equal('a"');
        expect(unquoteGitPath('"a')).to.equal('"a');
        expect(unquoteGitPath('""')).to.equal("");
        expect(unquoteGitPath('"a\\tb\\"c\\\\"')).to.equal('a\tb"c\\');
        expect(unquoteGitPath('"\\303\\251x"')).to.equal("éx");
        expect(unquoteGitPath('"\\q"')).to.equal("q");
    });

    it("name-status lines: status letters trimmed, bare paths trimmed, blank lines skipped", () => {
        expect(parseNameStatus(" A\tPulumi.x.yaml\n  \n index.ts \nD \tgone\n")).to.deep.equal([
            { status: "added", path: "Pulumi.x.yaml" },
            { status: "modified", path: "index.ts" },
            { status: "deleted", path: "gone" },
        ]);
    });

    it("selection: a deleted file whose stack is still there is that stack's change; a change to an absent stack selects nothing", () => {
        const sel = selectStacks(of(["deleted", "Pulumi.prod.yaml"], ["modified", "Pulumi.gone.yaml"]), { stackFiles: STACK_FILES });
        expect(sel.stacks.map((s) => [s.stack, s.reason])).to.deep.equal([["prod", "file-changed"]]);
        expect(sel.removed).to.deep.equal([]);
    });

    it("selection: stacks sorted by name, removals too, whatever order the files came in", () => {
        const sel = selectStacks(of(["modified", "Pulumi.staging-eu.yaml"], ["modified", "Pulumi.dev.yaml"], ["deleted", "Pulumi.zz.yaml"], ["deleted", "Pulumi.aa.yaml"]), { stackFiles: STACK_FILES });
        expect(sel.stacks.map((s) => s.stack)).to.deep.equal(["dev", "staging-eu"]);
        expect(sel.removed.map((r) => r.stack)).to.deep.equal(["aa", "zz"]);
    });

    it("selection: a stack document whose config is null carries no kubeconfig; no stacks at all names none", () => {
        const sel = selectStacks(of(["modified", "Pulumi.dev.yaml"]), { stackFiles: STACK_FILES, readStackFile: () => ({ config: null }) });
        expect(sel.stacks[0].kubeconfigInStackFile).to.equal(false);
        expect(() => selectStacks([], { stackFiles: [], only: ["x"] })).to.throw('no stack file for stack "x" (have: none)');
    });

    it("step outputs: the delimiter is ISTIO_MESH_EOF_ and a random part no value contains", () => {
        expect(githubOutputs({ a: "x" }, () => "r")).to.equal("a<<ISTIO_MESH_EOF_r\nx\nISTIO_MESH_EOF_r\n");
        const randoms = ["r", "s"];
        expect(githubOutputs({ a: "ISTIO_MESH_EOF_r" }, () => randoms.shift()!)).to.equal("a<<ISTIO_MESH_EOF_s\nISTIO_MESH_EOF_r\nISTIO_MESH_EOF_s\n");
        expect(githubOutputs({ a: "x" })).to.match(/^a<<ISTIO_MESH_EOF_[0-9a-z]+\nx\nISTIO_MESH_EOF_[0-9a-z]+\n$/);
    });
});
