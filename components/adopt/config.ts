/**
 * The `adopt` block of `istio-mesh:mesh`: the objects that already exist in the cluster when the
 * stack is created over a running mesh (written by `npm run adopt`). On the stack's first update
 * (no `deployed` output yet) the program registers each matching resource with Pulumi's `import`
 * option instead of creating it; afterwards the block is inert (kept as the record of what was
 * adopted). Pure: no Pulumi import.
 */
import { z } from "zod";
import { ConfigIssue } from "../config/errors";
import { dnsLabelProblem } from "../versions/version";

export const adoptSchema = z.strictObject({
    /** Helm releases, `<namespace>/<name>` (the helm.v3.Release import id). */
    releases: z.array(z.string()).optional(),
    /** MutatingWebhookConfigurations (revision tags), by name (cluster-scoped). */
    mutatingWebhookConfigurations: z.array(z.string()).optional(),
    /** Services (1.28+ revision-tag Services), `<namespace>/<name>`. */
    services: z.array(z.string()).optional(),
    /** Existing namespaces whose label already selects what the config says: not restarted on adoption. */
    namespaces: z.array(z.string()).optional(),
});

export type RawAdopt = z.infer<typeof adoptSchema>;

/** What exists already; every list sorted, no duplicates. */
export interface AdoptConfig {
    readonly releases: readonly string[];
    readonly mutatingWebhookConfigurations: readonly string[];
    readonly services: readonly string[];
    readonly namespaces: readonly string[];
}

/** `<namespace>/<name>` with two DNS labels (Helm release names and Service names are both). */
function namespacedProblem(ref: string): string | undefined {
    const parts = ref.split("/");
    if (parts.length !== 2) {
        return `"${ref}" is not <namespace>/<name>; write e.g. istio-system/istiod-1-29-6`;
    }
    return dnsLabelProblem(parts[0]) ?? dnsLabelProblem(parts[1]);
}

/** A webhook configuration name: a DNS subdomain (dots allowed). */
function webhookNameProblem(name: string): string | undefined {
    return /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/.test(name) ? undefined : `"${name}" is not a Kubernetes object name`;
}

/** Normalizes `mesh.adopt`; every bad entry is an issue naming its path. */
export function normalizeAdopt(raw: RawAdopt | undefined, at: (...path: PropertyKey[]) => string, issues: ConfigIssue[]): AdoptConfig | undefined {
    if (raw === undefined) {
        return undefined;
    }
    const list = (key: keyof RawAdopt, problem: (v: string) => string | undefined): string[] => {
        const values = raw[key] ?? [];
        values.forEach((v, i) => {
            const p = problem(v);
            if (p !== undefined) {
                issues.push({ path: at("adopt", key, i), message: `${p} (adopt lists what \`npm run adopt\` found; re-run it rather than editing by hand)` });
            }
        });
        return [...new Set(values)].sort();
    };
    return {
        releases: list("releases", namespacedProblem),
        mutatingWebhookConfigurations: list("mutatingWebhookConfigurations", webhookNameProblem),
        services: list("services", namespacedProblem),
        namespaces: list("namespaces", dnsLabelProblem),
    };
}
