/**
 * The Gateway API CRD command's script, run by sh against a stand-in kubectl: pinned manifest,
 * never a downgrade of what the cluster has (whoever installed it), nothing deleted.
 */
import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { crdManifestSource, crdManifestUrl, crdsScript, CRDS_MARK, isManifestUrl, missingManifestFile } from "../../components/gatewayapi/crds";

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

    describe("the manifest from a source of the user's (mesh.gatewayApi.manifest: a mirror or a local file)", () => {
        /** The stand-in answers `get crd` with $FAKE_LIVE before an apply and $FAKE_AFTER after it. */
        function runFrom(manifest: string, live: string, after: string, version = "v1.4.1") {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gwapi-"));
            const log = path.join(dir, "log");
            fs.writeFileSync(
                path.join(dir, "kubectl"),
                `#!/bin/sh\necho "$*" >> "${log}"\ncase "$*" in *"get crd"*) if [ -f "${dir}/applied" ]; then printf '%s' "$FAKE_AFTER"; else printf '%s' "$FAKE_LIVE"; fi;; *apply*) touch "${dir}/applied";; esac\n`,
                { mode: 0o755 },
            );
            const s = crdsScript(version, "standard", manifest);
            const r = spawnSync("sh", ["-c", s.script], { env: { PATH: `${dir}:${process.env.PATH}`, FAKE_LIVE: live, FAKE_AFTER: after, ...s.environment }, encoding: "utf8" });
            const calls = fs.existsSync(log) ? fs.readFileSync(log, "utf8").trim().split("\n") : [];
            fs.rmSync(dir, { recursive: true, force: true });
            return { code: r.status, stdout: r.stdout, stderr: r.stderr, applied: calls.filter((c) => c.startsWith("apply")) };
        }

        it("replaces {version} and {channel}; without a source, the release asset on github.com", () => {
            expect(crdManifestSource("1.4.1", "experimental", "https://mirror.example.com/gateway-api/{version}/{channel}-install.yaml")).to.equal("https://mirror.example.com/gateway-api/v1.4.1/experimental-install.yaml");
            expect(crdManifestSource("v1.4.1", "standard", "./crds/gateway-api-{version}.yaml")).to.equal("./crds/gateway-api-v1.4.1.yaml");
            expect(crdManifestSource("v1.4.1", "standard")).to.equal(crdManifestUrl("v1.4.1", "standard"));
            expect(isManifestUrl("https://x/y")).to.equal(true);
            expect(isManifestUrl("/srv/crds/v1.4.1.yaml")).to.equal(false);
        });

        it("applies the resolved source, then checks the cluster now has the pinned bundle", () => {
            const r = runFrom("/srv/crds/{version}/{channel}-install.yaml", "v1.3.0", "v1.4.1");
            expect(r.code, r.stderr).to.equal(0);
            expect(r.applied).to.deep.equal(["apply --server-side --force-conflicts --field-manager=istio-mesh-gateway-api -f /srv/crds/v1.4.1/standard-install.yaml"]);
            expect(r.stdout).to.equal(`${CRDS_MARK}v1.4.1 standard\n`);
        });

        it("a source serving another version fails the update, naming both and the fix", () => {
            const r = runFrom("https://mirror.example.com/{version}.yaml", "", "v1.3.0");
            expect(r.code).to.equal(1);
            expect(r.stderr).to.contain("applied https://mirror.example.com/v1.4.1.yaml (mesh.gatewayApi.manifest), but the Gateway CRD now says bundle-version v1.3.0, not v1.4.1 (mesh.gatewayApi.version)");
            expect(r.stderr).to.contain("Point mesh.gatewayApi.manifest at the v1.4.1 standard-install.yaml release asset");
        });

        it("still never downgrades: a newer live bundle refuses before anything is applied", () => {
            const r = runFrom("/srv/{version}.yaml", "v1.5.1", "v1.5.1");
            expect(r.code).to.equal(1);
            expect(r.applied).to.deep.equal([]);
        });

        it("a local file missing on this machine is an error naming the key and the resolved path; URLs and unmanaged CRDs are not checked", () => {
            const crds = { version: "v1.4.1", channel: "standard" as const, manage: true, manifest: "./crds/{version}.yaml" };
            expect(missingManifestFile(crds, () => false)).to.equal(
                'istio-mesh:mesh.gatewayApi.manifest: ./crds/v1.4.1.yaml (from "./crds/{version}.yaml") is not a file on this machine; the CRD command applies it from here (relative paths are from the project directory). Copy the v1.4.1 standard-install.yaml release asset there, or fix the path',
            );
            expect(missingManifestFile(crds, (p) => p === "./crds/v1.4.1.yaml")).to.equal(undefined);
            expect(missingManifestFile({ ...crds, manifest: "https://m/{version}.yaml" }, () => false)).to.equal(undefined);
            expect(missingManifestFile({ ...crds, manage: false }, () => false)).to.equal(undefined);
            expect(missingManifestFile({ ...crds, manifest: undefined }, () => false)).to.equal(undefined);
        });
    });
});
