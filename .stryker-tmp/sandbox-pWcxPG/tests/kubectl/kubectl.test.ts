/**
 * The one-shot kubectl scripts, run for real by /bin/sh against a fake `kubectl` that records
 * its arguments and the kubeconfig it was given.
 */
// @ts-nocheck

import { expect } from "chai";
import * as child_process from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { dropInjectionLabelScript, EFFECTIVE_MARK, KUBECTL_ENV, kubectlScript, restartScript } from "../../components/kubectl/kubectl";

function runWithFakeKubectl(script: string, env: Record<string, string>) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fake-kubectl-"));
    const log = path.join(dir, "log");
    // Records each argument on its own line, and a copy of the kubeconfig it was pointed at.
    fs.writeFileSync(
        path.join(dir, "kubectl"),
        `#!/bin/sh\nfor a in "$@"; do printf '%s\\n' "$a" >> "${log}"; done\nprev=""\nfor a in "$@"; do if [ "$prev" = "--kubeconfig" ]; then cp "$a" "${dir}/seen-kubeconfig"; echo "$a" > "${dir}/seen-path"; fi; prev="$a"; done\n`,
        { mode: 0o755 },
    );
    const r = child_process.spawnSync("/bin/sh", ["-c", script], { env: { PATH: `${dir}:/usr/bin:/bin`, ...env }, encoding: "utf8" });
    const args = fs.existsSync(log) ? fs.readFileSync(log, "utf8").split("\n").slice(0, -1) : [];
    const read = (f: string) => (fs.existsSync(path.join(dir, f)) ? fs.readFileSync(path.join(dir, f), "utf8") : undefined);
    return { status: r.status, stderr: r.stderr, args, kubeconfig: read("seen-kubeconfig"), kubeconfigPath: read("seen-path")?.trim() };
}

describe("kubectl: one-shot scripts", () => {
    it("removes istio-injection from the named namespace with kubectl's own defaults when the stack names no cluster", () => {
        const s = dropInjectionLabelScript("bookinfo");
        const r = runWithFakeKubectl(s.script, { ...s.environment });
        expect(r.status, r.stderr).to.equal(0);
        expect(r.args).to.deep.equal(["label", "namespace", "bookinfo", "istio-injection-"]);
    });

    it("uses the stack's kubeconfig contents through a private temp file, removed afterwards, and its context", () => {
        const s = dropInjectionLabelScript("payments");
        const contents = "apiVersion: v1\nkind: Config\n# marker-7f3a\n";
        const r = runWithFakeKubectl(s.script, { ...s.environment, [KUBECTL_ENV.kubeconfig]: contents, [KUBECTL_ENV.context]: "prod" });
        expect(r.status, r.stderr).to.equal(0);
        expect(r.args).to.deep.equal(["--kubeconfig", r.kubeconfigPath, "--context", "prod", "label", "namespace", "payments", "istio-injection-"]);
        expect(r.kubeconfig).to.equal(contents);
        expect(fs.existsSync(r.kubeconfigPath!), "temp kubeconfig removed on exit").to.equal(false);
    });

    it("uses a kubeconfig path as is", () => {
        const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "kc-")), "config");
        fs.writeFileSync(file, "kind: Config\n");
        const s = dropInjectionLabelScript("shop");
        const r = runWithFakeKubectl(s.script, { ...s.environment, [KUBECTL_ENV.kubeconfig]: file });
        expect(r.args.slice(0, 2)).to.deep.equal(["--kubeconfig", file]);
        expect(fs.existsSync(file)).to.equal(true);
    });

    it("never lets a value reach the shell: values travel in the environment", () => {
        const hostile = "x; touch /tmp/pwned-istio-mesh";
        const s = kubectlScript(["get", "namespace", { env: "NS", value: hostile }]);
        expect(s.script).to.not.include(hostile);
        const r = runWithFakeKubectl(s.script, { ...s.environment });
        expect(r.args).to.deep.equal(["get", "namespace", hostile]);
        expect(() => kubectlScript(["get", "ns; rm -rf /"])).to.throw(/must be passed through the environment/);
    });

    it("fails when kubectl fails", () => {
        const r = child_process.spawnSync("/bin/sh", ["-c", dropInjectionLabelScript("x").script], { env: { PATH: "/nonexistent" }, encoding: "utf8" });
        expect(r.status).to.not.equal(0);
    });

    it("restarts every workload of a namespace, waits with a timeout, and fails naming the workload", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fake-kubectl-"));
        const log = path.join(dir, "log");
        // get -> two workloads; rollout status of the StatefulSet fails.
        fs.writeFileSync(
            path.join(dir, "kubectl"),
            `#!/bin/sh\necho "$*" >> ${log}\ncase "$*" in "get "*) printf 'deployment.apps/web\\nstatefulset.apps/db\\n';; *"status"*"statefulset"*) exit 1;; esac\n`,
            { mode: 0o755 },
        );
        const s = restartScript({ namespace: "shop", effective: "1-30-3@1.30.3", waitSeconds: 30 });
        const r = child_process.spawnSync("/bin/sh", ["-c", s.script], { env: { PATH: `${dir}:/usr/bin:/bin`, ...s.environment }, encoding: "utf8" });
        expect(r.status).to.equal(1);
        expect(r.stderr).to.include("namespace shop: statefulset.apps/db did not become ready within 30s after the restart");
        expect(fs.readFileSync(log, "utf8").split("\n").filter(Boolean)).to.deep.equal([
            "get deployment,statefulset,daemonset -n shop -o name",
            "rollout restart -n shop deployment.apps/web statefulset.apps/db",
            "rollout status -n shop deployment.apps/web --timeout=30s",
            "rollout status -n shop statefulset.apps/db --timeout=30s",
        ]);
    });

    it("a namespace without workloads, or one named workload without waiting", () => {
        const empty = restartScript({ namespace: "quiet", effective: "1-30-3@1.30.3" });
        const r = runWithFakeKubectl(empty.script, { ...empty.environment });
        expect(r.status, r.stderr).to.equal(0);
        expect(r.args).to.deep.equal(["get", "deployment,statefulset,daemonset", "-n", "quiet", "-o", "name"]);
        const one = restartScript({ namespace: "istio-ingress", workload: "deployment/istio-ingressgateway", effective: "1-30-3@1.30.3" });
        const r2 = runWithFakeKubectl(one.script, { ...one.environment });
        expect(r2.args).to.deep.equal(["rollout", "restart", "-n", "istio-ingress", "deployment/istio-ingressgateway"]);
    });

    it("restarts only when the recorded effective revision differs: a rerun for any other reason restarts nothing", () => {
        const s = restartScript({ namespace: "shop", effective: "1-30-3@1.30.3" });
        const same = runWithFakeKubectl(s.script, { ...s.environment, PULUMI_COMMAND_STDOUT: `deployment.apps/web restarted\n${EFFECTIVE_MARK}1-30-3@1.30.3` });
        expect(same.status, same.stderr).to.equal(0);
        expect(same.args, "no kubectl call").to.deep.equal([]);
        const moved = runWithFakeKubectl(s.script, { ...s.environment, PULUMI_COMMAND_STDOUT: `${EFFECTIVE_MARK}1-29-6@1.29.6` });
        expect(moved.args.slice(0, 2)).to.deep.equal(["get", "deployment,statefulset,daemonset"]);
        const record = restartScript({ namespace: "istio-ingress", workload: "deployment/gw", effective: "1-30-3@1.30.3" }, true);
        const r = child_process.spawnSync("/bin/sh", ["-c", record.script], { env: { PATH: "/nonexistent", ...record.environment }, encoding: "utf8" });
        expect(r.status, r.stderr).to.equal(0);
        expect(r.stdout.trim().split("\n").pop()).to.equal(`${EFFECTIVE_MARK}1-30-3@1.30.3`);
    });
});
