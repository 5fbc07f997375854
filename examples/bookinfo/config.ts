/**
 * The Bookinfo sample's stack config (`bookinfo:sample`): its namespace, the Gateways it puts on
 * the mesh's ingress gateways, and its routing as typed config. Parsed with zod (strict: unknown
 * keys are errors), then every reference is checked, each problem naming its path and the fix,
 * all collected before any resource is created. Pure.
 */
import { z } from "zod";
import { formatPath } from "../../components/config/errors";
import { UserError } from "../../components/errors";
import { durationMs } from "../../components/istio/openapi";
import { dnsLabelProblem } from "../../components/versions/version";

export const SAMPLE_KEY = "bookinfo:sample";

/** Bookinfo's services and the versions the sample deploys of each (its DestinationRule subsets). */
export const BOOKINFO_VERSIONS: ReadonlyMap<string, readonly string[]> = new Map([
    ["productpage", ["v1"]],
    ["details", ["v1"]],
    ["ratings", ["v1"]],
    ["reviews", ["v1", "v2", "v3"]],
]);

/** The paths upstream Bookinfo exposes through its Gateway. */
export const PRODUCTPAGE_PATHS: readonly UriMatch[] = [{ exact: "/productpage" }, { prefix: "/static" }, { exact: "/login" }, { exact: "/logout" }, { prefix: "/api/v1/products" }];

const stringMatch = z.strictObject({ exact: z.string().optional(), prefix: z.string().optional(), regex: z.string().optional() });
const destination = z.strictObject({ host: z.string().optional(), subset: z.string(), weight: z.number().int().optional() });
const routeSchema = z.strictObject({
    name: z.string().optional(),
    match: z.strictObject({ headers: z.record(z.string(), stringMatch).optional(), uri: stringMatch.optional() }).optional(),
    to: z.array(destination).min(1),
    mirror: z.strictObject({ host: z.string().optional(), subset: z.string().optional(), percentage: z.number() }).optional(),
    retries: z.strictObject({ attempts: z.number().int().min(0), perTryTimeout: z.string().optional(), retryOn: z.string().optional() }).optional(),
    timeout: z.string().optional(),
    fault: z
        .strictObject({
            delay: z.strictObject({ fixedDelay: z.string(), percentage: z.number() }).optional(),
            abort: z.strictObject({ httpStatus: z.number().int(), percentage: z.number() }).optional(),
        })
        .optional(),
});
export const sampleSchema = z.strictObject({
    namespace: z.string(),
    images: z.strictObject({ hub: z.string().min(1).optional(), tag: z.string().min(1).optional() }).optional(),
    gateways: z
        .record(z.string(), z.strictObject({ ingress: z.string(), hosts: z.array(z.string().min(1)).min(1).optional(), port: z.number().int().min(1).max(65535).optional() }))
        .optional(),
    ingress: z.array(z.strictObject({ gateway: z.string(), service: z.string().optional(), paths: z.array(stringMatch).min(1).optional() })).optional(),
    routes: z.record(z.string(), z.array(routeSchema).min(1)).optional(),
});
export type RawSample = z.infer<typeof sampleSchema>;

export type UriMatch = { readonly exact?: string; readonly prefix?: string; readonly regex?: string };
export interface Destination {
    readonly host: string;
    readonly subset: string;
    /** Percent of the route's requests; undefined for a route's only destination (all of them). */
    readonly weight?: number;
}
export interface Route {
    readonly name?: string;
    readonly headers: Readonly<Record<string, UriMatch>>;
    readonly uri?: UriMatch;
    readonly to: readonly Destination[];
    readonly mirror?: { readonly host: string; readonly subset?: string; readonly percentage: number };
    readonly retries?: { readonly attempts: number; readonly perTryTimeout?: string; readonly retryOn?: string };
    readonly timeout?: string;
    readonly fault?: {
        readonly delay?: { readonly fixedDelay: string; readonly percentage: number };
        readonly abort?: { readonly httpStatus: number; readonly percentage: number };
    };
}
export interface SampleGateway {
    readonly name: string;
    /** The mesh stack's ingress gateway (Helm release / Deployment name) whose pods serve it. */
    readonly ingress: string;
    readonly hosts: readonly string[];
    readonly port: number;
}
export interface SampleConfig {
    readonly namespace: string;
    readonly images: { readonly hub: string; readonly tag: string };
    /** Sorted by name. */
    readonly gateways: readonly SampleGateway[];
    readonly ingress: readonly { readonly gateway: string; readonly service: string; readonly paths: readonly UriMatch[] }[];
    /** Service -> its routes in order (first match wins), sorted by service. */
    readonly routes: readonly { readonly service: string; readonly routes: readonly Route[] }[];
}

export const SAMPLE_DEFAULTS = { hub: "docker.io/istio", tag: "1.20.3", hosts: ["*"], port: 80, ingressService: "productpage" } as const;

export interface SampleIssue {
    readonly path: string;
    readonly message: string;
}

export class SampleConfigError extends UserError {
    constructor(public readonly issues: readonly SampleIssue[]) {
        super(`invalid Bookinfo sample config (${issues.length} problem${issues.length === 1 ? "" : "s"}):\n${issues.map((i) => `  - ${i.path}: ${i.message}`).join("\n")}`);
        this.name = "SampleConfigError";
    }
}

const SERVICES = [...BOOKINFO_VERSIONS.keys()].join(", ");
const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Parses and checks `bookinfo:sample`; throws SampleConfigError listing every problem. */
export function parseSample(raw: unknown): SampleConfig {
    const value = typeof raw === "string" ? safeJson(raw) : raw;
    const parsed = sampleSchema.safeParse(value);
    if (!parsed.success) {
        throw new SampleConfigError(
            parsed.error.issues.map((i) => ({
                path: formatPath(SAMPLE_KEY, i.path as PropertyKey[]),
                message: i.code === "unrecognized_keys" ? `unknown key${i.keys.length > 1 ? "s" : ""} ${i.keys.join(", ")}; remove or correct ${i.keys.length > 1 ? "them" : "it"} (see examples/bookinfo/README.md)` : i.message,
            })),
        );
    }
    const issues: SampleIssue[] = [];
    const config = normalize(parsed.data, issues);
    if (issues.length > 0) {
        throw new SampleConfigError(issues);
    }
    return config;
}

function safeJson(text: string): unknown {
    try {
        return JSON.parse(text);
    } catch {
        return text;
    }
}

function normalize(raw: RawSample, issues: SampleIssue[]): SampleConfig {
    const at = (...path: PropertyKey[]) => formatPath(SAMPLE_KEY, path);
    const problem = (path: string, message: string) => issues.push({ path, message });
    const nsProblem = dnsLabelProblem(raw.namespace);
    if (nsProblem) {
        problem(at("namespace"), nsProblem);
    }
    /** The problem with a host name, or undefined when it is a service of the sample. */
    const hostProblem = (host: string) => (BOOKINFO_VERSIONS.has(host) ? undefined : `"${host}" is not a host of the sample; use one of ${SERVICES}`);
    const subsetProblem = (host: string, subset: string) => {
        const versions = BOOKINFO_VERSIONS.get(host) ?? [];
        return versions.includes(subset) ? undefined : `subset "${subset}" does not exist in ${host}'s DestinationRule; use one of ${versions.join(", ")}`;
    };
    const percentProblem = (p: number, what: string) => (p >= 0 && p <= 100 ? undefined : `${what} ${p} is outside 0-100; give a percentage of requests between 0 and 100`);
    const durationProblem = (d: string) => ((durationMs(d) ?? 0) >= 1 ? undefined : `"${d}" is not a duration of at least 1ms; write e.g. 10s, 500ms or 1m30s`);

    const gateways: SampleGateway[] = [];
    for (const [name, g] of Object.entries(raw.gateways ?? {}).sort(([a], [b]) => byName(a, b))) {
        const p = dnsLabelProblem(name);
        if (p) {
            problem(at("gateways", name), p);
            continue;
        }
        gateways.push({ name, ingress: g.ingress, hosts: g.hosts ?? [...SAMPLE_DEFAULTS.hosts], port: g.port ?? SAMPLE_DEFAULTS.port });
    }
    const gatewayNames = new Set(gateways.map((g) => g.name));

    const ingress = (raw.ingress ?? []).map((entry, i) => {
        const service = entry.service ?? SAMPLE_DEFAULTS.ingressService;
        if (!gatewayNames.has(entry.gateway) && !Object.hasOwn(raw.gateways ?? {}, entry.gateway)) {
            problem(
                at("ingress", i, "gateway"),
                `the VirtualService is bound to Gateway "${entry.gateway}", which does not exist; define it under gateways (e.g. gateways: {${entry.gateway}: {ingress: istio-ingressgateway}}) or bind to one of: ${[...gatewayNames].join(", ") || "none defined"}`,
            );
        }
        const hp = hostProblem(service);
        if (hp) {
            problem(at("ingress", i, "service"), hp);
        }
        return { gateway: entry.gateway, service, paths: entry.paths ?? PRODUCTPAGE_PATHS };
    });
    const seen = new Map<string, number>();
    ingress.forEach((e, i) => {
        const key = `${e.service}-${e.gateway}`;
        const first = seen.get(key);
        if (first !== undefined) {
            problem(at("ingress", i), `exposes ${e.service} through ${e.gateway} again (also ingress[${first}]); merge the two entries' paths`);
        }
        seen.set(key, i);
    });

    const routes: { service: string; routes: Route[] }[] = [];
    for (const [service, list] of Object.entries(raw.routes ?? {}).sort(([a], [b]) => byName(a, b))) {
        const hp = hostProblem(service);
        if (hp) {
            problem(at("routes", service), hp);
            continue;
        }
        routes.push({
            service,
            routes: list.map((r, i) => {
                const here = (...p: PropertyKey[]) => at("routes", service, i, ...p);
                const to = r.to.map((d, j) => {
                    const host = d.host ?? service;
                    const p = hostProblem(host) ?? subsetProblem(host, d.subset);
                    if (p) {
                        problem(here("to", j, d.host === undefined ? "subset" : "host"), p);
                    }
                    if (d.weight !== undefined && (d.weight < 0 || d.weight > 100)) {
                        problem(here("to", j, "weight"), `${d.weight} is outside 0-100; weights are percentages of the route's requests`);
                    }
                    return { host, subset: d.subset, weight: d.weight };
                });
                if (to.length > 1 || to[0].weight !== undefined) {
                    const missing = to.findIndex((d) => d.weight === undefined);
                    const sum = to.reduce((s, d) => s + (d.weight ?? 0), 0);
                    if (missing >= 0) {
                        problem(here("to", missing, "weight"), `missing; with ${to.length} destinations every one needs a weight, and the weights must sum to 100`);
                    } else if (sum !== 100) {
                        problem(here("to"), `weights sum to ${sum}; they must sum to 100 (e.g. ${to.map((d, k) => `${d.subset}: ${k === 0 ? 100 - Math.floor(100 / to.length) * (to.length - 1) : Math.floor(100 / to.length)}`).join(", ")})`);
                    }
                }
                let mirror: Route["mirror"];
                if (r.mirror !== undefined) {
                    const host = r.mirror.host ?? service;
                    const p = hostProblem(host) ?? (r.mirror.subset === undefined ? undefined : subsetProblem(host, r.mirror.subset));
                    if (p) {
                        problem(here("mirror", r.mirror.host !== undefined && hostProblem(host) ? "host" : "subset"), p);
                    }
                    const pp = percentProblem(r.mirror.percentage, "mirror percentage");
                    if (pp) {
                        problem(here("mirror", "percentage"), pp);
                    }
                    mirror = { host, subset: r.mirror.subset, percentage: r.mirror.percentage };
                }
                for (const [key, d] of [["timeout", r.timeout], ["retries.perTryTimeout", r.retries?.perTryTimeout], ["fault.delay.fixedDelay", r.fault?.delay?.fixedDelay]] as const) {
                    const p = d === undefined ? undefined : durationProblem(d);
                    if (p) {
                        problem(here(...key.split(".")), p);
                    }
                }
                for (const kind of ["delay", "abort"] as const) {
                    const f = r.fault?.[kind];
                    const p = f === undefined ? undefined : percentProblem(f.percentage, `fault ${kind} percentage`);
                    if (p) {
                        problem(here("fault", kind, "percentage"), p);
                    }
                }
                const status = r.fault?.abort?.httpStatus;
                if (status !== undefined && (status < 200 || status > 599)) {
                    problem(here("fault", "abort", "httpStatus"), `${status} is not an HTTP status Envoy can return; use 200-599 (e.g. 500 or 503)`);
                }
                if (r.fault !== undefined && r.fault.delay === undefined && r.fault.abort === undefined) {
                    problem(here("fault"), "empty; give delay, abort or both, or remove fault");
                }
                for (const [name, m] of [...Object.entries(r.match?.headers ?? {}).map(([h, m]) => [`headers.${h}`, m] as const), ...(r.match?.uri ? [["uri", r.match.uri] as const] : [])]) {
                    const n = [m.exact, m.prefix, m.regex].filter((x) => x !== undefined).length;
                    if (n !== 1) {
                        problem(here("match", ...name.split(/\.(.*)/s).filter(Boolean)), `set exactly one of exact, prefix or regex (got ${n})`);
                    }
                }
                return {
                    name: r.name,
                    headers: r.match?.headers ?? {},
                    uri: r.match?.uri,
                    to,
                    mirror,
                    retries: r.retries,
                    timeout: r.timeout,
                    fault: r.fault,
                };
            }),
        });
    }
    return {
        namespace: raw.namespace,
        images: { hub: raw.images?.hub ?? SAMPLE_DEFAULTS.hub, tag: raw.images?.tag ?? SAMPLE_DEFAULTS.tag },
        gateways,
        ingress,
        routes,
    };
}
