/**
 * What ambient mode changes on a namespace of mesh.namespaces: its labels, and what its
 * workloads must run (the restart key). Pure.
 *
 * - ambient: istio.io/dataplane-mode=ambient and no istio.io/rev (the injection webhooks do not
 *   read dataplane-mode, so with istio.io/rev every new pod would get a sidecar, which wins over
 *   ambient: FACTS.md, "Namespace labels");
 * - ambient with keepSidecars: both labels (the documented middle step of a migration either way);
 * - a waypoint: istio.io/use-waypoint=<name>.
 * Absent labels are removed by the patch (server-side apply drops what its manager no longer
 * applies), so leaving ambient removes dataplane-mode and use-waypoint.
 */
import type { AmbientConfig, AmbientNamespaceConfig } from "../config/ambient";
import { LABELS } from "./facts";

/** The restart key of an ambient namespace without sidecars: its pods run no proxy of any revision. */
export const AMBIENT_EFFECTIVE = "ambient@ztunnel";

export function ambientNamespaceOf(a: AmbientConfig | undefined, name: string): AmbientNamespaceConfig | undefined {
    return a?.namespaces.find((n) => n.name === name);
}

/** True when the namespace carries istio.io/rev (sidecar mode, or ambient keeping sidecars). */
export function carriesRevisionLabel(n: AmbientNamespaceConfig | undefined): boolean {
    return n === undefined || n.dataplane === "sidecar" || n.keepSidecars;
}

/** The ambient labels the program sets on the namespace (beside istio.io/rev when carriesRevisionLabel). */
export function ambientLabels(n: AmbientNamespaceConfig | undefined): Record<string, string> {
    return {
        ...(n?.dataplane === "ambient" ? { [LABELS.dataplaneMode]: "ambient" } : {}),
        ...(n?.waypoint === undefined ? {} : { [LABELS.useWaypoint]: n.waypoint.name }),
    };
}

/** What the namespace's workloads must run: a revision's proxy (`effective`), or none (ambient). */
export function restartKey(n: AmbientNamespaceConfig | undefined, effective: string): string {
    return carriesRevisionLabel(n) ? effective : AMBIENT_EFFECTIVE;
}
