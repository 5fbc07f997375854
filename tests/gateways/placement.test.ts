/** Gateway placements Kubernetes cannot honour (host ports bound twice on one node), and a canary budget that is one for all its Deployments. */
import { expect } from "chai";
import { meshIssues } from "../support/fixtures";

const base = { revisions: [{ version: "1.29.6" }, { version: "1.30.3" }], tags: { stable: "1-29-6", canary: "1-30-3" }, defaultRevision: "stable" };
const gw = (g: Record<string, unknown>) => meshIssues({ ...base, gateways: { "istio-ingressgateway": g } });
const oneNode = { nodeSelector: { "kubernetes.io/hostname": "edge-1" }, hostNetwork: true, netBindService: true };
const P = "istio-mesh:mesh.gateways.istio-ingressgateway";

describe("gateways: placements Kubernetes cannot honour", () => {
    const rows: { name: string; gateway: Record<string, unknown>; issues: RegExp[] }[] = [
        // One budget for the gateway, the program's (tests/gateways/options.test.ts), not one per release.
        { name: "a PDB on a canary gateway with two entries", gateway: { canary: { stable: { replicas: 2 }, canary: { replicas: 2 } }, podDisruptionBudget: { minAvailable: 1 } }, issues: [] },
        { name: "a PDB on a canary gateway with one entry", gateway: { canary: { stable: { replicas: 2 } }, podDisruptionBudget: { minAvailable: 1 } }, issues: [] },
        {
            name: "hostNetwork on one node, two serving canary entries",
            gateway: { canary: { stable: {}, canary: {} }, ...oneNode },
            issues: [new RegExp(`^${P}\\.hostNetwork: with hostNetwork on one node \\(nodeSelector kubernetes\\.io/hostname\\), 2 canary Deployments would bind the same host ports`)],
        },
        { name: "hostNetwork on one node, one canary entry serving", gateway: { canary: { stable: {}, canary: { replicas: 0 } }, ...oneNode }, issues: [] },
        { name: "hostNetwork, two canary entries, any node", gateway: { canary: { stable: {}, canary: {} }, hostNetwork: true, netBindService: true }, issues: [] },
        {
            name: "hostNetwork on one node with a surging rollout",
            gateway: { revision: "stable", ...oneNode, replicas: 1, strategy: { maxUnavailable: 0, maxSurge: 1 } },
            issues: [new RegExp(`^${P}\\.hostNetwork: .*strategy\\.maxSurge: 1 makes every rollout wait for a node that never frees`)],
        },
        { name: "hostNetwork on one node with two replicas", gateway: { revision: "stable", ...oneNode, replicas: 2 }, issues: [new RegExp(`^${P}\\.hostNetwork: .*replicas: 2 leaves all but one Pending`)] },
        { name: "hostNetwork on one node, one replica and the default rollout", gateway: { revision: "stable", ...oneNode, replicas: 1 }, issues: [] },
        // The default is two replicas: on one node the second could never bind the ports.
        { name: "hostNetwork on one node, the default replicas", gateway: { revision: "stable", ...oneNode }, issues: [/replicas: 2 leaves all but one Pending/] },
    ];
    for (const row of rows) {
        it(`${row.name}: ${row.issues.length === 0 ? "accepted" : "a config error naming the field"}`, () => {
            const issues = gw(row.gateway);
            expect(issues.length, issues.join("\n")).to.equal(row.issues.length);
            row.issues.forEach((re, i) => expect(issues[i]).to.match(re));
        });
    }
});
