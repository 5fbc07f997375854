/**
 * The Gateway API `Gateway` CRD schema (v1) of a bundle, as recorded in tests/fixtures/gatewayapi
 * (unchanged openAPIV3Schema of the standard channel, source named in each file), and a check of
 * an emitted Gateway against it with components/istio/openapi.ts. The listener CEL rules of
 * these bundles are evaluated here (below); any other CEL rule stays in the schema, where the
 * validator reports it as not evaluated, so nothing passes unjudged.
 */
import * as fs from "fs";
import * as path from "path";
import { OpenApiSchema, validate } from "../../components/istio/openapi";
import type { GatewayObject } from "../../components/ambient/objects";

interface Recorded {
    readonly source: string;
    readonly bundleVersion: string;
    readonly channel: string;
    readonly served: readonly string[];
    readonly openAPIV3Schema: OpenApiSchema;
}

export const GATEWAY_BUNDLES = ["v1.2.1", "v1.5.1"] as const;

export function recordedGateway(bundle: (typeof GATEWAY_BUNDLES)[number]): Recorded {
    return JSON.parse(fs.readFileSync(path.join(__dirname, "..", "fixtures", "gatewayapi", `gateway-${bundle}.schema.json`), "utf8"));
}

type Listener = { name?: string; port?: number; protocol?: string; hostname?: string; tls?: { mode?: string; certificateRefs?: unknown[]; options?: Record<string, unknown> } };
const has = (l: Listener, k: keyof Listener) => l[k] !== undefined;
const sameHost = (a: Listener, b: Listener) => (has(a, "hostname") && has(b, "hostname") ? a.hostname === b.hostname : !has(a, "hostname") && !has(b, "hostname"));

/** The listener rules of the recorded bundles, keyed by their CEL text (whitespace-normalized). */
const LISTENER_RULES = new Map<string, (ls: Listener[]) => boolean>([
    ["self.all(l, l.protocol in ['HTTP', 'TCP', 'UDP'] ? !has(l.tls) : true)", (ls) => ls.every((l) => !["HTTP", "TCP", "UDP"].includes(l.protocol ?? "") || !has(l, "tls"))],
    ["self.all(l, (l.protocol == 'HTTPS' && has(l.tls)) ? (l.tls.mode == '' || l.tls.mode == 'Terminate') : true)", (ls) => ls.every((l) => !(l.protocol === "HTTPS" && has(l, "tls")) || ["", "Terminate", undefined].includes(l.tls?.mode))],
    ["self.all(l, (l.protocol == 'TLS' ? has(l.tls) && has(l.tls.mode) && l.tls.mode != '' : true))", (ls) => ls.every((l) => l.protocol !== "TLS" || (l.tls?.mode ?? "") !== "")],
    ["self.all(l, l.protocol == 'TLS' ? has(l.tls) : true)", (ls) => ls.every((l) => l.protocol !== "TLS" || has(l, "tls"))],
    ["self.all(l, l.protocol in ['TCP', 'UDP'] ? (!has(l.hostname) || l.hostname == '') : true)", (ls) => ls.every((l) => !["TCP", "UDP"].includes(l.protocol ?? "") || (l.hostname ?? "") === "")],
    ["self.all(l1, self.exists_one(l2, l1.name == l2.name))", (ls) => ls.every((a) => ls.filter((b) => a.name === b.name).length === 1)],
    [
        "self.all(l1, self.exists_one(l2, l1.port == l2.port && l1.protocol == l2.protocol && (has(l1.hostname) && has(l2.hostname) ? l1.hostname == l2.hostname : !has(l1.hostname) && !has(l2.hostname))))",
        (ls) => ls.every((a) => ls.filter((b) => a.port === b.port && a.protocol === b.protocol && sameHost(a, b)).length === 1),
    ],
]);
/** The rules on one listener's `tls` (v1.5.1 adds the first), keyed by CEL text; `mode` defaults to Terminate in the schema. */
const TLS_RULES = new Map<string, (tls: NonNullable<Listener["tls"]>) => boolean>([
    [
        "self.mode == 'Terminate' ? size(self.certificateRefs) > 0 || size(self.options) > 0 : true",
        (t) => (t.mode ?? "Terminate") !== "Terminate" || (t.certificateRefs ?? []).length > 0 || Object.keys(t.options ?? {}).length > 0,
    ],
]);
const norm = (rule: string) => rule.replace(/\s+/g, " ").trim();

/** Problems of `gw` against the Gateway CRD of `bundle`; [] = the API server accepts it. */
export function gatewayProblems(gw: GatewayObject, bundle: (typeof GATEWAY_BUNDLES)[number]): string[] {
    const rec = recordedGateway(bundle);
    const where = `Gateway/${gw.metadata.name}`;
    const out: string[] = [];
    if (!rec.served.includes(gw.apiVersion.split("/")[1])) {
        out.push(`${where}: ${gw.apiVersion} is not served by ${bundle}`);
    }
    const schema = structuredClone(rec.openAPIV3Schema);
    const listeners = (schema.properties?.spec as OpenApiSchema).properties?.listeners as OpenApiSchema;
    const rules = listeners["x-kubernetes-validations"] ?? [];
    const kept: { rule: string; message?: string }[] = [];
    for (const r of rules) {
        const check = LISTENER_RULES.get(norm(r.rule));
        if (check === undefined) {
            kept.push(r);
        } else if (!check(gw.spec.listeners as Listener[])) {
            out.push(`${where}.spec.listeners: ${r.message ?? r.rule}`);
        }
    }
    listeners["x-kubernetes-validations"] = kept;
    const tls = (listeners.items as OpenApiSchema | undefined)?.properties?.tls as OpenApiSchema | undefined;
    if (tls !== undefined) {
        const keptTls: { rule: string; message?: string }[] = [];
        for (const r of tls["x-kubernetes-validations"] ?? []) {
            const check = TLS_RULES.get(norm(r.rule));
            if (check === undefined) {
                keptTls.push(r);
                continue;
            }
            (gw.spec.listeners as Listener[]).forEach((l, i) => {
                if (l.tls !== undefined && !check(l.tls)) out.push(`${where}.spec.listeners[${i}].tls: ${r.message ?? r.rule}`);
            });
        }
        tls["x-kubernetes-validations"] = keptTls;
    }
    out.push(...validate({ spec: gw.spec }, schema, where));
    return out;
}
