/**
 * A minimal in-process Kubernetes REST client for the stand-in provider: the real provider talks to
 * the API server in-process with client-go (dynamic client, discovery REST mapper), so the
 * stand-in does the same over HTTPS instead of spawning kubectl. Only what the provider needs:
 * kubeconfig (token or client certificate), discovery, GET/POST/PATCH (apply, json)/DELETE.
 */
import * as fs from "fs";
import * as https from "https";
import * as os from "os";
import * as path from "path";
import { parse } from "yaml";
import { readResponse } from "./http";

export type Obj = Record<string, any>;

export interface KubeConfigInput {
    kubeconfig?: string;
    context?: string;
}

export class ApiError extends Error {
    constructor(readonly status: number, readonly body: any) {
        // client-go's StatusError.Error() is the Status message.
        super(typeof body === "object" && body?.message ? body.message : `HTTP ${status}: ${JSON.stringify(body)}`);
    }
    get reason(): string {
        return this.body?.reason ?? "";
    }
}
export const isNotFound = (e: unknown) => e instanceof ApiError && e.status === 404;
export const isAlreadyExists = (e: unknown) => e instanceof ApiError && e.status === 409 && e.reason === "AlreadyExists";
export const isConflict = (e: unknown) => e instanceof ApiError && e.status === 409 && e.reason !== "AlreadyExists";

interface Endpoint {
    server: string;
    token?: string;
    ca?: Buffer;
    cert?: Buffer;
    key?: Buffer;
    insecure: boolean;
}

/** The kubeconfig file path or contents, as the provider's `kubeconfig` input accepts both (util.go parseKubeconfigString). */
export function kubeconfigText(input: KubeConfigInput): string {
    const k = input.kubeconfig;
    if (k && !fs.existsSync(k)) return k;
    const file = k ?? process.env.KUBECONFIG?.split(path.delimiter)[0] ?? path.join(os.homedir(), ".kube", "config");
    return fs.readFileSync(file, "utf8");
}

/** A kubeconfig file for the helm CLI (written once per provider process). */
let kubeconfigFile: string | undefined;
export function kubeconfigPath(input: KubeConfigInput): string {
    if (input.kubeconfig && fs.existsSync(input.kubeconfig)) return input.kubeconfig;
    if (!kubeconfigFile) {
        kubeconfigFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "standin-")), "kubeconfig");
        fs.writeFileSync(kubeconfigFile, kubeconfigText(input), { mode: 0o600 });
    }
    return kubeconfigFile;
}

function endpoint(input: KubeConfigInput): Endpoint {
    const cfg = parse(kubeconfigText(input));
    const ctxName = input.context || cfg["current-context"];
    const ctx = (cfg.contexts ?? []).find((c: any) => c.name === ctxName)?.context;
    if (!ctx) throw new Error(`context "${ctxName}" not found in kubeconfig`);
    const cluster = (cfg.clusters ?? []).find((c: any) => c.name === ctx.cluster)?.cluster;
    const user = (cfg.users ?? []).find((u: any) => u.name === ctx.user)?.user ?? {};
    const b64 = (v?: string) => (v ? Buffer.from(v, "base64") : undefined);
    const file = (v?: string) => (v ? fs.readFileSync(v) : undefined);
    return {
        server: cluster.server.replace(/\/+$/, ""),
        token: user.token ?? (user.tokenFile ? fs.readFileSync(user.tokenFile, "utf8").trim() : undefined),
        ca: b64(cluster["certificate-authority-data"]) ?? file(cluster["certificate-authority"]),
        cert: b64(user["client-certificate-data"]) ?? file(user["client-certificate"]),
        key: b64(user["client-key-data"]) ?? file(user["client-key"]),
        insecure: cluster["insecure-skip-tls-verify"] === true,
    };
}

export interface ResourceInfo {
    /** /api/v1 or /apis/<group>/<version> */
    base: string;
    plural: string;
    namespaced: boolean;
}

export class Kube {
    private ep: Endpoint;
    private discovery = new Map<string, Obj[]>();

    constructor(input: KubeConfigInput) {
        this.ep = endpoint(input);
    }

    request(method: string, apiPath: string, body?: unknown, contentType = "application/json"): Promise<any> {
        const url = new URL(this.ep.server + apiPath);
        const data = body === undefined ? undefined : Buffer.from(typeof body === "string" ? body : JSON.stringify(body));
        return new Promise((resolve, reject) => {
            const req = https.request(
                url,
                {
                    method,
                    ca: this.ep.ca,
                    cert: this.ep.cert,
                    key: this.ep.key,
                    rejectUnauthorized: !this.ep.insecure,
                    headers: {
                        Accept: "application/json",
                        "User-Agent": "pulumi-resource-kubernetes/4.34.2 (stand-in)",
                        ...(this.ep.token ? { Authorization: `Bearer ${this.ep.token}` } : {}),
                        ...(data ? { "Content-Type": contentType, "Content-Length": data.length } : {}),
                    },
                },
                (res) =>
                    readResponse(res).then(({ status, body: parsed }) => (status >= 200 && status < 300 ? resolve(parsed) : reject(new ApiError(status, parsed))), reject),
            );
            req.on("error", reject);
            req.end(data);
        });
    }

    /** The REST mapping of apiVersion/kind (client-go's discovery RESTMapper). */
    async resource(apiVersion: string, kind: string): Promise<ResourceInfo> {
        const base = apiVersion.includes("/") ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
        let list = this.discovery.get(base);
        if (!list) {
            list = ((await this.request("GET", base)).resources ?? []) as Obj[];
            this.discovery.set(base, list);
        }
        const r = list.find((x) => x.kind === kind && !String(x.name).includes("/"));
        if (!r) throw new ApiError(404, { message: `no matches for kind "${kind}" in version "${apiVersion}"`, reason: "NoMatch" });
        return { base, plural: r.name, namespaced: r.namespaced };
    }

    async path(obj: Obj, name?: string): Promise<string> {
        const r = await this.resource(obj.apiVersion, obj.kind);
        const ns = r.namespaced ? `/namespaces/${obj.metadata?.namespace || "default"}` : "";
        return `${r.base}${ns}/${r.plural}${name === undefined ? "" : `/${encodeURIComponent(name)}`}`;
    }

    async get(obj: Obj, name = obj.metadata.name): Promise<Obj> {
        return this.request("GET", await this.path(obj, name));
    }
    async create(obj: Obj, fieldManager: string, dryRun: boolean): Promise<Obj> {
        const q = new URLSearchParams({ fieldManager, ...(dryRun ? { dryRun: "All" } : {}) });
        return this.request("POST", `${await this.path(obj)}?${q}`, obj);
    }
    async apply(obj: Obj, fieldManager: string, force: boolean, dryRun: boolean, name = obj.metadata.name): Promise<Obj> {
        const q = new URLSearchParams({ fieldManager, force: String(force), ...(dryRun ? { dryRun: "All" } : {}) });
        return this.request("PATCH", `${await this.path(obj, name)}?${q}`, obj, "application/apply-patch+yaml");
    }
    async jsonPatch(obj: Obj, ops: unknown[]): Promise<Obj> {
        return this.request("PATCH", await this.path(obj, obj.metadata.name), ops, "application/json-patch+json");
    }
    async delete(obj: Obj, name: string, propagationPolicy: string): Promise<void> {
        await this.request("DELETE", await this.path(obj, name), { kind: "DeleteOptions", apiVersion: "v1", propagationPolicy });
    }
}
