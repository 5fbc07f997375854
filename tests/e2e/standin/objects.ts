/**
 * Ordinary Kubernetes objects and Patch resources (e.g. kubernetes:core/v1:NamespacePatch), as
 * pulumi-kubernetes 4.34.2 handles them in Server-Side Apply mode. Each function names the real
 * function it imitates (pulumi/pulumi-kubernetes, provider/pkg/...); read from source, not copied.
 */
import * as crypto from "crypto";
import { ApiError, isAlreadyExists, isConflict, isNotFound, Kube, Obj } from "./kube";

export interface Settings {
    serverSideApply: boolean;
    enablePatchForce: boolean;
    upsertExistingObjects: boolean;
}
export interface PropertyDiff {
    kind: number;
    inputDiff: boolean;
}
// pulumirpc.PropertyDiff_Kind
export const ADD = 0, ADD_REPLACE = 1, DELETE = 2, DELETE_REPLACE = 3, UPDATE = 4, UPDATE_REPLACE = 5;

/** The engine's unknown-value sentinel in a Struct. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
/** util.go hasComputedValue */
export const hasComputed = (v: unknown): boolean =>
    v === UNKNOWN || (Array.isArray(v) ? v.some(hasComputed) : !!v && typeof v === "object" && Object.values(v).some(hasComputed));

/** kinds.IsPatchResource: the type token's kind ends with "Patch". */
export const isPatch = (type: string) => type.endsWith("Patch");
const isMap = (v: unknown): v is Obj => !!v && typeof v === "object" && !Array.isArray(v);
const clone = <T>(v: T): T => (v === undefined ? v : JSON.parse(JSON.stringify(v)));
const typeOf = (v: unknown) => (v === null || v === undefined ? "nil" : Array.isArray(v) ? "slice" : typeof v === "object" ? "map" : typeof v);
function stable(v: unknown): string {
    if (Array.isArray(v)) return `[${v.map(stable).join(",")}]`;
    if (isMap(v)) return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${stable(v[k])}`).join(",")}}`;
    return JSON.stringify(v);
}
export const deepEqual = (a: unknown, b: unknown) => stable(a) === stable(b);
const annotation = (o: Obj, key: string): string | undefined => o?.metadata?.annotations?.[key];

// ---- state shape -------------------------------------------------------------------------------

/** provider.go parseCheckpointObject: state = live object + __inputs (+ __initialApiVersion, __fieldManager). */
export function parseCheckpoint(state: Obj): { inputs: Obj; live: Obj } {
    const { __inputs, ...live } = state ?? {};
    return { inputs: __inputs ?? {}, live };
}
/** provider.go checkpointObject */
export function checkpoint(inputs: Obj, live: Obj, initialApiVersion: string, fieldManager: string): Obj {
    return { ...live, __inputs: inputs, __initialApiVersion: initialApiVersion, __fieldManager: fieldManager };
}

/** util.go pruneMap: keep only the keys of source that the target (the old inputs) has, recursively. */
export function pruneMap(source: Obj | undefined, target: Obj | undefined): Obj | undefined {
    if (!isMap(source) || !isMap(target)) return undefined;
    const out: Obj = {};
    for (const [k, v] of Object.entries(source)) {
        if (!(k in target)) continue;
        const t = target[k];
        if (typeOf(v) === "nil" || typeOf(t) === "nil" || typeOf(v) !== typeOf(t)) out[k] = v;
        else if (typeOf(v) === "map") out[k] = pruneMap(v, t);
        else if (typeOf(v) === "slice") out[k] = pruneSlice(v, t);
        else out[k] = v;
    }
    return out;
}
/** util.go pruneSlice */
function pruneSlice(source: unknown[], target: unknown[]): unknown[] {
    if (source.length === 0 || target.length === 0) return [];
    if (typeOf(source[0]) !== typeOf(target[0])) return clone(source);
    const out: unknown[] = [];
    target.forEach((t, i) => {
        if (i >= source.length) return;
        const v = source[i];
        if (typeOf(v) === "nil" || typeOf(t) === "nil") out.push(v);
        else if (typeOf(v) === "map") out.push(pruneMap(v as Obj, t as Obj));
        else if (typeOf(v) === "slice") out.push(pruneSlice(v as unknown[], t as unknown[]));
        else out.push(v);
    });
    return out;
}

/** provider.go normalizeInputs (read-only metadata removed; clients.Normalize is not imitated). */
export function normalize(o: Obj): Obj {
    const u = clone(o ?? {});
    for (const f of ["creationTimestamp", "deletionGracePeriodSeconds", "deletionTimestamp", "generation", "managedFields", "resourceVersion", "uid"]) {
        if (u.metadata) delete u.metadata[f];
    }
    return u;
}

/** provider.go fieldManagerName: annotation, else the name stored in state, else a random `pulumi-kubernetes-<hex>`. */
export function fieldManagerName(s: Settings, state: Obj, inputs: Obj): string {
    if (!s.serverSideApply) return "pulumi-kubernetes";
    const v = annotation(inputs, "pulumi.com/patchFieldManager");
    if (v) return v;
    if (state?.__fieldManager) return state.__fieldManager;
    return `pulumi-kubernetes-${crypto.randomBytes(4).toString("hex")}`;
}

/** await.go patchForce */
function patchForce(inputs: Obj, live: Obj | undefined, s: Settings, preview: boolean): boolean {
    if (annotation(inputs, "pulumi.com/patchForce") === "true" || s.enablePatchForce) return true;
    const managed: Obj[] = live?.metadata?.managedFields ?? [];
    if (preview) {
        if (!live) return true;
        if (managed.some((m) => m.operation === "Update" && ["pulumi-resource-kubernetes", "pulumi-kubernetes", "pulumi-kubernetes.exe"].includes(m.manager))) return true;
    }
    return !!live && managed.length === 0;
}

/** await.go handleSSAErr */
function handleSSAErr(e: unknown, manager: string): unknown {
    if (!isConflict(e)) return e;
    return new Error(
        "server-side apply field conflict detected, see https://www.pulumi.com/registry/packages/kubernetes/how-to-guides/" +
            "managing-resources-with-server-side-apply/#handle-field-conflicts-on-existing-resources for troubleshooting help\n" +
            `The resource managed by field manager "${manager}" had an apply conflict: ${(e as Error).message}`,
    );
}

// ---- diff --------------------------------------------------------------------------------------

/** jsonpatch.CreateMergePatch (RFC 7386), as provider.go inputPatch computes it. */
function mergePatch(a: Obj, b: Obj): Obj {
    const p: Obj = {};
    for (const [k, v] of Object.entries(b)) {
        if (!(k in a)) p[k] = v;
        else if (isMap(a[k]) && isMap(v)) {
            const sub = mergePatch(a[k], v);
            if (Object.keys(sub).length > 0) p[k] = sub;
        } else if (!deepEqual(a[k], v)) p[k] = v;
    }
    for (const k of Object.keys(a)) if (!(k in b)) p[k] = null;
    return p;
}

const MISSING = Symbol("missing");
type Path = (string | number)[];
/** provider.go addPatchValueToDiff's path formatting (also Pulumi's PropertyPath.String()). */
export function pathString(path: Path): string {
    let s = "";
    for (const p of path) {
        if (typeof p === "number") s += `[${p}]`;
        else if (p === "*") s += "[*]";
        else if (/[."[\]]/.test(p)) s += `["${p.replace(/"/g, '\\"')}"]`;
        else s += s ? `.${p}` : p;
    }
    return s;
}
/** resource.ParsePropertyPath (enough of it: a.b[0]["x.y"][*]) */
export function parsePath(s: string): Path {
    const out: Path = [];
    const re = /([^.[\]]+)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]|\[\*\]/g;
    for (const m of s.matchAll(re)) {
        if (m[1] !== undefined) out.push(m[1]);
        else if (m[2] !== undefined) out.push(Number(m[2]));
        else if (m[3] !== undefined) out.push(m[3].replace(/\\"/g, '"'));
        else out.push("*");
    }
    return out;
}
/** resource.PropertyPath.Contains (with * wildcards) */
const contains = (outer: Path, inner: Path) => outer.length <= inner.length && outer.every((c, i) => c === "*" || c === inner[i]);

/** openapi.PatchPropertiesChanged on makePatchSlice(path, v): does the change touch a force-new field? */
function forcesNew(path: Path, v: unknown, forceNew: string[]): boolean {
    return forceNew.some((f) => {
        const fp = f.replace(/^\./, "").split(".");
        if (path.length >= fp.length) return fp.every((c, i) => c === path[i]);
        if (!fp.slice(0, path.length).every((c, i) => c === path[i])) return false;
        let cur: any = v;
        for (const c of fp.slice(path.length)) {
            if (!isMap(cur) || !(c in cur)) return false;
            cur = cur[c];
        }
        return true;
    });
}

/** provider.go convertPatchToDiff / patchConverter.addPatch{Value,Map,Array}ToDiff */
export function patchToDiff(patch: Obj, oldLive: Obj, newInputs: Obj, oldInputs: Obj, forceNew: string[]): Record<string, PropertyDiff> {
    const diff: Record<string, PropertyDiff> = {};
    const get = (m: any, k: string) => (isMap(m) && k in m ? m[k] : MISSING);
    const addValue = (path: Path, v: any, old: any, newInput: any, oldInput: any): void => {
        if (newInput === MISSING && (v !== null || oldInput === MISSING)) return;
        let kind: number;
        let inputDiff = false;
        if (v === null) {
            if (newInput === UNKNOWN) kind = old === MISSING ? ADD : UPDATE;
            else (kind = DELETE), (inputDiff = true);
        } else if (old === MISSING) kind = ADD;
        else if (isMap(v) && isMap(old)) return addMap(path, v, old, newInput, oldInput, true);
        else if (Array.isArray(v) && Array.isArray(old)) return addArray(path, v, old, newInput, oldInput);
        else if (!isMap(v) && !Array.isArray(v) && deepEqual(v, old)) return;
        else kind = UPDATE;
        if (forcesNew(path, v, forceNew)) kind = kind === ADD ? ADD_REPLACE : kind === DELETE ? DELETE_REPLACE : UPDATE_REPLACE;
        diff[pathString(path)] = { kind, inputDiff };
    };
    const addMap = (path: Path, m: Obj, old: Obj, newInput: any, oldInput: any, inArray: boolean): void => {
        for (const [k, v] of Object.entries(m)) addValue([...path, k], v, get(old, k), get(newInput, k), get(oldInput, k));
        if (inArray && path.length > 0 && typeof path[path.length - 1] === "number") {
            for (const [k, v] of Object.entries(old)) if (!(k in m)) addValue([...path, k], null, v, get(newInput, k), get(oldInput, k));
        }
    };
    const addArray = (path: Path, a: any[], old: any[], newInput: any, oldInput: any): void => {
        const at = (arr: any, i: number) => (Array.isArray(arr) && i < arr.length ? arr[i] : null);
        let i = 0;
        for (; i < a.length && i < old.length; i++) addValue([...path, i], a[i], old[i], at(newInput, i), at(oldInput, i));
        for (; i < a.length; i++) addValue([...path, i], a[i], MISSING, at(newInput, i), at(oldInput, i));
        for (; i < old.length; i++) addValue([...path, i], null, old[i], at(newInput, i), at(oldInput, i));
    };
    addMap([], patch, oldLive, newInputs, oldInputs, false);
    return diff;
}

/** diff.go forceNewProperties (the kinds this program uses; Patch resources: identity only). */
function forceNewProperties(type: string, o: Obj): string[] {
    const props = [".metadata.name", ".metadata.namespace"];
    if (isPatch(type)) return props;
    const core = o.apiVersion === "v1";
    if (core && o.kind === "Service") props.push(".spec.clusterIP");
    if (core && o.kind === "Secret") props.push(".type", ".stringData", ".data");
    if (core && o.kind === "ConfigMap" && o.immutable === true) props.push(".binaryData", ".data");
    return props;
}

async function namespaced(kube: Kube, o: Obj): Promise<boolean> {
    try {
        return (await kube.resource(o.apiVersion, o.kind)).namespaced;
    } catch (e) {
        if (e instanceof ApiError && e.reason === "NoMatch") return true; // clients.IsNoNamespaceInfoErr: assume namespaced
        throw e;
    }
}
function setNamespace(o: Obj, ns: string) {
    // unstructured.SetNamespace("") removes the field
    if (ns) (o.metadata ??= {}).namespace = ns;
    else if (o.metadata) delete o.metadata.namespace;
}

/**
 * provider.go Diff: the live object recorded in state, pruned to the shape of the old inputs, is
 * compared with the new inputs (a JSON merge patch turned into a detailed diff); ignoreChanges
 * paths are dropped from it; replacement is delete-before-replace only for a same-named object.
 */
export async function diff(kube: Kube, s: Settings, type: string, olds: Obj, news: Obj, ignoreChanges: string[]) {
    const newInputs = normalize(news);
    const { inputs: rawOldInputs, live: oldLive } = parseCheckpoint(olds);
    const oldInputs = normalize(rawOldInputs);
    const pruned = pruneMap(oldLive, oldInputs) ?? {};
    if (await namespaced(kube, newInputs)) {
        setNamespace(pruned, pruned.metadata?.namespace || "default");
        setNamespace(newInputs, newInputs.metadata?.namespace || "default");
    } else {
        setNamespace(pruned, "");
        setNamespace(newInputs, "");
    }
    if (!pruned.apiVersion && !pruned.kind) Object.assign(pruned, { apiVersion: newInputs.apiVersion, kind: newInputs.kind });
    if (s.serverSideApply && pruned.metadata?.resourceVersion) delete pruned.metadata.resourceVersion;
    if (newInputs.metadata?.name) (pruned.metadata ??= {}).name = oldLive.metadata?.name;

    const patch = mergePatch(pruned, newInputs);
    let detailed: Record<string, PropertyDiff> = {};
    if (Object.keys(patch).length > 0) {
        detailed = patchToDiff(patch, pruned, newInputs, pruned, forceNewProperties(type, newInputs));
        const ignores = ignoreChanges.map(parsePath);
        for (const p of Object.keys(detailed)) if (ignores.some((ig) => contains(ig, parsePath(p)))) delete detailed[p];
    }
    const replaces = Object.entries(detailed)
        .filter(([k, v]) => [ADD_REPLACE, DELETE_REPLACE, UPDATE_REPLACE].includes(v.kind) || (v.kind === DELETE && k === "metadata"))
        .map(([k]) => k);
    const deleteBeforeReplace =
        replaces.length > 0 &&
        !!newInputs.metadata?.name &&
        annotation(newInputs, "pulumi.com/autonamed") !== "true" &&
        newInputs.metadata.name === oldLive.metadata?.name &&
        (newInputs.metadata.namespace ?? "") === (oldLive.metadata?.namespace ?? "");
    return { changes: Object.keys(detailed).length > 0, replaces, detailed, deleteBeforeReplace };
}

// ---- create / read / update / delete -----------------------------------------------------------

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * provider.go Create + await.go Creation. SSA mode: a plain POST under the static manager
 * `pulumi-kubernetes` (so fixCSAFieldManagers can hand its fields to the resource's own manager on
 * the first update); an existing object is AlreadyExists. Only with upsertExistingObjects (or for
 * Patch resources) is it a server-side apply under the resource's manager, forced only when
 * pulumi.com/patchForce or enablePatchForce says so. Preview: a server-side dry run (skipped for
 * Patch resources and unknown inputs); AlreadyExists and a missing namespace do not fail a preview.
 */
export async function create(kube: Kube, s: Settings, type: string, props: Obj, preview: boolean) {
    const inputs = normalize(props);
    const gvkExists = await kube.resource(inputs.apiVersion, inputs.kind).then(() => true, () => false);
    if (preview && (hasComputed(inputs) || !gvkExists || isPatch(type) || !s.serverSideApply)) return { id: "", outs: props };
    const fieldManager = fieldManagerName(s, props, inputs);
    let out: Obj | undefined;
    for (let i = 0; ; i++) {
        try {
            if (s.serverSideApply && (s.upsertExistingObjects || isPatch(type))) {
                try {
                    out = await kube.apply(inputs, fieldManager, patchForce(inputs, undefined, s, preview), preview);
                } catch (e) {
                    throw handleSSAErr(e, fieldManager);
                }
            } else {
                out = await kube.create(inputs, "pulumi-kubernetes", preview);
            }
            break;
        } catch (e) {
            if (preview && (isNotFound(e) || (s.serverSideApply && isAlreadyExists(e)) || (e instanceof ApiError && e.status === 403))) {
                return { id: "", outs: props }; // namespaceError / AlreadyExists / Forbidden: preview falls back to the inputs
            }
            if (isAlreadyExists(e)) {
                throw new Error(
                    `resource "${inputs.metadata.name}" was not successfully created by the Kubernetes API server: ${(e as Error).message}\n\n` +
                        "The resource already exists in the cluster. This can happen when:\n\n" +
                        "  - Renaming a Pulumi resource: use an alias to preserve the identity,\n    or use deleteBeforeReplace if the resource needs replacement.\n" +
                        "  - Managing an existing resource: use a Patch resource (e.g. NamespacePatch)\n    to manage specific fields without owning the resource lifecycle.\n" +
                        "  - Adopting a resource into Pulumi: use `pulumi import`. Note that\n    protected resources (e.g. kube-system) cannot be deleted on destroy.\n" +
                        "  - Intentional upsert: set upsertExistingObjects on the provider to allow\n    server-side apply to update existing objects on create.",
                );
            }
            // await.go Creation retries NotFound (namespace or CRD not there yet) 5 times with backoff.
            if (!isNotFound(e) || i >= 5) throw e;
            await sleep(250 * 2 ** i);
        }
    }
    if (preview) delete out!.status;
    return { id: preview ? "" : fqName(out!), outs: checkpoint(inputs, out!, inputs.apiVersion, fieldManager) };
}

const fqName = (o: Obj) => (o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : o.metadata.name);
function parseFqName(id: string): { namespace: string; name: string } {
    const i = id.indexOf("/");
    return i < 0 ? { namespace: "", name: id } : { namespace: id.slice(0, i), name: id.slice(i + 1) };
}
/** The type token's apiVersion/kind (gvkFromURN), e.g. kubernetes:core/v1:NamespacePatch -> v1 Namespace. */
export function gvkFromType(type: string): { apiVersion: string; kind: string } {
    const [, gv, kind] = type.split(":");
    const [group, version] = gv.split("/");
    return { apiVersion: group === "core" ? version : `${group}/${version}`, kind: kind.replace(/Patch$/, "") };
}

/**
 * provider.go Read + await.go Read: the live object becomes the state, and the live object pruned
 * to the old inputs becomes the new inputs; on import (no old inputs) every top-level field of the
 * live object except status is taken, minus server-set metadata. Gone (404) = deleted.
 */
export async function read(kube: Kube, s: Settings, type: string, id: string, props: Obj, oldInputsIn: Obj | undefined) {
    const { namespace, name } = parseFqName(id);
    const oldInputs = normalize(oldInputsIn ?? {});
    const { live: oldLive } = parseCheckpoint(props ?? {});
    let readFromCluster = false;
    if (!oldInputs.apiVersion && !oldInputs.kind) {
        const gvk = oldLive.apiVersion ? { apiVersion: oldLive.apiVersion, kind: oldLive.kind } : gvkFromType(type);
        readFromCluster = !oldLive.apiVersion;
        Object.assign(oldInputs, gvk);
        oldInputs.metadata ??= {};
        oldInputs.metadata.name ||= name;
        if (namespace) oldInputs.metadata.namespace ||= namespace;
    }
    const fieldManager = fieldManagerName(s, props ?? {}, oldInputs);
    let live: Obj;
    try {
        live = await kube.get({ ...oldInputs, metadata: { ...oldInputs.metadata, namespace: oldInputs.metadata?.namespace || namespace } }, name);
    } catch (e) {
        if (isNotFound(e) || (e instanceof ApiError && e.reason === "NoMatch")) return { id: "", props: {}, inputs: {} };
        throw e;
    }
    const liveInputs = pruneMap(live, oldInputs) ?? {};
    if (readFromCluster) {
        for (const [k, v] of Object.entries(live)) if (k !== "status") liveInputs[k] = clone(v);
        for (const f of ["creationTimestamp", "generation", "managedFields", "resourceVersion", "uid"]) delete liveInputs.metadata?.[f];
        delete liveInputs.metadata?.annotations?.["deployment.kubernetes.io/revision"];
        delete liveInputs.metadata?.annotations?.["kubectl.kubernetes.io/last-applied-configuration"];
    }
    const initialApiVersion = props?.__initialApiVersion ?? oldInputs.apiVersion;
    return { id: id || fqName(live), props: checkpoint(liveInputs, live, initialApiVersion, fieldManager), inputs: liveInputs };
}

/**
 * await.go fixCSAFieldManagers (via fluxcd ssa.PatchReplaceFieldsManagers): before an SSA update of
 * an ordinary object, fields owned by kubectl (Apply or Update), before-first-apply and the
 * provider's own client-side names (Update, which includes the create's `pulumi-kubernetes` POST)
 * are handed to the resource's field manager. Other managers (istioctl, pilot-discovery) keep theirs.
 */
async function fixCSAFieldManagers(kube: Kube, type: string, live: Obj, manager: string, preview: boolean): Promise<Obj> {
    const managed: Obj[] = live.metadata?.managedFields ?? [];
    if (isPatch(type) || preview || managed.length === 0) return live;
    const takeOver = (m: Obj) =>
        (m.manager === "kubectl" && (m.operation === "Apply" || m.operation === "Update")) ||
        (m.operation === "Update" && ["before-first-apply", "pulumi-kubernetes", "pulumi-kubernetes.exe", "pulumi-resource-kubernetes"].includes(m.manager));
    if (!managed.some(takeOver)) return live;
    const union = (a: Obj, b: Obj): Obj => {
        const out = clone(a);
        for (const [k, v] of Object.entries(b)) out[k] = isMap(out[k]) && isMap(v) ? union(out[k], v) : clone(v);
        return out;
    };
    let target = managed.find((m) => m.manager === manager && m.operation === "Apply");
    const kept = managed.filter((m) => !takeOver(m) && m !== target);
    target = target ? clone(target) : { manager, operation: "Apply", apiVersion: live.apiVersion, fieldsType: "FieldsV1", fieldsV1: {} };
    for (const m of managed.filter(takeOver)) target!.fieldsV1 = union(target!.fieldsV1 ?? {}, m.fieldsV1 ?? {});
    target!.time = new Date().toISOString().replace(/\.\d+Z$/, "Z");
    return kube.jsonPatch(live, [{ op: "replace", path: "/metadata/managedFields", value: [...kept, target] }]);
}

/**
 * await.go handleSSAIgnoreFields: for each ignoreChanges path (PropertyPath.String() split on "."),
 * drop the field from the apply if another manager owns it and we do not, else send the live
 * value. Paths with [*] or quoted keys match nothing (upstream TODO "nested arrays"), so for
 * `webhooks[*].clientConfig.caBundle` the apply simply omits caBundle, which istiod owns.
 */
function handleSSAIgnoreFields(inputs: Obj, live: Obj, manager: string, ignoreChanges: string[]) {
    const ours: Obj[] = [];
    const theirs: Obj[] = [];
    for (const m of live.metadata?.managedFields ?? []) (m.manager === manager ? ours : theirs).push(m.fieldsV1 ?? {});
    const has = (sets: Obj[], comps: string[]) =>
        sets.some((set) => {
            let cur: any = set;
            for (const c of comps) {
                if (!isMap(cur) || !(`f:${c}` in cur)) return false;
                cur = cur[`f:${c}`];
            }
            return true;
        });
    const getIn = (o: any, comps: string[]) => comps.reduce((cur, c) => (isMap(cur) && c in cur ? cur[c] : undefined), o);
    for (const ig of ignoreChanges) {
        const comps = pathString(parsePath(ig)).split(".");
        const parent = getIn(inputs, comps.slice(0, -1));
        if (has(theirs, comps) && !has(ours, comps)) {
            if (isMap(parent)) delete parent[comps[comps.length - 1]];
            continue;
        }
        const liveVal = getIn(live, comps);
        if (liveVal !== undefined) {
            let cur = inputs;
            for (const c of comps.slice(0, -1)) cur = isMap(cur[c]) ? cur[c] : (cur[c] = {});
            cur[comps[comps.length - 1]] = clone(liveVal);
        }
    }
}

/**
 * provider.go Update + await.go Update/ssaUpdate: GET the live object, hand CSA-owned fields to
 * our manager, apply ignoreChanges, then server-side apply under the resource's field manager
 * (force per patchForce); preview = dry run. If the manager changed, the old one is relinquished.
 */
export async function update(kube: Kube, s: Settings, type: string, olds: Obj, news: Obj, preview: boolean, ignoreChanges: string[]) {
    const inputs = normalize(news);
    if (preview && hasComputed(inputs)) return news;
    const { inputs: oldInputs, live: oldLive } = parseCheckpoint(olds);
    const managerOld = fieldManagerName(s, olds, oldInputs);
    const manager = fieldManagerName(s, olds, inputs);
    let live = await kube.get({ ...inputs, metadata: { ...inputs.metadata, namespace: oldLive.metadata?.namespace } }, oldLive.metadata.name);
    live = await fixCSAFieldManagers(kube, type, live, manager, preview);
    handleSSAIgnoreFields(inputs, live, manager, ignoreChanges);
    let out: Obj;
    try {
        out = await kube.apply(inputs, manager, patchForce(inputs, live, s, preview), preview, oldLive.metadata.name);
    } catch (e) {
        throw handleSSAErr(e, manager);
    }
    if (!preview && managerOld !== manager) await relinquish(kube, out, managerOld);
    return checkpoint(inputs, out, olds.__initialApiVersion ?? inputs.apiVersion, manager);
}

/** ssa/actions.go Relinquish: an apply of the bare identity under the manager (no force). */
async function relinquish(kube: Kube, o: Obj, manager: string) {
    const ident = { apiVersion: o.apiVersion, kind: o.kind, metadata: { name: o.metadata.name, ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}) } };
    await kube.apply(ident, manager, false, false);
}

/**
 * provider.go Delete + await.go Deletion: a Patch resource relinquishes its fields; anything else
 * is deleted (Foreground unless pulumi.com/deletionPropagationPolicy) and awaited until gone;
 * only Namespace (and a few legacy kinds) honour skipAwait on delete (allowsSkipAwaitWithDelete).
 */
export async function remove(kube: Kube, s: Settings, type: string, id: string, props: Obj, timeoutSeconds: number) {
    const { inputs, live } = parseCheckpoint(props);
    const manager = fieldManagerName(s, props, inputs);
    const { name } = parseFqName(id);
    try {
        if (s.serverSideApply && isPatch(type)) return await relinquish(kube, live, manager);
        const policy = ({ orphan: "Orphan", background: "Background" } as Record<string, string>)[(annotation(inputs, "pulumi.com/deletionPropagationPolicy") ?? "").toLowerCase()] ?? "Foreground";
        await kube.delete(live, name, policy);
    } catch (e) {
        if (isNotFound(e) || (e instanceof ApiError && e.reason === "NoMatch")) return;
        throw e;
    }
    // overrides.go allowsSkipAwaitWithDelete
    const skipAwaitKinds = ["Namespace", "Pod", "ReplicationController", "DaemonSet", "Deployment", "StatefulSet", "Job"];
    if (annotation(inputs, "pulumi.com/skipAwait") === "true" && skipAwaitKinds.includes(live.kind)) return;
    const deadline = Date.now() + (timeoutSeconds || 600) * 1000;
    while (Date.now() < deadline) {
        try {
            await kube.get(live, name);
        } catch (e) {
            if (isNotFound(e)) return;
            throw e;
        }
        await sleep(200);
    }
    throw new Error(`timed out waiting for ${live.kind} "${name}" to be deleted`);
}
