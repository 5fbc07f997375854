/**
 * Issue 13: no credential in plain text in the state. The real program (index.ts) runs under
 * Pulumi mocks; the test looks at what the mock monitor receives on the wire (the SDK's
 * secret wrapper intact, unlike runProgram, which redacts), i.e. what the engine would store.
 */
import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { ConfigError } from "../../components/config/errors";
import { parseStackConfig } from "../../components/config/stackConfig";
import { runProgram, secretDigest } from "../../components/plan/mockRun";
import { ProgramOptions } from "../../components/program";
import { meshConfigMap } from "../support/fixtures";

const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const MARKER = "MARKER-token-7c1e94d2";
const KUBECONFIG = `apiVersion: v1\nkind: Config\nusers:\n  - name: admin\n    user:\n      token: ${MARKER}\n`;
const MESH = { revisions: [{ version: "1.30.3" }], namespaces: { shop: "1-30-3" } };

interface Registration {
    readonly type: string;
    readonly name: string;
    /** Inputs as serialized by the SDK: secrets are `{[SIG_KEY]: SECRET_SIG, value}`. */
    readonly inputs: Record<string, unknown>;
}

const isSecret = (v: unknown): v is { value: unknown } =>
    v !== null && typeof v === "object" && (v as Record<string, unknown>)[SIG_KEY] === SECRET_SIG;

/** Every string in `v` outside a secret wrapper. */
function plainStrings(v: unknown, out: string[] = []): string[] {
    if (typeof v === "string") {
        out.push(v);
    } else if (Array.isArray(v)) {
        v.forEach((e) => plainStrings(e, out));
    } else if (v !== null && typeof v === "object" && !isSecret(v)) {
        Object.values(v).forEach((e) => plainStrings(e, out));
    }
    return out;
}

/**
 * Runs index.ts under mocks with `config` (JSON-stringified as the runtime hands it) and
 * `secretKeys` (what the engine lists in PULUMI_CONFIG_SECRET_KEYS). Returns every
 * registration and every component's registered outputs.
 */
async function run(config: Record<string, unknown>, secretKeys: string[] = []) {
    const registrations: Registration[] = [];
    await pulumi.runtime.setMocks(
        {
            newResource: (args) => {
                registrations.push({ type: args.type, name: args.name, inputs: args.inputs });
                const state = args.type === "kubernetes:helm.sh/v3:Release" ? { ...args.inputs, status: { status: "deployed" } } : args.inputs;
                return { id: `${args.name}-id`, state };
            },
            call: (args) => args.inputs,
        },
        "istio-mesh",
        "secrets",
        true,
    );
    pulumi.runtime.setAllConfig(Object.fromEntries(Object.entries(config).map(([k, v]) => [k, JSON.stringify(v)])), secretKeys);
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const main: (o?: ProgramOptions) => Promise<unknown> = require("../../index");
    await pulumi.runtime.runInPulumiStack(() => main({ previous: null, allowUnsafe: ["all"], report: () => undefined }));
    await pulumi.runtime.disconnect(); // waits for the outstanding registrations
    // The mock monitor keeps each resource's state: component outputs land there.
    const monitor = pulumi.runtime.getMonitor() as unknown as { resources: Map<string, { state: unknown }> };
    const states = [...monitor.resources.values()].map((r) => {
        const s = r.state as { toJavaScript?: () => unknown };
        return typeof s?.toJavaScript === "function" ? s.toJavaScript() : s;
    });
    return { registrations, states };
}

const one = (rs: Registration[], type: string) => {
    const found = rs.filter((r) => r.type === type);
    expect(found, type).to.have.length(1);
    return found[0];
};

describe("cluster: credentials are secrets (issue 13)", () => {
    it("the SDK in use exposes which config keys are secret (runtime.isConfigSecret)", () => {
        const runtime = pulumi.runtime as unknown as { isConfigSecret?: (k: string) => boolean };
        expect(typeof runtime.isConfigSecret).to.equal("function");
        pulumi.runtime.setAllConfig({ "istio-mesh:cluster": "{}" }, ["istio-mesh:cluster"]);
        expect(runtime.isConfigSecret!("istio-mesh:cluster")).to.equal(true);
        expect(runtime.isConfigSecret!("istio-mesh:mesh")).to.equal(false);
    });

    for (const [how, secretKeys] of [
        ["set without --secret", []],
        ["set with --secret --path 'istio-mesh:cluster.kubeconfig' (the engine marks the key)", ["istio-mesh:cluster"]],
    ] as const) {
        it(`a kubeconfig in the stack config (${how}) reaches the state only as a secret`, async () => {
            const { registrations, states } = await run(meshConfigMap(MESH, { kind: "existing", context: "prod", kubeconfig: KUBECONFIG }), [...secretKeys]);
            // The component records no credential: its inputs are empty.
            const component = one(registrations, "istio-mesh:cluster:Cluster");
            expect(component.inputs).to.not.have.property("kubeconfig");
            expect(component.inputs).to.deep.equal({});
            // The provider gets it, marked secret (the engine encrypts it in the state).
            const provider = one(registrations, "pulumi:providers:kubernetes");
            expect(isSecret(provider.inputs.kubeconfig), "provider kubeconfig is secret").to.equal(true);
            expect((provider.inputs.kubeconfig as { value: unknown }).value).to.equal(KUBECONFIG);
            expect(provider.inputs.context).to.equal("prod");
            // Nowhere else in plain text: no input and no component output of any resource.
            for (const r of registrations) {
                expect(plainStrings(r.inputs).filter((s) => s.includes(MARKER)), `${r.type} ${r.name}`).to.deep.equal([]);
            }
            for (const s of states) {
                expect(plainStrings(s).filter((x) => x.includes(MARKER))).to.deep.equal([]);
            }
        });
    }

    it("a whole secret istio-mesh:cluster object works, the kubeconfig secret", async () => {
        const { registrations } = await run(meshConfigMap(MESH, { kind: "existing", kubeconfig: KUBECONFIG, skipAwait: true }), ["istio-mesh:cluster"]);
        const provider = one(registrations, "pulumi:providers:kubernetes");
        expect(isSecret(provider.inputs.kubeconfig)).to.equal(true);
        expect(registrations.some((r) => r.type === "kubernetes:helm.sh/v3:Release")).to.equal(true);
    });

    it("runProgram (what the plan shows) has the kubeconfig as [secret] and still tells a changed one", async () => {
        const input = async (kubeconfig: string) => {
            const { resources } = await runProgram(meshConfigMap(MESH, { kind: "existing", kubeconfig }), null);
            return resources.find((r) => r.type === "pulumi:providers:kubernetes")!.inputs;
        };
        const [a, b] = [await input(KUBECONFIG), await input(KUBECONFIG.replace(MARKER, "other"))];
        expect(a.kubeconfig).to.equal("[secret]");
        expect(JSON.stringify(a)).to.not.include(MARKER);
        expect(secretDigest(a, "kubeconfig")).to.be.a("string").and.not.equal(secretDigest(b, "kubeconfig"));
    });

    it("Cluster.access carries the provider's kubeconfig (secret) and context", async () => {
        await pulumi.runtime.setMocks({ newResource: (a) => ({ id: `${a.name}-id`, state: a.inputs }), call: (a) => a.inputs }, "istio-mesh", "access", true);
        const { Cluster } = await import("../../components/cluster/cluster");
        const c = new Cluster("c", { context: "ctx", kubeconfig: KUBECONFIG });
        expect(c.access.context).to.equal("ctx");
        const kc = c.access.kubeconfig as unknown as { isSecret: Promise<boolean>; promise: () => Promise<string> };
        expect(await kc.isSecret).to.equal(true);
        expect(await kc.promise()).to.equal(KUBECONFIG);
        expect(new Cluster("d", {}).access).to.deep.equal({ kubeconfig: undefined, context: undefined });
    });

    it("a secret istio-mesh:mesh is refused: it would be written to Helm values in plain text", async () => {
        let error: Error | undefined;
        try {
            await run(meshConfigMap(MESH), ["istio-mesh:mesh"]);
        } catch (e) {
            error = e as Error;
        }
        expect(error?.message).to.match(/istio-mesh:mesh: this value is a Pulumi secret; istio-mesh reads it as plain config: run `pulumi config set` without --secret/);
    });

    it("stack files: `secure:` is accepted for the kubeconfig (or the whole cluster), refused elsewhere", () => {
        const secure = { secure: "v1:AAAAbbbbCCCC" };
        expect(parseStackConfig(meshConfigMap(MESH, { kind: "existing", kubeconfig: secure })).cluster.kubeconfig).to.equal("[secret]");
        expect(parseStackConfig({ "istio-mesh:cluster": secure, "istio-mesh:mesh": MESH }).cluster).to.deep.include({ kind: "existing", kubeconfig: "[secret]" });
        let error: unknown;
        try {
            parseStackConfig(meshConfigMap({ revisions: [{ version: secure }], tags: { a: secure } }, { kind: "existing", context: secure }));
        } catch (e) {
            error = e;
        }
        expect(error).to.be.instanceOf(ConfigError);
        const plain = "this value is a Pulumi secret; istio-mesh reads it as plain config: run `pulumi config set` without --secret";
        expect((error as ConfigError).issues).to.deep.equal([
            { path: "istio-mesh:cluster.context", message: plain },
            { path: "istio-mesh:mesh.revisions[0].version", message: plain },
            { path: "istio-mesh:mesh.tags.a", message: plain },
        ]);
        expect(() => parseStackConfig({ "istio-mesh:cluster": { kind: "existing" }, "istio-mesh:mesh": secure })).to.throw(/istio-mesh:mesh: this value is a Pulumi secret/);
    });
});
