/**
 * Builds tests/yaml/yamlv3 (a Go program reading YAML with gopkg.in/yaml.v3, as the Pulumi CLI
 * does) into ~/.cache/istio-mesh-yamlv3, once per version of its source and of Go; the module
 * comes from the Go module proxy (go.sum pins it). Without Go, or when the build fails, the
 * answer says why and the differential test skips; with ISTIO_MESH_REQUIRE_YAMLV3=1 (set by
 * .ci/run) it fails instead, so that CI never passes without comparing.
 */
import { execFileSync } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

export const SOURCE_DIR = path.join(__dirname, "yamlv3");
export const CACHE_DIR = path.join(os.homedir(), ".cache", "istio-mesh-yamlv3");
export const REQUIRE_ENV = "ISTIO_MESH_REQUIRE_YAMLV3";

function findGo(): string | undefined {
    const candidates = [process.env.GO, ...(process.env.PATH ?? "").split(path.delimiter).map((d) => path.join(d, "go")), "/usr/local/go/bin/go"];
    return candidates.find((c): c is string => c !== undefined && c !== "" && fs.existsSync(c));
}

/** The binary's path, or why there is none. */
export function yamlv3Binary(timeoutMs: number): { binary: string } | { unavailable: string } {
    const go = findGo();
    if (go === undefined) return { unavailable: "no Go toolchain (go on PATH, $GO or /usr/local/go/bin/go)" };
    const env = { ...process.env, GOFLAGS: "-mod=readonly", GOTOOLCHAIN: "local", CGO_ENABLED: "0" };
    try {
        const version = execFileSync(go, ["env", "GOVERSION"], { env, encoding: "utf8", timeout: 30_000 }).trim();
        const hash = crypto.createHash("sha256").update(version);
        for (const f of ["main.go", "go.mod", "go.sum"]) hash.update(fs.readFileSync(path.join(SOURCE_DIR, f)));
        const binary = path.join(CACHE_DIR, `yamlv3-${hash.digest("hex").slice(0, 16)}`);
        if (fs.existsSync(binary)) return { binary };
        fs.mkdirSync(CACHE_DIR, { recursive: true });
        const tmp = `${binary}.${process.pid}.tmp`;
        execFileSync(go, ["build", "-trimpath", "-o", tmp, "."], { cwd: SOURCE_DIR, env, stdio: ["ignore", "ignore", "pipe"], timeout: timeoutMs });
        fs.renameSync(tmp, binary);
        return { binary };
    } catch (e) {
        const err = e as Error & { stderr?: Buffer };
        return { unavailable: `building ${SOURCE_DIR} with ${go} failed: ${(err.stderr?.toString() ?? "").trim() || err.message}` };
    }
}

/** yaml.v3's reading of each text (one process for all of them). */
export type V3Result = { ok?: unknown; null?: boolean; documents?: number; error?: string };
export function readWithYamlV3(binary: string, texts: readonly string[]): V3Result[] {
    const out = execFileSync(binary, { input: JSON.stringify(texts), maxBuffer: 256 * 1024 * 1024, timeout: 60_000 });
    return JSON.parse(out.toString("utf8")) as V3Result[];
}
