/**
 * kubernetes:helm.sh/v3:Release as pulumi-kubernetes 4.34.2 handles it (provider/pkg/provider/
 * helm_release.go), with the helm CLI in place of the in-process Helm SDK. helm runs as a plain
 * child of the provider (same process group, not detached), so killing the CLI and its plugins
 * kills a helm install/upgrade mid-way exactly as killing the real provider kills its in-process
 * Helm action: the release can be left pending-install / pending-upgrade.
 */
import * as child_process from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ADD_REPLACE, deepEqual, DELETE_REPLACE, hasComputed, patchToDiff, UNKNOWN, UPDATE_REPLACE } from "./objects";
import { Obj } from "./kube";

export interface HelmEnv {
    kubeconfig: string;
    context?: string;
    defaultNamespace: string;
}

function helm(env: HelmEnv, args: string[]): { ok: boolean; out: string; err: string } {
    const r = child_process.spawnSync("helm", ["--kubeconfig", env.kubeconfig, ...(env.context ? ["--kube-context", env.context] : []), ...args], {
        encoding: "utf8",
        maxBuffer: 256 << 20,
    });
    return { ok: r.status === 0, out: r.stdout ?? "", err: (r.stderr || String(r.error ?? "")).replace(/^Error: /, "").trim() };
}
function helmOrThrow(env: HelmEnv, args: string[]): string {
    const r = helm(env, args);
    if (!r.ok) throw new Error(r.err);
    return r.out;
}

/** chartPathOptionsFromRelease + resolveChartName: chart reference and --repo/--version flags. */
function chartArgs(rel: Obj): string[] {
    const repo = rel.repositoryOpts?.repo;
    const oci = String(rel.chart).startsWith("oci://");
    return [rel.chart, ...(repo && !oci ? ["--repo", repo] : []), ...(rel.version ? ["--version", String(rel.version).trim()] : [])];
}
function valuesFile(values: Obj | undefined): string {
    const f = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "standin-values-")), "values.json");
    fs.writeFileSync(f, JSON.stringify(values ?? {}));
    return f;
}
const timeoutArgs = (rel: Obj) => ["--timeout", `${rel.timeout || 300}s`]; // getTimeoutOrDefault

/** helm.MergeMaps: deep merge, b wins. */
function mergeMaps(a: Obj = {}, b: Obj = {}): Obj {
    const out: Obj = { ...a };
    for (const [k, v] of Object.entries(b)) {
        out[k] = out[k] && typeof out[k] === "object" && !Array.isArray(out[k]) && v && typeof v === "object" && !Array.isArray(v) ? mergeMaps(out[k], v) : v;
    }
    return out;
}

/**
 * resourceReleaseLookup/getRelease (action.Get: the latest revision, whatever its status). The
 * CLI's `helm status` strips the chart, so `helm get metadata` + `helm get values` (the same
 * releaseContent lookup) give the chart version, status and user-supplied values.
 */
function getRelease(env: HelmEnv, name: string, namespace: string): Obj | undefined {
    const r = helm(env, ["get", "metadata", name, "-n", namespace, "-o", "json"]);
    if (!r.ok) {
        if (/release: not found/.test(r.err)) return undefined;
        throw new Error(r.err);
    }
    const m = JSON.parse(r.out);
    const config = JSON.parse(helmOrThrow(env, ["get", "values", name, "-n", namespace, "-o", "json"]) || "null") ?? {};
    return { name: m.name, namespace: m.namespace, version: m.revision, info: { status: m.status }, chart: { metadata: { name: m.chart, version: m.version, appVersion: m.appVersion } }, config };
}

/** setReleaseAttributes: values merged with the live release's user values, version and status from it. */
function withLive(rel: Obj, live: Obj): Obj {
    const meta = live.chart?.metadata ?? {};
    return {
        ...rel,
        name: rel.name || live.name,
        namespace: rel.namespace || live.namespace,
        chart: rel.chart || meta.name,
        values: mergeMaps(rel.values, live.config ?? {}),
        version: meta.version,
        status: {
            status: live.info?.status,
            name: live.name,
            namespace: live.namespace,
            revision: live.version,
            chart: meta.name,
            version: meta.version,
            appVersion: meta.appVersion,
        },
    };
}
/** checkpointRelease: the Release outputs plus __inputs (a secret upstream; plain here). */
const checkpoint = (inputs: Obj, rel: Obj, preview: boolean): Obj => ({
    ...rel,
    ...(preview ? { status: UNKNOWN, resourceNames: UNKNOWN } : {}),
    __inputs: inputs,
});
function parseCheckpoint(state: Obj): { inputs: Obj | undefined; rel: Obj } {
    const { __inputs, ...rel } = state ?? {};
    return { inputs: __inputs, rel };
}

/**
 * helmReleaseProvider.Check (+ setDefaults, helmLoad): the chart is downloaded on every Check, so
 * every preview; a failure is a CheckFailure on `chart` ("<helm error>; check the chart name and
 * repository configuration."); the checked version is the chart's own metadata version.
 */
export function check(env: HelmEnv, news: Obj): { inputs: Obj; failures: { property: string; reason: string }[] } {
    const rel: Obj = { ...news };
    if (!rel.namespace) rel.namespace = env.defaultNamespace;
    if (!rel.skipAwait && rel.timeout === undefined) rel.timeout = 300;
    const failures: { property: string; reason: string }[] = [];
    if (!hasComputed(rel)) {
        const r = helm(env, ["show", "chart", ...chartArgs(rel)]);
        if (!r.ok) failures.push({ property: "chart", reason: `${r.err}; check the chart name and repository configuration.` });
        else rel.version = /^version:\s*"?([^"\s]+)"?\s*$/m.exec(r.out)?.[1] ?? rel.version;
    }
    return { inputs: rel, failures };
}

/** CreateThreeWayMergePatch(original=old inputs, modified=new inputs, current=state), no schema. */
function threeWay(orig: Obj, mod: Obj, cur: Obj): Obj {
    const p: Obj = {};
    const isMap = (v: unknown): v is Obj => !!v && typeof v === "object" && !Array.isArray(v);
    for (const [k, v] of Object.entries(mod)) {
        if (isMap(v) && isMap(cur[k])) {
            const sub = threeWay(isMap(orig[k]) ? orig[k] : {}, v, cur[k]);
            if (Object.keys(sub).length > 0) p[k] = sub;
        } else if (!(k in cur) || !deepEqual(cur[k], v)) p[k] = v;
    }
    for (const k of Object.keys(orig)) if (!(k in mod) && k in cur) p[k] = null;
    return p;
}

/**
 * helmReleaseProvider.Diff: three-way patch of old inputs, new inputs and the state (which Read
 * refreshed from the live release), ignoreChanges only for `version`; name/namespace replace,
 * and DeleteBeforeReplace is false (the new release is installed before the old is uninstalled).
 */
export function diff(olds: Obj, news: Obj, ignoreChanges: string[]) {
    const { inputs: oldInputs = {} } = parseCheckpoint(olds);
    const n = { ...news };
    if (ignoreChanges.includes("version")) n.version = olds.version;
    const orig = { ...oldInputs };
    delete orig.checksum;
    delete orig.resourceNames;
    const patch = threeWay(orig, n, olds);
    const detailed = Object.keys(patch).length > 0 ? patchToDiff(patch, olds, n, orig, [".name", ".namespace"]) : {};
    const replaces = Object.entries(detailed)
        .filter(([, v]) => [ADD_REPLACE, DELETE_REPLACE, UPDATE_REPLACE].includes(v.kind))
        .map(([k]) => k);
    return { changes: Object.keys(patch).length > 0, replaces, detailed, deleteBeforeReplace: false };
}

/** helmReleaseProvider.Create -> helmCreate: `helm install` (action.NewInstall); an existing release fails ("cannot re-use a name that is still in use"); upsertExistingObjects is not consulted. */
export function create(env: HelmEnv, news: Obj, preview: boolean) {
    const id = `${news.namespace}/${news.name}`;
    if (preview) return { id: "", outs: checkpoint(news, news, true) };
    helmOrThrow(env, [
        "install", news.name, ...chartArgs(news), "-n", news.namespace, "-f", valuesFile(news.values),
        ...(news.createNamespace ? ["--create-namespace"] : []),
        ...(news.skipAwait ? [] : ["--wait", ...timeoutArgs(news)]),
        ...(news.atomic ? ["--atomic"] : []), ...(news.skipCrds ? ["--skip-crds"] : []),
        ...(news.description ? ["--description", news.description] : []),
    ]);
    return { id, outs: checkpoint(news, withLive(news, getRelease(env, news.name, news.namespace)!), false) };
}

/** helmReleaseProvider.Update -> helmUpdate: `helm upgrade` (action.NewUpgrade) with MaxHistory (0 = unlimited when unset), reset/reuse values. */
export function update(env: HelmEnv, olds: Obj, news: Obj, preview: boolean) {
    if (preview) return checkpoint(news, news, true);
    helmOrThrow(env, [
        "upgrade", news.name, ...chartArgs(news), "-n", olds.namespace ?? news.namespace, "-f", valuesFile(news.values),
        "--history-max", String(news.maxHistory ?? 0),
        ...(news.resetValues ? ["--reset-values"] : []), ...(news.reuseValues ? ["--reuse-values"] : []),
        ...(news.skipAwait ? [] : ["--wait", ...timeoutArgs(news)]),
        ...(news.atomic ? ["--atomic"] : []), ...(news.forceUpdate ? ["--force"] : []),
        ...(news.cleanupOnFail ? ["--cleanup-on-fail"] : []),
        ...(news.description ? ["--description", news.description] : []),
    ]);
    return checkpoint(news, withLive(news, getRelease(env, news.name, news.namespace)!), false);
}

/**
 * helmReleaseProvider.Read: the state takes the live release's version, status and (merged) user
 * values; the stored inputs are kept as they are (only an import builds inputs from the release).
 */
export function read(env: HelmEnv, id: string, props: Obj) {
    const { inputs, rel } = parseCheckpoint(props);
    const [idNs, idName] = id.includes("/") ? id.split("/") : [env.defaultNamespace, id];
    const name = inputs ? rel.name : idName;
    const namespace = inputs ? rel.namespace : idNs;
    const live = getRelease(env, name, namespace);
    if (!live) return { id: "", props: {}, inputs: {} };
    const state = withLive(rel, live);
    // importRelease / serializeImportInputs: inputs from the live release, then setDefaults
    const newInputs = inputs ?? { name, namespace, chart: live.chart?.metadata?.name, version: live.chart?.metadata?.version, values: live.config ?? {}, timeout: 300 };
    return { id: id || `${namespace}/${name}`, props: checkpoint(newInputs, state, false), inputs: newInputs };
}

/** helmReleaseProvider.Delete: `helm uninstall` (waiting unless skipAwait, or when atomic). */
export function remove(env: HelmEnv, props: Obj) {
    const { rel } = parseCheckpoint(props);
    helmOrThrow(env, ["uninstall", rel.name, "-n", rel.namespace, ...(rel.atomic || !rel.skipAwait ? ["--wait", ...timeoutArgs(rel)] : [])]);
}
