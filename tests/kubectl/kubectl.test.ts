/**
 * The one-shot kubectl scripts, run for real by /bin/sh against a fake `kubectl` that records
 * its arguments and the kubeconfig it was given.
 */
import { expect } from "chai";
import * as child_process from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { dropInjectionLabelsScript, EFFECTIVE_MARK, ENROLLED_MARK, KUBECTL_ENV, RESTARTED_MARK, restartNamespacesScript, RestartScripts } from "../../components/kubectl/kubectl";

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
    return { status: r.status, stdout: r.stdout, stderr: r.stderr, args, kubeconfig: read("seen-kubeconfig"), kubeconfigPath: read("seen-path")?.trim() };
}

/**
 * A fake kubectl that logs each call as one line, answers `get` with `objects` (namespace ->
 * lines), fails a call matching `fail` (a shell case pattern), and keeps namespace annotations
 * set by `annotate namespace` (file `marks`, `<namespace>=<value>` lines) for `get namespaces`.
 */
function fakeKubectl(objects: Record<string, string[]>, fail?: string, marks: Record<string, string> = {}): { dir: string; calls: () => string[]; marks: () => Record<string, string> } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fake-kubectl-"));
    const log = path.join(dir, "log");
    const file = path.join(dir, "marks");
    fs.writeFileSync(file, Object.entries(marks).map(([ns, v]) => `${ns}=${v}\n`).join(""));
    const gets = Object.entries(objects)
        .map(([ns, objs]) => `  "get deployment,statefulset,daemonset -n ${ns} -o name") printf '${objs.map((o) => `${o}\\n`).join("")}';;`)
        .join("\n");
    const failing = fail === undefined ? "" : `  ${fail}) exit 1;;\n`;
    const annotations = [
        `  "get namespaces -o jsonpath="*) cat ${file};;`,
        `  "annotate namespace "*" --overwrite ${RESTARTED_MARK}="*) grep -v "^$3=" ${file} > ${file}.new || true; echo "$3=\${5#*=}" >> ${file}.new; mv ${file}.new ${file};;`,
        `  "annotate namespace "*" ${RESTARTED_MARK}-") shift 2; for ns in "$@"; do [ "$ns" = "${RESTARTED_MARK}-" ] || { grep -v "^$ns=" ${file} > ${file}.new || true; mv ${file}.new ${file}; }; done;;`,
    ].join("\n");
    fs.writeFileSync(path.join(dir, "kubectl"), `#!/bin/sh\nprintf '%s\\n' "$*" >> ${log}\ncase "$*" in\n${failing}${annotations}\n${gets}\nesac\n`, { mode: 0o755 });
    const readMarks = () =>
        Object.fromEntries(
            fs
                .readFileSync(file, "utf8")
                .split("\n")
                .filter(Boolean)
                .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
        );
    return { dir, calls: () => (fs.existsSync(log) ? fs.readFileSync(log, "utf8").split("\n").filter(Boolean) : []), marks: readMarks };
}

/** The restart script's first call: which namespaces a failed run already restarted. */
const MARKS_CALL = `get namespaces -o jsonpath={range .items[*]}{.metadata.name}={.metadata.annotations.${RESTARTED_MARK}}{"\\n"}{end}`;

/** Runs the restart command's `create` (first run) or `update` script, as the command provider would. */
function run(scripts: RestartScripts, which: "create" | "update", dir: string, previousStdout?: string) {
    const env: Record<string, string> = { PATH: `${dir}:/usr/bin:/bin`, ...scripts.environment };
    if (previousStdout !== undefined) env.PULUMI_COMMAND_STDOUT = previousStdout;
    return child_process.spawnSync("/bin/sh", ["-c", scripts[which]], { env, encoding: "utf8" });
}

describe("kubectl: one-shot scripts", () => {
    it("removes istio-injection from the namespaces with kubectl's own defaults when the stack names no cluster, in one call", () => {
        const s = dropInjectionLabelsScript(["shop", "bookinfo"]);
        const r = runWithFakeKubectl(s.script, { ...s.environment });
        expect(r.status, r.stderr).to.equal(0);
        expect(r.args).to.deep.equal(["label", "namespace", "bookinfo", "shop", "istio-injection-"]);
        expect(r.stdout.trim().split("\n"), "the record of handled namespaces").to.deep.equal([`${ENROLLED_MARK}bookinfo`, `${ENROLLED_MARK}shop`]);
    });

    it("removes the label once per namespace: a rerun touches only namespaces it has not recorded", () => {
        const s = dropInjectionLabelsScript(["shop", "bookinfo", "payments"]);
        const again = runWithFakeKubectl(s.script, { ...s.environment, PULUMI_COMMAND_STDOUT: `${ENROLLED_MARK}bookinfo\n${ENROLLED_MARK}shop\n${ENROLLED_MARK}gone` });
        expect(again.status, again.stderr).to.equal(0);
        expect(again.args).to.deep.equal(["label", "namespace", "payments", "istio-injection-"]);
        expect(again.stdout.trim().split("\n"), "namespaces that left the config are forgotten").to.deep.equal([
            `${ENROLLED_MARK}bookinfo`,
            `${ENROLLED_MARK}payments`,
            `${ENROLLED_MARK}shop`,
        ]);
        const nothing = runWithFakeKubectl(s.script, { ...s.environment, PULUMI_COMMAND_STDOUT: again.stdout });
        expect(nothing.args, "no kubectl call").to.deep.equal([]);
    });

    it("uses the stack's kubeconfig contents through a private temp file, removed afterwards, and its context", () => {
        const s = dropInjectionLabelsScript(["payments"]);
        const contents = "apiVersion: v1\nkind: Config\n# marker-7f3a\n";
        const r = runWithFakeKubectl(s.script, { ...s.environment, [KUBECTL_ENV.kubeconfig]: contents, [KUBECTL_ENV.context]: "prod" });
        expect(r.status, r.stderr).to.equal(0);
        expect(r.args).to.deep.equal(["--kubeconfig", r.kubeconfigPath, "--context", "prod", "label", "namespace", "payments", "istio-injection-"]);
        expect(r.kubeconfig).to.equal(contents);
        expect(fs.existsSync(r.kubeconfigPath!), "temp kubeconfig removed on exit").to.equal(false);
    });

    for (const signal of ["SIGTERM", "SIGINT", "SIGHUP"] as const) {
        it(`a ${signal} while kubectl runs still removes the temp kubeconfig and its private directory`, async () => {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fake-kubectl-"));
            // Records the kubeconfig path and its directory's mode, then takes its time.
            fs.writeFileSync(path.join(dir, "kubectl"), `#!/bin/sh\necho "$2" > ${dir}/path\nls -ld "$(dirname "$2")" > ${dir}/mode\nsleep 1\n`, { mode: 0o755 });
            const s = dropInjectionLabelsScript(["payments"]);
            const child = child_process.spawn("/bin/sh", ["-c", s.script], { env: { PATH: `${dir}:/usr/bin:/bin`, ...s.environment, [KUBECTL_ENV.kubeconfig]: "apiVersion: v1\n" } });
            const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
            for (let i = 0; i < 100 && !fs.existsSync(path.join(dir, "mode")); i++) await new Promise((r) => setTimeout(r, 20));
            child.kill(signal);
            const code = await exited;
            expect(code, "exits non-zero through its trap").to.equal({ SIGHUP: 129, SIGINT: 130, SIGTERM: 143 }[signal]);
            const file = fs.readFileSync(path.join(dir, "path"), "utf8").trim();
            expect(fs.readFileSync(path.join(dir, "mode"), "utf8")).to.match(/^drwx------/);
            expect(fs.existsSync(file), "kubeconfig removed").to.equal(false);
            expect(fs.existsSync(path.dirname(file)), "its directory removed").to.equal(false);
        });
    }

    it("uses a kubeconfig path as is", () => {
        const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "kc-")), "config");
        fs.writeFileSync(file, "kind: Config\n");
        const s = dropInjectionLabelsScript(["shop"]);
        const r = runWithFakeKubectl(s.script, { ...s.environment, [KUBECTL_ENV.kubeconfig]: file });
        expect(r.args.slice(0, 2)).to.deep.equal(["--kubeconfig", file]);
        expect(fs.existsSync(file)).to.equal(true);
    });

    it("never lets a value reach the shell: values travel in the environment", () => {
        const restart = restartNamespacesScript([{ namespace: "shop", effective: "1-30-3@1.30.3", restart: true, created: false }], []);
        for (const script of [dropInjectionLabelsScript(["shop"]).script, restart.create, restart.update]) {
            expect(script, "names travel in the environment").to.not.match(/shop|1-30-3/);
        }
        expect(() => restartNamespacesScript([], ["x; rm -rf /"]), "first-run names are checked DNS labels").to.throw(/not a DNS label/);
    });

    it("fails when kubectl fails", () => {
        const r = child_process.spawnSync("/bin/sh", ["-c", dropInjectionLabelsScript(["x"]).script], { env: { PATH: "/nonexistent:/usr/bin:/bin" }, encoding: "utf8" });
        expect(r.status).to.not.equal(0);
    });

    it("restarts every workload of a namespace, waits with a timeout, and fails naming the namespace and workload (recording nothing)", () => {
        const k = fakeKubectl({ shop: ["deployment.apps/web", "statefulset.apps/db"] }, '*"status"*"statefulset"*');
        const r = run(restartNamespacesScript([{ namespace: "shop", effective: "1-30-3@1.30.3", restart: true, created: false }], ["shop"], 30), "create", k.dir);
        expect(r.status).to.equal(1);
        expect(r.stderr).to.include("namespace shop: statefulset.apps/db did not become ready within 30s after the restart");
        expect(r.stdout, "a failed run records nothing: the next up retries it").to.not.include(EFFECTIVE_MARK);
        expect(k.calls()).to.deep.equal([
            MARKS_CALL,
            "get deployment,statefulset,daemonset -n shop -o name",
            "rollout restart -n shop deployment.apps/web statefulset.apps/db",
            "rollout status -n shop deployment.apps/web --timeout=30s",
            "rollout status -n shop statefulset.apps/db --timeout=30s",
        ]);
    });

    it("an update restarts exactly the namespaces whose recorded revision differs, and new ones the stack did not create; records every one", () => {
        const k = fakeKubectl({ moved: ["deployment.apps/a"], joined: ["deployment.apps/b"], empty: [] });
        const s = restartNamespacesScript(
            [
                { namespace: "moved", effective: "1-30-3@1.30.3", restart: true, created: false },
                { namespace: "same", effective: "1-29-6@1.29.6", restart: true, created: false },
                { namespace: "joined", effective: "1-30-3@1.30.3", restart: true, created: false },
                { namespace: "made", effective: "1-30-3@1.30.3", restart: true, created: true },
                { namespace: "manual", effective: "1-30-3@1.30.3", restart: false, created: false },
                { namespace: "empty", effective: "1-30-3@1.30.3", restart: true, created: false },
            ],
            ["same", "moved"],
        );
        const previous = ["moved=1-29-6@1.29.6", "same=1-29-6@1.29.6", "manual=1-29-6@1.29.6", "gone=1-29-6@1.29.6"].map((e) => `${EFFECTIVE_MARK}${e}`).join("\n");
        const r = run(s, "update", k.dir, previous);
        expect(r.status, r.stderr).to.equal(0);
        expect(k.calls()).to.deep.equal([
            MARKS_CALL,
            "get deployment,statefulset,daemonset -n empty -o name",
            "get deployment,statefulset,daemonset -n joined -o name",
            "rollout restart -n joined deployment.apps/b",
            `annotate namespace joined --overwrite ${RESTARTED_MARK}=1-30-3@1.30.3`,
            "get deployment,statefulset,daemonset -n moved -o name",
            "rollout restart -n moved deployment.apps/a",
            `annotate namespace moved --overwrite ${RESTARTED_MARK}=1-30-3@1.30.3`,
            // The run went through: its record is stdout, the marks go.
            `annotate namespace joined moved ${RESTARTED_MARK}-`,
        ]);
        expect(k.marks()).to.deep.equal({});
        expect(r.stderr).to.include("namespace empty: no workloads to restart");
        expect(r.stdout.trim().split("\n"), "every namespace recorded, restart: false ones too; gone ones forgotten").to.deep.equal(
            ["empty=1-30-3@1.30.3", "joined=1-30-3@1.30.3", "made=1-30-3@1.30.3", "manual=1-30-3@1.30.3", "moved=1-30-3@1.30.3", "same=1-29-6@1.29.6"].map((e) => `${EFFECTIVE_MARK}${e}`),
        );
        // A rerun for any other reason (rotated credentials, another namespace moving) restarts nothing.
        const k2 = fakeKubectl({});
        const again = run(s, "update", k2.dir, r.stdout);
        expect(again.status, again.stderr).to.equal(0);
        expect(k2.calls()).to.deep.equal([MARKS_CALL]);
    });

    it("the first run restarts exactly the namespaces it is given (whatever moved before it existed), never restart: false ones", () => {
        const k = fakeKubectl({ moved: ["deployment.apps/a"], still: ["deployment.apps/b"], manual: ["deployment.apps/c"] });
        const s = restartNamespacesScript(
            [
                { namespace: "moved", effective: "1-30-3@1.30.3", restart: true, created: false },
                { namespace: "still", effective: "1-29-6@1.29.6", restart: true, created: false },
                { namespace: "manual", effective: "1-30-3@1.30.3", restart: false, created: false },
            ],
            ["moved", "manual"],
        );
        const r = run(s, "create", k.dir);
        expect(r.status, r.stderr).to.equal(0);
        expect(k.calls()).to.deep.equal([
            MARKS_CALL,
            "get deployment,statefulset,daemonset -n moved -o name",
            "rollout restart -n moved deployment.apps/a",
            `annotate namespace moved --overwrite ${RESTARTED_MARK}=1-30-3@1.30.3`,
            `annotate namespace moved ${RESTARTED_MARK}-`,
        ]);
        expect(r.stdout.trim().split("\n")).to.have.length(3);
    });

    it("a run that fails in namespace b keeps a's restart in the cluster: the retry restarts b only, then records both and clears the marks", () => {
        const entries = ["a", "b", "c"].map((namespace) => ({ namespace, effective: "1-30-3@1.30.3", restart: true, created: false }));
        const s = restartNamespacesScript(entries, []);
        const previous = ["a", "b", "c"].map((ns) => `${EFFECTIVE_MARK}${ns}=1-29-6@1.29.6`).join("\n");
        const objects = { a: ["deployment.apps/a"], b: ["deployment.apps/b"], c: ["deployment.apps/c"] };
        const first = fakeKubectl(objects, '"rollout restart -n b "*');
        const failed = run(s, "update", first.dir, previous);
        expect(failed.status).to.equal(1);
        expect(failed.stdout, "a failed run records nothing in stdout").to.not.include(EFFECTIVE_MARK);
        expect(first.marks(), "a's restart is remembered in the cluster").to.deep.equal({ a: "1-30-3@1.30.3" });
        // The retry: the command provider hands it the last successful run's stdout again.
        const retry = fakeKubectl(objects, undefined, first.marks());
        const r = run(s, "update", retry.dir, previous);
        expect(r.status, r.stderr).to.equal(0);
        expect(retry.calls().filter((c) => c.startsWith("rollout restart")), "a is not restarted again").to.deep.equal(["rollout restart -n b deployment.apps/b", "rollout restart -n c deployment.apps/c"]);
        expect(retry.calls().at(-1)).to.equal(`annotate namespace a b c ${RESTARTED_MARK}-`);
        expect(retry.marks()).to.deep.equal({});
        expect(r.stdout.trim().split("\n")).to.deep.equal(["a", "b", "c"].map((ns) => `${EFFECTIVE_MARK}${ns}=1-30-3@1.30.3`));
    });

    it("the same on a first run (create) that failed: its retry restarts only the listed namespaces not yet restarted", () => {
        const entries = ["a", "b"].map((namespace) => ({ namespace, effective: "1-30-3@1.30.3", restart: true, created: false }));
        const s = restartNamespacesScript(entries, ["a", "b"]);
        const objects = { a: ["deployment.apps/a"], b: ["deployment.apps/b"] };
        const first = fakeKubectl(objects, '"rollout restart -n b "*');
        expect(run(s, "create", first.dir).status).to.equal(1);
        const retry = fakeKubectl(objects, undefined, first.marks());
        const r = run(s, "create", retry.dir);
        expect(r.status, r.stderr).to.equal(0);
        expect(retry.calls().filter((c) => c.startsWith("rollout restart"))).to.deep.equal(["rollout restart -n b deployment.apps/b"]);
    });

    it("a namespace a failed run moved onto a revision the config no longer wants restarts back, though its record already says so", () => {
        // Failed run: a restarted onto 1-30-3; the config is then reverted to 1-29-6, as recorded.
        const s = restartNamespacesScript([{ namespace: "a", effective: "1-29-6@1.29.6", restart: true, created: false }], []);
        const k = fakeKubectl({ a: ["deployment.apps/a"] }, undefined, { a: "1-30-3@1.30.3", other: "" });
        const r = run(s, "update", k.dir, `${EFFECTIVE_MARK}a=1-29-6@1.29.6`);
        expect(r.status, r.stderr).to.equal(0);
        expect(k.calls().filter((c) => c.startsWith("rollout restart"))).to.deep.equal(["rollout restart -n a deployment.apps/a"]);
        expect(k.marks(), "an empty annotation is no mark").to.deep.equal({ other: "" });
    });
});
