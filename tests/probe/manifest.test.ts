/**
 * The probe's Deployment as the API server receives it (pure builder, manifest.ts): what each
 * field is for is said beside it. The program run that registers it is in probe.test.ts.
 */
import { expect } from "chai";
import { PROBE_CONTAINER, PROBE_MARK, PROBE_NAME, PROBE_SCRIPT, PROBE_SELECTOR, probeDeployment } from "../../components/probe/manifest";
import { parseMesh } from "../support/fixtures";

const probeOf = (extra: Record<string, unknown> = {}) =>
    parseMesh({ revisions: [{ version: "1.30.3" }], tags: { "prod-stable": "1-30-3" }, namespaces: { probe: { revision: "prod-stable", create: true } }, probe: { namespace: "probe", url: "http://x.example/", ...extra } }).probe!;

describe("probe: the Deployment", () => {
    it("is exactly this: selector labels, proxy held until ready, the loop with values from the environment, small and unprivileged", () => {
        const labels = { "app.kubernetes.io/name": "istio-mesh-probe", "app.kubernetes.io/managed-by": "istio-mesh" };
        expect(probeDeployment(probeOf({ intervalSeconds: 0.5, timeoutSeconds: 3, replicas: 2, image: "registry.example/curl:1" }))).to.deep.equal({
            metadata: { name: "istio-mesh-probe", namespace: "probe", labels },
            spec: {
                replicas: 2,
                // `npm run probe` selects the pods by this label (PROBE_SELECTOR).
                selector: { matchLabels: { "app.kubernetes.io/name": "istio-mesh-probe" } },
                template: {
                    metadata: { labels, annotations: { "proxy.istio.io/config": '{"holdApplicationUntilProxyStarts":true}' } },
                    spec: {
                        terminationGracePeriodSeconds: 5,
                        containers: [
                            {
                                name: "probe",
                                image: "registry.example/curl:1",
                                command: ["/bin/sh", "-c", PROBE_SCRIPT],
                                env: [
                                    { name: "PROBE_URL", value: "http://x.example/" },
                                    { name: "PROBE_INTERVAL", value: "0.5" },
                                    { name: "PROBE_TIMEOUT", value: "3" },
                                ],
                                resources: { requests: { cpu: "10m", memory: "16Mi" }, limits: { memory: "64Mi" } },
                                securityContext: { allowPrivilegeEscalation: false, runAsNonRoot: true, runAsUser: 100, capabilities: { drop: ["ALL"] } },
                            },
                        ],
                    },
                },
            },
        });
        expect([PROBE_NAME, PROBE_CONTAINER, PROBE_MARK]).to.deep.equal(["istio-mesh-probe", "probe", "istio-mesh-probe"]);
        expect(PROBE_SELECTOR).to.deep.equal({ "app.kubernetes.io/name": "istio-mesh-probe" });
    });

    it("the script reads every value from the environment it is given, and prints the record line report.ts parses", () => {
        for (const v of ["$PROBE_URL", "$PROBE_INTERVAL", "$PROBE_TIMEOUT"]) expect(PROBE_SCRIPT).to.include(`"${v}"`);
        expect(PROBE_SCRIPT).to.include(`-w '${PROBE_MARK} %{http_code} %{time_total} %{exitcode}\\n'`);
        expect(PROBE_SCRIPT.split("\n")[0]).to.equal("trap 'exit 0' TERM INT");
    });
});
