/**
 * STAND-IN for pulumi-resource-kubernetes 4.34.2, used by the e2e tier only when the real
 * provider binary cannot be had (this workplace's Go proxy refuses the pulumi-kubernetes
 * modules). It serves the same resource tokens over the real provider protocol, so the real
 * Pulumi engine drives it exactly as it drives the real provider, and it does the work the
 * way the real provider's server-side-apply mode does: objects with `kubectl apply
 * --server-side`, Patch resources under their own field manager, Helm releases with the helm
 * CLI. It is not the real provider and is never installed outside the e2e PULUMI_HOME.
 */
import * as child_process from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

// The provider server ignores Configure's arguments; capture the explicit provider's inputs
// (kubeconfig, context) by wrapping the gRPC service before the server registers it.
// eslint-disable-next-line @typescript-eslint/no-var-requires
const grpc = require("@grpc/grpc-js");
let providerConfig: { kubeconfig?: string; context?: string; upsertExistingObjects?: boolean | string } = {};
const addService = grpc.Server.prototype.addService;
grpc.Server.prototype.addService = function (service: unknown, impl: Record<string, any>) {
    const configure = impl.configure.bind(impl);
    impl.configure = (call: any, cb: any) => {
        providerConfig = call.request.getArgs()?.toJavaScript() ?? {};
        configure(call, cb);
    };
    impl.checkConfig = (call: any, cb: any) => {
        // eslint-disable-next-line @typescript-eslint/no-var-requires
        const { CheckResponse } = require("@pulumi/pulumi/proto/provider_pb");
        const resp = new CheckResponse();
        resp.setInputs(call.request.getNews());
        cb(undefined, resp);
    };
    return addService.call(this, service, impl);
};
// eslint-disable-next-line @typescript-eslint/no-var-requires
const provider = require("@pulumi/pulumi/provider");

const RELEASE = "kubernetes:helm.sh/v3:Release";

function kubeArgs(): string[] {
    const args: string[] = [];
    if (providerConfig.kubeconfig) {
        let file = providerConfig.kubeconfig;
        if (!fs.existsSync(file)) {
            file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "standin-")), "kubeconfig");
            fs.writeFileSync(file, providerConfig.kubeconfig);
        }
        args.push("--kubeconfig", file);
    }
    if (providerConfig.context) args.push("--context", providerConfig.context);
    return args;
}

function run(cmd: string, args: string[], input?: string): string {
    const r = child_process.spawnSync(cmd, args, { input, encoding: "utf8", maxBuffer: 64 << 20 });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")}: ${r.stderr || r.stdout}`);
    return r.stdout;
}
const kubectl = (args: string[], input?: string) => run("kubectl", [...kubeArgs(), ...args], input);
const helm = (args: string[]) => run("helm", [...kubeArgs().map((a) => (a === "--context" ? "--kube-context" : a)), ...args]);

/** The resource's own type token (the URN's type part lists parent types before it, split by $). */
const typeOf = (urn: string) => urn.split("::")[2].split("$").pop()!;
const isPatch = (urn: string) => typeOf(urn).endsWith("Patch");
const strip = (o: Record<string, any>) => {
    const { __inputs, ...rest } = o;
    return rest;
};

function stable(v: unknown): string {
    if (Array.isArray(v)) return `[${v.map(stable).join(",")}]`;
    if (v && typeof v === "object") return `{${Object.keys(v).sort().map((k) => `${k}:${stable((v as any)[k])}`).join(",")}}`;
    return JSON.stringify(v);
}

/** Applies an object with server-side apply; Patch resources use their own field manager. */
function apply(urn: string, inputs: Record<string, any>): Record<string, any> {
    const ann = inputs.metadata?.annotations ?? {};
    const manager = isPatch(urn) ? ann["pulumi.com/patchFieldManager"] ?? `pulumi-patch-${urn.split("::").pop()}` : "pulumi-kubernetes";
    const obj = JSON.parse(JSON.stringify(inputs));
    if (isPatch(urn) && obj.metadata?.annotations) {
        delete obj.metadata.annotations["pulumi.com/patchForce"];
        delete obj.metadata.annotations["pulumi.com/patchFieldManager"];
        if (Object.keys(obj.metadata.annotations).length === 0) delete obj.metadata.annotations;
    }
    const force = !isPatch(urn) || ann["pulumi.com/patchForce"] === "true";
    const out = kubectl(["apply", "--server-side", `--field-manager=${manager}`, ...(force ? ["--force-conflicts"] : []), "-o", "json", "-f", "-"], JSON.stringify(obj));
    return { ...inputs, ...JSON.parse(out), metadata: JSON.parse(out).metadata };
}

function objectId(inputs: Record<string, any>): string {
    return inputs.metadata?.namespace ? `${inputs.metadata.namespace}/${inputs.metadata.name}` : inputs.metadata.name;
}

function releaseApply(inputs: Record<string, any>): Record<string, any> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "standin-values-"));
    fs.writeFileSync(path.join(dir, "values.json"), JSON.stringify(inputs.values ?? {}));
    helm([
        "upgrade", "--install", inputs.name, inputs.chart, "--version", inputs.version, "-n", inputs.namespace,
        ...(inputs.repositoryOpts?.repo ? ["--repo", inputs.repositoryOpts.repo] : []),
        ...(inputs.createNamespace ? ["--create-namespace"] : []),
        "-f", path.join(dir, "values.json"), ...(inputs.resetValues ? ["--reset-values"] : []),
        ...(inputs.skipAwait ? [] : ["--wait", "--timeout", `${inputs.timeout ?? 300}s`]),
    ]);
    const status = JSON.parse(helm(["status", inputs.name, "-n", inputs.namespace, "-o", "json"]));
    return { ...inputs, status: { name: status.name, namespace: status.namespace, revision: status.version, status: status.info.status, version: status.chart?.metadata?.version ?? inputs.version, chart: inputs.chart } };
}

provider.main(
    {
        version: "4.34.2",
        async check(_urn: string, _olds: any, news: any) {
            return { inputs: news };
        },
        async diff(_id: string, urn: string, olds: any, news: any) {
            const old = olds.__inputs ?? olds;
            const changes = [...new Set([...Object.keys(strip(old)), ...Object.keys(strip(news))])].filter(
                (k) => k !== "status" && stable(old[k]) !== stable(news[k]),
            );
            const replaces: string[] = typeOf(urn) === RELEASE ? changes.filter((k) => k === "name" || k === "namespace") : [];
            if (typeOf(urn) !== RELEASE && (old.metadata?.name !== news.metadata?.name || old.metadata?.namespace !== news.metadata?.namespace)) replaces.push("metadata");
            return { changes: changes.length > 0, diffs: changes, replaces, deleteBeforeReplace: replaces.length > 0 };
        },
        async create(urn: string, inputs: any) {
            if (typeOf(urn) === RELEASE) {
                return { id: `${inputs.namespace}/${inputs.name}`, outs: { ...releaseApply(inputs), __inputs: inputs } };
            }
            // As the real provider since 4.29: creating an object that already exists is an
            // AlreadyExists error unless upsertExistingObjects (config or env) allows adopting it.
            const upsert = String(providerConfig.upsertExistingObjects ?? process.env.PULUMI_K8S_UPSERT_EXISTING_OBJECTS ?? "false") === "true";
            if (!isPatch(urn) && !upsert) {
                const ns = inputs.metadata?.namespace ? ["-n", inputs.metadata.namespace] : [];
                const got = child_process.spawnSync("kubectl", [...kubeArgs(), "get", inputs.kind.toLowerCase(), inputs.metadata.name, ...ns, "-o", "name"], { encoding: "utf8" });
                if (got.status === 0) {
                    throw new Error(`${inputs.kind} "${objectId(inputs)}" already exists (AlreadyExists); set upsertExistingObjects or PULUMI_K8S_UPSERT_EXISTING_OBJECTS=true to adopt it`);
                }
            }
            return { id: objectId(inputs), outs: { ...apply(urn, inputs), __inputs: inputs } };
        },
        async update(_id: string, urn: string, _olds: any, news: any) {
            if (typeOf(urn) === RELEASE) return { outs: { ...releaseApply(news), __inputs: news } };
            return { outs: { ...apply(urn, news), __inputs: news } };
        },
        async read(id: string, urn: string, props: any) {
            const inputs = props?.__inputs ?? props;
            if (typeOf(urn) === RELEASE) {
                const r = child_process.spawnSync("helm", [...kubeArgs().map((a) => (a === "--context" ? "--kube-context" : a)), "status", inputs.name, "-n", inputs.namespace], { encoding: "utf8" });
                return r.status === 0 ? { id, props, inputs } : { id: "", props: {} };
            }
            const kind = inputs.kind.toLowerCase();
            const r = child_process.spawnSync("kubectl", [...kubeArgs(), "get", kind, inputs.metadata.name, ...(inputs.metadata.namespace ? ["-n", inputs.metadata.namespace] : []), "-o", "json"], { encoding: "utf8" });
            if (r.status !== 0) return { id: "", props: {} };
            return { id, props: { ...JSON.parse(r.stdout), __inputs: inputs }, inputs };
        },
        async delete(_id: string, urn: string, props: any) {
            const inputs = props.__inputs ?? props;
            if (typeOf(urn) === RELEASE) {
                helm(["uninstall", inputs.name, "-n", inputs.namespace]);
                return;
            }
            if (isPatch(urn)) {
                // Relinquish: an empty apply under the same field manager drops its fields.
                const ann = inputs.metadata?.annotations ?? {};
                const manager = ann["pulumi.com/patchFieldManager"] ?? `pulumi-patch-${urn.split("::").pop()}`;
                const empty = { apiVersion: inputs.apiVersion, kind: inputs.kind, metadata: { name: inputs.metadata.name, ...(inputs.metadata.namespace ? { namespace: inputs.metadata.namespace } : {}) } };
                kubectl(["apply", "--server-side", `--field-manager=${manager}`, "-f", "-"], JSON.stringify(empty));
                return;
            }
            kubectl(["delete", inputs.kind.toLowerCase(), inputs.metadata.name, ...(inputs.metadata.namespace ? ["-n", inputs.metadata.namespace] : []), "--ignore-not-found", "--wait=false"]);
        },
    },
    process.argv.slice(2),
);
