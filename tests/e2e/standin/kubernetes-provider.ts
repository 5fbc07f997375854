/**
 * STAND-IN for pulumi-resource-kubernetes 4.34.2, used by the e2e tier only when the real
 * provider binary cannot be had (this workplace's Go proxy refuses the pulumi-kubernetes
 * modules). It serves the same resource tokens over the real provider protocol (its own gRPC
 * handlers: preview, ignoreChanges, Read inputs and detailed diffs are all passed through), and
 * imitates the real provider behaviour by behaviour, each citing the upstream function
 * (pulumi/pulumi-kubernetes, read at main 94977969 = v4.32.0-27, helm v3.20.2; the provider
 * code these behaviours live in is unchanged in substance through 4.34.2 as far as the
 * changelog says):
 *   objects.ts  Diff from the pruned live state, Read replacing inputs with the pruned live
 *               object, create = POST (AlreadyExists unless upsertExistingObjects), SSA updates
 *               under a per-resource manager with force only when asked, fixCSAFieldManagers,
 *               handleSSAIgnoreFields, Patch resources and Relinquish on delete, pulumi.com/*
 *               annotations sent to the cluster as they are (none is stripped).
 *   release.ts  helm install/upgrade/uninstall, Check downloading the chart, Read from the live
 *               release, three-way diff, create-before-delete replacement.
 *
 * NOT IMITATED (the real provider does these; the stand-in does not):
 *   - awaiters: no readiness waits for Services (endpoints), Deployments, Pods, Jobs, Ingresses,
 *     no pulumi.com/waitFor, no PULUMI_K8S_AWAIT_ALL, no event aggregation; deletes do wait until
 *     the object is gone (as the real one), create/update return at once (as with skipAwait).
 *   - Check: no OpenAPI schema validation, no autonaming (every object here is named), no
 *     deprecated-API warnings, no CRD cache; clients.Normalize (e.g. Secret stringData, int/str
 *     canonicalisation) is not applied before diffs.
 *   - secrets: the stand-in does not accept secrets (the engine strips secretness), so Release
 *     __inputs and secret values are stored in plain text; nothing in this program is secret.
 *   - partial errors (ErrorResourceInitFailed), CSA mode, YAML render mode, clusterUnreachable /
 *     deleteUnreachable / skipUpdateUnreachable, DiffConfig (provider replacement on a cluster
 *     change), CRD updates by PUT, preview renaming for immutable fields, replaceUnready,
 *     helm postrender/verify/keyring/dependency update/lint/OCI credentials, Release
 *     resourceNames, Helm repository search on import (chart name only), helm chart/hook
 *     warnings, List/Invoke/Call (helm template, kustomize, yaml functions).
 *   - helm runs as the helm CLI in a child process (same process group), not in-process: error
 *     texts are helm's own but prefixed differently, and a kill of the provider process alone
 *     (not its process group) would leave helm running to completion.
 */
import * as fs from "fs";
import { Kube, KubeConfigInput, kubeconfigPath, Obj } from "./kube";
import * as objects from "./objects";
import * as release from "./release";

// eslint-disable-next-line @typescript-eslint/no-var-requires
const grpc = require("@grpc/grpc-js");
// eslint-disable-next-line @typescript-eslint/no-var-requires
const proto = require("@pulumi/pulumi/proto/provider_pb");
// eslint-disable-next-line @typescript-eslint/no-var-requires
const structproto = require("google-protobuf/google/protobuf/struct_pb");
// eslint-disable-next-line @typescript-eslint/no-var-requires
const emptyproto = require("google-protobuf/google/protobuf/empty_pb");

const RELEASE = "kubernetes:helm.sh/v3:Release";
/** The resource's own type token (the URN's type part lists parent types before it, split by $). */
const typeOf = (urn: string) => urn.split("::")[2].split("$").pop()!;

let config: KubeConfigInput & { namespace?: string } = {};
let settings: objects.Settings = { serverSideApply: true, enablePatchForce: false, upsertExistingObjects: false };
let kubeClient: Kube | undefined;
const kube = () => (kubeClient ??= new Kube(config));
const helmEnv = (): release.HelmEnv => ({ kubeconfig: kubeconfigPath(config), context: config.context, defaultNamespace: config.namespace || "default" });

/** provider.go Configure: provider inputs (variables), then PULUMI_K8S_* env vars, then defaults. */
function configure(vars: Map<string, string>, args: Obj) {
    const get = (key: string): string | undefined => {
        const v = vars.get(`kubernetes:config:${key}`) ?? args[key];
        return v === undefined || v === null ? undefined : String(v);
    };
    const flag = (key: string, env: string, dflt: boolean) => {
        const v = get(key) ?? process.env[env];
        return v === undefined ? dflt : v === "true";
    };
    config = { kubeconfig: get("kubeconfig"), context: get("context"), namespace: get("namespace") };
    settings = {
        serverSideApply: flag("enableServerSideApply", "PULUMI_K8S_ENABLE_SERVER_SIDE_APPLY", true),
        enablePatchForce: flag("enablePatchForce", "PULUMI_K8S_ENABLE_PATCH_FORCE", false),
        upsertExistingObjects: flag("upsertExistingObjects", "PULUMI_K8S_UPSERT_EXISTING_OBJECTS", false),
    };
    kubeClient = undefined;
    if (process.env.E2E_STANDIN_TRACE) fs.appendFileSync(process.env.E2E_STANDIN_TRACE, `${new Date().toISOString()} ${process.pid} configure: ${JSON.stringify(settings)}\n`);
}

const js = (s: any): Obj => (s ? s.toJavaScript() : {});
const struct = (o: unknown) => structproto.Struct.fromJavaScript(JSON.parse(JSON.stringify(o ?? {})));
// The harness checks that the engine ran this stand-in (and not a pulumi-resource-kubernetes
// found elsewhere): E2E_STANDIN_MARKER names a file this process leaves its PID in.
if (process.env.E2E_STANDIN_MARKER) fs.appendFileSync(process.env.E2E_STANDIN_MARKER, `${process.pid}\n`);
/** E2E_STANDIN_TRACE=<file>: one line per call (method, URN, preview, outcome), for debugging a scenario. */
const TRACE = process.env.E2E_STANDIN_TRACE;
function trace(call: any, outcome: string) {
    if (!TRACE) return;
    const r = call.request;
    const urn = typeof r?.getUrn === "function" ? r.getUrn() : "";
    const preview = typeof r?.getPreview === "function" ? r.getPreview() : undefined;
    const method = call.getPath?.() ?? "";
    fs.appendFileSync(TRACE, `${new Date().toISOString()} ${process.pid} ${method} ${urn}${preview ? " preview" : ""}: ${outcome}\n`);
}
function handler(fn: (req: any) => Promise<any>) {
    return (call: any, cb: any) =>
        fn(call.request).then(
            (resp) => (trace(call, "ok"), cb(undefined, resp)),
            (e) => (trace(call, `error ${String(e?.message ?? e).split("\n")[0]}`), cb({ code: grpc.status.UNKNOWN, details: String(e?.message ?? e) }, undefined)),
        );
}

const impl: Record<string, any> = {
    configure: handler(async (req) => {
        configure(req.getVariablesMap(), js(req.getArgs()));
        const resp = new proto.ConfigureResponse();
        resp.setAcceptsecrets(false);
        resp.setSupportspreview(true);
        resp.setAcceptresources(true);
        resp.setAcceptoutputs(false);
        return resp;
    }),
    checkConfig: handler(async (req) => {
        const resp = new proto.CheckResponse();
        resp.setInputs(req.getNews());
        return resp;
    }),
    check: handler(async (req) => {
        const type = typeOf(req.getUrn());
        const news = js(req.getNews());
        const resp = new proto.CheckResponse();
        if (type === RELEASE) {
            const r = release.check(helmEnv(), news);
            resp.setInputs(struct(r.inputs));
            resp.setFailuresList(r.failures.map(failure));
            return resp;
        }
        // provider.Check: Patch resources need SSA mode and a name; inputs are otherwise passed on.
        if (objects.isPatch(type) && !settings.serverSideApply) throw new Error("patch resources require Server-Side Apply mode, which is enabled using the `enableServerSideApply` Provider config");
        if (objects.isPatch(type) && !news.metadata?.name) throw new Error("patch resources require the `.metadata.name` field to be set");
        resp.setInputs(struct(objects.normalize(news)));
        return resp;
    }),
    diff: handler(async (req) => {
        const type = typeOf(req.getUrn());
        const ignore: string[] = req.getIgnorechangesList();
        const r = type === RELEASE ? release.diff(js(req.getOlds()), js(req.getNews()), ignore) : await objects.diff(kube(), settings, type, js(req.getOlds()), js(req.getNews()), ignore);
        const resp = new proto.DiffResponse();
        resp.setChanges(r.changes ? proto.DiffResponse.DiffChanges.DIFF_SOME : proto.DiffResponse.DiffChanges.DIFF_NONE);
        resp.setReplacesList(r.replaces);
        resp.setDeletebeforereplace(r.deleteBeforeReplace);
        resp.setDiffsList([...new Set(Object.keys(r.detailed).map((k) => objects.parsePath(k)[0] as string))]);
        for (const [k, v] of Object.entries(r.detailed)) {
            const d = new proto.PropertyDiff();
            d.setKind(v.kind);
            d.setInputdiff(v.inputDiff);
            resp.getDetaileddiffMap().set(k, d);
        }
        resp.setHasdetaileddiff(true);
        return resp;
    }),
    create: handler(async (req) => {
        const type = typeOf(req.getUrn());
        const props = js(req.getProperties());
        const r = type === RELEASE ? release.create(helmEnv(), props, req.getPreview()) : await objects.create(kube(), settings, type, props, req.getPreview());
        const resp = new proto.CreateResponse();
        resp.setId(r.id);
        resp.setProperties(struct(r.outs));
        return resp;
    }),
    read: handler(async (req) => {
        const type = typeOf(req.getUrn());
        const r =
            type === RELEASE
                ? release.read(helmEnv(), req.getId(), js(req.getProperties()))
                : await objects.read(kube(), settings, type, req.getId(), js(req.getProperties()), req.getInputs() ? js(req.getInputs()) : undefined);
        const resp = new proto.ReadResponse();
        resp.setId(r.id);
        resp.setProperties(struct(r.props));
        if (r.id) resp.setInputs(struct(r.inputs));
        return resp;
    }),
    update: handler(async (req) => {
        const type = typeOf(req.getUrn());
        const olds = js(req.getOlds());
        const news = js(req.getNews());
        const outs =
            type === RELEASE
                ? release.update(helmEnv(), olds, news, req.getPreview())
                : await objects.update(kube(), settings, type, olds, news, req.getPreview(), req.getIgnorechangesList());
        const resp = new proto.UpdateResponse();
        resp.setProperties(struct(outs));
        return resp;
    }),
    delete: handler(async (req) => {
        const type = typeOf(req.getUrn());
        if (type === RELEASE) release.remove(helmEnv(), js(req.getProperties()));
        else await objects.remove(kube(), settings, type, req.getId(), js(req.getProperties()), req.getTimeout());
        return new emptyproto.Empty();
    }),
};
function failure(f: { property: string; reason: string }) {
    const c = new proto.CheckFailure();
    c.setProperty(f.property);
    c.setReason(f.reason);
    return c;
}

// Serve with @pulumi/pulumi's provider bootstrap (port handshake, engine address), replacing the
// resource methods of its generic server with the handlers above before the service registers.
const addService = grpc.Server.prototype.addService;
grpc.Server.prototype.addService = function (service: unknown, server: Record<string, any>) {
    for (const [k, v] of Object.entries(impl)) server[k] = v;
    return addService.call(this, service, server);
};
// eslint-disable-next-line @typescript-eslint/no-var-requires
require("@pulumi/pulumi/provider").main({ version: "4.34.2" }, process.argv.slice(2));
