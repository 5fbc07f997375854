import type { LiveCrds } from "./gatewayapi/live";
import { LiveCheck } from "./plan/inUseRule";
import { MeshState } from "./state/deployed";

/** How the plan command and tests run the real program (index.ts) without a Pulumi CLI. */
export interface ProgramOptions {
    /** The deployed state to plan from; omitted = read it from this stack's last outputs. */
    previous?: MeshState | null;
    /** Rule codes to override; omitted = from $ISTIO_MESH_ALLOW_UNSAFE. */
    allowUnsafe?: string[];
    /** Where warnings and the step list go; omitted = pulumi.log (shown by preview and up). */
    report?: (level: "warn" | "info", message: string) => void;
    /** What the live cluster says about pods; omitted = ask it with kubectl when a revision is removed. */
    live?: LiveCheck;
    /** What the live cluster says about the Gateway API CRDs; omitted = ask it with kubectl when mesh.gatewayApi is set (offline when other options are given). */
    liveCrds?: LiveCrds;
}
