/**
 * The stack-output guard (state/settled.ts) in both phases of `pulumi up`:
 * - a preview whose outputs are unknown (a Service's address before the API server assigned
 *   one) completes: the guard is bypassed there, since an unknown output never runs an apply
 *   and a guarded one would keep the preview waiting for ever (seen on the real engine);
 * - an update in which a resource fails leaves `deployed` unresolved, never rejected, so the
 *   stack registers no outputs and the engine keeps the previous `deployed`.
 */
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { CanaryGatewayService } from "../../components/gateways/canaryService";
import { runProgram } from "../../components/plan/mockRun";
import { afterEvery, collectResources, neverRejecting } from "../../components/state/settled";
import { meshConfigMap } from "../support/fixtures";
import { answering } from "../support/registrations";

/** A custom resource of a made-up type with one output the mocks may leave unset. */
class Thing extends pulumi.CustomResource {
    declare public readonly address: pulumi.Output<string>;
    constructor(name: string) {
        super("test:index:Thing", name, { address: undefined });
    }
}

interface Monitor {
    registerResource: (req: { getName(): string }, cb: (err: Error | null, resp?: unknown) => void) => unknown;
    registerResourceOutputs: (req: { getUrn(): string; getOutputs(): { toJavaScript(): Record<string, unknown> } | undefined }, cb: (err: Error | null) => void) => unknown;
}

/** Settles within `ms`, or says it is still pending (the timer never outlives the answer). */
async function within<T>(p: Promise<T>, ms: number): Promise<{ settled: "resolved"; value: T } | { settled: "rejected"; error: unknown } | { settled: "pending" }> {
    let timer: NodeJS.Timeout | undefined;
    try {
        return await Promise.race([
            p.then(
                (value) => ({ settled: "resolved" as const, value }),
                (error: unknown) => ({ settled: "rejected" as const, error }),
            ),
            new Promise<{ settled: "pending" }>((r) => {
                timer = setTimeout(() => r({ settled: "pending" }), ms);
            }),
        ]);
    } finally {
        clearTimeout(timer);
    }
}

/** The value of an Output, as a promise (pending while the Output is, and if it rejects). */
const valueOf = <T>(o: pulumi.Output<T>): Promise<T> => new Promise<T>((resolve) => void o.apply((v) => void resolve(v)));

/**
 * Runs `program` as a stack under mocks (`preview` or update); the registration of `failing`
 * fails. Returns how the run settled and every output map the stack registered.
 */
async function stack(preview: boolean, failing: string | undefined, program: () => Record<string, unknown>) {
    await pulumi.runtime.setMocks({ newResource: (a) => ({ id: `${a.name}-id`, state: {} }), call: (a) => a.inputs }, "p", "s", preview);
    const m = pulumi.runtime.getMonitor() as unknown as Monitor;
    const register = m.registerResource.bind(m);
    m.registerResource = (req, cb) => (req.getName() === failing ? void cb(new Error(`mock: creating ${failing} failed`)) : register(req, cb));
    const stackOutputs: Record<string, unknown>[] = [];
    const outputs = m.registerResourceOutputs.bind(m);
    m.registerResourceOutputs = (req, cb) => {
        if (req.getUrn().includes("::pulumi:pulumi:Stack::")) stackOutputs.push(req.getOutputs()?.toJavaScript() ?? {});
        return outputs(req, cb);
    };
    const run = await within(
        pulumi.runtime.runInPulumiStack(async () => program()),
        2000,
    );
    return { run, stackOutputs };
}

describe("state: the output guard in a preview and in an update", () => {
    it("a preview whose outputs are unknown completes, and registers them (unknown) with `deployed`", async () => {
        const { run, stackOutputs } = await stack(true, undefined, () => {
            const resources = collectResources();
            const thing = new Thing("gateway-service");
            return neverRejecting({ address: thing.address, deployed: afterEvery(resources, { revisions: [] }) });
        });
        expect(run.settled).to.equal("resolved");
        // The SDK's wire form of an unknown value.
        expect(stackOutputs).to.deep.equal([{ address: "04da6b54-80e4-46f7-96ec-b56ff0331ba9", deployed: { revisions: [] } }]);
    });

    it("the whole program previews a canary gateway whose Service has no address yet (spec and status unknown)", async () => {
        const mesh = { revisions: [{ version: "1.29.6" }, { version: "1.30.3" }], tags: { stable: "1-29-6", canary: "1-30-3" }, defaultRevision: "stable", gateways: { "istio-ingressgateway": { canary: { stable: {}, canary: {} } } } };
        const unknownAddress = answering(
            (type, name) => type === "kubernetes:core/v1:Service" && name.startsWith("mesh-gwsvc-"),
            ({ spec: _spec, status: _status, ...rest }) => rest,
        );
        let service: CanaryGatewayService | undefined;
        const onResource = (r: pulumi.ResourceTransformationArgs) => {
            unknownAddress();
            if (r.resource instanceof CanaryGatewayService) service = r.resource;
        };
        const run = await within(runProgram(meshConfigMap(mesh), null, { preview: true, onResource }), 20_000);
        expect(run.settled).to.equal("resolved");
        // The preview is over and the address never ran an apply: it is unknown (not merely late).
        expect((await within(valueOf(service!.address), 500)).settled, "the gateway's address really is unknown").to.equal("pending");
    });

    it("an update with a failed resource: `deployed` stays unresolved (not rejected) and the stack registers no outputs", async () => {
        let deployed: pulumi.Output<unknown> | undefined;
        const { run, stackOutputs } = await stack(false, "restart", () => {
            const resources = collectResources();
            new Thing("release");
            new Thing("restart");
            deployed = afterEvery(resources, { revisions: [{ name: "1-30-3" }] });
            return neverRejecting({ deployed, warnings: [] });
        });
        // Rejected, the SDK would register `{}` as the outputs and the run would fail with it.
        expect(run.settled, "the program never finishes registering its outputs").to.equal("pending");
        expect(stackOutputs).to.deep.equal([]);
        expect((await within(valueOf(deployed!), 200)).settled).to.equal("pending");
    });

    it("an update: an output that rejects is held back (pending) by the guard, never registered as `{}`; a secret stays secret", async () => {
        const { run, stackOutputs } = await stack(false, undefined, () => {
            const guarded = neverRejecting({ failed: pulumi.output(Promise.reject(new Error("mock: a resource failed"))), revisions: { "1-30-3": "1.30.3" } });
            expect(guarded.revisions, "plain values pass as they are").to.deep.equal({ "1-30-3": "1.30.3" });
            return guarded;
        });
        // Unguarded, the SDK registers `{}` as the stack's outputs (wiping `deployed`) and the run fails.
        expect(run.settled).to.equal("pending");
        expect(stackOutputs).to.deep.equal([]);
        const secret = await stack(false, undefined, () => neverRejecting({ kubeconfig: pulumi.secret("apiVersion: v1") }));
        expect(secret.stackOutputs).to.have.length(1);
        expect(JSON.stringify(secret.stackOutputs[0].kubeconfig)).to.contain("1b47061264138c4ac30d75fd1eb44270"); // the SDK's secret signature
    });

    it("the control: the same update with nothing failing registers `deployed` once", async () => {
        const { run, stackOutputs } = await stack(false, undefined, () => {
            const resources = collectResources();
            new Thing("release");
            new Thing("restart");
            return neverRejecting({ deployed: afterEvery(resources, { revisions: [{ name: "1-30-3" }] }) });
        });
        expect(run.settled).to.equal("resolved");
        expect(stackOutputs).to.deep.equal([{ deployed: { revisions: [{ name: "1-30-3" }] } }]);
    });
});
