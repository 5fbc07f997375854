/**
 * Records, per scenario, the cluster's end state and the engine's step lists, for the
 * differential check between the real provider and the stand-in (tools/differential.ts).
 * Written to $E2E_RECORD_DIR (default reports/e2e)/<provider kind>/<suite>.json.
 */
import * as fs from "fs";
import * as path from "path";
import { Cluster } from "./cluster";
import { KubernetesProvider } from "./provider";
import { StepList } from "./pulumi";

const REPO = path.resolve(__dirname, "..", "..", "..");

export interface ScenarioRecord {
    state: Record<string, Record<string, unknown>>;
    steps: StepList[];
}
export interface SuiteRecord {
    suite: string;
    provider: string;
    kind: string;
    version: string;
    scenarios: Record<string, ScenarioRecord>;
}

/** Kinds dumped for the end state (what the program and the scenarios create). */
const KINDS = [
    "namespaces",
    "mutatingwebhookconfigurations",
    "validatingwebhookconfigurations",
    "services",
    "deployments",
    "replicasets",
    "serviceaccounts",
    "configmaps",
    "secrets",
    "roles",
    "rolebindings",
    "clusterroles",
    "clusterrolebindings",
    "customresourcedefinitions",
];
/** Objects the control plane itself makes, the same on both sides and noisy. */
const SKIP = /^\/?(kube-system|kube-public|kube-node-lease)(\/|$)|^\/?system:|^(default\/kubernetes|.*\/kube-root-ca\.crt)$/;
/** Values that differ by run, not by provider (times, generated names' hashes, IPs). */
const VOLATILE_ANNOTATIONS = new Set(["kubectl.kubernetes.io/restartedAt", "deployment.kubernetes.io/revision-history"]);

function normalize(kind: string, o: any): Record<string, unknown> {
    const md = o.metadata ?? {};
    const annotations = Object.fromEntries(
        Object.entries<string>(md.annotations ?? {})
            .filter(([k]) => k !== "kubectl.kubernetes.io/last-applied-configuration")
            .map(([k, v]) => [k, VOLATILE_ANNOTATIONS.has(k) ? "<set>" : v]),
    );
    const out: Record<string, unknown> = { labels: md.labels ?? {}, annotations };
    if (kind === "mutatingwebhookconfigurations" || kind === "validatingwebhookconfigurations") out.webhooks = o.webhooks;
    else if (kind === "services") out.spec = { ...o.spec, clusterIP: undefined, clusterIPs: undefined };
    else if (kind === "deployments") {
        const t = o.spec?.template ?? {};
        const ta = { ...(t.metadata?.annotations ?? {}) };
        if (ta["kubectl.kubernetes.io/restartedAt"]) ta["kubectl.kubernetes.io/restartedAt"] = "<set>";
        out.spec = { replicas: o.spec?.replicas, template: { ...t, metadata: { ...t.metadata, annotations: ta } } };
    } else if (kind === "replicasets") return { owner: md.ownerReferences?.[0]?.name ?? "" };
    else if (kind === "configmaps") out.data = o.data;
    else if (kind === "secrets") out.type = o.type;
    else if (kind.endsWith("roles")) out.rules = o.rules;
    else if (kind.endsWith("bindings")) out.subjects = o.subjects;
    return out;
}

/** Every object of KINDS, normalized, keyed by kind then namespace/name (one kubectl call). */
export async function clusterState(c: Cluster): Promise<Record<string, Record<string, unknown>>> {
    const r = await c.kubectl(["get", KINDS.join(","), "-A", "-o", "json"]);
    if (r.code !== 0) throw new Error(`kubectl get ${KINDS.join(",")}: ${r.stderr}`);
    const items: any[] = JSON.parse(r.stdout).items ?? [];
    const state: Record<string, Record<string, unknown>> = Object.fromEntries(KINDS.map((k) => [k, {}]));
    const kindOf = (o: any) => KINDS.find((k) => k.startsWith(o.kind.toLowerCase()))!;
    for (const o of items) {
        const kind = kindOf(o);
        const byName = state[kind];
        if (kind === "replicasets") {
            // ReplicaSets are named by a hash of the pod template: recorded as a count per owner.
            const k = `${o.metadata.namespace}/${o.metadata.ownerReferences?.[0]?.name ?? "-"}`;
            byName[k] = ((byName[k] as number) ?? 0) + 1;
            continue;
        }
        const k = `${o.metadata.namespace ?? ""}/${o.metadata.name}`;
        if (SKIP.test(k) || SKIP.test(o.metadata.name) || o.metadata.labels?.["kubernetes.io/bootstrapping"] === "rbac-defaults") continue;
        byName[k] = normalize(kind, o);
    }
    for (const kind of KINDS) state[kind] = Object.fromEntries(Object.entries(state[kind]).sort(([a], [b]) => a.localeCompare(b)));
    return state;
}

export class Recorder {
    private readonly rec: SuiteRecord;
    private taken = 0;

    constructor(private readonly suite: string, provider: KubernetesProvider) {
        this.rec = { suite, provider: provider.describe, kind: provider.kind, version: provider.version, scenarios: {} };
    }

    /** Records a scenario: the cluster now, and the steps taken since the previous record. */
    async add(scenario: string, cluster: Cluster, stepLists: StepList[]): Promise<void> {
        this.rec.scenarios[scenario] = { state: await clusterState(cluster), steps: stepLists.slice(this.taken) };
        this.taken = stepLists.length;
    }

    write(): string {
        const dir = path.join(process.env.E2E_RECORD_DIR ?? path.join(REPO, "reports", "e2e"), this.rec.kind);
        fs.mkdirSync(dir, { recursive: true });
        const file = path.join(dir, `${this.suite}.json`);
        fs.writeFileSync(file, JSON.stringify(this.rec, null, 1) + "\n");
        return file;
    }
}
