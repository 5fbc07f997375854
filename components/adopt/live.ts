/**
 * What `npm run adopt` reads from a running cluster, as the documents the read-only commands
 * print (`helm list -A -a -o json`, `helm get values <release> -n <ns> -o json`,
 * `kubectl get <kind> -o json`). Pure: recorded fixtures go through the same functions.
 */
import { JsonMap } from "../config/model";

/** One entry of `helm list -o json`. */
export interface HelmListEntry {
    readonly name: string;
    readonly namespace: string;
    readonly revision: string;
    readonly status: string;
    /** `<chart>-<version>`, e.g. `istiod-1.29.6`. */
    readonly chart: string;
    readonly app_version?: string;
    readonly updated?: string;
}

export interface KubeObject {
    readonly apiVersion?: string;
    readonly kind?: string;
    readonly metadata: {
        readonly name: string;
        readonly namespace?: string;
        readonly labels?: Readonly<Record<string, string>>;
        readonly annotations?: Readonly<Record<string, string>>;
    };
    readonly [key: string]: unknown;
}

/** Everything the mapping reads. */
export interface LiveMesh {
    /** The control-plane namespace asked for (`--namespace`, default istio-system). */
    readonly namespace: string;
    /** `helm list -A -a -o json` (every status, so pending releases are seen). */
    readonly releases: readonly HelmListEntry[];
    /** `<namespace>/<name>` → `helm get values -o json` (user-supplied values; `null` → {}). */
    readonly values: Readonly<Record<string, JsonMap | null>>;
    /** `<namespace>/<name>` → `helm get values --all -o json` (what the release renders with); absent = not read. */
    readonly computed?: Readonly<Record<string, JsonMap | null>>;
    /** `kubectl get mutatingwebhookconfigurations -o json` items. */
    readonly mutatingWebhookConfigurations: readonly KubeObject[];
    /** `kubectl get namespaces -o json` items. */
    readonly namespaces: readonly KubeObject[];
    /** `kubectl get services -n <namespace> -o json` items. */
    readonly services: readonly KubeObject[];
    /** `kubectl get deployments -n <namespace> -o json` items (to tell istioctl installs apart). */
    readonly deployments: readonly KubeObject[];
}

/** Splits `istiod-1.29.6` into chart and version (the version starts at the last `-<digit>` run). */
export function splitChart(chart: string): { name: string; version: string } {
    const m = /^(.*?)-(v?\d+\.\d+\.\d+.*)$/.exec(chart);
    return m === null ? { name: chart, version: "" } : { name: m[1], version: m[2] };
}

/** Items of a `kubectl get -o json` List (or the document itself when it is a single object). */
export function itemsOf(doc: unknown): KubeObject[] {
    if (doc !== null && typeof doc === "object" && Array.isArray((doc as { items?: unknown }).items)) {
        return (doc as { items: KubeObject[] }).items;
    }
    return [];
}

export const label = (o: KubeObject, key: string): string | undefined => {
    const labels = o.metadata.labels ?? {};
    return Object.hasOwn(labels, key) ? labels[key] : undefined;
};

export const annotation = (o: KubeObject, key: string): string | undefined => {
    const annotations = o.metadata.annotations ?? {};
    return Object.hasOwn(annotations, key) ? annotations[key] : undefined;
};

/** The Helm release that owns an object (Helm's ownership annotations), if any. */
export function helmOwner(o: KubeObject): string | undefined {
    const name = annotation(o, "meta.helm.sh/release-name");
    const ns = annotation(o, "meta.helm.sh/release-namespace");
    return name === undefined ? undefined : `${ns ?? ""}/${name}`;
}

/** An own entry of a map keyed by cluster-provided names (a release named `constructor` is just a name). */
export function entryOf<T>(map: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
    return map !== undefined && Object.hasOwn(map, key) ? map[key] : undefined;
}
