/**
 * Replays recorded command output (tests/adopt/fixtures/<case>/commands.json: the exact
 * command line → the document it printed) as an adopt Runner, and records what was asked.
 */
import * as fs from "fs";
import * as path from "path";
import { Runner, Tool } from "../../components/adopt/collect";

export const FIXTURES = path.join(__dirname, "fixtures");

export function recordedRunner(fixture: string): { run: Runner; asked: { tool: Tool; args: readonly string[] }[] } {
    const recorded: Record<string, unknown> = JSON.parse(fs.readFileSync(path.join(FIXTURES, fixture, "commands.json"), "utf8"));
    const asked: { tool: Tool; args: readonly string[] }[] = [];
    const run: Runner = (tool, args) => {
        asked.push({ tool, args });
        const key = [tool, ...args].join(" ");
        if (!Object.hasOwn(recorded, key)) {
            throw new Error(`not recorded in ${fixture}: ${key}`);
        }
        return JSON.stringify(recorded[key]);
    };
    return { run, asked };
}

/** recordedRunner with some answers edited: command line → a function of the recorded document. */
export function recordedWith(fixture: string, edits: Readonly<Record<string, (doc: any) => unknown>>): Runner {
    const { run } = recordedRunner(fixture);
    return (tool, args) => {
        const out = run(tool, args);
        const key = [tool, ...args].join(" ");
        return Object.hasOwn(edits, key) ? JSON.stringify(edits[key](JSON.parse(out))) : out;
    };
}
