/** scripts/register.js: TypeScript run like ts-node's transpile-only mode, with a content-keyed cache. */
import { expect } from "chai";
import * as child_process from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { REPO } from "../support/fixtures";

const CACHE = path.join(REPO, "node_modules", ".cache", "istio-mesh-ts");

function runTs(file: string): string {
    const r = child_process.spawnSync(process.execPath, ["-r", path.join(REPO, "scripts", "register.js"), "-e", `console.log(JSON.stringify(require(${JSON.stringify(file)})))`], { encoding: "utf8" });
    expect(r.status, r.stderr).to.equal(0);
    return r.stdout.trim();
}

describe("scripts/register.js: transpile cache", () => {
    it("runs TypeScript (types erased, enums and `export =` kept) and caches by content: an edit is never served stale", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "register-"));
        const file = path.join(dir, "m.ts");
        const before = new Set(fs.existsSync(CACHE) ? fs.readdirSync(CACHE) : []);
        fs.writeFileSync(file, "enum Kind { A = 'a' }\nconst v: { kind: Kind; n: number } = { kind: Kind.A, n: 1 };\nexport = v;\n");
        expect(runTs(file)).to.equal('{"kind":"a","n":1}');
        const added = fs.readdirSync(CACHE).filter((f) => !before.has(f));
        expect(added, "one cached file for the new source").to.have.length(1);
        expect(runTs(file), "served from the cache").to.equal('{"kind":"a","n":1}');
        fs.writeFileSync(file, "enum Kind { A = 'a' }\nconst v: { kind: Kind; n: number } = { kind: Kind.A, n: 2 };\nexport = v;\n");
        expect(runTs(file), "edited source").to.equal('{"kind":"a","n":2}');
        for (const f of fs.readdirSync(CACHE).filter((f) => !before.has(f))) fs.rmSync(path.join(CACHE, f));
    });
});
