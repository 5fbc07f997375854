/**
 * Which workloads restart on each step of the runbook and on rollbacks, as the program
 * registers them under mocks: the mesh's restart command restarts a namespace when its
 * effective revision (in ISTIO_MESH_RESTARTS) differs from the one it recorded; a gateway rolls when its effective-revision pod
 * annotation changes (Helm upgrade).
 */
import { expect } from "chai";
import { RegisteredResource, runProgram } from "../../components/plan/mockRun";
import { planSteps } from "../../components/plan/steps";
import { fromStackOutput, MeshState } from "../../components/state/deployed";
import { meshConfigMap, stackFile } from "../support/fixtures";

const COMMAND = "command:local:Command";
const RELEASE = "kubernetes:helm.sh/v3:Release";

interface Run {
    resources: RegisteredResource[];
    state: MeshState;
}

async function apply(step: string | Record<string, unknown>, previous: MeshState | null): Promise<Run> {
    const { resources, outputs } = await runProgram(typeof step === "string" ? stackFile(step) : step, previous);
    return { resources, state: fromStackOutput(outputs.deployed)! };
}

/** The mesh's one restart command's environment (undefined: no namespace restarts). */
function restartEnv(run: Run): Record<string, string> | undefined {
    return (run.resources.find((r) => r.type === COMMAND && r.name === "mesh-restarts-rollout")?.inputs as any)?.environment;
}

/** namespace -> effective revision the restart command is registered with (those it may restart: not `restart: false`). */
function namespaceEffective(run: Run): Map<string, string> {
    const manual = new Set((restartEnv(run)?.ISTIO_MESH_NO_RESTART ?? "").split(" "));
    const entries = (restartEnv(run)?.ISTIO_MESH_RESTARTS ?? "").split(" ").filter(Boolean);
    return new Map(entries.map((e) => [e.slice(0, e.indexOf("=")), e.slice(e.indexOf("=") + 1)] as [string, string]).filter(([ns]) => !manual.has(ns)));
}

/** gateway -> effective revision in its pod annotation. */
function gatewayEffective(run: Run): Map<string, string | undefined> {
    return new Map(
        run.resources
            .filter((r) => r.type === RELEASE && (r.inputs as any).chart === "gateway")
            .map((r) => [(r.inputs as any).name, (r.inputs as any).values.podAnnotations?.["istio-mesh/effective-revision"]]),
    );
}

/** What restarts going from `a` to `b`: entries whose effective revision changed. */
function restarted(a: Run, b: Run): string[] {
    const out: string[] = [];
    const [na, nb] = [namespaceEffective(a), namespaceEffective(b)];
    for (const [ns, e] of nb) if (na.has(ns) && na.get(ns) !== e) out.push(`ns/${ns}`);
    const [ga, gb] = [gatewayEffective(a), gatewayEffective(b)];
    for (const [gw, e] of gb) if (ga.has(gw) && ga.get(gw) !== e) out.push(`gw/${gw}`);
    return out.sort();
}

describe("dataplane: restarts follow the effective revision", () => {
    it("runbook: canary restarts bookinfo only; promote restarts payments and the gateway; complete restarts nothing; rollbacks restart back", async () => {
        const install = await apply("01-install", null);
        expect([...namespaceEffective(install)]).to.deep.equal([["bookinfo", "1-29-6@1.29.6"], ["payments", "1-29-6@1.29.6"]]);
        expect(gatewayEffective(install).get("istio-ingressgateway")).to.equal("1-29-6@1.29.6");
        const canary = await apply("02-canary", install.state);
        expect(restarted(install, canary)).to.deep.equal(["ns/bookinfo"]);
        const promote = await apply("03-promote", canary.state);
        // bookinfo moves from prod-canary to prod-stable, both on 1-30-3: no restart.
        expect(restarted(canary, promote)).to.deep.equal(["gw/istio-ingressgateway", "ns/payments"]);
        const complete = await apply("04-complete", promote.state);
        expect(restarted(promote, complete)).to.deep.equal([]);
        // Reverting each step restarts exactly what the step moved, back.
        const backToPromote = await apply("03-promote", complete.state);
        expect(restarted(complete, backToPromote)).to.deep.equal([]);
        const backToCanary = await apply("02-canary", promote.state);
        expect(restarted(promote, backToCanary)).to.deep.equal(["gw/istio-ingressgateway", "ns/payments"]);
        expect(namespaceEffective(backToCanary).get("payments")).to.equal("1-29-6@1.29.6");
        const backToInstall = await apply("01-install", canary.state);
        expect(restarted(canary, backToInstall)).to.deep.equal(["ns/bookinfo"]);
    });

    it("an unrelated change (a new label) restarts nothing; an in-place patch upgrade restarts its users", async () => {
        const base = { revisions: [{ version: "1.29.5", name: "stable-rev" }], namespaces: { shop: { revision: "stable-rev", labels: { team: "a" } } } };
        const one = await apply(meshConfigMap(base), null);
        const two = await apply(meshConfigMap({ ...base, namespaces: { shop: { revision: "stable-rev", labels: { team: "b" } } } }), one.state);
        expect(restarted(one, two)).to.deep.equal([]);
        const three = await apply(meshConfigMap({ ...base, revisions: [{ version: "1.29.6", name: "stable-rev" }] }), two.state);
        expect(restarted(two, three)).to.deep.equal(["ns/shop"]);
    });

    it("first creation restarts an existing namespace being enrolled, never a namespace or gateway the stack just created", async () => {
        const run = await apply(
            meshConfigMap({
                revisions: [{ version: "1.30.3" }],
                namespaces: { legacy: "1-30-3", fresh: { revision: "1-30-3", create: true } },
                gateways: { gw: { revision: "1-30-3" } },
            }),
            null,
        );
        const cmd = run.resources.find((r) => r.type === COMMAND && r.name === "mesh-restarts-rollout")!.inputs as any;
        // The first run restarts only `legacy` (its list is written into `create`); `fresh` is created, new and empty.
        expect(cmd.create).to.match(/-v listed=" legacy " /);
        expect(cmd.update).to.include('-v listed=" $ISTIO_MESH_CREATED "');
        expect(restartEnv(run)?.ISTIO_MESH_CREATED).to.equal("fresh");
        expect([...namespaceEffective(run).keys()]).to.deep.equal(["fresh", "legacy"]);
        expect(cmd.update).to.include("rollout restart");
        expect(cmd.addPreviousOutputInEnv).to.equal(true);
        // The gateway is new too: its effective-revision annotation is set from the start.
        expect(gatewayEffective(run).get("gw")).to.equal("1-30-3@1.30.3");
    });

    it("the first run after upgrading from per-namespace restart commands restarts only what moved; the environment depends on the config alone", async () => {
        const install = await apply("01-install", null);
        const canary = await apply("02-canary", install.state);
        const create = (run: Run) => (run.resources.find((r) => r.type === COMMAND && r.name === "mesh-restarts-rollout")!.inputs as any).create as string;
        // bookinfo moved to the canary; payments did not. With no record (a fresh command), only bookinfo restarts.
        expect(create(canary)).to.match(/-v listed=" bookinfo " /);
        // The next up of the same config: nothing in the environment changes (create is ignored after creation).
        const again = await apply("02-canary", canary.state);
        expect(restartEnv(again)).to.deep.equal(restartEnv(canary));
        expect(create(again)).to.match(/-v listed="  " /);
    });

    it("restart: false opts a namespace or gateway out, and the plan says to restart by hand", async () => {
        const cfg = (rev: string) =>
            meshConfigMap({
                revisions: [{ version: "1.29.6" }, { version: "1.30.3" }],
                tags: { stable: rev },
                defaultRevision: "stable",
                namespaces: { shop: { revision: "stable", restart: false }, web: "stable" },
                gateways: { gw: { revision: "stable", restart: false } },
            });
        const a = await apply(cfg("1-29-6"), null);
        expect(restartEnv(a)?.ISTIO_MESH_NO_RESTART, "recorded, never restarted").to.equal("shop");
        expect(gatewayEffective(a).get("gw")).to.equal(undefined);
        const b = await apply(cfg("1-30-3"), a.state);
        expect(planSteps(a.state, b.state).filter((s) => s.startsWith("Restart"))).to.deep.equal([
            "Restart the workloads of namespace shop onto 1-30-3 (Istio 1.30.3) BY HAND (restart: false): kubectl rollout restart deployment,statefulset,daemonset -n shop",
            "Restart the workloads of namespace web onto 1-30-3 (Istio 1.30.3) (automatic, after its label and tags have moved: kubectl rollout restart deployment,statefulset,daemonset -n web)",
            "Restart gateway gw onto 1-30-3 (Istio 1.30.3) BY HAND (restart: false): kubectl rollout restart deployment/gw -n istio-ingress",
        ]);
    });
});
