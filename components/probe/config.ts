/**
 * `mesh.probe`: the availability probe's stack config, its schema and its normalized shape.
 * The probe runs in a namespace the mesh enrolls (mesh.namespaces), so it follows a tag and is
 * restarted onto a new revision like every other workload, and the in-use check counts it.
 * Pure.
 */
import { z } from "zod";

export const probeSchema = z.strictObject({
    namespace: z.string(),
    url: z.string(),
    intervalSeconds: z.number().optional(),
    timeoutSeconds: z.number().optional(),
    image: z.string().min(1).optional(),
    replicas: z.number().int().min(1).optional(),
});
export type RawProbe = z.infer<typeof probeSchema>;

export interface ProbeConfig {
    /** Namespace of the probe Deployment: one of mesh.namespaces (it follows that entry's tag). */
    readonly namespace: string;
    /** What the probe requests, e.g. http://productpage.bookinfo:9080/productpage. */
    readonly url: string;
    /** Pause between two requests (the rate is one request per interval plus the request's time). */
    readonly intervalSeconds: number;
    /** A request taking longer counts as failed (code 000, curl exit 28). */
    readonly timeoutSeconds: number;
    /** Image with sh, sleep and curl >= 7.75 (for %{exitcode}). */
    readonly image: string;
    readonly replicas: number;
}

export const PROBE_DEFAULTS = {
    intervalSeconds: 1,
    timeoutSeconds: 2,
    // curl's own minimal image (Alpine: sh, sleep, curl): no package installs at start-up.
    image: "docker.io/curlimages/curl:8.11.1",
    replicas: 1,
} as const;

/** The problems of a probe config (path relative to mesh.probe, message) and its normalized form. */
export function normalizeProbe(
    raw: RawProbe,
    namespaces: ReadonlySet<string>,
    at: (...path: PropertyKey[]) => string,
    issues: { path: string; message: string }[],
): ProbeConfig {
    if (!namespaces.has(raw.namespace)) {
        issues.push({
            path: at("probe", "namespace"),
            message: `"${raw.namespace}" is not one of mesh.namespaces (${[...namespaces].join(", ") || "none"}); add it there with the tag the probe should follow, e.g. ${raw.namespace}: {revision: prod-stable, create: true}`,
        });
    }
    let url: URL | undefined;
    try {
        url = new URL(raw.url);
    } catch {
        url = undefined;
    }
    if (url === undefined || (url.protocol !== "http:" && url.protocol !== "https:")) {
        issues.push({ path: at("probe", "url"), message: `"${raw.url}" is not an http(s) URL; write e.g. http://productpage.bookinfo:9080/productpage` });
    }
    const intervalSeconds = raw.intervalSeconds ?? PROBE_DEFAULTS.intervalSeconds;
    if (!(intervalSeconds >= 0.1 && intervalSeconds <= 3600)) {
        issues.push({ path: at("probe", "intervalSeconds"), message: `${intervalSeconds} is outside 0.1-3600; the probe pauses this many seconds between requests` });
    }
    const timeoutSeconds = raw.timeoutSeconds ?? PROBE_DEFAULTS.timeoutSeconds;
    if (!(timeoutSeconds >= 0.1 && timeoutSeconds <= 60)) {
        issues.push({ path: at("probe", "timeoutSeconds"), message: `${timeoutSeconds} is outside 0.1-60; a request taking longer counts as failed` });
    }
    return { namespace: raw.namespace, url: raw.url, intervalSeconds, timeoutSeconds, image: raw.image ?? PROBE_DEFAULTS.image, replicas: raw.replicas ?? PROBE_DEFAULTS.replicas };
}
