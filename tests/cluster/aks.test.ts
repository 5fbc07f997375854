/**
 * `kind: aks`: the real program (index.ts) under Pulumi mocks (Azure answered by
 * components/plan/azureMocks.ts: this machine cannot reach Azure). The AKS cluster with
 * Helm-managed Istio, the provider built from the cluster's credentials, the kubeconfig secret
 * in state and outputs.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { livePodsFor } from "../../components/cluster/index";
import { parseStackConfig } from "../../components/config/stackConfig";
import { azureCall } from "../../components/plan/azureMocks";
import { AKS_INVOKES, mockKubeconfig } from "../../components/plan/azureMocks";
import { RegisteredResource, runProgram } from "../../components/plan/mockRun";
import { meshConfigMap, stackFile } from "../support/fixtures";

const MC = "azure-native:containerservice:ManagedCluster";
const RG = "azure-native:resources:ResourceGroup";
const PROVIDER = "pulumi:providers:kubernetes";
const RELEASE = "kubernetes:helm.sh/v3:Release";
const AKS = { kind: "aks", resourceGroup: "rg-mesh", kubernetesVersion: "1.33" };
const MESH = { revisions: [{ version: "1.30.3" }], namespaces: { shop: "1-30-3" } };

const one = (rs: RegisteredResource[], type: string) => {
    const found = rs.filter((r) => r.type === type);
    expect(found.length, type).to.equal(1);
    return found[0];
};

/** Runs the program and keeps what the Kubernetes provider was constructed with (unredacted). */
async function run(config: Record<string, unknown>, stack = "aks-test") {
    let providerKubeconfig: pulumi.Output<string> | undefined;
    const run = await runProgram(config, null, {
        stack,
        onResource: (r) => {
            if (r.type === PROVIDER) providerKubeconfig = (r.props as { kubeconfig?: pulumi.Output<string> }).kubeconfig;
        },
    });
    return { ...run, providerKubeconfig };
}

const valueOf = <T>(o: pulumi.Output<T>) => new Promise<T>((resolve) => o.apply((v) => resolve(v)));
const secretness = (o: pulumi.Output<unknown>) => (o as unknown as { isSecret: Promise<boolean> }).isSecret;

describe("cluster: kind aks (mocks)", function () {
    this.timeout(120000);

    it("Helm on AKS: the ResourceGroup (createResourceGroup), the ManagedCluster, Istio releases as on any cluster", async () => {
        const { resources } = await run(stackFile("aks/helm"));
        const rg = one(resources, RG);
        expect(rg.name).to.equal("cluster-rg");
        expect(rg.inputs).to.deep.include({ resourceGroupName: "rg-mesh-prod", tags: { owner: "platform" } });
        const mc = one(resources, MC);
        expect(mc.name).to.equal("cluster-aks");
        expect(mc.inputs).to.deep.include({
            resourceGroupName: "rg-mesh-prod",
            resourceName: "aks-test",
            dnsPrefix: "aks-test",
            kubernetesVersion: "1.33",
            enableRBAC: true,
            identity: { type: "SystemAssigned" },
            sku: { name: "Base", tier: "Standard" },
            oidcIssuerProfile: { enabled: true },
            securityProfile: { workloadIdentity: { enabled: true } },
            tags: { owner: "platform" },
        });
        expect(mc.inputs.agentPoolProfiles).to.deep.equal([
            { name: "system", mode: "System", vmSize: "Standard_D4ds_v5", osType: "Linux", type: "VirtualMachineScaleSets", availabilityZones: ["1", "2", "3"], enableAutoScaling: true, minCount: 3, maxCount: 5, count: 3 },
        ]);
        expect(mc.inputs.networkProfile).to.deep.include({ networkPlugin: "azure", networkPluginMode: "overlay" });
        expect(mc.inputs).to.not.have.property("serviceMeshProfile");
        expect(resources.filter((r) => r.type === RELEASE).map((r) => r.name).sort()).to.deep.equal(["mesh-base-release", "mesh-gw-istio-ingressgateway-release", "mesh-rev-1-30-3-istiod"]);
        expect(one(resources, "istio-mesh:cluster:AksCluster").inputs).to.deep.equal({});
    });

    it("an existing resource group is not created; the cluster name is the configured one", async () => {
        const { resources } = await run(meshConfigMap(MESH, { ...AKS, name: "mesh-prod" }));
        expect(resources.filter((r) => r.type === RG)).to.deep.equal([]);
        expect(one(resources, MC).inputs).to.deep.include({ resourceGroupName: "rg-mesh", resourceName: "mesh-prod" });
    });

    it("a stack name that is no AKS cluster name is a config error asking for `name`", async () => {
        let error: unknown;
        try {
            await run(meshConfigMap(MESH, AKS), "team.prod");
        } catch (e) {
            error = e;
        }
        expect(String(error)).to.include('istio-mesh:cluster.name: the stack name "team.prod" is not a valid AKS cluster name');
        const { resources } = await run(meshConfigMap(MESH, { ...AKS, name: "mesh_prod" }), "team.prod");
        expect(one(resources, MC).inputs).to.deep.include({ resourceName: "mesh_prod", dnsPrefix: "mesh-prod" });
    });

    it("the Kubernetes provider is built from the cluster's user credentials, decoded, secret", async () => {
        const { resources, providerKubeconfig } = await run(meshConfigMap(MESH, AKS));
        expect(providerKubeconfig, "the provider's kubeconfig").to.not.equal(undefined);
        expect(await valueOf(providerKubeconfig!)).to.equal(mockKubeconfig("aks-test", "clusterUser"));
        expect(await secretness(providerKubeconfig!)).to.equal(true);
        expect(one(resources, PROVIDER).inputs.kubeconfig).to.equal("[secret]");
        // The token never reaches any registration in plain text.
        expect(JSON.stringify(resources)).to.not.include("mock-clusterUser-token");
        expect(AKS_INVOKES.user).to.equal("azure-native:containerservice:listManagedClusterUserCredentials");
    });

    it("credentials: admin reads the admin kubeconfig instead", async () => {
        const { providerKubeconfig } = await run(meshConfigMap(MESH, { ...AKS, credentials: "admin" }));
        expect(await valueOf(providerKubeconfig!)).to.equal(mockKubeconfig("aks-test", "clusterAdmin"));
    });

    it("the stack output `kubeconfig` is the cluster's, secret on the wire (what the engine stores); an existing cluster exports none", async () => {
        const stackOutputs = await registeredStackOutputs(meshConfigMap(MESH, AKS));
        const kubeconfig = stackOutputs.kubeconfig as Record<string, unknown>;
        expect(kubeconfig[SIG_KEY], "a secret").to.equal(SECRET_SIG);
        expect(kubeconfig.value).to.equal(mockKubeconfig("aks-test", "clusterUser"));
        // Nothing else the stack exports holds the token.
        const { kubeconfig: _k, ...rest } = stackOutputs;
        expect(JSON.stringify(rest)).to.not.include("mock-clusterUser-token");
        const existing = await run(meshConfigMap(MESH));
        expect(existing.outputs).to.not.have.property("kubeconfig");
    });

    it("the mesh's resources use the AKS provider (no component knows the kind)", async () => {
        const seen: { type: string; provider?: string }[] = [];
        await runProgram(meshConfigMap(MESH, AKS), null, {
            stack: "aks-test",
            onResource: (r) => {
                if (r.type.startsWith("kubernetes:") || r.type.startsWith("command:")) {
                    seen.push({ type: r.type, provider: (r.opts.provider as { __name?: string } | undefined)?.__name ?? inherited(r.opts.parent) });
                }
            },
        });
        expect(seen.length).to.be.greaterThan(3);
        for (const s of seen.filter((x) => x.type.startsWith("kubernetes:"))) expect(s.provider, s.type).to.equal("cluster-provider");
    });
});

const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

describe("cluster: the in-use check on AKS reads the cluster's current credentials", () => {
    const cluster = parseStackConfig(meshConfigMap(MESH, { ...AKS, name: "mesh-prod" })).cluster;

    it("kubectl gets the decoded kubeconfig of that cluster (never ~/.kube/config)", async () => {
        await pulumi.runtime.setMocks({ newResource: (a) => ({ id: a.name, state: a.inputs }), call: (a) => azureCall(a.token, a.inputs) ?? {} }, "istio-mesh", "live", true);
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fake-kubectl-"));
        const kubectl = path.join(dir, "kubectl");
        fs.writeFileSync(kubectl, `#!/bin/sh\ncp "$2" ${dir}/kubeconfig\necho '{"items": []}'\n`, { mode: 0o755 });
        expect(await livePodsFor(cluster, kubectl)).to.deep.equal({ pods: [], gateways: [], namespaces: [] });
        expect(fs.readFileSync(path.join(dir, "kubeconfig"), "utf8")).to.equal(mockKubeconfig("mesh-prod", "clusterUser"));
    });

    it("credentials Azure refuses: the cluster is unreachable (the rule then refuses the removal)", async () => {
        await pulumi.runtime.setMocks({ newResource: (a) => ({ id: a.name, state: a.inputs }), call: () => { throw new Error("AuthorizationFailed"); } }, "istio-mesh", "live", true);
        const answer = (await livePodsFor(cluster, "/nonexistent/kubectl")) as { unreachable: string };
        expect(answer.unreachable).to.match(/^the user credentials of AKS cluster mesh-prod could not be read( \(.+\))?; check `az login` and access to resource group rg-mesh$/);
    });
});

/** The stack's outputs as the mock monitor receives them (secrets still wrapped). */
async function registeredStackOutputs(config: Record<string, unknown>): Promise<Record<string, unknown>> {
    let outputs: Record<string, unknown> = {};
    let hooked = false;
    await runProgram(config, null, {
        stack: "aks-test",
        onResource: () => {
            if (hooked) return;
            hooked = true;
            const monitor = pulumi.runtime.getMonitor() as unknown as {
                registerResourceOutputs: (req: { getUrn(): string; getOutputs(): { toJavaScript(): Record<string, unknown> } | undefined }, cb: unknown) => unknown;
            };
            const original = monitor.registerResourceOutputs.bind(monitor);
            monitor.registerResourceOutputs = (req, cb) => {
                if (req.getUrn().includes("pulumi:pulumi:Stack")) outputs = req.getOutputs()?.toJavaScript() ?? {};
                return original(req, cb);
            };
        },
    });
    return outputs;
}

/** The Kubernetes provider a resource inherits from its parents. */
function inherited(parent: pulumi.Resource | undefined): string | undefined {
    let p = parent as unknown as { __providers?: Record<string, { __name?: string }>; __parentResource?: pulumi.Resource } | undefined;
    while (p !== undefined) {
        const k = p.__providers?.kubernetes;
        if (k !== undefined) return k.__name;
        p = p.__parentResource as unknown as typeof p;
    }
    return undefined;
}
