/** The sample's example stack file and config builders for the Bookinfo tests. */
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { parseSample, SAMPLE_KEY, SampleConfigError, SampleIssue } from "../../examples/bookinfo/config";
import { REPO } from "../support/fixtures";

/** `config:` of examples/bookinfo/Pulumi.dev.yaml. */
export function exampleConfig(): Record<string, any> {
    return parse(fs.readFileSync(path.join(REPO, "examples", "bookinfo", "Pulumi.dev.yaml"), "utf8")).config;
}

/** The example's `bookinfo:sample`, deep-copied so a test can change it. */
export function exampleSample(): Record<string, any> {
    return structuredClone(exampleConfig()[SAMPLE_KEY]);
}

/** The issues parseSample raises for RAW (fails when it raises none). */
export function sampleIssues(raw: unknown): SampleIssue[] {
    try {
        parseSample(raw);
    } catch (e) {
        if (e instanceof SampleConfigError) {
            return [...e.issues];
        }
        throw e;
    }
    throw new Error("expected the sample config to be refused");
}
