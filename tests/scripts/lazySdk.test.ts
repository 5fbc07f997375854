/**
 * scripts/lazy-sdk.js (preloaded by `npm run plan` and `npm run bench`): the parts of the
 * Pulumi SDK a plan never runs load on first use, not at start, and are then the real modules.
 */
import { expect } from "chai";
import * as child_process from "child_process";
import * as path from "path";
import { REPO } from "../support/fixtures";

/** Runs `script` in a fresh Node with or without the preload; returns its JSON output. */
function run(script: string, preload: boolean): Record<string, unknown> {
    const args = [...(preload ? ["-r", path.join(REPO, "scripts", "lazy-sdk.js")] : []), "-e", script];
    const r = child_process.spawnSync(process.execPath, args, { cwd: REPO, encoding: "utf8" });
    expect(r.status, r.stderr).to.equal(0);
    return JSON.parse(r.stdout) as Record<string, unknown>;
}

/** Which of the heavy modules are loaded: TypeScript, npm's Arborist, the Automation API. */
const LOADED = `
const loaded = () => {
    const files = Object.keys(require.cache);
    return {
        typescript: files.some((f) => /[\\\\/]node_modules[\\\\/]typescript[\\\\/]lib[\\\\/]typescript\\.js$/.test(f)),
        arborist: files.some((f) => /[\\\\/]@npmcli[\\\\/]arborist[\\\\/]/.test(f)),
        automation: files.some((f) => /[\\\\/]@pulumi[\\\\/]pulumi[\\\\/]automation[\\\\/]index\\.js$/.test(f)),
    };
};`;

describe("scripts/lazy-sdk.js: the SDK's unused parts load on first use", () => {
    it("loading @pulumi/pulumi loads neither TypeScript, Arborist nor the Automation API (but does without the preload)", () => {
        const script = `${LOADED}\nrequire("@pulumi/pulumi"); require("@pulumi/kubernetes"); console.log(JSON.stringify(loaded()));`;
        expect(run(script, true)).to.deep.equal({ typescript: false, arborist: false, automation: false });
        // The control: the SDK as it is loads all three, so the assertion above can fail.
        expect(run(script, false)).to.deep.equal({ typescript: true, arborist: false, automation: true });
    });

    it("each deferred module is the real one when used: Automation API, TypeScript, Arborist", () => {
        const script = `${LOADED}
const pulumi = require("@pulumi/pulumi");
const workspace = typeof pulumi.automation.LocalWorkspace.create;
const ts = require("@pulumi/pulumi/typescript-shim");
const scanner = ts.createScanner(ts.ScriptTarget.Latest, false, ts.LanguageVariant.Standard, "x");
scanner.scan();
const arborist = require("@pulumi/pulumi/runtime/closure/codePaths");
console.log(JSON.stringify({ workspace, identifier: scanner.getTokenValue(), version: ts.version === require("typescript").version, codePaths: typeof arborist.computeCodePaths, keys: Object.keys(pulumi.automation).includes("LocalWorkspace"), ...loaded() }));`;
        expect(run(script, true)).to.deep.equal({ workspace: "function", identifier: "x", version: true, codePaths: "function", keys: true, typescript: true, arborist: false, automation: true });
    });
});
