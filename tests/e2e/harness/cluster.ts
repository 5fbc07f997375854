// A throwaway Kubernetes control plane for the e2e tier: etcd + kube-apiserver + kube-controller-manager
// on free loopback ports, in a fresh temp dir. By default no kubelet and no scheduler: pods never
// run, so Deployments never become ready and Services never get endpoints (use skipAwait in
// programs), but Namespace deletion, garbage collection and Deployment -> ReplicaSet -> Pod objects
// work. With `pods: true`, kube-scheduler and kwok (sigs.k8s.io/kwok: a simulated kubelet, no
// container runtime) join, with one fake Node: pods are scheduled, become Running and Ready, and
// Deployments roll out, so `kubectl rollout restart` / `rollout status` behave as on a cluster.
//
// Node builtins only. Binaries come from tests/e2e/tools/build-tools.sh (see tools.ts).
import * as child_process from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as https from "https";
import * as http from "http";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { readResponse } from "../standin/http";

export interface ClusterOptions {
    /** Directory holding etcd, kube-apiserver, kube-controller-manager and kubectl. Default: $E2E_BIN_DIR. */
    binDir?: string;
    /** Start kube-controller-manager (default true). */
    controllerManager?: boolean;
    /**
     * Pods that run: start kube-scheduler and kwok and register one fake Node (default false;
     * needs kube-scheduler and kwok in binDir, and the controller-manager).
     */
    pods?: boolean;
    /** How long to wait for etcd, the apiserver and the controller-manager each (default 90 s). */
    readyTimeoutMs?: number;
    /** Keep the temp dir (logs, kubeconfig) after stop() (default: $E2E_KEEP_CLUSTER_DIR === "1"). */
    keepDir?: boolean;
    /** Progress messages (default: none). */
    log?: (msg: string) => void;
    /** Extra kube-apiserver flags. */
    apiserverArgs?: string[];
    /**
     * --service-cluster-ip-range (default 10.0.0.0/24). A loopback range (e.g. 127.77.0.0/16) makes
     * every Service's clusterIP a local address: the API server calls webhooks at
     * https://<clusterIP>:<port>, so a test server on that address receives them (injector.ts).
     */
    serviceClusterIPRange?: string;
}

export interface ExecResult {
    stdout: string;
    stderr: string;
    code: number;
}

export interface Cluster {
    /** Path of a kubeconfig file (context "e2e", bearer token, insecure-skip-tls-verify). */
    kubeconfig: string;
    /** The kubeconfig's text, e.g. for a Pulumi k8s Provider's `kubeconfig` input. */
    kubeconfigContent: string;
    /** The cluster's temp dir (logs: etcd.log, kube-apiserver.log, kube-controller-manager.log). */
    dir: string;
    /** https://127.0.0.1:<port> */
    server: string;
    /** Bearer token of the e2e-admin user (system:masters). */
    token: string;
    binDir: string;
    kubectl(args: string[], opts?: { input?: string; timeoutMs?: number }): Promise<ExecResult>;
    kubectlSync(args: string[], opts?: { input?: string; timeoutMs?: number }): ExecResult;
    /** A raw API request (JSON in/out); status and parsed body (or text). */
    request(method: string, apiPath: string, body?: unknown): Promise<{ status: number; body: any }>;
    /** Last lines of every process log, for failure messages. */
    logs(lines?: number): string;
    stop(): Promise<void>;
}

interface Proc {
    name: string;
    child: child_process.ChildProcess;
    logFile: string;
    exited: boolean;
    exitInfo?: string;
}

// ---- process-wide cleanup -------------------------------------------------------------------------
const live = new Set<{ procs: Proc[]; dir: string; keepDir: boolean }>();
let handlersInstalled = false;

function killGroup(p: Proc, signal: NodeJS.Signals): void {
    if (p.exited || p.child.pid === undefined) {
        return;
    }
    try {
        process.kill(-p.child.pid, signal); // the whole process group (spawned detached)
    } catch {
        try {
            p.child.kill(signal);
        } catch {
            /* already gone */
        }
    }
}

function cleanupAllSync(): void {
    for (const c of live) {
        for (const p of c.procs) {
            killGroup(p, "SIGKILL");
        }
        if (!c.keepDir) {
            try {
                fs.rmSync(c.dir, { recursive: true, force: true });
            } catch {
                /* best effort */
            }
        }
    }
    live.clear();
}

function installHandlers(): void {
    if (handlersInstalled) {
        return;
    }
    handlersInstalled = true;
    process.on("exit", cleanupAllSync);
    for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"] as NodeJS.Signals[]) {
        process.once(sig, () => {
            cleanupAllSync();
            process.kill(process.pid, sig); // default action now that our handler is gone
        });
    }
}

// ---- helpers ----------------------------------------------------------------------------------------
export function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const srv = net.createServer();
        srv.unref();
        srv.on("error", reject);
        srv.listen(0, "127.0.0.1", () => {
            const addr = srv.address() as net.AddressInfo;
            srv.close(() => resolve(addr.port));
        });
    });
}

async function freePorts(n: number): Promise<number[]> {
    const ports = new Set<number>();
    while (ports.size < n) {
        ports.add(await freePort());
    }
    return [...ports];
}

function sleep(ms: number): Promise<void> {
    return new Promise((r) => setTimeout(r, ms));
}

function tail(file: string, lines: number): string {
    try {
        const text = fs.readFileSync(file, "utf8").trimEnd().split("\n");
        return text.slice(-lines).join("\n");
    } catch {
        return "(no log)";
    }
}

function httpGet(
    url: string,
    headers: Record<string, string> = {},
    timeoutMs = 5000,
): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
        const mod = url.startsWith("https:") ? https : http;
        const req = mod.request(url, { method: "GET", headers, rejectUnauthorized: false, timeout: timeoutMs }, (res) => {
            let body = "";
            res.setEncoding("utf8");
            res.on("data", (d) => (body += d));
            res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
        });
        req.on("timeout", () => req.destroy(new Error("timeout")));
        req.on("error", reject);
        req.end();
    });
}

/** POST (create) or PATCH (merge patch) a JSON body; rejects on a non-2xx answer. */
function httpSend(method: "POST" | "PATCH", url: string, body: unknown, headers: Record<string, string>): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
        const data = JSON.stringify(body);
        const contentType = method === "PATCH" ? "application/merge-patch+json" : "application/json";
        const req = https.request(
            url,
            { method, rejectUnauthorized: false, headers: { ...headers, "Content-Type": contentType } },
            (res) => {
                let text = "";
                res.setEncoding("utf8");
                res.on("data", (d) => (text += d));
                res.on("end", () =>
                    (res.statusCode ?? 0) < 300 ? resolve({ status: res.statusCode ?? 0, body: text }) : reject(new Error(`${method} ${url}: ${res.statusCode} ${text}`)),
                );
            },
        );
        req.on("error", reject);
        req.end(data);
    });
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv, input?: string, timeoutMs = 120_000): Promise<ExecResult> {
    return new Promise((resolve) => {
        const child = child_process.spawn(cmd, args, { env, stdio: ["pipe", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
        child.stdout.setEncoding("utf8").on("data", (d) => (stdout += d));
        child.stderr.setEncoding("utf8").on("data", (d) => (stderr += d));
        child.on("error", (err) => {
            clearTimeout(timer);
            resolve({ stdout, stderr: stderr + String(err), code: -1 });
        });
        child.on("close", (code, signal) => {
            clearTimeout(timer);
            resolve({ stdout, stderr: signal ? `${stderr}\nkilled by ${signal}` : stderr, code: code ?? -1 });
        });
        child.stdin.end(input ?? "");
    });
}

/** A kubeconfig (context "e2e") for `server` with a bearer token, e.g. another identity's. */
export function kubeconfigText(server: string, token: string): string {
    // JSON is valid YAML; kubectl, client-go and the Pulumi provider all read it.
    return (
        JSON.stringify(
            {
                apiVersion: "v1",
                kind: "Config",
                clusters: [{ name: "e2e", cluster: { server, "insecure-skip-tls-verify": true } }],
                users: [{ name: "e2e-admin", user: { token } }],
                contexts: [{ name: "e2e", context: { cluster: "e2e", user: "e2e-admin", namespace: "default" } }],
                "current-context": "e2e",
                preferences: {},
            },
            null,
            2,
        ) + "\n"
    );
}

// kube-controller-manager: everything but what needs nodes, volumes, a cloud or cluster-signing keys.
const DISABLED_CONTROLLERS = [
    "node-ipam-controller",
    "node-lifecycle-controller",
    "taint-eviction-controller",
    "persistentvolume-binder-controller",
    "persistentvolume-attach-detach-controller",
    "persistentvolume-expander-controller",
    "persistentvolume-protection-controller",
    "persistentvolumeclaim-protection-controller",
    "ephemeral-volume-controller",
    "ttl-controller",
    "certificatesigningrequest-signing-controller",
    "certificatesigningrequest-approving-controller",
    "certificatesigningrequest-cleaner-controller",
    "bootstrap-signer-controller",
    "token-cleaner-controller",
    "service-lb-controller",
    "node-route-controller",
    "cloud-node-lifecycle-controller",
];

// ---- startCluster ---------------------------------------------------------------------------------
export async function startCluster(opts: ClusterOptions = {}): Promise<Cluster> {
    const binDir = opts.binDir ?? process.env.E2E_BIN_DIR;
    if (!binDir) {
        throw new Error("startCluster: no binDir (set E2E_BIN_DIR or pass binDir; see tests/e2e/harness/tools.ts)");
    }
    for (const b of ["etcd", "kube-apiserver", "kubectl"]) {
        if (!fs.existsSync(path.join(binDir, b))) {
            throw new Error(`startCluster: ${b} missing in ${binDir} (run tests/e2e/tools/build-tools.sh)`);
        }
    }
    const log = opts.log ?? (() => undefined);
    const timeout = opts.readyTimeoutMs ?? 90_000;
    const keepDir = opts.keepDir ?? process.env.E2E_KEEP_CLUSTER_DIR === "1";
    const withKcm = opts.controllerManager ?? true;
    const withPods = opts.pods ?? false;
    if (withPods) {
        const missing = ["kube-scheduler", "kwok", "kwok-stages.yaml", "kube-controller-manager"].filter((b) => !fs.existsSync(path.join(binDir, b)));
        if (missing.length > 0 || !withKcm) {
            throw new Error(`startCluster({pods: true}): needs the controller-manager and ${missing.join(", ") || "-"} in ${binDir} (E2E_TOOLS_PIECES="kube-scheduler kwok" tests/e2e/tools/build-tools.sh)`);
        }
    }

    installHandlers();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "istio-mesh-e2e-cluster-"));
    const procs: Proc[] = [];
    const entry = { procs, dir, keepDir };
    live.add(entry);

    const [etcdPort, peerPort, apiPort, kcmPort, schedPort, kwokPort] = await freePorts(6);
    const server = `https://127.0.0.1:${apiPort}`;
    const token = crypto.randomBytes(24).toString("hex");

    const spawn = (name: string, args: string[]): Proc => {
        const logFile = path.join(dir, `${name}.log`);
        const fd = fs.openSync(logFile, "a");
        const child = child_process.spawn(path.join(binDir, name), args, {
            cwd: dir,
            detached: true, // own process group, so stop() can kill everything it started
            stdio: ["ignore", fd, fd],
            env: { ...process.env, KUBECONFIG: "" },
        });
        fs.closeSync(fd);
        const p: Proc = { name, child, logFile, exited: false };
        child.on("exit", (code, signal) => {
            p.exited = true;
            p.exitInfo = signal ? `signal ${signal}` : `code ${code}`;
        });
        child.on("error", (err) => {
            p.exited = true;
            p.exitInfo = String(err);
        });
        procs.push(p);
        log(`started ${name} (pid ${child.pid})`);
        return p;
    };

    const logs = (lines = 40): string =>
        procs
            .map((p) => `----- ${p.name} (${p.exited ? `exited: ${p.exitInfo}` : "running"}) ${p.logFile}\n${tail(p.logFile, lines)}`)
            .join("\n");

    const stop = async (): Promise<void> => {
        if (!live.has(entry)) {
            return;
        }
        live.delete(entry);
        // controller-manager and apiserver first, etcd last
        for (const p of [...procs].reverse()) {
            killGroup(p, "SIGTERM");
            const deadline = Date.now() + 5000;
            while (!p.exited && Date.now() < deadline) {
                await sleep(50);
            }
            killGroup(p, "SIGKILL");
        }
        if (!keepDir) {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    };

    const waitFor = async (what: string, procsToWatch: Proc[], check: () => Promise<boolean>): Promise<void> => {
        const deadline = Date.now() + timeout;
        for (;;) {
            const dead = procsToWatch.find((p) => p.exited);
            if (dead) {
                throw new Error(`${dead.name} exited (${dead.exitInfo}) while waiting for ${what}`);
            }
            try {
                if (await check()) {
                    return;
                }
            } catch {
                /* not up yet */
            }
            if (Date.now() > deadline) {
                throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
            }
            await sleep(200);
        }
    };

    try {
        // Credentials: service-account signing key pair and a static token with system:masters.
        const { publicKey, privateKey } = crypto.generateKeyPairSync("rsa", {
            modulusLength: 2048,
            publicKeyEncoding: { type: "spki", format: "pem" },
            privateKeyEncoding: { type: "pkcs8", format: "pem" },
        });
        fs.writeFileSync(path.join(dir, "sa.pub"), publicKey);
        fs.writeFileSync(path.join(dir, "sa.key"), privateKey, { mode: 0o600 });
        fs.writeFileSync(path.join(dir, "tokens.csv"), `${token},e2e-admin,1,"system:masters"\n`, { mode: 0o600 });
        const kubeconfigContent = kubeconfigText(server, token);
        const kubeconfig = path.join(dir, "kubeconfig");
        fs.writeFileSync(kubeconfig, kubeconfigContent, { mode: 0o600 });
        fs.mkdirSync(path.join(dir, "pki"));

        // etcd
        const etcd = spawn("etcd", [
            "--name=default",
            `--data-dir=${path.join(dir, "etcd")}`,
            `--listen-client-urls=http://127.0.0.1:${etcdPort}`,
            `--advertise-client-urls=http://127.0.0.1:${etcdPort}`,
            `--listen-peer-urls=http://127.0.0.1:${peerPort}`,
            `--initial-advertise-peer-urls=http://127.0.0.1:${peerPort}`,
            `--initial-cluster=default=http://127.0.0.1:${peerPort}`,
            "--unsafe-no-fsync",
            "--log-level=warn",
        ]);
        const t0 = Date.now();
        await waitFor("etcd /health", [etcd], async () => {
            const r = await httpGet(`http://127.0.0.1:${etcdPort}/health`);
            return r.status === 200 && r.body.includes('"health":"true"');
        });
        log(`etcd ready in ${Date.now() - t0} ms`);

        // kube-apiserver
        const t1 = Date.now();
        const apiserver = spawn("kube-apiserver", [
            `--etcd-servers=http://127.0.0.1:${etcdPort}`,
            "--bind-address=127.0.0.1",
            `--secure-port=${apiPort}`,
            "--advertise-address=127.0.0.1",
            "--endpoint-reconciler-type=none",
            `--cert-dir=${path.join(dir, "pki")}`,
            `--service-cluster-ip-range=${opts.serviceClusterIPRange ?? "10.0.0.0/24"}`,
            `--service-account-issuer=${server}`,
            `--service-account-key-file=${path.join(dir, "sa.pub")}`,
            `--service-account-signing-key-file=${path.join(dir, "sa.key")}`,
            `--token-auth-file=${path.join(dir, "tokens.csv")}`,
            "--authorization-mode=RBAC",
            "--disable-admission-plugins=ServiceAccount",
            "--allow-privileged=true",
            "--profiling=false",
            ...(opts.apiserverArgs ?? []),
        ]);
        const auth = { Authorization: `Bearer ${token}` };
        await waitFor("kube-apiserver /readyz", [etcd, apiserver], async () => (await httpGet(`${server}/readyz`, auth)).status === 200);
        log(`kube-apiserver ready in ${Date.now() - t1} ms`);

        // kube-controller-manager (reuses the admin token's kubeconfig)
        if (withKcm && fs.existsSync(path.join(binDir, "kube-controller-manager"))) {
            const t2 = Date.now();
            const servingCert = path.join(dir, "pki", "apiserver.crt");
            const kcm = spawn("kube-controller-manager", [
                `--kubeconfig=${kubeconfig}`,
                "--bind-address=127.0.0.1",
                `--secure-port=${kcmPort}`,
                "--leader-elect=false",
                "--use-service-account-credentials=false",
                `--service-account-private-key-file=${path.join(dir, "sa.key")}`,
                ...(fs.existsSync(servingCert) ? [`--root-ca-file=${servingCert}`] : []),
                `--controllers=*,${DISABLED_CONTROLLERS.map((c) => `-${c}`).join(",")}`,
                "--concurrent-gc-syncs=5",
                "--concurrent-namespace-syncs=5",
                "--profiling=false",
            ]);
            // The serviceaccount controller creates "default" in every namespace: proof that the
            // controller-manager is up and reconciling.
            await waitFor("kube-controller-manager (default ServiceAccount)", [etcd, apiserver, kcm], async () =>
                (await httpGet(`${server}/api/v1/namespaces/default/serviceaccounts/default`, auth)).status === 200,
            );
            log(`kube-controller-manager working in ${Date.now() - t2} ms`);
        }

        if (withPods) {
            // kube-scheduler: binds pods to the fake Node (default profile, no leader election).
            const t3 = Date.now();
            const scheduler = spawn("kube-scheduler", [
                `--kubeconfig=${kubeconfig}`,
                `--authentication-kubeconfig=${kubeconfig}`,
                `--authorization-kubeconfig=${kubeconfig}`,
                "--bind-address=127.0.0.1",
                `--secure-port=${schedPort}`,
                "--leader-elect=false",
                "--profiling=false",
            ]);
            // kwok: plays the kubelet of every Node annotated kwok.x-k8s.io/node=fake, with its
            // "fast" stages (node initialised and heartbeats; pods scheduled there become Running
            // and Ready at once, deleted pods go away). Pod IPs come from --cidr; nothing listens.
            const kwok = spawn("kwok", [
                `--kubeconfig=${kubeconfig}`,
                // kwok's own default stages, installed beside it by build-tools.sh (0.8 has none built in)
                `--config=${path.join(binDir, "kwok-stages.yaml")}`,
                "--manage-all-nodes=false",
                "--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake",
                "--cidr=10.244.0.1/16",
                "--node-ip=127.0.0.1",
                `--server-address=127.0.0.1:${kwokPort}`,
            ]);
            const node = {
                apiVersion: "v1",
                kind: "Node",
                metadata: {
                    name: "kwok-node-0",
                    annotations: { "kwok.x-k8s.io/node": "fake", "node.alpha.kubernetes.io/ttl": "0" },
                    labels: { "kubernetes.io/hostname": "kwok-node-0", "kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64", type: "kwok" },
                },
                status: {
                    allocatable: { cpu: "64", memory: "256Gi", pods: "250" },
                    capacity: { cpu: "64", memory: "256Gi", pods: "250" },
                },
            };
            await httpSend("POST", `${server}/api/v1/nodes`, node, auth);
            await waitFor("the kwok Node to be Ready", [etcd, apiserver, scheduler, kwok], async () => {
                const r = await httpGet(`${server}/api/v1/nodes/kwok-node-0`, auth);
                const ready = JSON.parse(r.body)?.status?.conditions?.find((c: { type: string }) => c.type === "Ready");
                return r.status === 200 && ready?.status === "True";
            });
            // The API server taints a new Node not-ready (TaintNodesByCondition); the node
            // lifecycle controller that lifts it is off here (no real kubelets), so lift it.
            await httpSend("PATCH", `${server}/api/v1/nodes/kwok-node-0`, { spec: { taints: null } }, auth);
            log(`kube-scheduler and kwok working in ${Date.now() - t3} ms`);
        }

        const env = (): NodeJS.ProcessEnv => ({ ...process.env, KUBECONFIG: kubeconfig });
        const kubectlBin = path.join(binDir, "kubectl");
        const cluster: Cluster = {
            kubeconfig,
            kubeconfigContent,
            dir,
            server,
            token,
            binDir,
            kubectl: (args, o) => run(kubectlBin, args, env(), o?.input, o?.timeoutMs),
            kubectlSync: (args, o) => {
                const r = child_process.spawnSync(kubectlBin, args, {
                    env: env(),
                    input: o?.input ?? "",
                    encoding: "utf8",
                    timeout: o?.timeoutMs ?? 120_000,
                });
                return { stdout: r.stdout ?? "", stderr: (r.stderr ?? "") + (r.error ? String(r.error) : ""), code: r.status ?? -1 };
            },
            request: (method, apiPath, body) =>
                new Promise((resolve, reject) => {
                    const data = body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body);
                    const req = https.request(
                        `${server}${apiPath}`,
                        {
                            method,
                            rejectUnauthorized: false,
                            headers: {
                                ...auth,
                                Accept: "application/json",
                                ...(data !== undefined
                                    ? {
                                          "Content-Type":
                                              method === "PATCH" ? "application/merge-patch+json" : "application/json",
                                      }
                                    : {}),
                            },
                        },
                        (res) => readResponse(res).then(resolve, reject),
                    );
                    req.on("error", reject);
                    req.end(data);
                }),
            logs,
            stop,
        };
        return cluster;
    } catch (err) {
        const msg = `startCluster failed: ${(err as Error).message}\n${logs()}`;
        await stop();
        throw new Error(msg);
    }
}
