import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { KubeAccess } from "../cluster/cluster";
import { accessEnvironment } from "../kubectl/access";
import { restartScript } from "../kubectl/kubectl";

export interface WorkloadRestartArgs {
    /** Namespace whose workloads restart. */
    namespace: string;
    /** One workload (`deployment/<name>`); undefined = every Deployment, StatefulSet and DaemonSet. */
    workload?: string;
    /** The revision and version the workloads must run: `<revision>@<version>`; a change restarts them. */
    effective: string;
    /**
     * Restart when this resource is first created: true when the workloads were on another
     * revision (or none) before; false for workloads that are new (a gateway Helm installs).
     */
    restartOnCreate: boolean;
    /** Wait this many seconds per workload for its rollout; undefined = do not wait. @default undefined */
    waitSeconds?: number;
    /** The stack's kubeconfig and context. */
    access: KubeAccess;
}

/**
 * Restarts workloads when the revision they should run changes: a namespace label moved, a tag
 * it follows moved, the default revision moved, or the revision was upgraded in place. A
 * `@pulumi/command` resource whose script restarts only when its recorded effective revision
 * differs (see restartScript), so it runs on those changes and on nothing else; never at
 * preview (the command provider runs nothing then).
 */
export class WorkloadRestart extends pulumi.ComponentResource {
    /** What the last run printed (the restarted workloads and the effective revision). */
    public readonly stdout: pulumi.Output<string>;

    constructor(name: string, args: WorkloadRestartArgs, opts?: pulumi.ComponentResourceOptions) {
        super("istio-mesh:dataplane:WorkloadRestart", name, {}, opts);
        const target = { namespace: args.namespace, workload: args.workload, effective: args.effective, waitSeconds: args.waitSeconds };
        const run = restartScript(target);
        const create = args.restartOnCreate ? run : restartScript(target, true);
        const cmd = new command.local.Command(
            `${name}-rollout`,
            {
                create: create.script,
                update: run.script,
                environment: accessEnvironment(args.access, run.environment),
                // The script reads the previous run's stdout to know what it already restarted onto.
                addPreviousOutputInEnv: true,
            },
            // `create` matters only when the resource is created (it depends on what was
            // deployed before); later changes to it are no reason to run anything.
            { parent: this, ignoreChanges: ["create"] },
        );
        this.stdout = cmd.stdout;
        this.registerOutputs({ stdout: this.stdout });
    }
}
