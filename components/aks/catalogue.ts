/**
 * The AKS Istio add-on's revisions, as data: which Kubernetes minors each `asm-1-NN` runs on
 * and whether AKS still installs it. From AKS's support calendar (istio-support-policy.md) and
 * release notes, as of 2026-07-17 (asm-1-30 released). How to update it: components/aks/README.md.
 * Pure: no Pulumi import.
 */
import { parseVersion } from "../versions/version";

export interface AsmRevision {
    /** Revision name, `asm-<major>-<minor>`: what `serviceMeshProfile.istio.revisions` lists. */
    readonly name: string;
    /** Istio minor it tracks ("1.30"); AKS picks and rolls the patch. */
    readonly version: string;
    readonly minor: number;
    /** Kubernetes minors it supports, inclusive ([32, 36] = 1.32 to 1.36). */
    readonly kubernetes: readonly [number, number];
    /**
     * `supported`: AKS installs it and upgrades to it. `deprecated`: running clusters keep it,
     * but AKS refuses it as a new install or upgrade target ("Revision asm-1-NN is not
     * supported by the service mesh add-on").
     */
    readonly status: "supported" | "deprecated";
    /** When it was (or will be) deprecated, for the messages. */
    readonly endOfLife: string;
}

/** Oldest first. Add a row when AKS ships a revision; flip `status` when it deprecates one. */
export const ASM_REVISIONS: readonly AsmRevision[] = [
    { name: "asm-1-27", version: "1.27", minor: 27, kubernetes: [29, 35], status: "deprecated", endOfLife: "2026-05 (deprecated 2026-05-29)" },
    { name: "asm-1-28", version: "1.28", minor: 28, kubernetes: [30, 35], status: "deprecated", endOfLife: "~2026-08" },
    { name: "asm-1-29", version: "1.29", minor: 29, kubernetes: [31, 36], status: "supported", endOfLife: "after asm-1-31 ships" },
    { name: "asm-1-30", version: "1.30", minor: 30, kubernetes: [32, 36], status: "supported", endOfLife: "after asm-1-32 ships" },
];

/** The add-on's revision name for an Istio minor: 30 -> asm-1-30. */
export function asmRevisionName(minor: number): string {
    return `asm-1-${minor}`;
}

/** The catalogue row of a revision name, or undefined. */
export function asmRevision(name: string): AsmRevision | undefined {
    return ASM_REVISIONS.find((r) => r.name === name);
}

/** The supported revisions, oldest first. */
export function supportedRevisions(): AsmRevision[] {
    return ASM_REVISIONS.filter((r) => r.status === "supported");
}

/**
 * Where a cluster on `from` can go next: n+1, or n+2 (skipping one minor), each supported and
 * compatible with the cluster's Kubernetes minor. From a deprecated n whose n+1 is deprecated
 * too, only the nearest supported revision (AKS's rule).
 */
export function upgradeTargets(from: AsmRevision, k8sMinor?: number): AsmRevision[] {
    const fits = (r: AsmRevision) => r.status === "supported" && (k8sMinor === undefined || kubernetesFits(r, k8sMinor));
    const next = ASM_REVISIONS.filter((r) => r.minor === from.minor + 1 || r.minor === from.minor + 2).filter(fits);
    if (next.length > 0) {
        return next;
    }
    const nearest = ASM_REVISIONS.filter((r) => r.minor > from.minor).find(fits);
    return nearest === undefined ? [] : [nearest];
}

export function kubernetesFits(r: AsmRevision, k8sMinor: number): boolean {
    return k8sMinor >= r.kubernetes[0] && k8sMinor <= r.kubernetes[1];
}

/** "1.30" -> 30; undefined for anything that is not major.minor of Istio 1.x. */
export function addonMinor(version: string): number | undefined {
    const m = /^1\.(\d+)$/.exec(version);
    return m ? Number(m[1]) : undefined;
}

/** The newest add-on minor among `revisions` ("1.30"): AKS installs that revision's CRDs. */
export function addonBaseVersion(revisions: readonly { readonly version: string }[]): string {
    const minors = revisions.map((r) => addonMinor(r.version)).filter((m): m is number => m !== undefined);
    if (minors.length === 0) {
        throw new Error("internal: an add-on mesh without a validated revision");
    }
    return `1.${Math.max(...minors)}`;
}

/** A revision's version as an orderable release: "1.30.3" as is, an add-on minor "1.30" as 1.30.0. */
export function comparableVersion(text: string): { major: number; minor: number; patch: number; text: string } {
    const full = parseVersion(text);
    if (full) {
        return full;
    }
    const minor = addonMinor(text);
    if (minor === undefined) {
        throw new Error(`internal: "${text}" is neither a validated Istio release nor an add-on minor`);
    }
    return { major: 1, minor, patch: 0, text };
}
