import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { KubeAccess } from "../cluster/cluster";
import { accessEnvironment } from "../kubectl/access";
import { RestartEntry, restartNamespacesScript } from "../kubectl/kubectl";

export interface WorkloadRestartsArgs {
    /** Every namespace of the mesh, in any order (`restart: false` ones are recorded, never restarted). */
    namespaces: readonly RestartEntry[];
    /**
     * The namespaces to restart on the command's first run (creation): those whose workloads ran
     * another revision, or none, before. Ignored after creation.
     */
    firstRun: readonly string[];
    /** Wait this many seconds per workload for its rollout; undefined = do not wait. @default undefined */
    waitSeconds?: number;
    /** The stack's kubeconfig and context. */
    access: KubeAccess;
}

/**
 * Restarts workloads when the revision they should run changes: a namespace label moved, a tag
 * it follows moved, the default revision moved, or the revision was upgraded in place. One
 * `@pulumi/command` resource for the whole mesh whose script restarts only the namespaces whose
 * recorded effective revision differs (see restartNamespacesScript), so it runs on those
 * changes and on nothing else; never at preview (the command provider runs nothing then).
 * Gateways roll through their Helm release instead (a pod annotation).
 */
export class WorkloadRestarts extends pulumi.ComponentResource {
    /** What the last run recorded: `istio-mesh effective revision: <namespace>=<revision>@<version>` lines. */
    public readonly stdout: pulumi.Output<string>;

    constructor(name: string, args: WorkloadRestartsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("istio-mesh:dataplane:WorkloadRestarts", name, {}, opts);
        const run = restartNamespacesScript(args.namespaces, args.firstRun, args.waitSeconds);
        const cmd = new command.local.Command(
            `${name}-rollout`,
            {
                create: run.create,
                update: run.update,
                environment: accessEnvironment(args.access, run.environment),
                // The script reads the previous run's stdout to know what it already restarted onto.
                addPreviousOutputInEnv: true,
                // stdout is the record; the restarts themselves are reported on stderr.
                logging: "stderr",
            },
            // `create` holds the first run's list, derived from what was deployed before: it matters
            // only when the resource is created, and a change to it is no reason to run anything.
            { parent: this, ignoreChanges: ["create"] },
        );
        this.stdout = cmd.stdout;
        this.registerOutputs({ stdout: this.stdout });
    }
}
