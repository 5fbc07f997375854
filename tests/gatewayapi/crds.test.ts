/**
 * The Gateway API CRD command's script, run by sh against a stand-in kubectl: pinned manifest,
 * never a downgrade of what the cluster has (whoever installed it), nothing deleted.
 */
import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { crdManifestUrl, crdsScript, CRDS_MARK } from "../../components/gatewayapi/crds";

function run(live: string, version: string, channel: "standard" | "experimental" = "standard") {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gwapi-"));
    const log = path.join(dir, "log");
    // The stand-in answers `get crd ... -o jsonpath` with $FAKE_LIVE and records every call.
    fs.writeFileSync(path.join(dir, "kubectl"), `#!/bin/sh\necho "$*" >> "${log}"\ncase "$*" in *"get crd"*) printf '%s' "$FAKE_LIVE";; esac\n`, { mode: 0o755 });
    const s = crdsScript(version, channel);
    const r = spawnSync("sh", ["-c", s.script], { env: { PATH: `${dir}:${process.env.PATH}`, FAKE_LIVE: live, ...s.environment }, encoding: "utf8" });
    const calls = fs.existsSync(log) ? fs.readFileSync(log, "utf8").trim().split("\n") : [];
    fs.rmSync(dir, { recursive: true, force: true });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr, applied: calls.filter((c) => c.startsWith("apply")) };
}

describe("gatewayapi: the CRD command", () => {
    it("pins the release manifest of the version and channel", () => {
        expect(crdManifestUrl("1.4.1", "standard")).to.equal("https://github.com/kubernetes-sigs/gateway-api/releases/download/v1.4.1/standard-install.yaml");
        expect(crdManifestUrl("v1.5.1", "experimental")).to.equal("https://github.com/kubernetes-sigs/gateway-api/releases/download/v1.5.1/experimental-install.yaml");
    });

    const cases: [string, string, string, boolean][] = [
        ["no CRDs yet", "", "v1.4.1", true],
        ["the same version", "v1.4.1", "v1.4.1", true],
        ["an upgrade", "v1.4.1", "v1.5.1", true],
        ["a downgrade", "v1.5.1", "v1.4.1", false],
        ["a downgrade across a two-digit minor (numeric, not text, order)", "v1.10.0", "v1.9.0", false],
        ["an upgrade across a two-digit minor", "v1.9.0", "v1.10.0", true],
    ];
    for (const [what, live, want, applies] of cases) {
        it(`${what}: ${applies ? "applies server-side" : "refuses, applying nothing"}`, () => {
            const r = run(live, want);
            if (applies) {
                expect(r.code, r.stderr).to.equal(0);
                expect(r.applied).to.deep.equal([`apply --server-side --force-conflicts --field-manager=istio-mesh-gateway-api -f ${crdManifestUrl(want, "standard")}`]);
                expect(r.stdout).to.equal(`${CRDS_MARK}${want} standard\n`);
            } else {
                expect(r.code).to.equal(1);
                expect(r.applied).to.deep.equal([]);
                expect(r.stderr).to.contain(`the cluster has Gateway API CRDs ${live}, newer than ${want}`);
                expect(r.stderr).to.contain(`Set mesh.gatewayApi.version: ${live}`);
            }
        });
    }

    it("never deletes: the script has no delete command", () => {
        expect(crdsScript("v1.4.1", "standard").script).not.to.match(/\bdelete\b/);
    });
});
