/** The in-use check: which live pods hold a removed revision's proxy, and the refusals. */
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PodFacts, proxyRevision, revisionsInUse } from "../../components/dataplane/inUse";
import { podFacts, queryPods } from "../../components/dataplane/liveQuery";
import { inUseNote, inUseProblems, IN_USE_RULES } from "../../components/plan/inUseRule";
import { evaluateTransition } from "../../components/plan/transitions";
import { MeshState } from "../../components/state/deployed";
import { state } from "../support/fixtures";

const pod = (namespace: string, name: string, phase: string, meta: { labels?: Record<string, string>; annotations?: Record<string, string> } = {}): PodFacts => ({
    namespace,
    name,
    phase,
    labels: meta.labels ?? {},
    annotations: meta.annotations ?? {},
});
const injectedBy = (rev: string) => ({ annotations: { "sidecar.istio.io/status": JSON.stringify({ containers: ["istio-proxy"], revision: rev }) } });

// Built per test (below), not when the file loads: the mutation run then knows which test runs which line.
const canaryMesh = () => state({ revisions: [{ version: "1.29.6" }, { version: "1.30.3" }], tags: { stable: "1-30-3", canary: "1-30-3" }, defaultRevision: "stable", namespaces: { shop: "stable" } });
const completeMesh = () => state({ revisions: [{ version: "1.30.3" }], tags: { stable: "1-30-3" }, defaultRevision: "stable", namespaces: { shop: "stable" } });

describe("dataplane: in-use check", () => {
    let canary: MeshState;
    let complete: MeshState;
    beforeEach(() => {
        canary = canaryMesh();
        complete = completeMesh();
    });
    it("reads the injecting revision from sidecar.istio.io/status, else istio.io/rev, resolving tags", () => {
        const tags = new Map([["stable", "1-29-6"]]);
        expect(proxyRevision(pod("a", "p", "Running", injectedBy("1-29-6")), tags)).to.equal("1-29-6");
        expect(proxyRevision(pod("a", "p", "Running", { labels: { "istio.io/rev": "stable" } }), tags)).to.equal("1-29-6");
        expect(proxyRevision(pod("a", "p", "Running", { annotations: { "istio.io/rev": "1-28-3" } }), tags)).to.equal("1-28-3");
        expect(proxyRevision(pod("a", "p", "Running", { annotations: { "sidecar.istio.io/status": "not json" }, labels: { "istio.io/rev": "x" } }), tags)).to.equal("x");
        expect(proxyRevision(pod("a", "p", "Running"), tags)).to.equal(undefined);
        // istiod's own pods (found by the e2e tier: they carry istio.io/rev) and opted-out pods run no proxy.
        expect(proxyRevision(pod("istio-system", "istiod-1-29-6-x", "Running", { labels: { app: "istiod", "istio.io/rev": "1-29-6", "sidecar.istio.io/inject": "false" } }), tags)).to.equal(undefined);
        expect(proxyRevision(pod("a", "job", "Running", { labels: { "istio.io/rev": "1-29-6", "sidecar.istio.io/inject": "false" } }), tags)).to.equal(undefined);
    });

    it("counts Running and Pending pods in any namespace; Succeeded and Failed do not count", () => {
        const pods = [
            pod("shop", "web-1", "Running", injectedBy("1-29-6")),
            pod("unconfigured", "job-0", "Pending", { labels: { "istio.io/rev": "1-29-6" } }),
            pod("shop", "done", "Succeeded", injectedBy("1-29-6")),
            pod("shop", "crashed", "Failed", injectedBy("1-29-6")),
            pod("shop", "new", "Running", injectedBy("1-30-3")),
        ];
        expect(revisionsInUse(["1-29-6"], pods, new Map())).to.deep.equal([{ revision: "1-29-6", pods: ["shop/web-1", "unconfigured/job-0"] }]);
    });

    it("refuses the removal, listing the first 20 pods and a count, with the fix", () => {
        const pods = Array.from({ length: 23 }, (_, i) => pod(i < 3 ? "edge" : "shop", `p${String(i).padStart(2, "0")}`, "Running", injectedBy("1-29-6")));
        const problems = inUseProblems(canary, complete, { pods });
        expect(problems.map((p) => p.code)).to.deep.equal([IN_USE_RULES.inUse]);
        expect(problems[0].message).to.match(/revision "1-29-6" is removed while 23 running or pending pods that this update does not restart still use its proxy: edge\/p00, /);
        expect(problems[0].message).to.match(/and 3 more\. Restart them/);
        expect(problems[0].message).to.include("kubectl rollout restart deployment,statefulset,daemonset -n edge; kubectl rollout restart deployment,statefulset,daemonset -n shop");
        expect(inUseProblems(canary, complete, { pods: pods.map((p) => ({ ...p, phase: "Succeeded" })) })).to.deep.equal([]);
    });

    it("an unreachable cluster refuses a removal (overridable); nothing is asked when nothing is removed", () => {
        expect(inUseProblems(canary, complete, { unreachable: "connection refused" }).map((p) => p.code)).to.deep.equal([IN_USE_RULES.unavailable]);
        expect(inUseProblems(canary, canary, { unreachable: "connection refused" })).to.deep.equal([]);
        const overridden = evaluateTransition(canary, complete, [IN_USE_RULES.unavailable], { unreachable: "x" });
        expect(overridden.problems).to.deep.equal([]);
        expect(overridden.warnings[0].message).to.match(/^OVERRIDDEN/);
    });

    it("offline (the plan command) asks nothing and says what preview will check", () => {
        expect(inUseProblems(canary, complete, { offline: true })).to.deep.equal([]);
        expect(inUseNote(canary, complete)).to.equal(
            "At preview and up, the program asks the live cluster for running or pending pods still on 1-29-6 that this update does not restart, and refuses the removal if any remain (removed-revision-in-use). " +
                "During up, before the removal, the removal gate asks again for every pod and fails the update, leaving 1-29-6 installed, if any pod still runs it.",
        );
        expect(inUseNote(canary, canary)).to.equal(undefined);
    });

    it("asks kubectl with the stack's kubeconfig and context; a failing kubectl is 'unreachable'", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fake-kubectl-"));
        const kubectl = path.join(dir, "kubectl");
        const list = { items: [{ metadata: { namespace: "shop", name: "web", annotations: injectedBy("1-29-6").annotations }, status: { phase: "Running" } }] };
        fs.writeFileSync(kubectl, `#!/bin/sh\necho "$@" > ${dir}/args\ncat <<'EOF'\n${JSON.stringify(list)}\nEOF\n`, { mode: 0o755 });
        const answer = queryPods({ kubeconfig: "apiVersion: v1\nkind: Config\n", context: "prod" }, kubectl);
        expect(answer).to.deep.equal({ pods: podFacts(list) });
        expect(fs.readFileSync(path.join(dir, "args"), "utf8")).to.match(/^--kubeconfig \S+ --context prod get pods --all-namespaces -o json/);
        fs.writeFileSync(kubectl, "#!/bin/sh\necho 'The connection to the server 10.0.0.1 was refused' >&2\nexit 1\n", { mode: 0o755 });
        expect(queryPods({}, kubectl)).to.deep.equal({ unreachable: "The connection to the server 10.0.0.1 was refused" });
        expect((queryPods({}, path.join(dir, "missing")) as { unreachable: string }).unreachable).to.match(/could not run/);
    });

    it("an answer that is not a pod list (a proxy's HTML page, a warning, cut-off JSON) is 'unreachable' saying so, not a crash", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fake-kubectl-"));
        const kubectl = path.join(dir, "kubectl");
        fs.writeFileSync(kubectl, "#!/bin/sh\necho '<html>502 Bad Gateway</html>'\n", { mode: 0o755 });
        const html = (queryPods({}, kubectl) as { unreachable: string }).unreachable;
        expect(html).to.match(/^\S+kubectl get pods answered something that is not JSON \(.+\): "<html>502 Bad Gateway<\/html>"$/);
        fs.writeFileSync(kubectl, '#!/bin/sh\necho \'{"items": [{"metadata"\'\n', { mode: 0o755 });
        expect((queryPods({}, kubectl) as { unreachable: string }).unreachable).to.include("answered something that is not JSON");
        fs.writeFileSync(kubectl, '#!/bin/sh\necho \'{"kind": "Status"}\'\n', { mode: 0o755 });
        expect((queryPods({}, kubectl) as { unreachable: string }).unreachable).to.include('answered JSON that is not a pod list (no "items" list): "{\\"kind\\": \\"Status\\"}"');
        fs.writeFileSync(kubectl, "#!/bin/sh\necho null\n", { mode: 0o755 });
        expect(queryPods({}, kubectl)).to.have.property("unreachable");
    });

    it("a kubeconfig given as contents reaches kubectl through a private file that is gone once kubectl has answered", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fake-kubectl-"));
        const kubectl = path.join(dir, "kubectl");
        fs.writeFileSync(kubectl, `#!/bin/sh\ncp "$2" ${dir}/seen; echo "$2" > ${dir}/path; ls -ld "$(dirname "$2")" > ${dir}/mode; echo '{"items": []}'\n`, { mode: 0o755 });
        expect(queryPods({ kubeconfig: "apiVersion: v1\nkind: Config\n" }, kubectl)).to.deep.equal({ pods: [] });
        expect(fs.readFileSync(path.join(dir, "seen"), "utf8")).to.equal("apiVersion: v1\nkind: Config\n");
        const file = fs.readFileSync(path.join(dir, "path"), "utf8").trim();
        expect(fs.readFileSync(path.join(dir, "mode"), "utf8"), "a private directory").to.match(/^drwx------/);
        expect(fs.existsSync(file), `${file} removed`).to.equal(false);
        expect(fs.existsSync(path.dirname(file)), "its directory removed").to.equal(false);
    });
});
