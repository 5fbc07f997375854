/**
 * istio-mesh: read the stack config, refuse unsafe transitions from what is deployed, build
 * the mesh, export what it is. Everything else lives in components/.
 */
import * as fs from "fs";
import * as pulumi from "@pulumi/pulumi";
import { clusterFor, liveCrdsFor, livePodsFor } from "./components/cluster/index";
import { asksLiveCrds } from "./components/gatewayapi/live";
import { missingManifestFile } from "./components/gatewayapi/crds";
import { UserError } from "./components/errors";
import { defaultRevisionOf, effectiveTags, resolveRevision } from "./components/config/model";
import { readStackConfig } from "./components/config/stackConfig";
import { missingKubeconfigFile } from "./components/config/kubernetes";
import { Mesh } from "./components/mesh/mesh";
import { AvailabilityProbe } from "./components/probe/probe";
import { Addons } from "./components/addons/addons";
import { adoptionTransformations } from "./components/adopt/imports";
import { ALLOW_UNSAFE_ENV, guardTransition, parseAllowUnsafe } from "./components/plan/guard";
import { ProgramOptions } from "./components/program";
import { removedRevisions } from "./components/plan/inUseRule";
import { NO_CHANGE, planSteps } from "./components/plan/steps";
import { migrationHintOf, previousBaseOf, stateOf, toStackOutput } from "./components/state/deployed";
import { readPreviousState } from "./components/state/previous";
import { afterEvery, collectResources, neverRejecting } from "./components/state/settled";

async function main(options?: ProgramOptions) {
    try {
        // Every resource of this update: `deployed` waits for all of them (state/settled.ts).
        const resources = collectResources();
        const config = readStackConfig();
        // A real preview/up (not the offline plan, whose machine need not have the file).
        if (options === undefined && config.cluster.kind === "existing" && config.cluster.kubeconfig !== undefined) {
            const missing = missingKubeconfigFile(config.cluster.kubeconfig, fs.existsSync);
            if (missing !== undefined) throw new UserError(missing);
        }
        // The CRD manifest from a local file (air-gapped clusters): it must be on this machine, where the CRD command runs.
        const missingManifest = options === undefined ? missingManifestFile(config.gatewayApi?.crds, fs.existsSync) : undefined;
        if (missingManifest !== undefined) throw new UserError(missingManifest);
        const previous = options?.previous !== undefined ? (options.previous ?? undefined) : await readPreviousState(migrationHintOf(config));
        const next = stateOf(config, previousBaseOf(previous, config));
        // Removing a revision asks the live cluster (read-only) which pods still use it.
        const live = options?.live ?? (removedRevisions(previous, next).length > 0 ? await livePodsFor(config.cluster) : undefined);
        // The Gateway API CRDs the config names: the live bundle-version, so preview refuses what the CRD command would refuse during up.
        const crds = options !== undefined ? (options.liveCrds ?? { offline: true as const }) : asksLiveCrds(next) ? await liveCrdsFor(config.cluster) : undefined;
        const warnings = guardTransition(previous, next, options?.allowUnsafe ?? parseAllowUnsafe(process.env[ALLOW_UNSAFE_ENV]), live, crds);
        const report = options?.report ?? ((level, message) => pulumi.log[level](message));
        for (const w of warnings) {
            report("warn", `[${w.code}] ${w.message}`);
        }
        // The runbook view of the change, shown by preview and up next to the resource diff.
        const steps = planSteps(previous, next);
        if (!(steps.length === 1 && steps[0] === NO_CHANGE)) {
            report("info", `istio-mesh steps:\n${steps.map((s, i) => `  ${i + 1}. ${s}`).join("\n")}`);
        }

        // The cluster's kind is known only here (components/cluster/index.ts); the mesh gets a provider.
        const cluster = clusterFor("cluster", config, previous);
        let mesh: Mesh;
        try {
            mesh = new Mesh("mesh", { config, state: next, previous, access: cluster.access, managed: cluster.managed }, { provider: cluster.provider, transformations: adoptionTransformations(config.adopt, previous !== undefined) });
        } finally {
            // An AKS add-on update waits for the mesh's shared configs; never leave it waiting.
            cluster.settle();
        }
        // Beside the mesh, consuming it: the probe's pod is injected once its namespace is labelled.
        const probe = config.probe === undefined ? undefined : new AvailabilityProbe("probe", { probe: config.probe, skipAwait: config.cluster.skipAwait }, { provider: cluster.provider, dependsOn: [mesh] });
        const addons = config.addons === undefined ? undefined : new Addons("addons", { addons: config.addons, meshNamespace: config.namespace, skipAwait: config.cluster.skipAwait }, { provider: cluster.provider, dependsOn: [mesh] });

        // No output may reject: the SDK would then register `{}`, wiping the previous `deployed`.
        return neverRejecting({
            revisions: Object.fromEntries(config.revisions.map((r) => [r.name, r.version])),
            tags: effectiveTags(config),
            defaultRevision: defaultRevisionOf(config),
            namespaces: Object.fromEntries(config.namespaces.map((n) => [n.name, resolveRevision(config, n.revision)])),
            baseVersion: mesh.state.baseVersion,
            releases: mesh.releases,
            warnings: warnings.map((w) => w.code),
            /** Canary gateways: the address of the one Service in front of their Deployments. */
            gatewayAddresses: Object.fromEntries(mesh.gatewayAddresses),
            // What the next update plans from: registered only once every resource above has
            // succeeded, so a failed update leaves the previous one (state/settled.ts).
            deployed: afterEvery(resources, toStackOutput(mesh.state)),
            ...(probe === undefined ? {} : { probe: { namespace: probe.namespace, deployment: probe.deployment, report: probe.report } }),
            ...(addons === undefined ? {} : { addons: addons.access }),
            // A cluster the stack created (AKS): its kubeconfig, secret (`pulumi stack output kubeconfig --show-secrets`).
            ...(cluster.kubeconfig === undefined ? {} : { kubeconfig: cluster.kubeconfig }),
        });
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
