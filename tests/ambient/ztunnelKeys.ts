/**
 * The ztunnel chart's value keys per version, as recorded in tests/fixtures/ambient (each file
 * names its tag and commit of istio/istio), and a check that every value path is one of them.
 * Leaves of the recorded tree are "scalar", "list" or "map" (an empty map there is free-form).
 */
import * as fs from "fs";
import * as path from "path";

export type Shape = "scalar" | "list" | "map" | { [k: string]: Shape };
export interface ZtunnelFixture {
    readonly source: string;
    readonly resourceNames: string;
    readonly defaults: Readonly<Record<string, unknown>>;
    readonly keys: { [k: string]: Shape };
}

const DIR = path.join(__dirname, "..", "fixtures", "ambient");

export const ZTUNNEL_VERSIONS: string[] = fs
    .readdirSync(DIR)
    .map((f) => /^ztunnel-(\d+\.\d+\.\d+)\.keys\.json$/.exec(f)?.[1])
    .filter((v): v is string => v !== undefined)
    .sort((a, b) => Number(a.split(".")[1]) - Number(b.split(".")[1]));

export function ztunnelFixture(version: string): ZtunnelFixture {
    return JSON.parse(fs.readFileSync(path.join(DIR, `ztunnel-${version}.keys.json`), "utf8"));
}

function leafPaths(v: unknown, prefix: string[] = []): string[][] {
    if (v === null || typeof v !== "object" || Array.isArray(v) || Object.keys(v).length === 0) {
        return [prefix];
    }
    return Object.entries(v).flatMap(([k, x]) => leafPaths(x, [...prefix, k]));
}

/** The value paths that are not keys of the ztunnel chart of `version`, each with the reason. */
export function unknownZtunnelKeys(version: string, values: unknown): string[] {
    const keys = ztunnelFixture(version).keys;
    return leafPaths(values).flatMap((p) => {
        let node: Shape = keys;
        for (let i = 0; i < p.length; i++) {
            if (node === "map") {
                return [];
            }
            if (typeof node === "string") {
                return [`${p.join(".")} (${p.slice(0, i).join(".")} is a ${node})`];
            }
            if (!Object.hasOwn(node, p[i])) {
                return [`${p.join(".")} (no ${p.slice(0, i + 1).join(".")} in ztunnel ${version})`];
            }
            node = node[p[i]];
        }
        return [];
    });
}
