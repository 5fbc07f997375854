/**
 * The synchronous kubectl runner in this process, against a fake kubectl (sh): which arguments
 * it passes, which kubeconfig values are paths, the private file's modes, and that a kubectl
 * killed by SIGTERM/SIGINT makes the runner re-raise the signal (process.kill stubbed here; the
 * real death and the cleanup on a signal are in syncSignal.test.ts, in a child process).
 */
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { isKubeconfigPath, kubeconfigFileProblem, kubectlSync } from "../../components/kubectl/sync";

const fakeKubectl = (body: string) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fake-kubectl-"));
    const kubectl = path.join(dir, "kubectl");
    fs.writeFileSync(kubectl, `#!/bin/sh\n${body.replace(/DIR/g, dir)}\n`, { mode: 0o755 });
    return { dir, kubectl };
};

/** Runs `f` with process.kill recording its calls instead of signalling. */
function withKillRecorded<T>(f: () => T): { value: T; kills: [number, string | number | undefined][] } {
    const kills: [number, string | number | undefined][] = [];
    const real = process.kill;
    (process as { kill: unknown }).kill = (pid: number, signal?: string | number) => {
        kills.push([pid, signal]);
        return true;
    };
    try {
        return { value: f(), kills };
    } finally {
        process.kill = real;
    }
}

const ourListeners = (signal: string) => process.listeners(signal as NodeJS.Signals).filter((l) => String(l).includes("removeLive"));

describe("kubectl: the synchronous runner", () => {
    it("passes --kubeconfig and --context before the arguments, only those given; returns kubectl's answer", () => {
        const { dir, kubectl } = fakeKubectl(`echo "$@" > DIR/args; echo out; echo err >&2; exit 3`);
        const kc = path.join(dir, "kc");
        fs.writeFileSync(kc, "apiVersion: v1\n");
        const r = kubectlSync({ kubeconfig: kc, context: "prod" }, ["get", "pods"], { kubectl, timeoutMs: 30000 });
        expect(r.status).to.equal(3);
        expect(r.stdout).to.equal("out\n");
        expect(r.stderr).to.equal("err\n");
        expect(fs.readFileSync(path.join(dir, "args"), "utf8"), "a path is passed as it is").to.equal(`--kubeconfig ${kc} --context prod get pods\n`);
        kubectlSync({ context: "dev" }, ["version"], { kubectl, timeoutMs: 30000 });
        expect(fs.readFileSync(path.join(dir, "args"), "utf8")).to.equal("--context dev version\n");
        kubectlSync({}, ["version"], { kubectl, timeoutMs: 30000 });
        expect(fs.readFileSync(path.join(dir, "args"), "utf8"), "the shell's defaults when the stack names nothing").to.equal("version\n");
        expect(fs.existsSync(kc), "a kubeconfig path is never removed").to.equal(true);
    });

    it("contents go to a private file (directory 0700, file 0600) holding exactly them, removed after", () => {
        const { dir, kubectl } = fakeKubectl(`echo "$2" > DIR/path; stat -c %a "$2" > DIR/file-mode; stat -c %a "$(dirname "$2")" > DIR/dir-mode; cat "$2" > DIR/seen`);
        const contents = '{"apiVersion": "v1", "kind": "Config"}';
        kubectlSync({ kubeconfig: contents }, ["get", "pods"], { kubectl, timeoutMs: 30000 });
        expect(fs.readFileSync(path.join(dir, "seen"), "utf8")).to.equal(contents);
        expect(fs.readFileSync(path.join(dir, "file-mode"), "utf8").trim()).to.equal("600");
        expect(fs.readFileSync(path.join(dir, "dir-mode"), "utf8").trim()).to.equal("700");
        const file = fs.readFileSync(path.join(dir, "path"), "utf8").trim();
        expect(path.basename(file)).to.equal("kubeconfig");
        expect(path.basename(path.dirname(file))).to.match(/^istio-mesh-kc-/);
        expect(path.dirname(path.dirname(file))).to.equal(os.tmpdir());
        expect(fs.existsSync(path.dirname(file)), "its directory removed").to.equal(false);
    });

    it("the private file is removed when kubectl cannot even start", () => {
        const before = fs.readdirSync(os.tmpdir()).filter((n) => n.startsWith("istio-mesh-kc-")).length;
        const r = kubectlSync({ kubeconfig: "apiVersion: v1\n" }, ["get", "pods"], { kubectl: path.join(os.tmpdir(), "no-such-kubectl-here"), timeoutMs: 30000 });
        expect(r.error).to.not.equal(undefined);
        expect(fs.readdirSync(os.tmpdir()).filter((n) => n.startsWith("istio-mesh-kc-")).length).to.be.at.most(before);
    });

    it("a kubeconfig that can only be a path and does not exist: the error names the path, kubectl never runs", () => {
        const { dir, kubectl } = fakeKubectl(`touch DIR/ran`);
        const missing = path.join(dir, "nope.yaml");
        expect(() => kubectlSync({ kubeconfig: missing }, ["get", "pods"], { kubectl, timeoutMs: 30000 })).to.throw(`kubeconfig ${missing}: no such file (istio-mesh:cluster.kubeconfig, or --kubeconfig, names a file that does not exist; give its path or the kubeconfig's contents)`);
        expect(fs.existsSync(path.join(dir, "ran"))).to.equal(false);
    });

    it("what counts as a path, and as a missing file", () => {
        const { dir } = fakeKubectl("true");
        const kc = path.join(dir, "kubectl");
        expect(isKubeconfigPath(kc)).to.equal(true);
        expect(isKubeconfigPath(`${kc}\n`), "two lines are contents").to.equal(false);
        expect(isKubeconfigPath(path.join(dir, "none"))).to.equal(false);
        expect(kubeconfigFileProblem(kc), "exists").to.equal(undefined);
        expect(kubeconfigFileProblem("apiVersion: v1"), "YAML contents on one line").to.equal(undefined);
        expect(kubeconfigFileProblem('  {"kind": "Config"}'), "JSON contents").to.equal(undefined);
        expect(kubeconfigFileProblem("/no/such\nfile"), "several lines").to.equal(undefined);
        expect(kubeconfigFileProblem("/no/such/file")).to.match(/^kubeconfig \/no\/such\/file: no such file/);
        expect(kubeconfigFileProblem("kind: Config"), "one line without apiVersion or a brace can only be a path").to.match(/^kubeconfig kind: Config: no such file/);
    });

    for (const signal of ["SIGTERM", "SIGINT", "SIGHUP"] as const) {
        it(`kubectl killed by ${signal} while a private file exists: the runner re-raises it once the file is gone, leaving no listener of its own`, () => {
            const { dir, kubectl } = fakeKubectl(`echo "$2" > DIR/path; kill -${signal.slice(3)} $$`);
            const { value: r, kills } = withKillRecorded(() => kubectlSync({ kubeconfig: "apiVersion: v1\n" }, ["get", "pods"], { kubectl, timeoutMs: 30000 }));
            expect(r.signal).to.equal(signal);
            expect(kills).to.deep.equal([[process.pid, signal]]);
            expect(ourListeners(signal), "its own listener removed, so the signal kills").to.deep.equal([]);
            expect(fs.existsSync(path.dirname(fs.readFileSync(path.join(dir, "path"), "utf8").trim()))).to.equal(false);
        });
    }

    it("no re-raise for other signals, or when the kubeconfig was a path (no file of ours to protect)", () => {
        const { dir, kubectl } = fakeKubectl(`kill -$SIG $$`);
        const kc = path.join(dir, "kc");
        fs.writeFileSync(kc, "apiVersion: v1\n");
        process.env.SIG = "KILL";
        try {
            const a = withKillRecorded(() => kubectlSync({ kubeconfig: "apiVersion: v1\n" }, ["x"], { kubectl, timeoutMs: 30000 }));
            expect(a.value.signal).to.equal("SIGKILL");
            expect(a.kills).to.deep.equal([]);
            process.env.SIG = "TERM";
            const b = withKillRecorded(() => kubectlSync({ kubeconfig: kc }, ["x"], { kubectl, timeoutMs: 30000 }));
            expect(b.value.signal).to.equal("SIGTERM");
            expect(b.kills).to.deep.equal([]);
            const c = withKillRecorded(() => kubectlSync({}, ["x"], { kubectl, timeoutMs: 30000 }));
            expect(c.kills).to.deep.equal([]);
        } finally {
            delete process.env.SIG;
        }
    });

    it("a kubectl that outlives the timeout is killed by spawnSync (SIGTERM): that is our timeout, never re-raised, also with a private file", () => {
        const { kubectl } = fakeKubectl(`sleep 5`);
        for (const access of [{}, { kubeconfig: "apiVersion: v1\n" }]) {
            const r = withKillRecorded(() => kubectlSync(access, ["x"], { kubectl, timeoutMs: 300 }));
            expect(r.value.signal).to.equal("SIGTERM");
            expect((r.value.error as NodeJS.ErrnoException | undefined)?.code).to.equal("ETIMEDOUT");
            expect(r.kills, JSON.stringify(access)).to.deep.equal([]);
        }
    });
});
