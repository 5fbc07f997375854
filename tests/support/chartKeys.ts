/**
 * Checks that every value path a program sets is a real key of an Istio chart version: the
 * chart's default values as recorded in tests/fixtures/istio/<version>/<chart>.defaults.json
 * (the tree inside values.yaml's `defaults:` or `_internal_defaults_do_not_set:` wrapper).
 */
import * as fs from "fs";
import * as path from "path";
import { ISTIO_FIXTURES } from "./fixtures";

type Tree = { [k: string]: unknown };

/** Top-level meta-values every chart accepts. */
const META = new Set(["profile", "compatibilityVersion", "platform"]);

/** Keys the templates read that values.yaml does not list (ISTIO-FACTS.md, "Values that moved"). */
const TEMPLATE_ONLY: Record<string, string[]> = {
    istiod: ["pdb.maxUnavailable", "trafficDistribution"],
    base: ["base.validationFailurePolicy"],
    gateway: ["service.loadBalancerClass", "service.internalTrafficPolicy"],
};

/** Maps whose keys are free-form (user data, not chart settings). */
const OPEN = new Set(["meshConfig", "labels", "podAnnotations", "resources", "global.defaultResources"]);

export const ISTIO_VERSIONS: string[] = fs
    .readdirSync(ISTIO_FIXTURES)
    .filter((d) => /^\d+\.\d+\.\d+$/.test(d))
    .sort((a, b) => Number(a.split(".")[1]) - Number(b.split(".")[1]));

export function chartDefaults(version: string, chart: string): Tree {
    return JSON.parse(fs.readFileSync(path.join(ISTIO_FIXTURES, version, `${chart}.defaults.json`), "utf8")).defaults as Tree;
}

/** Leaf paths of a values object ("a.b.c"); arrays and empty maps are leaves. */
export function leafPaths(values: unknown, prefix = ""): string[] {
    if (values === null || typeof values !== "object" || Array.isArray(values) || Object.keys(values).length === 0) {
        return [prefix];
    }
    return Object.entries(values as Tree).flatMap(([k, v]) => leafPaths(v, prefix ? `${prefix}.${k}` : k));
}

/** The paths of `values` that are not keys of the chart, each with the reason. */
export function unknownKeys(version: string, chart: string, values: Tree): string[] {
    const defaults = chartDefaults(version, chart);
    const bad: string[] = [];
    for (const p of leafPaths(values)) {
        const parts = p.split(".");
        if (META.has(parts[0]) || (TEMPLATE_ONLY[chart] ?? []).some((t) => p === t || p.startsWith(`${t}.`))) {
            continue;
        }
        let node: unknown = defaults;
        for (let i = 0; i < parts.length; i++) {
            const sofar = parts.slice(0, i).join(".");
            if (OPEN.has(sofar)) {
                break;
            }
            if (node === null || typeof node !== "object" || Array.isArray(node)) {
                bad.push(`${p} (${sofar} is not a map in ${chart} ${version})`);
                break;
            }
            const tree = node as Tree;
            if (!(parts[i] in tree)) {
                if (Object.keys(tree).length === 0 && i > 0) {
                    break; // an empty map in values.yaml is free-form
                }
                bad.push(`${p} (no ${parts.slice(0, i + 1).join(".")} in ${chart} ${version})`);
                break;
            }
            node = tree[parts[i]];
        }
    }
    return bad;
}
