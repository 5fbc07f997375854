/** The mutation summary kept in git: scores per file and per folder, survivors, merged reports. */
import { expect } from "chai";
import { mergeReports, Report, summarize } from "../../scripts/mutation-summary";

const at = (line: number, status: string, mutatorName = "StringLiteral") => ({ mutatorName, replacement: '""', status, location: { start: { line, column: 1 } } });

const REPORT: Report = {
    files: {
        "components/config/b.ts": { mutants: [at(2, "Killed"), at(1, "Survived"), at(3, "Ignored")] },
        "components/config/a.ts": { mutants: [at(1, "Killed"), at(2, "Timeout"), at(3, "NoCoverage"), at(4, "CompileError")] },
        "components/tags/c.ts": { mutants: [at(1, "Killed")] },
    },
};

describe("scripts: mutation summary", () => {
    it("scores each file over its valid mutants, each folder of several files as a whole, and lists survivors by line", () => {
        const { text, below } = summarize(REPORT, "/repo");
        expect(text.split("\n")).to.deep.equal([
            "# StrykerJS mutation score per module (detected / valid mutants)",
            "components/config/a.ts           66.7 %  2/3",
            "components/config/b.ts           50.0 %  1/2",
            "components/tags/c.ts            100.0 %  1/1",
            "components/config/ (all files)   60.0 %  3/5",
            "all                              66.7 %  4/6",
            "",
            "# Surviving mutants (2)",
            'components/config/a.ts:3:1 NoCoverage StringLiteral: ""',
            'components/config/b.ts:1:1 Survived StringLiteral: ""',
            "",
        ]);
        expect(below(60)).to.deep.equal(["components/config/b.ts 50.0 %"]);
        expect(below(50)).to.deep.equal([]);
    });

    it("a later report replaces a file of an earlier one, whole", () => {
        const restricted: Report = { files: { "components/config/b.ts": { mutants: [at(1, "Killed"), at(2, "Killed")] } } };
        const merged = mergeReports([REPORT, restricted]);
        expect(Object.keys(merged.files).sort()).to.deep.equal(["components/config/a.ts", "components/config/b.ts", "components/tags/c.ts"]);
        expect(merged.files["components/config/b.ts"].mutants).to.have.length(2);
        expect(summarize(merged, "/repo").below(80)).to.deep.equal(["components/config/a.ts 66.7 %"]);
        expect(mergeReports([restricted, REPORT]).files["components/config/b.ts"].mutants).to.have.length(3);
    });
});
