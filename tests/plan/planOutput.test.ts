/**
 * The plan a reviewer reads (issue 21, part 6): a refused plan's steps are what would happen
 * once allowed; a namespace the stack lets go of is released and kept, not removed; one restart
 * instruction per namespace; AKS names from the stack's own name; changed inputs as before → after.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { diffResources, plan, valueChanges } from "../../components/plan/plan";
import { fold, FOLD_AT, MAX_DIFFS, toMarkdown } from "../../components/plan/report";
import { planCommand } from "../../scripts/plan";
import { resourceCounts } from "../../components/review/comment";
import { REPO } from "../support/fixtures";
import { parse } from "yaml";

const file = (mesh: Record<string, unknown>, cluster?: Record<string, unknown>) => ({ config: { "istio-mesh:mesh": mesh, ...(cluster === undefined ? {} : { "istio-mesh:cluster": cluster }) } });

describe("plan output: a refused plan", () => {
    it("labels every step as what would happen once allowed, and its resources as unchanged while refused", async () => {
        const from = file({ revisions: [{ version: "1.29.6" }], namespaces: { shop: "1-29-6" } });
        const to = file({ revisions: [{ version: "1.30.3" }], namespaces: { shop: "1-30-3" } });
        const p = await plan(from, to);
        expect(p.verdict).to.equal("refused");
        const md = toMarkdown(p);
        expect(md).to.contain("### Steps it would take once allowed (refused: none of them runs)");
        expect(md).not.to.contain("### Steps, in order");
        const steps = md.split("\n").filter((l) => /^\d+\. /.test(l));
        expect(steps.length).to.equal(p.steps.length).and.be.greaterThan(0);
        for (const s of steps) expect(s).to.match(/^\d+\. \(would, once allowed\) /);
        expect(md).to.match(/^### Resources: .*, once allowed: refused, nothing changes$/m);
        // The PR comment still reads the counts.
        expect(resourceCounts(md)).to.not.equal(undefined);
    });

    it("an allowed plan's steps read as what happens", async () => {
        const md = toMarkdown(await plan(undefined, file({ revisions: [{ version: "1.30.3" }] })));
        expect(md).to.contain("### Steps, in order");
        expect(md).not.to.contain("would, once allowed");
    });
});

describe("plan output: a namespace the stack lets go of", () => {
    const from = file({ revisions: [{ version: "1.30.3" }], namespaces: { web: { revision: "1-30-3", create: true }, gone: { revision: "1-30-3", create: true } } });

    it("create: true -> false: the Namespace is released and kept, not counted in to remove", async () => {
        const p = await plan(from, file({ revisions: [{ version: "1.30.3" }], namespaces: { web: { revision: "1-30-3", create: false }, gone: { revision: "1-30-3", create: true } } }));
        expect(p.changes.removed.map((r) => r.name)).to.not.include("mesh-ns-web-namespace");
        expect(p.changes.released).to.deep.equal([{ type: "kubernetes:core/v1:Namespace", name: "mesh-ns-web-namespace" }]);
        const md = toMarkdown(p);
        expect(resourceCounts(md)!.remove).to.equal(p.changes.removed.length);
        expect(md).to.match(/, 1 released and kept \(/);
        expect(md).to.contain("| kept | `kubernetes:core/v1:Namespace` | `mesh-ns-web-namespace` | released: the stack stops managing it; it stays in the cluster");
        expect(md).not.to.match(/^\| - \| `kubernetes:core\/v1:Namespace`/m);
    });

    it("removed from mesh.namespaces (created, deleteWhenRemoved: false): released and kept too", async () => {
        const p = await plan(from, file({ revisions: [{ version: "1.30.3" }], namespaces: { web: { revision: "1-30-3", create: true } } }));
        expect(p.changes.released.map((r) => r.name)).to.deep.equal(["mesh-ns-gone-namespace"]);
        expect(p.changes.removed.map((r) => r.name)).to.not.include("mesh-ns-gone-namespace");
    });

    it("a namespace created with deleteWhenRemoved: true is a removal (the engine deletes it)", async () => {
        const del = file({ revisions: [{ version: "1.30.3" }], namespaces: { web: { revision: "1-30-3", create: true, deleteWhenRemoved: true } } });
        const p = await plan(del, file({ revisions: [{ version: "1.30.3" }] }), ["namespace-deletion"]);
        expect(p.changes.removed.map((r) => r.name)).to.include("mesh-ns-web-namespace");
        expect(p.changes.released).to.deep.equal([]);
    });

    it("diffResources: only what was retained is released", () => {
        const r = (name: string) => ({ type: "t", name, inputs: {} });
        const out = diffResources([r("a"), r("b")], [], new Map(), new Set(["t\u0000b"]));
        expect(out.removed).to.deep.equal([{ type: "t", name: "a" }]);
        expect(out.released).to.deep.equal([{ type: "t", name: "b" }]);
    });
});

describe("plan output: one restart instruction per namespace", () => {
    it("CNI switched on with a canary move: the namespace the update restarts is not also told BY HAND", async () => {
        const from = file({ revisions: [{ version: "1.29.6" }], namespaces: { auto: "1-29-6", manual: { revision: "1-29-6", restart: false }, stays: "1-29-6" } });
        const to = file({ revisions: [{ version: "1.29.6" }, { version: "1.30.3" }], defaultRevision: "1-29-6", cni: { enabled: true }, namespaces: { auto: "1-30-3", manual: { revision: "1-30-3", restart: false }, stays: "1-29-6" } });
        const p = await plan(from, to);
        const about = (ns: string) => [...p.steps, ...p.warnings.map((w) => w.message)].filter((s) => /^Restart|restart the workloads|Restart the workloads/i.test(s) && new RegExp(`\\b${ns}\\b(?!:)`).test(s.replace(/\(not [^)]*\)/g, "")));
        // auto: the automatic restart only.
        const auto = p.steps.filter((s) => /^Restart/.test(s) && / auto\b/.test(s.replace(/\(not [^)]*\)/g, "")));
        expect(auto, p.steps.join("\n")).to.have.length(1);
        expect(auto[0]).to.match(/\(automatic, /);
        // manual (restart: false, moved) and stays (not moved): by hand, each named in one step.
        const byHand = p.steps.filter((s) => / BY HAND/.test(s));
        for (const ns of ["manual", "stays"]) expect(byHand.filter((s) => new RegExp(`\\b${ns}\\b`).test(s.replace(/\(not [^)]*\)/g, ""))), ns).to.have.length(1);
        expect(byHand.find((s) => /\bmanual\b/.test(s.replace(/\(not [^)]*\)/g, "")))).to.match(/^Restart the workloads of namespace manual onto 1-30-3 .*BY HAND \(restart: false\)/);
        expect(byHand.find((s) => /\bstays\b/.test(s))).to.match(/^Restart the workloads of stays BY HAND so they lose istio-init: /);
        expect(about("auto").every((s) => !/BY HAND/.test(s.replace(/\(not [^)]*\)/g, "")))).to.equal(true);
        // The CNI warning names only the namespaces left to restart by hand.
        expect(p.warnings.find((w) => w.code === "cni-workload-restart")!.message).to.match(/Restart the workloads of stays after this update/);
    });

    it("when the update restarts every enrolled namespace itself, no BY HAND step and no restart warning for CNI", async () => {
        const from = file({ revisions: [{ version: "1.29.6" }], namespaces: { shop: "1-29-6" } });
        const to = file({ revisions: [{ version: "1.29.6" }, { version: "1.30.3" }], defaultRevision: "1-29-6", cni: { enabled: true }, namespaces: { shop: "1-30-3" } });
        const p = await plan(from, to);
        expect(p.steps.filter((s) => /BY HAND/.test(s))).to.deep.equal([]);
        expect(p.steps.filter((s) => /^Restart the workloads of namespace shop .*\(automatic, /.test(s))).to.have.length(1);
        expect(p.warnings.map((w) => w.code)).to.not.include("cni-workload-restart");
    });
});

describe("plan output: AKS names come from the stack's name", () => {
    const aks = fs.readFileSync(path.join(REPO, "stacks", "aks", "helm.yaml"), "utf8");
    const resourceName = (json: string) => (JSON.parse(json) as { resources: { type: string; inputs: { resourceName?: string } }[] }).resources.find((r) => r.type === "azure-native:containerservice:ManagedCluster")?.inputs.resourceName;
    let dir: string;
    before(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-stack-"));
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("a file named Pulumi.<stack>.yaml: the cluster is named after <stack>, no placeholder warning", async () => {
        const f = path.join(dir, "Pulumi.prod-eu.yaml");
        fs.writeFileSync(f, aks);
        const r = await planCommand(["--to", f, "--json"]);
        expect(r.code, r.stderr).to.equal(0);
        expect(resourceName(r.stdout)).to.equal("prod-eu");
        expect(r.stdout).not.to.contain("placeholder-stack-name");
    });

    it("--stack names it for any file; without either, the plan says its names are the placeholder's", async () => {
        const f = path.join(REPO, "stacks", "aks", "helm.yaml");
        const named = await planCommand(["--to", f, "--stack", "staging", "--json"]);
        expect(resourceName(named.stdout)).to.equal("staging");
        const anon = await planCommand(["--to", f, "--json"]);
        const warning = (JSON.parse(anon.stdout) as { warnings: { code: string; message: string }[] }).warnings.find((w) => w.code === "placeholder-stack-name");
        expect(warning?.message).to.match(/Pass --stack NAME, or set istio-mesh:cluster.name/);
        expect((await planCommand(["--to", f, "--stack", "bad name"])).code).to.equal(2);
    });

    it("a cluster with its own name needs no stack name", async () => {
        const doc = parse(aks) as { config: Record<string, Record<string, unknown>> };
        doc.config["istio-mesh:cluster"].name = "mesh-cluster";
        const p = await plan(undefined, { config: doc.config });
        expect(p.warnings.map((w) => w.code)).to.not.include("placeholder-stack-name");
    });
});

describe("plan output: changed inputs, before → after", () => {
    it("valueChanges: maps and same-length lists down to the values that differ, other lists whole, absent ones as such", () => {
        expect(valueChanges({ labels: { "istio.io/rev": "a", team: "x" }, name: "n" }, { labels: { "istio.io/rev": "b", team: "x" }, name: "n" }, "metadata")).to.deep.equal([
            { path: 'metadata.labels["istio.io/rev"]', before: '"a"', after: '"b"' },
        ]);
        expect(valueChanges({ a: 1 }, { b: 2 }, "v")).to.deep.equal([{ path: "v.a", before: "1" }, { path: "v.b", after: "2" }]);
        expect(valueChanges([1, 2], [1, 3], "l")).to.deep.equal([{ path: "l[1]", before: "2", after: "3" }]);
        expect(valueChanges([1, 2], [1], "l")).to.deep.equal([{ path: "l", before: "[1,2]", after: "[1]" }]);
        expect(valueChanges({ x: { y: 1 } }, { x: { y: 1 } }, "same")).to.deep.equal([]);
    });

    it("fold: a long value keeps its start and end and says how much it left out; a short one is whole", () => {
        expect(fold("short")).to.equal("short");
        const long = "a".repeat(40) + "MIDDLE" + "z".repeat(40);
        const f = fold(long);
        expect([...f].length).to.be.lessThan(long.length);
        expect(f.startsWith("a".repeat(29))).to.equal(true);
        expect(f.endsWith("z".repeat(29))).to.equal(true);
        expect(f).to.contain(`(${long.length - 2 * Math.floor((FOLD_AT - 1) / 2)} more)`);
    });

    it("the Markdown shows each changed value before → after (folded), at most MAX_DIFFS per resource", async () => {
        const from = file({ revisions: [{ version: "1.29.6" }], namespaces: { shop: "1-29-6" } });
        const to = file({ revisions: [{ version: "1.29.6" }, { version: "1.30.3" }], defaultRevision: "1-29-6", namespaces: { shop: "1-30-3" } });
        const p = await plan(from, to);
        const md = toMarkdown(p);
        expect(md).to.contain('| ~ | `kubernetes:core/v1:NamespacePatch` | `mesh-ns-shop-rev` | metadata.labels\\["istio.io/rev"\\]: `"1-29-6"` → `"1-30-3"` |');
        expect(md).to.contain('| ~ | `kubernetes:helm.sh/v3:Release` | `mesh-base-release` | version: `"1.29.6"` → `"1.30.3"`');
        for (const r of p.changes.changed) expect(r.diffs!.length, r.name).to.be.greaterThan(0);
        const many = { type: "t", name: "n", fields: ["v"], diffs: Array.from({ length: MAX_DIFFS + 3 }, (_, i) => ({ path: `v.k${i}`, before: "1", after: "2" })) };
        const cell = toMarkdown({ ...p, verdict: "allowed", changes: { added: [], changed: [many], removed: [], released: [] } });
        expect(cell).to.contain("and 3 more |");
    });
});
