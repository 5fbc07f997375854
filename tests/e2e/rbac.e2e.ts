/**
 * The preview identity of docs/preview-rbac.yaml, applied to a real API server (RBAC on,
 * ValidatingAdmissionPolicy GA since 1.30): the kubectl checks its header promises hold, a
 * `pulumi preview` of the next runbook step runs with it and shows the change, and a `pulumi up`
 * with it is refused by the policy with nothing changed. This is what plan.yml's preview job
 * (README, "Preview credentials") relies on.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { parseAllDocuments } from "yaml";
import { ChartRepo, startChartRepo } from "./harness/chart-repo";
import { Cluster, kubeconfigText, startCluster } from "./harness/cluster";
import { failure, kubernetesProvider, MeshStack } from "./harness/pulumi";
import { runbookConfig, teardown } from "./harness/runbook";
import { ensureTools } from "./harness/tools";

const REPO = path.resolve(__dirname, "..", "..");
// eslint-disable-next-line @typescript-eslint/no-var-requires
const program = () => require(path.join(REPO, "index"))();
const IDENTITY = "system:serviceaccount:istio-mesh-ci:preview";

/**
 * docs/preview-rbac.yaml as the README says to apply it: as written, plus its Helm-records Role
 * and RoleBinding copied into every other release namespace the stack uses.
 */
function previewRbac(releaseNamespaces: string[]): string {
    const docs = parseAllDocuments(fs.readFileSync(path.join(REPO, "docs", "preview-rbac.yaml"), "utf8")).map((d) => d.toJS());
    const perNamespace = docs.filter((d) => d.kind === "Role" || d.kind === "RoleBinding");
    expect(perNamespace.map((d) => d.kind), "the file has one Helm-records Role and its binding").to.deep.equal(["Role", "RoleBinding"]);
    const copies = releaseNamespaces.flatMap((ns) => perNamespace.map((d) => ({ ...d, metadata: { ...d.metadata, namespace: ns } })));
    return JSON.stringify({ apiVersion: "v1", kind: "List", items: [...docs, ...copies] });
}

describe("e2e: the preview identity (docs/preview-rbac.yaml) previews and cannot change anything", function () {
    let cluster: Cluster;
    let repo: ChartRepo;
    let mesh: MeshStack;
    let previewKubeconfig: string;
    let realProvider = false;

    const kubectl = async (args: string[], input?: string) => {
        const r = await cluster.kubectl(args, { input });
        expect(r.code, `kubectl ${args.join(" ")}: ${r.stderr}`).to.equal(0);
        return r.stdout.trim();
    };
    const asPreview = (args: string[]) => cluster.kubectl(["--kubeconfig", previewKubeconfig, ...args]);
    /** What an up would change: Helm releases (with chart versions) and namespace labels. */
    const snapshot = async () => [
        await kubectl(["get", "secrets", "-A", "-l", "owner=helm", "-o", "jsonpath={range .items[*]}{.metadata.namespace}/{.metadata.name} {end}"]),
        await kubectl(["get", "namespaces", "-o", "jsonpath={range .items[*]}{.metadata.name}={.metadata.labels.istio\\.io/rev} {end}"]),
        await kubectl(["get", "mutatingwebhookconfigurations", "-o", "name"]),
    ];

    before(async function () {
        const binDir = ensureTools({ allowMissing: true });
        process.env.PATH = `${binDir}${path.delimiter}${process.env.PATH ?? ""}`;
        cluster = await startCluster({ binDir });
        repo = await startChartRepo(["1.29.6", "1.30.3"]);
        mesh = await MeshStack.create(binDir, "rbac", program);
        realProvider = kubernetesProvider(binDir).real;
        for (const ns of ["bookinfo", "payments"]) await kubectl(["create", "namespace", ns]);
        // Installed by an admin, as the up workflow would.
        await mesh.setConfig(runbookConfig("01-install", cluster, repo));
        await mesh.up("rbac: up 01-install (admin)");

        await kubectl(["apply", "-f", "-"], previewRbac(["istio-ingress"]));
        const token = await kubectl(["create", "token", "preview", "-n", "istio-mesh-ci", "--duration=1h"]);
        previewKubeconfig = path.join(cluster.dir, "preview-kubeconfig");
        fs.writeFileSync(previewKubeconfig, kubeconfigText(cluster.server, token), { mode: 0o600 });
    });

    after(async function () {
        await teardown({ repo, cluster });
    });

    it("the file's own checks: reads allowed, Secrets outside Helm's namespaces refused, writes only as dry runs", async () => {
        const whoami = await asPreview(["auth", "whoami", "-o", "jsonpath={.status.userInfo.username}"]);
        expect(whoami.stdout.trim()).to.equal(IDENTITY);
        const list = await asPreview(["get", "pods", "-A"]);
        expect(list.code, list.stderr).to.equal(0);
        const secrets = await asPreview(["get", "secrets", "-n", "default"]);
        expect(secrets.code).to.not.equal(0);
        expect(secrets.stderr).to.match(/forbidden/);
        const create = await asPreview(["create", "namespace", "x"]);
        expect(create.code).to.not.equal(0);
        expect(create.stderr).to.include("the istio-mesh preview identity may only send dry-run requests");
        const dryRun = await asPreview(["create", "namespace", "x", "--dry-run=server"]);
        expect(dryRun.code, dryRun.stderr).to.equal(0);
        const rbacWrite = await asPreview(["create", "clusterrolebinding", "x", "--clusterrole=cluster-admin", `--user=${IDENTITY}`, "--dry-run=server"]);
        expect(rbacWrite.code, "no RBAC writes, not even dry runs").to.not.equal(0);
    });

    it("pulumi preview of the canary step runs with it, its dry runs all accepted, and shows the change; the cluster is unchanged", async () => {
        const before = await snapshot();
        await mesh.setConfig(runbookConfig("02-canary", { ...cluster, kubeconfig: previewKubeconfig }, repo));
        const r = await mesh.preview("rbac: preview 02-canary (preview identity)");
        expect(r.changeSummary?.create ?? 0, "the canary release and tag are proposed").to.be.greaterThan(0);
        expect(r.stdout).to.match(/istiod-1-30-3/);
        // Every dry run accepted: the API server computed the preview, nothing fell back.
        expect(r.stdout).to.not.match(/forbidden|may only send dry-run requests/);
        expect(await snapshot()).to.deep.equal(before);
    });

    it("pulumi up with it is refused (the policy or RBAC, before any object changes); the cluster is unchanged", async () => {
        const before = await snapshot();
        const message = await failure(mesh.up("rbac: up 02-canary (preview identity, expect refusal)"));
        const refusal = message.match(/.*(may only send dry-run requests|is forbidden).*/)?.[0];
        console.log(`      refused with: ${refusal?.trim().slice(0, 300)}`);
        expect(refusal, message).to.not.equal(undefined);
        expect(await snapshot()).to.deep.equal(before);
    });

    it("the same preview with an identity that has no binding gets its dry runs refused (so the preview above really ran server-side as the preview identity)", async function () {
        if (!realProvider) {
            // The stand-in falls back on a refused dry run as the provider does, but does not
            // imitate the status line the provider logs for it (README, "The real-engine tier").
            console.log("      NOT RUN on the stand-in: it does not log refused dry runs");
            this.skip();
        }
        await kubectl(["create", "serviceaccount", "nobody", "-n", "istio-mesh-ci"]);
        const token = await kubectl(["create", "token", "nobody", "-n", "istio-mesh-ci", "--duration=1h"]);
        const nobody = path.join(cluster.dir, "nobody-kubeconfig");
        fs.writeFileSync(nobody, kubeconfigText(cluster.server, token), { mode: 0o600 });
        await mesh.setConfig(runbookConfig("02-canary", { ...cluster, kubeconfig: nobody }, repo));
        // The provider does not fail a preview whose dry runs are refused: it logs each refusal and
        // falls back to a client-side guess. So the difference is in what it logs.
        const r = await mesh.preview("rbac: preview 02-canary (no binding)");
        expect(r.stdout).to.match(/is forbidden: User "system:serviceaccount:istio-mesh-ci:nobody" cannot patch resource/);
    });
});
