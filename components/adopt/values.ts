/**
 * Helm values, live vs what the program would set. Helm renders a release from the chart's
 * defaults overlaid with the user-supplied values, so a value the program sets explicitly is no
 * change when it equals what the live release had, or the chart's default where the live release
 * did not set it. Only the defaults of keys the program sets are needed (CHART_DEFAULTS; checked
 * against the real charts' values.yaml in tests/adopt). Pure.
 */
import { JsonMap } from "../config/model";
import { atLeast, IstioVersion, mustParseVersion } from "../versions/version";

export type Path = readonly string[];

export function isMap(v: unknown): v is JsonMap {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function getPath(values: unknown, path: Path): unknown {
    let cur: unknown = values;
    for (const key of path) {
        if (!isMap(cur) || !Object.hasOwn(cur, key)) {
            return undefined;
        }
        cur = cur[key];
    }
    return cur;
}

/** A copy of `values` without `path` (empty parent maps removed). */
export function withoutPath(values: JsonMap, path: Path): JsonMap {
    const [head, ...rest] = path;
    if (!Object.hasOwn(values, head)) {
        return values;
    }
    const out: JsonMap = { ...values };
    if (rest.length === 0) {
        delete out[head];
        return out;
    }
    const child = out[head];
    if (!isMap(child)) {
        return out;
    }
    const pruned = withoutPath(child, rest);
    if (Object.keys(pruned).length === 0) {
        delete out[head];
    } else {
        out[head] = pruned;
    }
    return out;
}

/** Leaf paths of a values tree (arrays and scalars are leaves; an empty map is a leaf too). */
export function leaves(values: unknown, prefix: Path = []): Path[] {
    if (!isMap(values) || (Object.keys(values).length === 0 && prefix.length > 0)) {
        return [prefix];
    }
    return Object.keys(values)
        .sort()
        .flatMap((k) => leaves(values[k], [...prefix, k]));
}

export function sameValue(a: unknown, b: unknown): boolean {
    return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

function canonical(v: unknown): unknown {
    if (Array.isArray(v)) {
        return v.map(canonical);
    }
    if (isMap(v)) {
        return Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical(v[k])]));
    }
    return v;
}

/**
 * What a release renders with where its user-supplied values say nothing: the release's computed
 * values (`helm get values --all`: chart defaults merged with the user's, exactly what Helm
 * rendered), or, when those are not at hand, the table of published chart defaults below.
 */
export type Defaults = ReadonlyArray<readonly [Path, unknown]> | { readonly computed: JsonMap };

/** The release's computed values when the cluster gave them, else the published chart's defaults. */
export function defaultsFor(computed: JsonMap | null | undefined, chart: "base" | "istiod" | "gateway", version: string): Defaults {
    return isMap(computed) ? { computed } : chartDefaults(chart, version);
}

/**
 * Defaults of the keys the program sets, per chart and version, from the published charts
 * (whose release build sets `global.hub: docker.io/istio` and `global.tag: <version>`).
 */
export function chartDefaults(chart: "base" | "istiod" | "gateway", version: string): ReadonlyArray<readonly [Path, unknown]> {
    const v: IstioVersion = mustParseVersion(version);
    if (chart === "base") {
        return [
            [["defaultRevision"], "default"],
            [["global", "istioNamespace"], "istio-system"],
        ];
    }
    if (chart === "gateway") {
        return [
            [["revision"], ""],
            [["autoscaling", "enabled"], true],
            [["autoscaling", "minReplicas"], 1],
            [["autoscaling", "maxReplicas"], 5],
            [["service", "type"], "LoadBalancer"],
        ];
    }
    const pilot = (key: string): Path => (atLeast(v, 24) ? [key] : ["pilot", key]);
    return [
        [["revision"], ""],
        [["revisionTags"], []],
        [["global", "istioNamespace"], "istio-system"],
        [["global", "hub"], "docker.io/istio"],
        [["global", "tag"], version],
        [["global", "defaultPodDisruptionBudget", "enabled"], true],
        [pilot("replicaCount"), 1],
        [pilot("autoscaleEnabled"), true],
        [pilot("autoscaleMin"), 1],
        [pilot("autoscaleMax"), 5],
        ...(atLeast(v, 27) ? ([[["pdb", "minAvailable"], 1]] as const) : []),
    ];
}

/** The value Helm renders with at `path`: the live user value, else the chart default. */
export function renderedValue(live: JsonMap, defaults: Defaults, path: Path): unknown {
    const own = getPath(live, path);
    if (own !== undefined) {
        return own;
    }
    if (!Array.isArray(defaults)) {
        return getPath((defaults as { computed: JsonMap }).computed, path);
    }
    return (defaults as ReadonlyArray<readonly [Path, unknown]>).find(([p]) => sameValue(p, path))?.[1];
}

export interface ValueChange {
    /** Dotted path, e.g. `pilot.replicaCount`. */
    readonly path: string;
    /** What the release renders with today (`undefined` = unset). */
    readonly live: unknown;
    /** What the program would set (`undefined` = the program drops it). */
    readonly next: unknown;
}

/**
 * Values that would render differently if the program's `next` values replaced the live ones
 * (`helm upgrade --reset-values`): every leaf the program sets that differs from the rendered
 * live value, and every live value the program would drop. An empty map the program sets where
 * the live release has nothing is no change (Helm overlays it on the defaults). `inert(path)`
 * lets the caller skip values the chart ignores in this release (e.g. the gateway's replicaCount
 * while autoscaling is on).
 */
export function valueChanges(live: JsonMap, next: JsonMap, defaults: Defaults, inert: (path: Path) => boolean = () => false): ValueChange[] {
    const out: ValueChange[] = [];
    for (const path of leaves(next)) {
        const n = getPath(next, path);
        if (isMap(n) && Object.keys(n).length === 0 && getPath(live, path) === undefined) {
            continue;
        }
        const l = renderedValue(live, defaults, path);
        if (!sameValue(l, n) && !inert(path)) {
            out.push({ path: path.join("."), live: l, next: n });
        }
    }
    for (const path of leaves(live)) {
        if (getPath(next, path) === undefined && !leaves(next).some((p) => p.length < path.length && sameValue(p, path.slice(0, p.length)))) {
            out.push({ path: path.join("."), live: getPath(live, path), next: undefined });
        }
    }
    return out;
}
