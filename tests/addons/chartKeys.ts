/**
 * The add-on charts' keys as recorded in tests/addons/fixtures (each file names its source:
 * repository, path, commit, chart version), and a check that every value the program sets is
 * one of them. The fixtures keep only the key structure of each values.yaml: leaves are
 * "scalar", "list" or "map" (an empty map there is free-form: anything below it is the user's).
 */
import * as fs from "fs";
import * as path from "path";
import { ADDON_CHARTS, AddonName } from "../../components/addons/charts";

type Shape = "scalar" | "list" | "map" | { [k: string]: Shape };
interface KeyFixture {
    source: string;
    keys: Shape;
    /** Kiali: its config keys, which the chart passes through from .Values. */
    configPassThrough?: Shape;
}

export function fixture(addon: AddonName): KeyFixture {
    const c = ADDON_CHARTS[addon];
    return JSON.parse(fs.readFileSync(path.join(__dirname, "fixtures", `${c.chart}-${c.version}.keys.json`), "utf8"));
}

/** Leaf key paths of a values object (segments, since keys like `datasources.yaml` hold dots). */
export function leafPaths(v: unknown, prefix: string[] = []): string[][] {
    if (v === null || typeof v !== "object" || Array.isArray(v) || Object.keys(v).length === 0) {
        return [prefix];
    }
    return Object.entries(v).flatMap(([k, x]) => leafPaths(x, [...prefix, k]));
}

/** Why PATH is not a key of SHAPE, or undefined when it is. */
function missing(shape: Shape, p: string[]): string | undefined {
    let node: Shape = shape;
    for (let i = 0; i < p.length; i++) {
        if (node === "map") {
            return undefined; // free-form below an empty map
        }
        if (typeof node === "string") {
            return `${p.slice(0, i).join(" > ")} is a ${node}, not a map`;
        }
        if (!Object.hasOwn(node, p[i])) {
            return `no ${p.slice(0, i + 1).join(" > ")}`;
        }
        node = node[p[i]];
    }
    return undefined;
}

/** The value paths that are not keys of the add-on's pinned chart, each with the reason. */
export function unknownKeys(addon: AddonName, values: unknown): string[] {
    const f = fixture(addon);
    return leafPaths(values)
        .map((p) => {
            const inChart = missing(f.keys, p);
            const inConfig = f.configPassThrough === undefined ? inChart : missing(f.configPassThrough, p);
            return inChart !== undefined && inConfig !== undefined ? `${p.join(" > ")} (${inChart})` : undefined;
        })
        .filter((x): x is string => x !== undefined);
}
