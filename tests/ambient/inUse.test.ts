/**
 * The in-use check and the removal gate, ambient-aware, on composed live lists
 * (tests/fixtures/ambient/live-ambient-promoted.json, source inside): waypoints and istiod's
 * gateways still on a removed revision hold its removal, as sidecar pods do; ambient pods
 * (captured by ztunnel, no sidecar) never count, whatever istio.io/rev they carry.
 */
import { expect } from "chai";
import * as child_process from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { gatewaysInUse, isAmbientPod, istiodGatewayPod } from "../../components/ambient/inUse";
import { parseStackConfig } from "../../components/config/stackConfig";
import { gateConfigOf, gateInputOf, gateRecordLine, gateRecordOf, gateVerdict, parseGateConfig } from "../../components/dataplane/gate";
import { removalGateScript } from "../../components/kubectl/kubectl";
import { PodFacts, proxyRevision, revisionsInUse } from "../../components/dataplane/inUse";
import { gatewayFacts, namespaceFacts, podFacts } from "../../components/dataplane/liveQuery";
import { gatewaysMovedBy, IN_USE_RULES, inUseNote, inUseProblems, LiveCheck } from "../../components/plan/inUseRule";
import { MeshState, stateOf } from "../../components/state/deployed";
import { REPO, stackFile } from "../support/fixtures";

type List = { items: unknown[] };
const recorded = JSON.parse(fs.readFileSync(path.join(REPO, "tests", "fixtures", "ambient", "live-ambient-promoted.json"), "utf8")) as { pods: List; gateways: List; namespaces: List };
const PODS = podFacts(recorded.pods);
const GATEWAYS = gatewayFacts(recorded.gateways);
const NAMESPACES = namespaceFacts(recorded.namespaces);
const stack = (name: string): MeshState => stateOf(parseStackConfig(stackFile(`ambient/${name}`)));
const promote = stack("05-promote");
const complete = stack("06-complete");
const without = (...names: string[]) => PODS.filter((p) => !names.some((n) => p.name.startsWith(n)));
const live = (over: Partial<{ pods: PodFacts[]; gateways: typeof GATEWAYS; namespaces: typeof NAMESPACES }> = {}): LiveCheck => ({ pods: PODS, gateways: GATEWAYS, namespaces: NAMESPACES, ...over });
const handMade = GATEWAYS.filter((g) => g.name !== "tools-waypoint");

describe("ambient: the in-use check and the removal gate see waypoints, and never count ambient pods", () => {
    it("an ambient pod runs no proxy of any revision, even with a stale istio.io/rev label; a sidecar wins over ambient", () => {
        const productpage = PODS.find((p) => p.name.startsWith("productpage"))!;
        expect(isAmbientPod(productpage)).to.equal(true);
        expect(productpage.labels["istio.io/rev"]).to.equal("1-29-6");
        expect(proxyRevision(productpage, new Map())).to.equal(undefined);
        // Before this change it counted as a sidecar pod of 1-29-6.
        expect(revisionsInUse(["1-29-6"], PODS, new Map())).to.deep.equal([]);
        const injected: PodFacts = { ...productpage, annotations: { ...productpage.annotations, "sidecar.istio.io/status": JSON.stringify({ revision: "1-29-6" }) } };
        expect(isAmbientPod(injected)).to.equal(false);
        expect(proxyRevision(injected, new Map())).to.equal("1-29-6");
    });

    it("reads which Gateway an istiod-deployed pod belongs to, its kind and the revision that deployed it", () => {
        const seen = PODS.map(istiodGatewayPod).filter((x) => x !== undefined);
        expect(seen).to.deep.equal([
            { gateway: "bookinfo/waypoint", kind: "waypoint", revision: "1-30-3" },
            { gateway: "bookinfo/web", kind: "gateway", revision: "1-30-3" },
            { gateway: "tools/tools-waypoint", kind: "waypoint", revision: "1-29-6" },
            { gateway: "tools/tools-waypoint", kind: "waypoint", revision: "1-29-6" },
            { gateway: "tools/tools-waypoint", kind: "waypoint", revision: "1-29-6" },
        ]);
        // ztunnel, istio-cni and istiod are not Gateways.
        expect(PODS.filter((p) => p.namespace === "istio-system").map(istiodGatewayPod)).to.deep.equal([undefined, undefined, undefined, undefined]);
    });

    interface Case {
        readonly title: string;
        readonly from: MeshState;
        readonly to: MeshState;
        readonly live: LiveCheck;
        readonly codes: readonly string[];
        readonly says?: readonly string[];
    }
    const CASES: readonly Case[] = [
        {
            title: "a hand-made waypoint on the removed revision refuses the removal, naming it, its pods, the namespace using it and the commands",
            from: promote,
            to: complete,
            live: live(),
            codes: [IN_USE_RULES.gatewayInUse],
            says: [
                'revision "1-29-6" is removed while waypoint tools/tools-waypoint (istio.io/rev=1-29-6; 2 pods tools/tools-waypoint-6d7e8f9a0-ab3cd, tools/tools-waypoint-6d7e8f9a0-zt5kw; used by ambient namespace tools) still runs on it',
                "kubectl label gateway tools-waypoint -n tools istio.io/rev=1-30-3 --overwrite; kubectl wait --for=condition=Programmed gateway/tools-waypoint -n tools",
                'then remove "1-29-6"',
            ],
        },
        { title: "once it is moved (object relabelled, pods redeployed), the removal passes", from: promote, to: complete, live: live({ gateways: handMade, pods: without("tools-waypoint") }), codes: [] },
        {
            title: "its object moved but its pods not yet redeployed: still refused at preview (nothing in this update waits for them)",
            from: promote,
            to: complete,
            live: live({ gateways: handMade }),
            codes: [IN_USE_RULES.gatewayInUse],
            says: ["waypoint tools/tools-waypoint (its Gateway object not seen; 2 pods"],
        },
        {
            title: "a Gateway without its own label follows its namespace's istio.io/rev",
            from: promote,
            to: complete,
            live: live({
                pods: without("tools-waypoint"),
                gateways: [...handMade, { namespace: "legacy", name: "edge", className: "istio", labels: {} }],
                namespaces: [...NAMESPACES, { name: "legacy", labels: { "istio.io/rev": "1-29-6" } }],
            }),
            codes: [IN_USE_RULES.gatewayInUse],
            says: ["gateway legacy/edge (istio.io/rev=1-29-6)"],
        },
        {
            title: "the stack's own waypoint and gateway still on the old revision at preview: this update moves them (left to the gate)",
            from: promote,
            to: complete,
            live: live({
                gateways: handMade,
                pods: without("tools-waypoint").map((p) => (p.labels["gateway.istio.io/managed"] === undefined ? p : { ...p, labels: { ...p.labels, "istio.io/rev": "1-29-6" } })),
            }),
            codes: [],
        },
        { title: "nothing removed: nothing asked", from: promote, to: promote, live: live(), codes: [] },
    ];
    for (const c of CASES) {
        it(c.title, () => {
            const problems = inUseProblems(c.from, c.to, c.live);
            expect(problems.map((p) => p.code)).to.deep.equal(c.codes);
            for (const s of c.says ?? []) expect(problems[0].message).to.include(s);
        });
    }

    it("the offline plan's note says the Gateways are checked too, where the mesh has ambient or the Gateway API", () => {
        expect(inUseNote(promote, complete)).to.include("It asks for the Gateways too: a waypoint or gateway that istiod deployed from it, or that still follows it after this update, and that this update does not move, refuses the removal (removed-revision-waypoint-in-use)");
    });

    it("the Gateways this update moves itself are the stack's waypoints and gateway-api gateways", () => {
        expect([...gatewaysMovedBy(complete)].sort()).to.deep.equal(["bookinfo/waypoint", "bookinfo/web"]);
        expect([...gatewaysMovedBy(stack("01-pieces"))]).to.deep.equal(["bookinfo/web"]);
        expect([...gatewaysMovedBy(stateOf(parseStackConfig(stackFile("04-complete"))))]).to.deep.equal([]);
    });

    it("finished pods never count; Gateways of other revisions never count", () => {
        const use = gatewaysInUse(["1-29-6"], { pods: PODS, gateways: GATEWAYS, namespaces: NAMESPACES }, { objects: new Map([["prod-stable", "1-30-3"]]), pods: new Map() });
        expect(use.map((u) => [u.gateway, u.pods.length])).to.deep.equal([["tools/tools-waypoint", 2]]);
        expect(gatewaysInUse(["1-28-0"], { pods: PODS, gateways: GATEWAYS }, { objects: new Map(), pods: new Map() })).to.deep.equal([]);
    });

    describe("the removal gate (after the update's changes)", () => {
        const config = gateConfigOf(complete, false);
        const input = gateInputOf(config, gateRecordOf(promote));

        it("with the Gateway API, its command is told to list Gateways too; without, its inputs are what they were", () => {
            expect(config.gateways).to.equal(true);
            expect(parseGateConfig(JSON.stringify(config))).to.deep.equal(config);
            const sidecar = stateOf(parseStackConfig(stackFile("04-complete")));
            expect(JSON.stringify(gateConfigOf(sidecar, false))).to.not.include("gateways");
            expect(() => parseGateConfig('{"revisions":[],"tags":{},"addon":false,"gateways":1}')).to.throw(/not a removal gate config/);
        });

        it("waits while the stack's waypoint is being redeployed from the removed revision, and says what to do", () => {
            const redeploying = without("tools-waypoint").map((p) => (p.name.startsWith("waypoint-") ? { ...p, labels: { ...p.labels, "istio.io/rev": "1-29-6" } } : p));
            const v = gateVerdict(input, redeploying, handMade);
            expect(v.clear).to.equal(false);
            expect(v.message).to.include('still used: "1-29-6" by waypoint bookinfo/waypoint (its Gateway now follows prod-stable, so istiod is to redeploy it; 1 pod bookinfo/waypoint-5f8d9c7b6-lq2xs)');
            expect(v.message).to.include("Wait for bookinfo/waypoint, which already follows a revision that stays and is being redeployed by its istiod (kubectl get pods -n bookinfo -l gateway.networking.k8s.io/gateway-name=waypoint -L istio.io/rev), then run pulumi up again");
            expect(v.message).to.include("Nothing was removed: 1-29-6 stays installed");
            expect(v.message).to.not.include("kubectl rollout restart");
        });

        it("a Gateway whose istio.io/rev names a tag follows the tag as the update left it", () => {
            // prod-stable was 1-29-6 before the promote; the gate resolves objects through the config's tags (1-30-3).
            const before = gateInputOf(config, { revisions: ["1-29-6", "1-30-3"], tags: { "prod-stable": "1-29-6" } });
            expect(gateVerdict(before, without("tools-waypoint"), handMade).clear).to.equal(true);
            const held = gateVerdict(before, without("tools-waypoint"), GATEWAYS);
            expect(held.clear).to.equal(false);
            expect(held.message).to.include("Move tools/tools-waypoint onto a revision that stays and let istiod redeploy it (kubectl label gateway tools-waypoint -n tools istio.io/rev=1-30-3 --overwrite");
        });

        it("clear once the waypoint runs on the revision that stays; ambient pods never hold it", () => {
            const v = gateVerdict(input, without("tools-waypoint"), handMade);
            expect(v).to.deep.equal({ clear: true, message: "istio-mesh removal gate: no running or pending pod uses 1-29-6" });
        });

        it("its command lists pods and Gateways in one kubectl call and judges both (sh, a stand-in kubectl)", function () {
            this.timeout(60_000);
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gate-kubectl-"));
            const list = path.join(dir, "list.json");
            fs.writeFileSync(list, JSON.stringify({ apiVersion: "v1", kind: "List", items: [...recorded.pods.items, ...recorded.gateways.items] }));
            fs.writeFileSync(path.join(dir, "kubectl"), `#!/bin/sh\necho "$@" >> ${dir}/args\ncat ${list}\n`, { mode: 0o755 });
            const script = removalGateScript(JSON.stringify(gateRecordOf(promote)), 0, 0);
            const env = { PATH: `${dir}:${path.dirname(process.execPath)}:/usr/bin:/bin`, ...script.environment, ISTIO_MESH_GATE: JSON.stringify(config), ISTIO_MESH_GATE_GATEWAYS: "1" };
            const r = child_process.spawnSync("/bin/sh", ["-c", script.create], { cwd: REPO, env, encoding: "utf8" });
            expect(fs.readFileSync(path.join(dir, "args"), "utf8")).to.match(/^get pods,gateways\.gateway\.networking\.k8s\.io --all-namespaces -o json/);
            expect(r.status).to.equal(1);
            expect(r.stderr).to.include('still used: "1-29-6" by waypoint tools/tools-waypoint (istio.io/rev=1-29-6; 2 pods');
            // Relabelled and redeployed: clear, with the record the next run reads.
            fs.writeFileSync(list, JSON.stringify({ apiVersion: "v1", kind: "List", items: [...recorded.pods.items.filter((i) => !JSON.stringify(i).includes("tools-waypoint")), ...recorded.gateways.items.filter((i) => !JSON.stringify(i).includes("tools-waypoint"))] }));
            const ok = child_process.spawnSync("/bin/sh", ["-c", script.create], { cwd: REPO, env, encoding: "utf8" });
            expect(ok.status, ok.stderr).to.equal(0);
            expect(ok.stdout).to.equal(`istio-mesh removal gate: no running or pending pod uses 1-29-6\n${gateRecordLine(config)}\n`);
        });
    });
});
