/**
 * Namespace enrolment under mocks: what the program registers for existing and created
 * namespaces, and the ownership rules every registered resource keeps.
 */
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { RegisteredResource, runProgram } from "../../components/plan/mockRun";
import { REV_FIELD_MANAGER } from "../../components/namespaces/namespaces";
import { KUBECTL_ENV } from "../../components/kubectl/kubectl";
import { meshConfigMap, stackFile } from "../support/fixtures";

const PATCH = "kubernetes:core/v1:NamespacePatch";
const NAMESPACE = "kubernetes:core/v1:Namespace";
const COMMAND = "command:local:Command";

const ofType = (rs: RegisteredResource[], type: string) => rs.filter((r) => r.type === type);
const meta = (r: RegisteredResource) => (r.inputs as any).metadata ?? {};

const mesh = (namespaces: Record<string, unknown>, cluster?: Record<string, unknown>) =>
    meshConfigMap({ revisions: [{ version: "1.30.3" }], tags: { stable: "1-30-3" }, namespaces }, cluster);

describe("namespaces: enrolment", () => {
    it("an existing namespace: one istio.io/rev patch under its own field manager, and a one-time istio-injection removal", async () => {
        const { resources } = await runProgram(mesh({ shop: { revision: "stable", labels: { team: "a" } } }), null);
        const patches = ofType(resources, PATCH);
        expect(patches.map((r) => r.name)).to.deep.equal(["mesh-ns-shop-rev"]);
        expect(meta(patches[0])).to.deep.equal({
            name: "shop",
            labels: { team: "a", "istio.io/rev": "stable" },
            annotations: { "pulumi.com/patchForce": "true", "pulumi.com/patchFieldManager": REV_FIELD_MANAGER },
        });
        // Nothing ever applies istio-injection (applying it is what made refresh turn injection off).
        const nsObjects = resources.filter((r) => r.type === PATCH || r.type === NAMESPACE);
        expect(nsObjects.flatMap((r) => Object.keys(meta(r).labels ?? {}))).to.not.include("istio-injection");
        // The restarts and the removal gate are every stack's (tests/dataplane).
        const commands = ofType(resources, COMMAND).filter((r) => r.name !== "mesh-restarts-rollout" && r.name !== "mesh-removal-gate-verify");
        expect(commands.map((r) => r.name)).to.deep.equal(["mesh-ns-drop-injection"]);
        const cmd = commands[0].inputs as any;
        expect(cmd.create).to.include('kube label namespace $todo istio-injection-');
        expect(cmd.update, "an update runs the same script: it skips the namespaces it recorded").to.equal(cmd.create);
        expect(cmd.environment).to.deep.equal({ ISTIO_MESH_NAMESPACES: "shop" });
        expect(cmd.addPreviousOutputInEnv).to.equal(true);
        expect(ofType(resources, NAMESPACE)).to.deep.equal([]);
    });

    it("the removal reaches the cluster the provider reaches: the stack's kubeconfig and context", async () => {
        const { resources } = await runProgram(mesh({ shop: "stable" }, { kind: "existing", kubeconfig: "/etc/kube/prod.yaml", context: "prod" }), null);
        const env = (ofType(resources, COMMAND).find((r) => r.name === "mesh-ns-drop-injection")!.inputs as any).environment;
        // The kubeconfig is a credential: secret in state and shown as [secret] in plans.
        expect(env).to.deep.equal({ ISTIO_MESH_NAMESPACES: "shop", [KUBECTL_ENV.kubeconfig]: "[secret]", [KUBECTL_ENV.context]: "prod" });
    });

    it("a created namespace: the Namespace carries the label; kept when it leaves unless deleteWhenRemoved", async () => {
        const retain = new Map<string, boolean | undefined>();
        const { resources } = await runProgram(mesh({ kept: { revision: "stable", create: true }, scratch: { revision: "stable", create: true, deleteWhenRemoved: true } }), null, {
            onResource: (r) => void (r.type === NAMESPACE && retain.set(r.name, r.opts.retainOnDelete)),
        });
        expect(ofType(resources, PATCH)).to.deep.equal([]);
        expect(ofType(resources, COMMAND).map((r) => r.name), "no label removal for a namespace the stack creates").to.deep.equal(["mesh-restarts-rollout", "mesh-removal-gate-verify"]);
        const ns = ofType(resources, NAMESPACE);
        expect(ns.map((r) => [r.name, meta(r).labels])).to.deep.equal([
            ["mesh-ns-kept-namespace", { "istio.io/rev": "stable" }],
            ["mesh-ns-scratch-namespace", { "istio.io/rev": "stable" }],
        ]);
        expect([...retain]).to.deep.equal([
            ["mesh-ns-kept-namespace", true],
            ["mesh-ns-scratch-namespace", false],
        ]);
    });

    it("children keep the identity they had under the per-namespace component of istio-mesh 0.1 (an alias to that parent)", async () => {
        const aliases = new Map<string, string[]>();
        await runProgram(mesh({ shop: "stable", made: { revision: "stable", create: true } }), null, {
            onResource: (r) => {
                if (r.type !== PATCH && r.type !== NAMESPACE) return;
                for (const a of r.opts.aliases ?? []) {
                    pulumi.output((a as pulumi.Alias).parent as pulumi.Input<string>).apply((u) => void aliases.set(r.name, [...(aliases.get(r.name) ?? []), u]));
                }
            },
        });
        // Without it, upgrading istio-mesh would replace each patch, and deleting the old one
        // removes the label it applied: injection off for every namespace.
        const legacy = (ns: string) => `urn:pulumi:plan::istio-mesh::pulumi:pulumi:Stack$istio-mesh:mesh:Mesh$istio-mesh:namespaces:NamespaceLabels::mesh-ns-${ns}`;
        expect([...aliases].sort()).to.deep.equal([
            ["mesh-ns-made-namespace", [legacy("made")]],
            ["mesh-ns-shop-rev", [legacy("shop")]],
        ]);
    });

    it("deleteWhenRemoved without create is a config error naming the fix", async () => {
        let message = "";
        try {
            await runProgram(mesh({ shop: { revision: "stable", deleteWhenRemoved: true } }), null);
        } catch (e) {
            message = (e as Error).message;
        }
        expect(message).to.match(/istio-mesh:mesh\.namespaces\.shop\.deleteWhenRemoved: only a namespace the stack creates/);
    });
});

describe("ownership: every field the program applies has one owner", () => {
    for (const step of ["01-install", "02-canary", "03-promote", "04-complete"]) {
        it(`${step}: no object is applied twice under one field manager, no controller-owned field is set`, async () => {
            const { resources } = await runProgram(stackFile(step), null, { allowUnsafe: ["all"] });
            const objects = new Map<string, string[]>();
            for (const r of resources.filter((x) => x.type.startsWith("kubernetes:") && !x.type.startsWith("kubernetes:helm.sh"))) {
                const m = meta(r);
                const kind = r.type.replace(/Patch$/, "");
                const manager = r.type.endsWith("Patch") ? m.annotations?.["pulumi.com/patchFieldManager"] : "<owner>";
                expect(manager, `${r.name}: a Patch names its own field manager`).to.be.a("string");
                const key = `${kind} ${m.namespace ?? ""}/${m.name}`;
                objects.set(key, [...(objects.get(key) ?? []), manager]);
            }
            for (const [object, managers] of objects) {
                expect(new Set(managers).size, `${object}: ${managers.join(", ")}`).to.equal(managers.length);
                // An object the stack creates is not also patched by it.
                if (managers.includes("<owner>")) expect(managers, object).to.deep.equal(["<owner>"]);
            }
            // istiod writes the webhooks' caBundle: never applied by the program.
            expect(JSON.stringify(resources.map((r) => r.inputs))).to.not.include("caBundle");
        });
    }
});
