/**
 * What the mesh looks like in the cluster, read with kubectl: the facts the scenarios compare
 * (releases, tag webhooks and their targets, the default validator, namespace labels, and the
 * gateways' client-facing Services by identity: a replaced Service is a new UID and address).
 */
import * as zlib from "zlib";
import { Cluster } from "./cluster";

export interface MeshSnapshot {
    /** Deployed Helm releases by namespace/name. */
    releases: string[];
    /** Deployed release (namespace/name) -> chart, chart version and the user-supplied values. */
    charts: Record<string, { chart: string; version: string; values: Record<string, unknown> }>;
    /** Releases whose latest revision is pending-install/-upgrade/-rollback (namespace/name status). */
    pending: string[];
    /** Tag -> {rev label, services the webhooks call}. */
    tags: Record<string, { rev: string; services: string[] }>;
    /** Per-revision injector webhooks (rendered by istiod releases). */
    injectors: string[];
    /** Service the default validator calls ("" = none). */
    validator: string;
    /** Services in istio-system. */
    services: string[];
    /** namespace -> istio labels */
    namespaces: Record<string, Record<string, string>>;
    /**
     * namespace/name -> uid, type and clusterIP of every Service in the gateway namespaces: equal
     * UID and clusterIP = the same object at the same address (clients and DNS see no change).
     */
    gatewayServices: Record<string, { uid: string; type: string; clusterIP: string }>;
}

/** Where the runbook's gateways run (stacks/*.yaml: istio-ingressgateway in istio-ingress). */
export const GATEWAY_NAMESPACES = ["istio-ingress"];

async function getJson(c: Cluster, args: string[]): Promise<any> {
    const r = await c.kubectl([...args, "-o", "json"]);
    if (r.code !== 0) throw new Error(`kubectl ${args.join(" ")}: ${r.stderr}`);
    return JSON.parse(r.stdout);
}

export async function snapshot(c: Cluster, namespaces: string[], gatewayNamespaces: string[] = GATEWAY_NAMESPACES): Promise<MeshSnapshot> {
    const secrets = await getJson(c, ["get", "secrets", "-A", "-l", "owner=helm,status=deployed"]);
    const mwcs = await getJson(c, ["get", "mutatingwebhookconfigurations"]);
    const vwcs = await getJson(c, ["get", "validatingwebhookconfigurations"]);
    const services = await getJson(c, ["get", "services", "-n", "istio-system"]);
    const out: MeshSnapshot = { releases: [], charts: {}, pending: [], tags: {}, injectors: [], validator: "", services: [], namespaces: {}, gatewayServices: {} };
    out.releases = secrets.items.map((s: any) => `${s.metadata.namespace}/${s.metadata.labels.name}`).sort();
    for (const s of secrets.items) {
        // Helm's storage: the secret's `release` is base64(gzip(JSON)) on top of the Secret's own base64.
        const rel = JSON.parse(zlib.gunzipSync(Buffer.from(Buffer.from(s.data.release, "base64").toString(), "base64")).toString());
        out.charts[`${s.metadata.namespace}/${s.metadata.labels.name}`] = { chart: rel.chart.metadata.name, version: rel.chart.metadata.version, values: rel.config ?? {} };
    }
    const all = await getJson(c, ["get", "secrets", "-A", "-l", "owner=helm"]);
    const latest = new Map<string, any>();
    for (const s of all.items) {
        const key = `${s.metadata.namespace}/${s.metadata.labels.name}`;
        if (!latest.has(key) || Number(latest.get(key).metadata.labels.version) < Number(s.metadata.labels.version)) latest.set(key, s);
    }
    out.pending = [...latest.entries()].filter(([, s]) => s.metadata.labels.status.startsWith("pending")).map(([k, s]) => `${k} ${s.metadata.labels.status}`).sort();
    for (const m of mwcs.items) {
        const labels = m.metadata.labels ?? {};
        if (labels["istio.io/tag"]) {
            out.tags[labels["istio.io/tag"]] = {
                rev: labels["istio.io/rev"],
                services: [...new Set<string>((m.webhooks ?? []).map((w: any) => w.clientConfig.service.name))].sort(),
            };
        } else if (m.metadata.name.startsWith("istio-sidecar-injector")) {
            out.injectors.push(m.metadata.name);
        }
    }
    out.injectors.sort();
    const validator = vwcs.items.find((v: any) => v.metadata.name === "istiod-default-validator");
    out.validator = validator?.webhooks?.[0]?.clientConfig?.service?.name ?? "";
    out.services = services.items.map((s: any) => s.metadata.name).sort();
    for (const ns of namespaces) {
        const r = await c.kubectl(["get", "namespace", ns, "-o", "json"]);
        if (r.code !== 0) continue;
        const labels = JSON.parse(r.stdout).metadata.labels ?? {};
        out.namespaces[ns] = Object.fromEntries(Object.entries(labels).filter(([k]) => k === "istio.io/rev" || k === "istio-injection")) as Record<string, string>;
    }
    for (const ns of gatewayNamespaces) {
        for (const svc of (await getJson(c, ["get", "services", "-n", ns])).items) {
            out.gatewayServices[`${ns}/${svc.metadata.name}`] = { uid: svc.metadata.uid, type: svc.spec.type, clusterIP: svc.spec.clusterIP };
        }
    }
    return out;
}
