/**
 * `npm run adopt` end to end on recorded cluster output: what it writes, when it refuses to
 * write, and that the stack file it writes is accepted by the program as it stands.
 */
import { expect } from "chai";
import { parse } from "yaml";
import { parseStackConfig } from "../../components/config/stackConfig";
import { AdoptArgs, adoptCommand, AdoptDeps, adoptPrerequisites, parseAdoptArgs, PrerequisiteProbe } from "../../scripts/adopt";
import { recordedRunner } from "./recorded";

function runAdopt(fixture: string, argv: string[], existing: string[] = []) {
    const written = new Map<string, string>();
    const printed: string[] = [];
    const { run, asked } = recordedRunner(fixture);
    const deps: AdoptDeps = {
        run,
        exists: (f) => existing.includes(f),
        write: (f, t) => written.set(f, t),
        print: (t) => printed.push(t),
        now: () => new Date("2026-11-24T10:00:00Z"),
    };
    const code = adoptCommand(argv, deps);
    return { code, written, printed: printed.join("\n"), asked };
}

describe("npm run adopt", () => {
    it("writes a stack file the program accepts, with every finding as a comment, and the report", () => {
        const { code, written, printed } = runAdopt("helm-1.28-1.29", ["--stack", "prod", "--context", "prod-eu", "--dir", "/out"]);
        expect(code).to.equal(0);
        expect([...written.keys()]).to.deep.equal(["/out/Pulumi.prod.yaml", "/out/adopt-prod.md"]);
        const file = written.get("/out/Pulumi.prod.yaml")!;
        expect(file).to.match(/^# Written by `npm run adopt -- --stack prod` at 2026-11-24T10:00:00.000Z from context prod-eu/);
        expect(file).to.contain("# - namespace legacy: uses istio-injection=enabled");
        const config = parse(file).config;
        expect(config["istio-mesh:cluster"]).to.deep.equal({ context: "prod-eu" });
        const parsed = parseStackConfig(config);
        expect(parsed.revisions.map((r) => r.name)).to.deep.equal(["1-28-10", "1-29-6"]);
        expect(parsed.adopt?.releases.length).to.equal(4);
        expect(printed).to.contain("| `mesh-rev-1-28-10-istiod` | `kubernetes:helm.sh/v3:Release` | `istio-system/istiod-1-28-10` |");
        expect(printed).to.contain("pulumi stack rm --force prod");
    });

    it("blocked: prints the blockers with their manual steps and writes nothing (exit 1)", () => {
        const { code, written, printed } = runAdopt("odd-tag-and-labels", ["--stack", "prod"]);
        expect(code).to.equal(1);
        expect(written.size).to.equal(0);
        expect(printed).to.contain("adoption blocked: nothing written");
        expect(printed).to.contain("istioctl tag remove old-stable");
    });

    it("changes in the cluster need --accept-changes", () => {
        const refused = runAdopt("helm-1.29", ["--stack", "shop"]);
        expect(refused.code).to.equal(1);
        expect(refused.written.size).to.equal(0);
        expect(refused.printed).to.contain("creates Service istio-system/istiod-revision-tag-prod");
        const accepted = runAdopt("helm-1.29", ["--stack", "shop", "--accept-changes"]);
        expect(accepted.code).to.equal(0);
        expect(accepted.written.get("Pulumi.shop.yaml")).to.contain("# The first `pulumi up` changes these in the cluster:");
    });

    it("never overwrites a stack file, and runs nothing but reads", () => {
        const { code, written, asked } = runAdopt("helm-1.28-1.29", ["--stack", "prod"], ["Pulumi.prod.yaml"]);
        expect(code).to.equal(2);
        expect(written.size).to.equal(0);
        expect(asked).to.deep.equal([]);
        for (const a of runAdopt("helm-1.28-1.29", ["--stack", "prod"]).asked) {
            expect(["kubectl get", "helm list", "helm get"]).to.include(`${a.tool} ${a.args[0]}`);
        }
    });

    it("the chart repository: given, it is written; not given, the report says where charts will come from", () => {
        const given = runAdopt("helm-1.28-1.29", ["--stack", "prod", "--chart-repository", "https://charts.example.com/istio"]);
        expect(parse(given.written.get("Pulumi.prod.yaml")!).config["istio-mesh:mesh"].chartRepository).to.equal("https://charts.example.com/istio");
        expect(given.printed).to.not.contain("Helm does not record where");
        const defaulted = runAdopt("helm-1.28-1.29", ["--stack", "prod"]);
        expect(parse(defaulted.written.get("Pulumi.prod.yaml")!).config["istio-mesh:mesh"].chartRepository).to.equal(undefined);
        expect(defaulted.printed).to.contain("Helm does not record where a release's chart came from: the stack fetches charts from https://istio-release.storage.googleapis.com/charts");
    });

    it("argument errors name the flag", () => {
        expect(parseAdoptArgs([])).to.equal("--stack is required");
        expect(parseAdoptArgs(["--stack"])).to.equal("--stack needs a value");
        expect(parseAdoptArgs(["--stack", "a", "--namespace", "Bad_NS"])).to.match(/^--namespace: /);
        expect(parseAdoptArgs(["--stack=a", "--force"])).to.equal("unknown option --force");
        expect(parseAdoptArgs(["--stack=a", "--stack=b"])).to.equal("--stack is given twice; give it once");
        expect(parseAdoptArgs(["--stack=a", "--context", ""])).to.equal("--context needs a value (it is blank)");
        expect(parseAdoptArgs(["--stack=a", "--context=c"])).to.deep.equal({ stack: "a", context: "c", namespace: "istio-system", dir: ".", acceptChanges: false, json: false });
    });

    it("checks its prerequisites first: helm 3, kubectl, the kubeconfig and context, the output directory", () => {
        const args = parseAdoptArgs(["--stack=a", "--context=prod", "--kubeconfig=/k", "--dir=/out"]) as AdoptArgs;
        const probe = (over: Partial<Record<string, { ok: boolean; out: string }>>, files: string[] = ["/k"], dirs: string[] = ["/out"]): PrerequisiteProbe => ({
            run: (tool, a) => over[`${tool} ${a[0]}`] ?? { ok: true, out: tool === "helm" ? "v3.18.5+g123" : a[0] === "config" ? "dev\nprod\n" : "Client Version: v1.33.0" },
            exists: (f) => files.includes(f),
            writableDir: (d) => dirs.includes(d),
        });
        expect(adoptPrerequisites(args, probe({}))).to.deep.equal([]);
        expect(adoptPrerequisites(args, probe({ "helm version": { ok: false, out: "" }, "kubectl version": { ok: false, out: "" } }, [], []))).to.deep.equal([
            "helm is not on PATH: adopt reads the mesh's Helm releases with helm 3 (install it: https://helm.sh/docs/intro/install/)",
            "kubectl is not on PATH: adopt reads the cluster with kubectl (install it: https://kubernetes.io/docs/tasks/tools/)",
            "--kubeconfig /k: no such file",
            "--dir /out: not a directory adopt can write to; create it or pick another",
        ]);
        expect(adoptPrerequisites(args, probe({ "helm version": { ok: true, out: "v2.17.0+ga690bad" } }))).to.deep.equal(["helm v2.17.0+ga690bad is not helm 3: adopt needs helm 3 (https://helm.sh/docs/intro/install/)"]);
        expect(adoptPrerequisites(args, probe({ "kubectl config": { ok: true, out: "dev\n" } }))).to.deep.equal(["--context prod: no such context in /k (its contexts: dev)"]);
        // The command stops before reading anything.
        const printed: string[] = [];
        const code = adoptCommand(["--stack=a"], { prerequisites: () => ["kubectl is not on PATH"], run: () => { throw new Error("must not run"); }, exists: () => false, write: () => undefined, print: (t) => printed.push(t), now: () => new Date(0) });
        expect(code).to.equal(2);
        expect(printed).to.deep.equal(["adopt cannot start:\n  - kubectl is not on PATH"]);
    });
});
