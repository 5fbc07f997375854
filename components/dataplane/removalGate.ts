import * as command from "@pulumi/command";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { KubeAccess } from "../cluster/cluster";
import { accessEnvironment } from "../kubectl/access";
import { removalGateScript } from "../kubectl/kubectl";
import { GateInput } from "./gate";

/** The checkout that holds scripts/removal-gate.ts (this file is components/dataplane/removalGate.ts). */
export const PROJECT_DIR = path.resolve(__dirname, "..", "..");

export interface RemovalGateArgs {
    /** Revisions removed, the tags they were deployed with, and whether the AKS add-on owns some pods (see GateInput). */
    input: GateInput;
    /** How long the gate waits for pods to leave the removed revisions, seconds (the restarts' timeout). */
    timeoutSeconds: number;
    /** Seconds between two looks at the pods. @default 5 */
    intervalSeconds?: number;
    /** The stack's kubeconfig and context. */
    access: KubeAccess;
}

/**
 * The in-update gate of a revision removal: one `@pulumi/command` resource, created after the
 * restarts this update performs (its dependsOn), that succeeds only when no live pod runs a
 * removed revision's proxy any more (verdict: dataplane/gate.ts). Pulumi deletes removed
 * resources only after every create and update has succeeded, and the AKS add-on's
 * ManagedCluster update waits for this resource, so a failing gate stops the update with the
 * old revision still installed. It fails without being recorded, so the next `up` checks
 * again. Runs nothing at preview (the command provider does not).
 */
export class RemovalGate extends pulumi.ComponentResource {
    /** The verdict the last successful check printed. */
    public readonly stdout: pulumi.Output<string>;

    constructor(name: string, args: RemovalGateArgs, opts?: pulumi.ComponentResourceOptions) {
        super("istio-mesh:dataplane:RemovalGate", name, {}, opts);
        const run = removalGateScript(args.timeoutSeconds, args.intervalSeconds);
        const cmd = new command.local.Command(
            `${name}-check`,
            {
                create: run.script,
                // Removing other revisions in a later update asks again.
                update: run.script,
                environment: accessEnvironment(args.access, { ...run.environment, ISTIO_MESH_GATE: JSON.stringify(args.input) }),
                // Where scripts/removal-gate.ts is: this checkout, whatever the provider's working
                // directory (an Automation API program runs its providers in a temporary one).
                dir: PROJECT_DIR,
                logging: "stderr",
            },
            { parent: this },
        );
        this.stdout = cmd.stdout;
        this.registerOutputs({ stdout: this.stdout });
    }
}
