/** Stack file names and the selection's step outputs: nothing from a file name writes where it should not. */
import { expect } from "chai";
import fc from "fast-check";
import { githubOutputs, parseNameStatus, stackFileProblem, stackOfFile, unquoteGitPath } from "../../components/review/select";

/** Reads $GITHUB_OUTPUT as the runner does: `name=value` lines and `name<<DELIM` … `DELIM` blocks. */
function readGithubOutput(text: string): Map<string, string> {
    const out = new Map<string, string>();
    const lines = text.split("\n");
    for (let i = 0; i < lines.length; i++) {
        const line = lines[i];
        if (line === "") continue;
        const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
        if (heredoc !== null) {
            const end = lines.indexOf(heredoc[2], i + 1);
            expect(end, `delimiter of ${heredoc[1]}`).to.be.greaterThan(i);
            out.set(heredoc[1], lines.slice(i + 1, end).join("\n"));
            i = end;
        } else {
            out.set(line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1));
        }
    }
    return out;
}

describe("review: stack file names and step outputs", () => {
    it("a stack file is Pulumi.<DNS label>.yaml (or .yml) at the root; anything else that looks like one is refused with the fix", () => {
        expect(stackOfFile("Pulumi.prod-eu.yaml")).to.equal("prod-eu");
        expect(stackFileProblem("Pulumi.prod-eu.yaml")).to.equal(undefined);
        expect(stackFileProblem("Pulumi.yaml"), "the project file").to.equal(undefined);
        expect(stackFileProblem("stacks/01-install.yaml"), "an example").to.equal(undefined);
        expect(stackFileProblem("README.md")).to.equal(undefined);
        for (const bad of ["Pulumi.Prod.yaml", "Pulumi.a\nstacks=[].yaml", "Pulumi.a=b.yaml", "Pulumi.-x.yaml", "Pulumi.a_b.yaml", `Pulumi.${"a".repeat(64)}.yaml`, "Pulumi.a b.yaml", 'Pulumi.a".yaml']) {
            expect(stackOfFile(bad), bad).to.equal(undefined);
            expect(stackFileProblem(bad), bad).to.include("is not a DNS label").and.to.include("rename it to Pulumi.<name>.yaml");
        }
        expect(stackFileProblem("Pulumi.a\nstacks=[].yaml")).to.include(JSON.stringify("a\nstacks=[]"));
    });

    it("step outputs: every value, whatever it holds, reads back as itself under its own name (a newline writes no second output)", () => {
        fc.assert(
            fc.property(fc.dictionary(fc.stringMatching(/^[a-z][a-z-]{0,8}$/), fc.oneof(fc.string(), fc.constantFrom("x\nstacks=[\"evil\"]", "ISTIO_MESH_EOF_a", "a\r\nb"))), (values) => {
                let n = 0;
                const text = githubOutputs(values, () => String.fromCharCode(97 + (n++ % 26)));
                const read = readGithubOutput(text);
                expect(Object.fromEntries(read)).to.deep.equal(values);
            }),
            { numRuns: 300 },
        );
        expect(githubOutputs({ stacks: "[]" }, () => "k")).to.equal("stacks<<ISTIO_MESH_EOF_k\n[]\nISTIO_MESH_EOF_k\n");
    });

    it("git's C-quoted paths are read back as the names they are (so a newline in a name is seen, and refused)", () => {
        expect(unquoteGitPath('"Pulumi.a\\nstacks=[].yaml"')).to.equal("Pulumi.a\nstacks=[].yaml");
        expect(unquoteGitPath('"caf\\303\\251.yaml"')).to.equal("café.yaml");
        expect(unquoteGitPath('"a\\"b\\\\c"')).to.equal('a"b\\c');
        expect(unquoteGitPath("plain.yaml")).to.equal("plain.yaml");
        expect(parseNameStatus('A\t"Pulumi.a\\nb.yaml"\n')).to.deep.equal([{ status: "added", path: "Pulumi.a\nb.yaml" }]);
        expect(stackFileProblem(parseNameStatus('A\t"Pulumi.a\\nb.yaml"\n')[0].path)).to.include("is not a DNS label");
    });
});
