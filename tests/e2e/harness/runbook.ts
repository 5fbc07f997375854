/**
 * What the runbook-driven e2e files share: a step of the stacks/ runbook as the config of a stack
 * on the test cluster, and the teardown after a file (record, stop what it started, clean up).
 */
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { ChartRepo } from "./chart-repo";
import { Cluster } from "./cluster";
import { Injectors } from "./injector";
import { MeshStack } from "./pulumi";
import { Recorder } from "./record";
import { cleanupDirs } from "./tools";

const REPO = path.resolve(__dirname, "..", "..", "..");

/** `stacks/<step>.yaml`'s istio-mesh:mesh block, as the stack file has it. */
export function runbookMesh(step: string): Record<string, any> {
    return parse(fs.readFileSync(path.join(REPO, "stacks", `${step}.yaml`), "utf8")).config["istio-mesh:mesh"];
}

/**
 * The config of runbook step `step` on the test cluster: the step's mesh with the fixture chart
 * repository, then `mesh` over it (the file's own overrides); the cluster by its kubeconfig,
 * context e2e, skipAwait (no pod of the fixture charts serves).
 */
export function runbookConfig(step: string, cluster: Cluster, repo: ChartRepo, mesh: Record<string, unknown> = {}): Record<string, unknown> {
    return {
        "istio-mesh:cluster": { kind: "existing", kubeconfig: cluster.kubeconfig, context: "e2e", kubernetesVersion: "1.34", skipAwait: true },
        "istio-mesh:mesh": { ...runbookMesh(step), chartRepository: repo.url, ...mesh },
    };
}

/** An afterEach that records a passed test's cluster and step lists (the differential check). */
export async function recordPassed(test: Mocha.Test | undefined, recorder: Recorder | undefined, cluster: Cluster, mesh: MeshStack): Promise<void> {
    if (test?.state === "passed" && recorder) await recorder.add(test.title, cluster, mesh.stepLists);
}

/** The after of a file: write the record, stop the injectors, the chart repo and the cluster. */
export async function teardown(parts: { recorder?: Recorder; injectors?: Injectors; repo?: ChartRepo; cluster?: Cluster }): Promise<void> {
    if (parts.recorder) console.log(`      recorded: ${parts.recorder.write()}`);
    if (parts.injectors) {
        console.log(`      injections answered: ${parts.injectors.injections.length}`);
        await parts.injectors.stop();
    }
    await parts.repo?.stop();
    await parts.cluster?.stop();
    cleanupDirs();
}
