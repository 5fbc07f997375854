/**
 * istio-mesh: read the stack config, refuse unsafe transitions from what is deployed, build
 * the mesh, export what it is. Everything else lives in components/.
 */
import * as pulumi from "@pulumi/pulumi";
import { Cluster } from "./components/cluster/cluster";
import { UserError } from "./components/errors";
import { defaultRevisionOf, effectiveTags, resolveRevision } from "./components/config/model";
import { readStackConfig } from "./components/config/stackConfig";
import { Mesh } from "./components/mesh/mesh";
import { ALLOW_UNSAFE_ENV, guardTransition, parseAllowUnsafe } from "./components/plan/guard";
import { ProgramOptions } from "./components/program";
import { queryPods } from "./components/dataplane/liveQuery";
import { removedRevisions } from "./components/plan/inUseRule";
import { NO_CHANGE, planSteps } from "./components/plan/steps";
import { migrationHintOf, stateOf, toStackOutput } from "./components/state/deployed";
import { readPreviousState } from "./components/state/previous";

async function main(options?: ProgramOptions) {
    try {
        const config = readStackConfig();
        const previous = options?.previous !== undefined ? (options.previous ?? undefined) : await readPreviousState(migrationHintOf(config));
        const next = stateOf(config, previous?.baseVersion);
        // Removing a revision asks the live cluster (read-only) which pods still use it.
        const live = options?.live ?? (removedRevisions(previous, next).length > 0 ? queryPods({ kubeconfig: config.cluster.kubeconfig, context: config.cluster.context }) : undefined);
        const warnings = guardTransition(previous, next, options?.allowUnsafe ?? parseAllowUnsafe(process.env[ALLOW_UNSAFE_ENV]), live);
        const report = options?.report ?? ((level, message) => pulumi.log[level](message));
        for (const w of warnings) {
            report("warn", `[${w.code}] ${w.message}`);
        }
        // The runbook view of the change, shown by preview and up next to the resource diff.
        const steps = planSteps(previous, next);
        if (!(steps.length === 1 && steps[0] === NO_CHANGE)) {
            report("info", `istio-mesh steps:\n${steps.map((s, i) => `  ${i + 1}. ${s}`).join("\n")}`);
        }

        const cluster = new Cluster("cluster", { context: config.cluster.context, kubeconfig: config.cluster.kubeconfig === undefined ? undefined : pulumi.secret(config.cluster.kubeconfig) });
        const mesh = new Mesh("mesh", { config, state: next, previous, access: cluster.access }, { provider: cluster.provider });

        return {
            revisions: Object.fromEntries(config.revisions.map((r) => [r.name, r.version])),
            tags: effectiveTags(config),
            defaultRevision: defaultRevisionOf(config),
            namespaces: Object.fromEntries(config.namespaces.map((n) => [n.name, resolveRevision(config, n.revision)])),
            baseVersion: mesh.state.baseVersion,
            releases: {
                "istio-base": mesh.base.status.status,
                ...Object.fromEntries([...mesh.revisions.values()].map((r) => [`istiod-${r.revision}`, r.status.status])),
            },
            warnings: warnings.map((w) => w.code),
            /** Canary gateways: the address of the one Service in front of their Deployments. */
            gatewayAddresses: Object.fromEntries(mesh.gatewayAddresses),
            deployed: toStackOutput(mesh.state),
        };
    } catch (e) {
        // Bad config, a bad `deployed` read back, a refused transition: the user's to fix.
        // Show the message, not a stack trace; anything else is a bug and keeps its stack.
        if (e instanceof UserError) {
            throw new pulumi.RunError(e.message);
        }
        throw e;
    }
}

export = main;
