/**
 * Behaviours no test pinned before (each one a mutant every test survived): each assertion
 * below fails if the named line is changed.
 */
import { expect } from "chai";
import { proxyRevision } from "../../components/dataplane/inUse";
import { parseLine } from "../../components/probe/report";
import { PROBE_MARK, probeDeployment } from "../../components/probe/manifest";
import { isProgramFile } from "../../components/review/select";
import { code } from "../../components/review/comment";
import { meshIssues, parseMesh } from "../support/fixtures";

const pod = (labels: Record<string, string>, annotations: Record<string, string> = {}) => ({ namespace: "shop", name: "web", phase: "Running", labels, annotations });

describe("tests that can fail: behaviours every mutant used to survive", () => {
    it("in-use check: a pod opted out of injection (label or annotation sidecar.istio.io/inject: \"false\") runs no proxy, though it carries istio.io/rev", () => {
        const tags = new Map<string, string>();
        expect(proxyRevision(pod({ "istio.io/rev": "1-29-6" }), tags), "the control: counted").to.equal("1-29-6");
        expect(proxyRevision(pod({ "istio.io/rev": "1-29-6", "sidecar.istio.io/inject": "false" }), tags)).to.equal(undefined);
        expect(proxyRevision(pod({ "istio.io/rev": "1-29-6" }, { "sidecar.istio.io/inject": "false" }), tags)).to.equal(undefined);
        expect(proxyRevision(pod({ "istio.io/rev": "1-29-6", app: "istiod" }), tags), "istiod itself").to.equal(undefined);
        expect(proxyRevision(pod({ "istio.io/rev": "1-29-6", "sidecar.istio.io/inject": "true" }), tags), "only \"false\" opts out").to.equal("1-29-6");
    });

    it("the probe's container runs as non-root, without privilege escalation, all capabilities dropped", () => {
        const probe = parseMesh({ revisions: [{ version: "1.30.3" }], tags: { "prod-stable": "1-30-3" }, namespaces: { probe: { revision: "prod-stable", create: true } }, probe: { namespace: "probe", url: "http://x.example/" } }).probe;
        expect(probe).to.not.equal(undefined);
        const containers = (probeDeployment(probe!) as any).spec.template.spec.containers as { securityContext: Record<string, unknown> }[];
        for (const c of containers) {
            expect(c.securityContext).to.deep.include({ runAsNonRoot: true, allowPrivilegeEscalation: false });
            expect(c.securityContext.capabilities).to.deep.equal({ drop: ["ALL"] });
        }
    });

    it("the probe log line is anchored at both ends: a prefix or trailing words make it no record", () => {
        const good = `2026-11-24T10:00:00.5Z ${PROBE_MARK} 200 0.004 0`;
        expect(parseLine(good)).to.not.equal(undefined);
        expect(parseLine(`x ${good}`), "anything before the timestamp").to.equal(undefined);
        expect(parseLine(`${good} trailing`), "anything after the exit code").to.equal(undefined);
        expect(parseLine(`${good}   `), "trailing blanks are fine").to.not.equal(undefined);
    });

    it("Prometheus durations are anchored: a valid duration with a prefix or suffix is refused", () => {
        const mesh = (retention: string) => ({ revisions: [{ version: "1.30.3" }], addons: { prometheus: { retention } } });
        expect(meshIssues(mesh("15d")), "the control").to.deep.equal([]);
        expect(meshIssues(mesh("1h30m"))).to.deep.equal([]);
        for (const bad of ["x15d", "15dx", "15d 1h", "15", "d"]) {
            expect(meshIssues(mesh(bad)).join("\n"), bad).to.include(`"${bad}" is not a Prometheus duration`);
        }
    });

    it("stack selection: .npmrc is a program file (it changes what npm ci installs), like package-lock.json", () => {
        expect(isProgramFile(".npmrc")).to.equal(true);
        expect(isProgramFile("./.npmrc")).to.equal(true);
        expect(isProgramFile("docs/.npmrc")).to.equal(false);
    });

    it("the comment's code(): a backtick in a file name cannot end the code span", () => {
        expect(code("Pulumi.`rm`.yaml")).to.equal("`Pulumi.'rm'.yaml`");
    });
});
