/**
 * An istiod STAND-IN for the two things a running istiod does that this program depends on,
 * served where the API server itself sends the program's webhooks, so that the API server (not
 * the test) decides from the tag webhooks and namespace labels which revision a pod gets:
 *
 * (a) CA bundle: like istiod's webhook controller (istio/istio pkg/webhooks/webhookpatch.go,
 *     WebhookCertPatcher), for every MutatingWebhookConfiguration labelled istio.io/rev=<its
 *     revision> it writes its CA into the clientConfig.caBundle of the webhooks whose name ends in
 *     "sidecar-injector.istio.io", with an Update, as field manager pilot-discovery; it leaves
 *     configurations of other revisions alone (the label decides, so a tag that moves is patched
 *     by the new revision's istiod). This is the drift the program must keep ignoring.
 * (b) Injection: like istiod's injector (pkg/kube/inject/webhook.go, Webhook.serveInject ->
 *     injectPod), it answers the API server's AdmissionReview for pods with a JSONPatch that adds
 *     the istio-proxy container and the `sidecar.istio.io/status` annotation whose `revision` is
 *     its own revision; a pod that already has the annotation is left as it is (istiod's
 *     injectRequired: "already injected"). Nothing else of the real template is imitated.
 *
 * Where: kube-apiserver resolves a webhook's Service to https://<clusterIP>:<port> (without
 * --enable-aggregator-routing, aggregatorapiserver.NewClusterIPServiceResolver; Endpoints and
 * EndpointSlices may not hold loopback addresses, ValidateEndpointIP). The cluster for these
 * scenarios is started with a loopback service range (startCluster serviceClusterIPRange), so
 * each istiod-<rev> Service's clusterIP is a 127.x address: one TLS server per revision listens
 * on <clusterIP>:443, on this host's loopback only, with a certificate for
 * istiod-<rev>.istio-system.svc (the ServerName the API server verifies) from one CA, as istiod
 * serves with the mesh CA (istio-ca-secret) shared by revisions.
 *
 * NOT imitated: xDS, the validation webhook, the real injection template (init container,
 * volumes, probes rewrite), injection policy/neverInjectSelector, the istio-ca-root-cert ConfigMap.
 */
import * as child_process from "child_process";
import * as fs from "fs";
import * as https from "https";
import * as path from "path";
import { Cluster } from "./cluster";
import { tempDir } from "./tools";

/** The webhooks istiod patches: the name suffix it matches (webhookpatch.go, webhookName). */
const INJECTOR_WEBHOOK_SUFFIX = "sidecar-injector.istio.io";
const FIELD_MANAGER = "pilot-discovery";

export interface Injection {
    revision: string;
    namespace: string;
    /** generateName for pods of a ReplicaSet (the name is not set at admission). */
    pod: string;
}

export interface Injectors {
    /** Revisions currently served, with their addresses (the istiod Service's and each tag Service's). */
    served(): Record<string, string[]>;
    /** Every AdmissionReview answered, in order. */
    readonly injections: Injection[];
    /** Waits until the revisions' servers run and their webhooks carry the CA bundle. */
    waitFor(revisions: string[], timeoutMs?: number): Promise<void>;
    stop(): Promise<void>;
}

function openssl(args: string[], cwd: string): void {
    const r = child_process.spawnSync("openssl", args, { cwd, encoding: "utf8" });
    if (r.status !== 0) throw new Error(`openssl ${args.join(" ")}: ${r.stderr}`);
}

/** The mesh CA and a serving certificate for each revision's Service name. */
class Pki {
    readonly dir = tempDir("istiod-pki");
    readonly caPem: string;
    constructor() {
        openssl(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-days", "2", "-subj", "/O=e2e istiod stand-in/CN=root-cert"], this.dir);
        this.caPem = fs.readFileSync(path.join(this.dir, "ca.crt"), "utf8");
    }
    serving(dnsName: string): { key: string; cert: string } {
        const base = dnsName.replace(/[^a-z0-9-]/g, "_");
        fs.writeFileSync(path.join(this.dir, `${base}.ext`), `subjectAltName=DNS:${dnsName}\n`);
        openssl(["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", `${base}.key`, "-out", `${base}.csr`, "-subj", `/CN=${dnsName}`], this.dir);
        openssl(["x509", "-req", "-in", `${base}.csr`, "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out", `${base}.crt`, "-days", "2", "-extfile", `${base}.ext`], this.dir);
        return { key: fs.readFileSync(path.join(this.dir, `${base}.key`), "utf8"), cert: fs.readFileSync(path.join(this.dir, `${base}.crt`), "utf8") };
    }
}

/** The JSONPatch istiod's injector would return, reduced to what the program reads. */
export function injectionPatch(pod: any, revision: string): unknown[] | undefined {
    const annotations = pod?.metadata?.annotations ?? {};
    if (annotations["sidecar.istio.io/status"] !== undefined) return undefined; // already injected
    const status = JSON.stringify({ initContainers: ["istio-init"], containers: ["istio-proxy"], volumes: ["istio-envoy"], imagePullSecrets: null, revision });
    const ops: unknown[] = [];
    if (pod?.metadata?.annotations === undefined) ops.push({ op: "add", path: "/metadata/annotations", value: {} });
    ops.push({ op: "add", path: "/metadata/annotations/sidecar.istio.io~1status", value: status });
    ops.push({ op: "add", path: "/spec/containers/-", value: { name: "istio-proxy", image: `registry.invalid/istio/proxyv2:${revision}`, args: ["proxy", "sidecar"] } });
    return ops;
}

export async function startInjectors(cluster: Cluster, opts: { namespace?: string; log?: (m: string) => void } = {}): Promise<Injectors> {
    const ns = opts.namespace ?? "istio-system";
    const log = opts.log ?? (() => undefined);
    const pki = new Pki();
    const caBundle = Buffer.from(pki.caPem).toString("base64");
    // One server per Service (an istiod's own and each revision tag's: both select that istiod's
    // pods, and the API server calls each at its own clusterIP), keyed by the Service's name.
    const servers = new Map<string, { revision: string; address: string; server: https.Server }>();
    const injections: Injection[] = [];
    let stopped = false;
    let lastError = "";

    const serve = (revision: string, service: string, address: string): Promise<https.Server> => {
        const { key, cert } = pki.serving(`${service}.${ns}.svc`);
        const server = https.createServer({ key, cert }, (req, res) => {
            let body = "";
            req.setEncoding("utf8");
            req.on("data", (d) => (body += d));
            req.on("end", () => {
                let review: any;
                try {
                    review = JSON.parse(body);
                } catch {
                    res.writeHead(400).end("not an AdmissionReview");
                    return;
                }
                const pod = review.request?.object;
                const patch = req.url?.startsWith("/inject") ? injectionPatch(pod, revision) : undefined;
                if (patch) injections.push({ revision, namespace: review.request?.namespace ?? "", pod: pod?.metadata?.name || pod?.metadata?.generateName || "" });
                const response: Record<string, unknown> = { uid: review.request?.uid, allowed: true };
                if (patch) {
                    response.patchType = "JSONPatch";
                    response.patch = Buffer.from(JSON.stringify(patch)).toString("base64");
                }
                res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify({ apiVersion: "admission.k8s.io/v1", kind: "AdmissionReview", response }));
            });
        });
        return new Promise((resolve, reject) => {
            server.once("error", reject);
            server.listen(443, address, () => resolve(server));
        });
    };

    /** webhookpatch.go: the CA into every injector webhook of configurations labelled with the revision. */
    const patchCaBundles = async (revision: string) => {
        const r = await cluster.request("GET", `/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations?labelSelector=${encodeURIComponent(`istio.io/rev=${revision}`)}`);
        for (const mwc of r.body.items ?? []) {
            let updated = false;
            for (const wh of mwc.webhooks ?? []) {
                if (wh.name.endsWith(INJECTOR_WEBHOOK_SUFFIX) && wh.clientConfig?.caBundle !== caBundle) {
                    wh.clientConfig.caBundle = caBundle;
                    updated = true;
                }
            }
            if (!updated) continue;
            const u = await cluster.request("PUT", `/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations/${mwc.metadata.name}?fieldManager=${FIELD_MANAGER}`, mwc);
            if (u.status >= 300 && u.status !== 409) throw new Error(`caBundle update of ${mwc.metadata.name}: ${u.status} ${JSON.stringify(u.body)}`);
            if (u.status < 300) log(`istiod ${revision}: caBundle written into ${mwc.metadata.name}`);
        }
    };

    const reconcile = async () => {
        const r = await cluster.request("GET", `/api/v1/namespaces/${ns}/services?labelSelector=app%3Distiod`);
        const want = new Map<string, { revision: string; address: string }>();
        for (const svc of r.body.items ?? []) {
            const rev = svc.metadata.labels?.["istio.io/rev"];
            const ip = svc.spec?.clusterIP;
            if (rev && ip && ip.startsWith("127.")) want.set(svc.metadata.name, { revision: rev, address: ip });
        }
        for (const [service, s] of servers) {
            const w = want.get(service);
            if (w?.address !== s.address || w?.revision !== s.revision) {
                servers.delete(service);
                await new Promise((res) => s.server.close(() => res(undefined)));
                log(`istiod ${s.revision}: stopped serving ${service} (the Service is gone or moved)`);
            }
        }
        for (const [service, w] of want) {
            if (!servers.has(service)) {
                servers.set(service, { revision: w.revision, address: w.address, server: await serve(w.revision, service, w.address) });
                log(`istiod ${w.revision}: serving ${service}.${ns}.svc on https://${w.address}:443`);
            }
        }
        for (const rev of new Set([...want.values()].map((w) => w.revision))) await patchCaBundles(rev);
    };

    const loop = (async () => {
        while (!stopped) {
            try {
                await reconcile();
                lastError = "";
            } catch (e) {
                lastError = String((e as Error).message ?? e);
            }
            await new Promise((r) => setTimeout(r, 300));
        }
    })();

    /** revision -> the addresses it is served at (its Service's and its tags'). */
    const served = () => {
        const out: Record<string, string[]> = {};
        for (const s of servers.values()) (out[s.revision] ??= []).push(s.address);
        return out;
    };
    const serving = (rev: string) => [...servers.values()].some((s) => s.revision === rev);
    return {
        served,
        injections,
        async waitFor(revisions, timeoutMs = 30_000) {
            const deadline = Date.now() + timeoutMs;
            for (;;) {
                const ok = await Promise.all(
                    revisions.map(async (rev) => {
                        if (!serving(rev)) return false;
                        const r = await cluster.request("GET", `/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations?labelSelector=${encodeURIComponent(`istio.io/rev=${rev}`)}`);
                        return (r.body.items ?? []).every((m: any) => (m.webhooks ?? []).filter((w: any) => w.name.endsWith(INJECTOR_WEBHOOK_SUFFIX)).every((w: any) => w.clientConfig?.caBundle === caBundle));
                    }),
                );
                if (ok.every(Boolean)) return;
                if (Date.now() > deadline) throw new Error(`istiod stand-in: revisions ${revisions.join(", ")} not ready after ${timeoutMs} ms (serving: ${JSON.stringify(served())}; last error: ${lastError || "none"})`);
                await new Promise((r) => setTimeout(r, 200));
            }
        },
        async stop() {
            stopped = true;
            await loop;
            for (const s of servers.values()) await new Promise((res) => s.server.close(() => res(undefined)));
            servers.clear();
        },
    };
}
