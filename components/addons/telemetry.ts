/**
 * Mesh-wide tracing: a Telemetry object in the root namespace (the control-plane namespace)
 * naming the Jaeger provider and its sampling percentage. The provider itself is defined in
 * meshConfig (values.ts addonMeshConfig). Pure.
 */
import { Telemetry, TELEMETRY_API_VERSION } from "../istio/networking.gen";
import { TRACING_PROVIDER } from "./values";

export const TELEMETRY_NAME = "istio-mesh-tracing";

export function tracingTelemetry(rootNamespace: string, samplingPercentage: number): Telemetry {
    return {
        apiVersion: TELEMETRY_API_VERSION,
        kind: "Telemetry",
        metadata: { name: TELEMETRY_NAME, namespace: rootNamespace, labels: { "app.kubernetes.io/managed-by": "istio-mesh" } },
        spec: { tracing: [{ providers: [{ name: TRACING_PROVIDER }], randomSamplingPercentage: samplingPercentage }] },
    };
}
