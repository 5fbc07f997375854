/**
 * Rollback in one revert: what this update restarts, which pods the preview-time check leaves
 * to the removal gate, the gate's verdict and its script, on recorded pod lists
 * (tests/dataplane/fixtures, sources inside each file).
 */
import { expect } from "chai";
import * as child_process from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseStackConfig } from "../../components/config/stackConfig";
import { restartedBy } from "../../components/dataplane/effective";
import { gateConfigOf, gateInputOf, gateRecordLine, gateRecordOf, gateVerdict, parseGateConfig, parseGateRecord, readGateRecord } from "../../components/dataplane/gate";
import { addonOwnPod, PodFacts, restartedByUpdate } from "../../components/dataplane/inUse";
import { podFacts } from "../../components/dataplane/liveQuery";
import { removalGateScript, shellWord } from "../../components/kubectl/kubectl";
import { inUseNote, inUseProblems, IN_USE_RULES, restartsWording } from "../../components/plan/inUseRule";
import { plan } from "../../components/plan/plan";
import { MeshState, stateOf } from "../../components/state/deployed";
import { REPO, stackFile } from "../support/fixtures";

const stack = (name: string): MeshState => stateOf(parseStackConfig(stackFile(name)));
const fixture = (name: string) => JSON.parse(fs.readFileSync(path.join(__dirname, "fixtures", `${name}.json`), "utf8")) as { items: unknown[] };
const pods = (name: string): PodFacts[] => podFacts(fixture(name));
const names = (ps: readonly PodFacts[]) => ps.map((p) => `${p.namespace}/${p.name}`);

describe("dataplane: the removal gate (rollback in one revert)", () => {
    describe("what one update restarts", () => {
        const cases: { from: string | undefined; to: string; namespaces: string[]; gateways: string[] }[] = [
            { from: undefined, to: "01-install", namespaces: [], gateways: [] },
            { from: "01-install", to: "02-canary", namespaces: ["bookinfo->1-30-3"], gateways: [] },
            { from: "02-canary", to: "01-install", namespaces: ["bookinfo->1-29-6"], gateways: [] },
            { from: "02-canary", to: "03-promote", namespaces: ["payments->1-30-3"], gateways: ["istio-ingressgateway@istio-ingress->1-30-3"] },
            { from: "03-promote", to: "02-canary", namespaces: ["payments->1-29-6"], gateways: ["istio-ingressgateway@istio-ingress->1-29-6"] },
            { from: "03-promote", to: "04-complete", namespaces: [], gateways: [] },
            { from: "aks/addon-02-canary", to: "aks/addon-01-install", namespaces: ["bookinfo->asm-1-29"], gateways: [] },
        ];
        for (const c of cases) {
            it(`${c.from ?? "nothing"} -> ${c.to}`, () => {
                const r = restartedBy(c.from === undefined ? undefined : stack(c.from), stack(c.to));
                expect(r.namespaces.map((n) => `${n.name}->${n.onto}`)).to.deep.equal(c.namespaces);
                expect(r.gateways.map((g) => `${g.name}@${g.namespace}->${g.onto}`)).to.deep.equal(c.gateways);
            });
        }

        it("restart: false is never restarted by the update; a newly enrolled existing namespace is", () => {
            const from = stack("02-canary");
            const to = { ...stack("01-install") };
            const manual = { ...to, namespaces: to.namespaces.map((n) => ({ ...n, restart: false })), gateways: to.gateways.map((g) => ({ ...g, restart: false })) };
            expect(restartedBy(from, manual)).to.deep.equal({ namespaces: [], gateways: [] });
            const enrolled = { ...to, namespaces: [...to.namespaces, { name: "legacy", revision: "prod-stable", create: false, deleteWhenRemoved: false, restart: true }] };
            expect(restartedBy(from, enrolled).namespaces.map((n) => n.name)).to.deep.equal(["bookinfo", "legacy"]);
            const created = { ...to, namespaces: [...to.namespaces, { name: "fresh", revision: "prod-stable", create: true, deleteWhenRemoved: false, restart: true }] };
            expect(restartedBy(from, created).namespaces.map((n) => n.name)).to.deep.equal(["bookinfo"]);
        });

        it("words the wait for the plan, grouped by the revision they go onto", () => {
            expect(restartsWording(restartedBy(stack("02-canary"), stack("01-install")))).to.equal("bookinfo has rolled onto 1-29-6");
            expect(restartsWording(restartedBy(stack("03-promote"), stack("02-canary")))).to.equal("payments and gateway istio-ingressgateway have rolled onto 1-29-6");
            expect(restartsWording({ namespaces: [{ name: "a", onto: "r1" }], gateways: [{ name: "gw", namespace: "n", onto: "r2" }] })).to.equal("a has rolled onto r1 and gateway gw has rolled onto r2");
            expect(restartsWording({ namespaces: [], gateways: [] })).to.equal(undefined);
        });
    });

    describe("which pods the update itself replaces", () => {
        const scope = { namespaces: ["bookinfo"], gateways: [{ name: "istio-ingressgateway", namespace: "istio-ingress" }] };
        const table: { pod: string; replaced: boolean }[] = [
            { pod: "bookinfo/productpage-v1-6b746f74dc-9stfk", replaced: true },
            { pod: "bookinfo/mysql-0", replaced: true },
            { pod: "bookinfo/debug-shell", replaced: false }, // bare pod: no rollout restarts it
            { pod: "reports/nightly-29441280-x7k2p", replaced: false }, // a Job's pod
            { pod: "payments/api-5f8c9d7b4-lx2vw", replaced: false }, // namespace not restarted
            { pod: "istio-ingress/istio-ingressgateway-6d4f8b9c7-hk3zq", replaced: true },
        ];
        const byName = new Map(pods("helm-canary-pods").map((p) => [`${p.namespace}/${p.name}`, p]));
        for (const row of table) {
            it(`${row.pod}: ${row.replaced ? "replaced" : "not replaced"}`, () => {
                expect(restartedByUpdate(byName.get(row.pod)!, scope)).to.equal(row.replaced);
            });
        }
        it("a gateway's pods are only those of its Deployment in its namespace", () => {
            const p = byName.get("istio-ingress/istio-ingressgateway-6d4f8b9c7-hk3zq")!;
            expect(restartedByUpdate(p, { namespaces: [], gateways: [{ name: "istio-ingressgateway", namespace: "other" }] })).to.equal(false);
            expect(restartedByUpdate(p, { namespaces: [], gateways: [{ name: "istio-egressgateway", namespace: "istio-ingress" }] })).to.equal(false);
            expect(restartedByUpdate({ ...p, owner: "StatefulSet" }, { namespaces: [], gateways: [{ name: "istio-ingressgateway", namespace: "istio-ingress" }] })).to.equal(false);
        });
    });

    describe("preview: revert of the canary (02-canary -> 01-install)", () => {
        const from = stack("02-canary");
        const to = stack("01-install");

        it("pods of the namespaces this update restarts no longer refuse; a bare pod and a Job's pod still do", () => {
            const problems = inUseProblems(from, to, { pods: pods("helm-canary-pods") });
            expect(problems.map((p) => p.code)).to.deep.equal([IN_USE_RULES.inUse]);
            // The Job's pod names the tag prod-canary: resolved through the deployed tags to 1-30-3.
            expect(problems[0].message).to.match(/^revision "1-30-3" is removed while 2 running or pending pods that this update does not restart still use its proxy: bookinfo\/debug-shell, reports\/nightly-29441280-x7k2p\. /);
            expect(problems[0].message).to.include("a bare pod or a Job's pod must be deleted or re-created");
        });

        it("without them, preview allows the revert, as the offline plan does", async () => {
            const rest = pods("helm-canary-pods").filter((p) => p.owner === "ReplicaSet" || p.owner === "StatefulSet");
            expect(inUseProblems(from, to, { pods: rest })).to.deep.equal([]);
            const offline = await plan({ config: stackFile("02-canary") }, { config: stackFile("01-install") });
            expect(offline.verdict).to.equal("allowed");
            expect(offline.steps.at(-1)).to.equal(
                "Uninstall control plane revision 1-30-3 (Istio 1.30.3, release istiod-1-30-3) after bookinfo has rolled onto 1-29-6, once the removal gate has found no running or pending pod on 1-30-3 (else the update stops and 1-30-3 stays)",
            );
            expect(offline.liveChecks).to.deep.equal([inUseNote(from, to)]);
            expect(offline.liveChecks[0]).to.include("During up, after bookinfo has rolled onto 1-29-6, the removal gate asks again for every pod");
            // The gate is there already (every stack has one): only what it is told changes, so it runs.
            expect(offline.changes.added).to.deep.equal([]);
            const gateChanges = offline.changes.changed.filter((r) => r.name.includes("removal-gate"));
            expect(gateChanges.map(({ type, name, fields }) => ({ type, name, fields }))).to.deep.equal([{ type: "command:local:Command", name: "mesh-removal-gate-verify", fields: ["environment"] }]);
            // What it is told: the revisions and tags this config deploys, before -> after.
            expect(gateChanges[0].diffs?.map((d) => d.path)).to.deep.equal(["environment.ISTIO_MESH_GATE"]);
        });

        it("a pod of a namespace this update does not move still refuses, at preview, before anything changes", () => {
            const moved = pods("helm-canary-pods").map((p) => (p.name.startsWith("api-") ? { ...p, annotations: { "sidecar.istio.io/status": JSON.stringify({ revision: "1-30-3" }) } } : p));
            const problems = inUseProblems(from, to, { pods: moved.filter((p) => p.owner === "ReplicaSet" || p.owner === "StatefulSet") });
            expect(problems.map((p) => p.message)).to.deep.equal([
                `revision "1-30-3" is removed while 1 running or pending pod that this update does not restart still use its proxy: payments/api-5f8c9d7b4-lx2vw. ` +
                    `Restart them onto another revision first (kubectl rollout restart deployment,statefulset,daemonset -n payments; a bare pod or a Job's pod must be deleted or re-created), wait until they are replaced, then remove "1-30-3".`,
            ]);
        });
    });

    describe("the gate's verdict after the restarts", () => {
        const input = { removed: ["1-30-3"], tags: { "prod-stable": "1-29-6", "prod-canary": "1-30-3" }, addon: false };

        it("blocks while a pod still runs the removed revision (here: one still terminating), naming it and what to do", () => {
            const v = gateVerdict(input, pods("helm-rollback-after-restarts"));
            expect(v.clear).to.equal(false);
            expect(v.message).to.equal(
                `istio-mesh removal gate: after this update's restarts, revision is still used: "1-30-3" by 1 pod (bookinfo/ratings-v1-b6994bb9-7gkqt). ` +
                    `Nothing was removed: 1-30-3 stays installed and the update stopped before any removal. ` +
                    `Restart or delete those pods (kubectl rollout restart deployment,statefulset,daemonset -n bookinfo; a bare pod or a Job's pod must be deleted or re-created), then run pulumi up again; or revert the config to keep the revision.`,
            );
        });

        it("clears once it is gone; istiod's own pods of the removed revision never count", () => {
            const rest = pods("helm-rollback-after-restarts").filter((p) => p.name !== "ratings-v1-b6994bb9-7gkqt");
            expect(names(rest)).to.include("istio-system/istiod-1-30-3-5c8d7f9b6-q4m2n");
            expect(gateVerdict(input, rest)).to.deep.equal({ clear: true, message: "istio-mesh removal gate: no running or pending pod uses 1-30-3" });
        });

        it("counts every pod, restarted namespaces included (before the restarts it would block on all of bookinfo)", () => {
            const v = gateVerdict(input, pods("helm-canary-pods"));
            expect(v.clear).to.equal(false);
            expect(v.clear === false && v.inUse[0].pods).to.deep.equal([
                "bookinfo/debug-shell",
                "bookinfo/mysql-0",
                "bookinfo/productpage-v1-6b746f74dc-9stfk",
                "bookinfo/ratings-v1-b6994bb9-7gkqt",
                "reports/nightly-29441280-x7k2p",
            ]);
        });

        it("reads its config and record from the environment; a malformed one is an internal error", () => {
            const config = { revisions: ["1-29-6"], tags: { "prod-stable": "1-29-6" }, addon: false };
            expect(parseGateConfig(JSON.stringify(config))).to.deep.equal(config);
            expect(() => parseGateConfig(undefined)).to.throw(/internal: ISTIO_MESH_GATE/);
            expect(() => parseGateConfig('{"revisions":["a"],"tags":{}}')).to.throw(/internal: ISTIO_MESH_GATE is not a removal gate config/);
            expect(() => parseGateConfig("{not json")).to.throw(/internal: ISTIO_MESH_GATE/);
            expect(parseGateRecord('{"revisions":["a"],"tags":{"t":"a"}}')).to.deep.equal({ revisions: ["a"], tags: { t: "a" } });
            expect(() => parseGateRecord('{"revisions":"a","tags":{}}')).to.throw(/internal: ISTIO_MESH_GATE_BEFORE is not a removal gate record/);
            expect(() => parseGateRecord('{"revisions":[],"tags":{"t":1}}')).to.throw(/not a removal gate record/);
        });
    });

    describe("what the gate's command is told: the config only, so the same config twice is no change", () => {
        const table: { from: string | undefined; to: string; removed: string[] }[] = [
            { from: undefined, to: "01-install", removed: [] },
            { from: "01-install", to: "02-canary", removed: [] },
            { from: "02-canary", to: "01-install", removed: ["1-30-3"] },
            { from: "02-canary", to: "03-promote", removed: [] },
            { from: "03-promote", to: "04-complete", removed: ["1-29-6"] },
            { from: "aks/addon-02-canary", to: "aks/addon-01-install", removed: ["asm-1-30"] },
        ];
        for (const row of table) {
            it(`${row.from ?? "nothing"} -> ${row.to}: removes ${row.removed.join(", ") || "nothing"}, and the record it leaves removes nothing the next time`, () => {
                const from = row.from === undefined ? undefined : stack(row.from);
                const to = stack(row.to);
                const config = gateConfigOf(to, to.management === "aks-addon");
                const input = gateInputOf(config, gateRecordOf(from));
                expect(input.removed).to.deep.equal(row.removed);
                // Pods are resolved through the tags deployed before the update.
                expect(input.tags).to.deep.equal({ ...(from?.tags ?? {}) });
                // The next run reads back the record this one printed: nothing more to remove.
                const record = readGateRecord(`istio-mesh removal gate: ...\n${gateRecordLine(config)}\n`);
                expect(record).to.deep.equal(gateRecordOf(to));
                expect(gateInputOf(config, record!).removed).to.deep.equal([]);
            });
        }

        it("sorted: the order of revisions and tags in the config is no change", () => {
            const a = gateConfigOf({ revisions: [{ name: "b" }, { name: "a" }], tags: { y: "a", x: "b" } }, false);
            const b = gateConfigOf({ revisions: [{ name: "a" }, { name: "b" }], tags: { x: "b", y: "a" } }, false);
            expect(JSON.stringify(a)).to.equal(JSON.stringify(b));
            expect(JSON.stringify(a)).to.equal('{"revisions":["a","b"],"tags":{"x":"b","y":"a"},"addon":false}');
        });

        it("the last record line counts; none is undefined", () => {
            const line = (revisions: string[]) => gateRecordLine({ revisions, tags: {}, addon: false });
            expect(readGateRecord(`${line(["a"])}\nsomething\n${line(["b"])}\n`)?.revisions).to.deep.equal(["b"]);
            expect(readGateRecord("istio-mesh removal gate: no running or pending pod uses 1-29-6\n")).to.equal(undefined);
            expect(readGateRecord(undefined)).to.equal(undefined);
        });
    });

    describe("the gate's command script (sh, a stand-in kubectl, the project's node entry)", function () {
        this.timeout(60_000);
        type Run = { before?: object; previousStdout?: string; config: object; fixture?: string; timeout?: number; cwd?: string };
        const run = (r: Run) => {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gate-kubectl-"));
            const body = r.fixture === undefined ? "echo 'The connection to the server was refused' >&2; exit 1" : `cat ${JSON.stringify(path.join(__dirname, "fixtures", `${r.fixture}.json`))}`;
            fs.writeFileSync(path.join(dir, "kubectl"), `#!/bin/sh\necho "$@" >> ${dir}/args\n${body}\n`, { mode: 0o755 });
            const script = removalGateScript(JSON.stringify(r.before ?? {}), r.timeout ?? 0, 0);
            const env: Record<string, string> = {
                PATH: `${dir}:${path.dirname(process.execPath)}:/usr/bin:/bin`,
                ...script.environment,
                ISTIO_MESH_GATE: JSON.stringify(r.config),
                ISTIO_MESH_KUBE_CONTEXT: "prod",
                // What the command provider sets on an update; a stale one must not count on creation.
                PULUMI_COMMAND_STDOUT: r.previousStdout ?? gateRecordLine({ revisions: ["stale"], tags: {}, addon: false }),
            };
            const p = child_process.spawnSync("/bin/sh", ["-c", r.before === undefined ? script.update : script.create], { cwd: r.cwd ?? REPO, env, encoding: "utf8" });
            return { ...p, args: fs.existsSync(path.join(dir, "args")) ? fs.readFileSync(path.join(dir, "args"), "utf8") : "" };
        };
        const rollback = { revisions: ["1-29-6"], tags: { "prod-stable": "1-29-6" }, addon: false };
        const canary = { revisions: ["1-29-6", "1-30-3"], tags: { "prod-canary": "1-30-3", "prod-stable": "1-29-6" } };

        it("created with nothing removed (a fresh install): exits 0 with its record, never asking the cluster", () => {
            const r = run({ before: { revisions: [], tags: {} }, config: rollback, fixture: "helm-rollback-after-restarts" });
            expect(r.stderr).to.equal("");
            expect(r.status).to.equal(0);
            expect(r.stdout).to.equal(`istio-mesh removal gate: this update removes no revision\n${gateRecordLine(rollback)}\n`);
            expect(r.args).to.equal("");
        });

        it("created in an update that removes (its state before): asks the cluster with the stack's context, clear when nothing uses the revision", () => {
            const r = run({ before: { revisions: ["1-28-1", "1-29-6"], tags: {} }, config: rollback, fixture: "helm-rollback-after-restarts" });
            expect(r.stderr).to.equal("");
            expect(r.status).to.equal(0);
            expect(r.stdout).to.equal(`istio-mesh removal gate: no running or pending pod uses 1-28-1\n${gateRecordLine(rollback)}\n`);
            expect(r.args).to.match(/^--context prod get pods --all-namespaces -o json/);
        });

        it("updated: compares with its last record (the canary), fails naming the pods at the deadline, and prints no new record", () => {
            const r = run({ previousStdout: `istio-mesh removal gate: this update removes no revision\n${gateRecordLine({ ...canary, addon: false })}\n`, config: rollback, fixture: "helm-rollback-after-restarts" });
            expect(r.status).to.equal(1);
            expect(r.stderr).to.match(/still used: "1-30-3" by 1 pod \(bookinfo\/ratings-v1-b6994bb9-7gkqt\)\..* \(after waiting 0s\)\n$/);
            expect(r.stdout).to.not.include("record");
        });

        it("updated with nothing removed since its record (a promote, a rotated credential): exits 0 without asking the cluster", () => {
            const r = run({ previousStdout: gateRecordLine({ ...canary, addon: false }), config: { ...canary, tags: { "prod-canary": "1-30-3", "prod-stable": "1-30-3" }, addon: false }, fixture: "helm-rollback-after-restarts" });
            expect(r.status).to.equal(0);
            expect(r.args).to.equal("");
        });

        it("updated without a record: refuses to guess, saying how to start again", () => {
            const r = run({ previousStdout: "istio-mesh removal gate: no running or pending pod uses 1-28-1\n", config: rollback, fixture: "helm-rollback-after-restarts" });
            expect(r.status).to.equal(1);
            expect(r.stderr).to.match(/left no "istio-mesh removal gate record:" line .* nothing was removed\. .*pulumi state delete <URN>/);
            expect(r.args).to.equal("");
        });

        it("an unreachable cluster fails the gate too: nothing is removed on a guess", () => {
            const r = run({ before: canary, config: rollback });
            expect(r.status).to.equal(1);
            expect(r.stderr).to.match(/the cluster's pod list could not be read/);
        });

        it("says so when the checkout's files are not in its directory", () => {
            const r = run({ before: canary, config: rollback, cwd: os.tmpdir() });
            expect(r.status).to.equal(1);
            expect(r.stderr).to.match(/scripts\/removal-gate\.ts is not in \/tmp.*the istio-mesh checkout is incomplete/);
        });

        it("the record reaches the script as one word, whatever it holds", () => {
            for (const s of ["plain", "it's", "a'b'c", "$HOME `x` \\ \"q\""]) {
                const p = child_process.spawnSync("/bin/sh", ["-c", `printf '%s' ${shellWord(s)}`], { encoding: "utf8" });
                expect(p.stdout).to.equal(s);
            }
        });
    });

    describe("AKS add-on: its own pods go with the revision", () => {
        it("istiod and the per-revision gateway pods are the add-on's; every other pod counts", () => {
            const own = pods("aks-canary-pods").filter(addonOwnPod);
            expect(names(own)).to.deep.equal([
                "aks-istio-system/istiod-asm-1-29-6f7b8c9d5-4kq7w",
                "aks-istio-system/istiod-asm-1-29-6f7b8c9d5-9zr2m",
                "aks-istio-system/istiod-asm-1-30-8d9c7b6f4-h2x5p",
                "aks-istio-system/istiod-asm-1-30-8d9c7b6f4-v7n3k",
                "aks-istio-ingress/aks-istio-ingressgateway-external-asm-1-29-5d6c7b8f9-abcde",
                "aks-istio-ingress/aks-istio-ingressgateway-external-asm-1-29-5d6c7b8f9-fghij",
                "aks-istio-ingress/aks-istio-ingressgateway-external-asm-1-30-7b8c9d6f5-klmno",
                "aks-istio-ingress/aks-istio-ingressgateway-external-asm-1-30-7b8c9d6f5-pqrst",
            ]);
            const pod = (namespace: string, labels: Record<string, string>): PodFacts => ({ namespace, name: "x-1", phase: "Running", labels, annotations: {} });
            expect(addonOwnPod(pod("aks-istio-ingress", { istio: "aks-istio-ingressgateway-internal" }))).to.equal(true);
            // The same labels outside the add-on's namespaces, or another pod in them, are just pods.
            expect(addonOwnPod(pod("istio-ingress", { istio: "aks-istio-ingressgateway-external" }))).to.equal(false);
            expect(addonOwnPod(pod("aks-istio-system", { istio: "aks-istio-ingressgateway-external" }))).to.equal(false);
            expect(addonOwnPod(pod("aks-istio-ingress", { app: "echo" }))).to.equal(false);
        });

        const cases: { from: string; to: string; removed: string; refused: string[] }[] = [
            // Rollback: bookinfo is restarted by the update; the user's echo pod in aks-istio-ingress is not.
            { from: "aks/addon-02-canary", to: "aks/addon-01-install", removed: "asm-1-30", refused: ["aks-istio-ingress/echo-7c6d5b4f8-zz9yx"] },
            // Complete: payments' pod (asm-1-29) was restarted by promote in a real cluster; here it is still on it.
            { from: "aks/addon-03-promote", to: "aks/addon-04-complete", removed: "asm-1-29", refused: ["payments/api-5f8c9d7b4-lx2vw"] },
        ];
        for (const c of cases) {
            it(`${c.from} -> ${c.to}: the add-on's pods never refuse; ${c.refused.join(", ")} does`, () => {
                const problems = inUseProblems(stack(c.from), stack(c.to), { pods: pods("aks-canary-pods") });
                expect(problems.map((p) => p.message.match(/: (\S+)\. Restart/)?.[1])).to.deep.equal(c.refused);
                const others = pods("aks-canary-pods").filter((p) => !c.refused.includes(`${p.namespace}/${p.name}`));
                expect(inUseProblems(stack(c.from), stack(c.to), { pods: others })).to.deep.equal([]);
                expect(gateVerdict({ removed: [c.removed], tags: {}, addon: true }, others.filter((p) => !p.name.startsWith("productpage") || c.removed !== "asm-1-30")).clear).to.equal(true);
            });
        }

        it("Helm mode counts pods that merely look like the add-on's", () => {
            const own = pods("aks-canary-pods").filter((p) => p.namespace === "aks-istio-ingress" && p.labels["istio.io/rev"] === "asm-1-30");
            expect(gateVerdict({ removed: ["asm-1-30"], tags: {}, addon: false }, own).clear).to.equal(false);
        });
    });
});
