import * as command from "@pulumi/command";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { KubeAccess } from "../cluster/cluster";
import { accessEnvironment } from "../kubectl/access";
import { removalGateScript } from "../kubectl/kubectl";
import { GateConfig, GateRecord } from "./gate";

/** The checkout that holds scripts/removal-gate.ts (this file is components/dataplane/removalGate.ts). */
export const PROJECT_DIR = path.resolve(__dirname, "..", "..");

export interface RemovalGateArgs {
    /** What this config deploys: its revisions and tags, and whether the AKS add-on owns some pods (see GateConfig). */
    config: GateConfig;
    /**
     * The revisions and tags deployed before this update (gateRecordOf(previous)): what the
     * command's first run (its creation) compares with. Ignored after creation.
     */
    before: GateRecord;
    /** How long the gate waits for pods to leave the removed revisions, seconds (the restarts' timeout). */
    timeoutSeconds: number;
    /** Seconds between two looks at the pods. @default 5 */
    intervalSeconds?: number;
    /** The stack's kubeconfig and context. */
    access: KubeAccess;
}

/**
 * The in-update gate of revision removals: one `@pulumi/command` resource for the life of the
 * stack, after the restarts each update performs (its dependsOn). Its inputs are the config's
 * revisions and tags only, so the same config twice is no change and a second `up` runs
 * nothing; when they change, it compares them with its record (the revisions it last passed
 * with, printed on its stdout) and, if a revision went, succeeds only once no live pod runs a
 * removed revision's proxy (verdict: dataplane/gate.ts). Pulumi deletes removed resources only
 * after every create and update has succeeded, and the AKS add-on's ManagedCluster update
 * waits for this resource in an update that removes, so a failing gate stops the update with
 * the old revision still installed. A failed run is not recorded (inputs and stdout stay the
 * old ones), so the next `up` checks again. Runs nothing at preview (the command provider does
 * not).
 */
export class RemovalGate extends pulumi.ComponentResource {
    /** What the last passing run printed: its verdict and its record line. */
    public readonly stdout: pulumi.Output<string>;

    constructor(name: string, args: RemovalGateArgs, opts?: pulumi.ComponentResourceOptions) {
        super("istio-mesh:dataplane:RemovalGate", name, {}, opts);
        const run = removalGateScript(JSON.stringify(args.before), args.timeoutSeconds, args.intervalSeconds);
        // Named -verify, not the -check of the gate that existed only in an update that removed:
        // a stack holding one of those drops it once (a delete, after this one's creation)
        // instead of updating it with no record to compare with.
        const cmd = new command.local.Command(
            `${name}-verify`,
            {
                create: run.create,
                update: run.update,
                environment: accessEnvironment(args.access, { ...run.environment, ISTIO_MESH_GATE: JSON.stringify(args.config), ...(args.config.gateways === true ? { ISTIO_MESH_GATE_GATEWAYS: "1" } : {}) }),
                // The record of the last passing run (see readGateRecord).
                addPreviousOutputInEnv: true,
                // Where scripts/removal-gate.ts is: this checkout, whatever the provider's working
                // directory (an Automation API program runs its providers in a temporary one).
                dir: PROJECT_DIR,
                logging: "stderr",
            },
            // `create` holds the state before the first run: it matters only when the resource is
            // created, and a change to it (every update changes what was deployed before) is no
            // reason to run anything.
            { parent: this, ignoreChanges: ["create"] },
        );
        this.stdout = cmd.stdout;
        this.registerOutputs({ stdout: this.stdout });
    }
}
