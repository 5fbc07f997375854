import { expect } from "chai";
import { NEWEST_PATCH } from "../../components/versions/releases";
import { NEWEST_SUPPORTED_MINOR, OLDEST_SUPPORTED_MINOR, versionProblem } from "../../components/versions/version";
import * as fs from "fs";
import * as path from "path";

describe("versions: the catalogue of released patches", () => {
    it("has every supported minor, and every patch up to the newest exists", () => {
        const minors = Object.keys(NEWEST_PATCH).map(Number);
        expect(minors).to.deep.equal(Array.from({ length: NEWEST_SUPPORTED_MINOR - OLDEST_SUPPORTED_MINOR + 1 }, (_, i) => OLDEST_SUPPORTED_MINOR + i));
        for (const m of minors) {
            for (let p = 0; p <= NEWEST_PATCH[m]; p++) expect(versionProblem(`1.${m}.${p}`), `1.${m}.${p}`).to.equal(undefined);
            expect(versionProblem(`1.${m}.${NEWEST_PATCH[m] + 1}`)).to.match(/has not been released/);
        }
    });

    it("every version the repository's stacks and examples use exists", () => {
        const repo = path.join(__dirname, "..", "..");
        const files = ["Pulumi.dev.yaml", ...fs.readdirSync(path.join(repo, "stacks")).filter((f) => f.endsWith(".yaml")).map((f) => `stacks/${f}`)];
        for (const f of files) {
            for (const [, v] of fs.readFileSync(path.join(repo, f), "utf8").matchAll(/version: "?(1\.\d+\.\d+)"?/g)) {
                expect(versionProblem(v), `${f}: ${v}`).to.equal(undefined);
            }
        }
    });
});
