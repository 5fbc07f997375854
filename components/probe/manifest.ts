/**
 * The probe's Deployment: one container running a shell loop around curl that prints one line
 * per request, `istio-mesh-probe <http code> <seconds> <curl exit code>`. kubelet timestamps
 * each line (`kubectl logs --timestamps`), so the line itself carries no clock. The log is the
 * record: `npm run probe` reads it back (components/probe/report.ts). Pure.
 */
import { ProbeConfig } from "./config";

/** First word of every record line; anything else in the log is not a record. */
export const PROBE_MARK = "istio-mesh-probe";
export const PROBE_NAME = "istio-mesh-probe";
export const PROBE_CONTAINER = "probe";
/** The label `npm run probe` selects the probe's pods by. */
export const PROBE_SELECTOR = { "app.kubernetes.io/name": PROBE_NAME } as const;

/**
 * The loop. `-w` prints even when curl fails (code 000 then, with its exit code: 7 refused,
 * 28 timed out, 52 empty reply, 56 reset). TERM ends it at once: sh as PID 1 would ignore it.
 * Values come from the environment, never from the script's text.
 */
export const PROBE_SCRIPT = [
    "trap 'exit 0' TERM INT",
    "while true; do",
    `  curl -s -o /dev/null --max-time "$PROBE_TIMEOUT" -w '${PROBE_MARK} %{http_code} %{time_total} %{exitcode}\\n' "$PROBE_URL"`,
    '  sleep "$PROBE_INTERVAL" & wait $!',
    "done",
].join("\n");

export function probeDeployment(probe: ProbeConfig) {
    const labels = { ...PROBE_SELECTOR, "app.kubernetes.io/managed-by": "istio-mesh" };
    return {
        metadata: { name: PROBE_NAME, namespace: probe.namespace, labels },
        spec: {
            replicas: probe.replicas,
            selector: { matchLabels: { ...PROBE_SELECTOR } },
            template: {
                metadata: {
                    labels,
                    // The app starts once its proxy is ready, or its first requests fail for nothing.
                    annotations: { "proxy.istio.io/config": JSON.stringify({ holdApplicationUntilProxyStarts: true }) },
                },
                spec: {
                    terminationGracePeriodSeconds: 5,
                    containers: [
                        {
                            name: PROBE_CONTAINER,
                            image: probe.image,
                            command: ["/bin/sh", "-c", PROBE_SCRIPT],
                            env: [
                                { name: "PROBE_URL", value: probe.url },
                                { name: "PROBE_INTERVAL", value: String(probe.intervalSeconds) },
                                { name: "PROBE_TIMEOUT", value: String(probe.timeoutSeconds) },
                            ],
                            resources: { requests: { cpu: "10m", memory: "16Mi" }, limits: { memory: "64Mi" } },
                            securityContext: { allowPrivilegeEscalation: false, runAsNonRoot: true, runAsUser: 100, capabilities: { drop: ["ALL"] } },
                        },
                    ],
                },
            },
        },
    };
}
