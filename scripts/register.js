/**
 * `node -r ./scripts/register.js x.ts`: runs TypeScript like ts-node's transpile-only mode
 * (TypeScript's own transpileModule with this project's tsconfig, no type check), but keeps
 * each transpiled file in node_modules/.cache/istio-mesh-ts, keyed by its content, the
 * compiler options and the TypeScript version. Transpiling the program on every start was a
 * third of an offline plan's time; a PR check runs the plan once per stack file. Plain
 * JavaScript, so that nothing needs compiling before it; TypeScript loads only on a miss.
 */
"use strict";
const crypto = require("crypto");
const fs = require("fs");
const path = require("path");

const root = path.resolve(__dirname, "..");
const cacheDir = path.join(root, "node_modules", ".cache", "istio-mesh-ts");
const tsconfigText = fs.readFileSync(path.join(root, "tsconfig.json"), "utf8");
const tsVersion = JSON.parse(fs.readFileSync(require.resolve("typescript/package.json"), "utf8")).version;
const salt = `${tsVersion}\n${tsconfigText}\n1`;

let compilerOptions;
/** TypeScript and the parsed options, loaded on the first cache miss only. */
function transpile(source, fileName) {
    const ts = require("typescript");
    if (compilerOptions === undefined) {
        const parsed = ts.parseJsonConfigFileContent(ts.parseConfigFileTextToJson("tsconfig.json", tsconfigText).config, ts.sys, root);
        compilerOptions = { ...parsed.options, module: ts.ModuleKind.CommonJS, noEmit: false, declaration: false, sourceMap: false, inlineSourceMap: true };
    }
    return ts.transpileModule(source, { compilerOptions, fileName }).outputText;
}

require.extensions[".ts"] = function (module, fileName) {
    const source = fs.readFileSync(fileName, "utf8");
    const key = crypto.createHash("sha256").update(salt).update(fileName).update("\0").update(source).digest("hex");
    const cached = path.join(cacheDir, `${key}.js`);
    let js;
    try {
        js = fs.readFileSync(cached, "utf8");
    } catch {
        js = transpile(source, fileName);
        try {
            // Write-then-rename: concurrent runs never read a half-written file.
            fs.mkdirSync(cacheDir, { recursive: true });
            const tmp = `${cached}.${process.pid}`;
            fs.writeFileSync(tmp, js);
            fs.renameSync(tmp, cached);
        } catch {
            // A read-only checkout still runs, only slower.
        }
    }
    module._compile(js, fileName);
};

// Node >= 22.1 (what users run) also keeps V8's compiled code on disk between runs; Node 20
// has no such cache and goes on without it.
require("module").enableCompileCache?.(path.join(root, "node_modules", ".cache", "istio-mesh-v8"));
