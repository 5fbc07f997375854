/** stacks/options/field-runbook.yaml: the seed runbook's gateway and CNI, as rendered values. */
import { expect } from "chai";
import { runProgram } from "../../components/plan/mockRun";
import { stackFile } from "../support/fixtures";

const RELEASE = "kubernetes:helm.sh/v3:Release";

describe("gateways: the field runbook's stack file", () => {
    it("renders the runbook's gateway: ClusterIP, three ports, hostNetwork on one node, 100%/0 rollout; CNI excluding its namespaces", async () => {
        const { resources } = await runProgram(stackFile("options/field-runbook"), null);
        const gw = resources.find((r) => r.type === RELEASE && (r.inputs as any).chart === "gateway")!.inputs as any;
        expect(gw).to.deep.include({ name: "istio-ingressgateway", namespace: "istio-ingress", version: "1.30.3" });
        expect(gw.values.service).to.deep.equal({
            type: "ClusterIP",
            ports: [
                { name: "http-envoy-prom", port: 15020, targetPort: 15020, protocol: "TCP" },
                { name: "http2", port: 80, targetPort: 80, protocol: "TCP" },
                { name: "https", port: 443, targetPort: 443, protocol: "TCP" },
            ],
        });
        expect(gw.values).to.deep.include({
            replicaCount: 1,
            nodeSelector: { "kubernetes.io/hostname": "edge-1" },
            strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: "100%", maxSurge: 0 } },
            securityContext: { sysctls: [] },
        });
        expect(gw.values.containerSecurityContext.capabilities.add).to.deep.equal(["NET_BIND_SERVICE"]);
        const patch = resources.find((r) => r.type === "kubernetes:apps/v1:DeploymentPatch")!.inputs as any;
        expect(patch.metadata).to.deep.include({ name: "istio-ingressgateway", namespace: "istio-ingress" });
        expect(patch.spec.template.spec).to.deep.equal({ hostNetwork: true, dnsPolicy: "ClusterFirstWithHostNet" });
        const cni = resources.find((r) => r.type === RELEASE && (r.inputs as any).chart === "cni")!.inputs as any;
        expect(cni.values.excludeNamespaces).to.deep.equal(["kube-system", "istio-system", "monitoring"]);
    });
});
