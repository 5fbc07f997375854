/**
 * The runbook view (planSteps) of the ambient stacks: the ambient and Gateway API steps in the
 * program's order, no sidecar step for a namespace that runs no proxy, the checks to make by hand.
 */
import { expect } from "chai";
import { parseStackConfig } from "../../components/config/stackConfig";
import { planSteps } from "../../components/plan/steps";
import { MeshState, stateOf } from "../../components/state/deployed";
import { stackFile } from "../support/fixtures";

const FILES = ["01-pieces", "02-waypoint", "03-bookinfo-ambient", "04-canary", "05-promote", "06-complete"];

function chain(): string[][] {
    let prev: MeshState | undefined;
    return FILES.map((f) => {
        const s = stateOf(parseStackConfig(stackFile(`ambient/${f}`)), prev?.baseVersion);
        const steps = planSteps(prev, s);
        prev = s;
        return steps;
    });
}

describe("ambient: the plan's steps for the ambient runbook", () => {
    const steps = chain();
    const index = (list: string[], re: RegExp) => {
        const i = list.findIndex((s) => re.test(s));
        expect(i, `${re} in\n${list.join("\n")}`).to.be.greaterThan(-1);
        return i;
    };

    it("step 1: CRDs first, ztunnel after istiod and CNI, one CNI install (no duplicate), the ztunnel check", () => {
        const s = steps[0];
        expect(index(s, /^Install the Gateway API CRDs v1\.4\.1/)).to.equal(0);
        expect(index(s, /^Install ztunnel 1\.29\.6/)).to.be.greaterThan(index(s, /^Install control plane revision 1-29-6/));
        expect(index(s, /^Install ztunnel/)).to.be.greaterThan(index(s, /^Install Istio CNI/));
        expect(s.filter((x) => /istio-cni .*profile ambient/i.test(x))).to.deep.equal([]);
        index(s, /^Check by hand: ztunnel 1\.29\.6 runs on every node .* before any namespace moves to ambient/);
        index(s, /^Create gateway bookinfo\/web \(Gateway, class istio\) with istio\.io\/rev=prod-stable/);
    });

    it("step 2: the waypoint, then the binding, then the check", () => {
        expect(steps[1]).to.have.length(3);
        expect(steps[1][0]).to.match(/^Create waypoint bookinfo\/waypoint/);
        expect(steps[1][1]).to.match(/^Label namespace bookinfo istio\.io\/use-waypoint=waypoint/);
        expect(steps[1][2]).to.match(/^Check by hand: waypoint bookinfo\/waypoint is Programmed/);
    });

    it("step 3: label, restart without sidecars, check no sidecar is left; no sidecar restart step", () => {
        expect(steps[2][0]).to.match(/^Label namespace bookinfo istio\.io\/dataplane-mode=ambient and remove istio\.io\/rev/);
        expect(steps[2][1]).to.match(/^Restart the workloads of namespace bookinfo: they come back without sidecars/);
        expect(steps[2][2]).to.match(/^Check by hand: no pod of namespace bookinfo still has a sidecar/);
        expect(steps[2].filter((s) => /onto 1-29-6/.test(s))).to.deep.equal([]);
    });

    it("step 5: payments restarts onto the new revision, bookinfo does not; ztunnel in place; the waypoint and gateway redeployed by the new istiod", () => {
        const s = steps[4];
        index(s, /^Restart the workloads of namespace payments onto 1-30-3/);
        expect(s.filter((x) => /^Restart the workloads of namespace bookinfo/.test(x))).to.deep.equal([]);
        index(s, /^Upgrade ztunnel in place 1\.29\.6 -> 1\.30\.3, connected to istiod-1-30-3/);
        index(s, /^Waypoint bookinfo\/waypoint follows prod-stable: istiod 1-30-3 redeploys its pods \(was 1-29-6\)/);
        index(s, /^Gateway bookinfo\/web follows prod-stable: istiod 1-30-3 redeploys its pods/);
    });

    it("a sidecar-only mesh gets no ambient step (the classic runbook is unchanged)", () => {
        let prev: MeshState | undefined;
        for (const f of ["01-install", "02-canary", "03-promote", "04-complete"]) {
            const s = stateOf(parseStackConfig(stackFile(f)), prev?.baseVersion);
            expect(planSteps(prev, s).filter((x) => /ztunnel|waypoint|Gateway API|dataplane-mode|Check by hand/.test(x)), f).to.deep.equal([]);
            prev = s;
        }
    });
});
