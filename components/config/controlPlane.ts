/** The istiod settings (mesh.controlPlane, per-revision overrides) and autoscaling bounds. */
import { DEFAULTS } from "./defaults";
import { ConfigIssue } from "./errors";
import { ControlPlaneConfig } from "./model";
import { RawMesh } from "./schema";

/** mesh.controlPlane (or a revision's merged over it) with the program's defaults filled in. */
export function normalizeControlPlane(raw: RawMesh["controlPlane"], issues: ConfigIssue[], path: string): ControlPlaneConfig {
    const cp = raw ?? {};
    const replicas = cp.replicas ?? DEFAULTS.controlPlane.replicas;
    if (cp.pdb?.minAvailable !== undefined && cp.pdb?.maxUnavailable !== undefined) {
        issues.push({ path: `${path}.pdb`, message: "set either minAvailable or maxUnavailable, never both (the chart ignores minAvailable then)" });
    }
    const pdb = cp.pdb?.maxUnavailable !== undefined ? { maxUnavailable: cp.pdb.maxUnavailable } : { minAvailable: cp.pdb?.minAvailable ?? DEFAULTS.controlPlane.pdb.minAvailable };
    return {
        replicas,
        autoscaling: scaling(cp.autoscaling, replicas, DEFAULTS.controlPlane.autoscaling, `${path}.autoscaling`, issues),
        resources: cp.resources,
        pdb,
        meshConfig: cp.meshConfig ?? {},
    };
}

/** Autoscaling bounds: min defaults to the replicas, max never below min. */
export function scaling(
    raw: { enabled?: boolean; minReplicas?: number; maxReplicas?: number } | undefined,
    replicas: number,
    defaults: { enabled: boolean; maxReplicas: number },
    path: string,
    issues: ConfigIssue[],
) {
    const minReplicas = raw?.minReplicas ?? replicas;
    const maxReplicas = raw?.maxReplicas ?? Math.max(defaults.maxReplicas, minReplicas);
    if (maxReplicas < minReplicas) {
        issues.push({ path, message: `maxReplicas (${maxReplicas}) is below minReplicas (${minReplicas}); raise maxReplicas` });
    }
    return { enabled: raw?.enabled ?? defaults.enabled, minReplicas, maxReplicas };
}
