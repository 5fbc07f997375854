/**
 * The synchronous kubectl runner writes a kubeconfig given as contents to a private directory:
 * removed once kubectl answered, and when the process gets SIGTERM or SIGINT while kubectl runs.
 */
import { expect } from "chai";
import * as child_process from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const REPO = path.resolve(__dirname, "..", "..");

describe("kubectl: the synchronous runner's temp kubeconfig", () => {
    for (const signal of ["SIGTERM", "SIGINT"] as const) {
        it(`a ${signal} while kubectl runs: the process still dies of it, and the kubeconfig and its directory are gone`, async function () {
            this.timeout(60000);
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fake-kubectl-"));
            const kubectl = path.join(dir, "kubectl");
            fs.writeFileSync(kubectl, `#!/bin/sh\necho "$2" > ${dir}/path\nsleep 2\necho '{"items": []}'\n`, { mode: 0o755 });
            const script = `require(${JSON.stringify(path.join(REPO, "components/kubectl/sync.ts"))}).kubectlSync({ kubeconfig: "apiVersion: v1\\n" }, ["get", "pods"], { kubectl: ${JSON.stringify(kubectl)}, timeoutMs: 30000 }); console.log("survived");`;
            const child = child_process.spawn(process.execPath, ["-r", "ts-node/register/transpile-only", "-e", script], { cwd: REPO, stdio: ["ignore", "pipe", "pipe"], detached: true });
            let stdout = "";
            child.stdout.on("data", (d) => (stdout += d));
            const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on("exit", (_code, sig) => resolve(sig)));
            for (let i = 0; i < 1500 && !fs.existsSync(path.join(dir, "path")); i++) await new Promise((r) => setTimeout(r, 20));
            // As Ctrl-C or a cancelled CI job does: the whole process group (node and kubectl).
            process.kill(-child.pid!, signal);
            const sig = await exited;
            expect(sig, `dies of the signal, as without the runner (stdout: ${stdout})`).to.equal(signal);
            expect(stdout).to.not.include("survived");
            const file = fs.readFileSync(path.join(dir, "path"), "utf8").trim();
            expect(fs.existsSync(file), "kubeconfig removed").to.equal(false);
            expect(fs.existsSync(path.dirname(file)), "its directory removed").to.equal(false);
        });
    }
});
