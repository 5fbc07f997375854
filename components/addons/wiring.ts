/**
 * The add-ons' part of the control planes' config: with Jaeger on, every istiod (the mesh-wide
 * controlPlane and each revision's own) gets the OTLP tracing provider in its meshConfig.
 * Applied once to the normalized config, so every reader (components, plan, state) sees the
 * meshConfig that is deployed. Pure.
 */
import { MeshConfig } from "../config/model";
import { withAddonMeshConfig } from "./values";

export function wireAddons(config: MeshConfig, issues: { path: string; message: string }[], meshKey = "istio-mesh:mesh"): MeshConfig {
    const addons = config.addons;
    if (addons?.jaeger === undefined) {
        return config;
    }
    const wire = <T extends { readonly meshConfig: Record<string, unknown> }>(cp: T, path: string): T => ({
        ...cp,
        meshConfig: withAddonMeshConfig(cp.meshConfig, addons, (message) => issues.push({ path: `${path}.meshConfig.extensionProviders`, message })),
    });
    return {
        ...config,
        controlPlane: wire(config.controlPlane, `${meshKey}.controlPlane`),
        revisions: config.revisions.map((r) => (r.controlPlane === undefined ? r : { ...r, controlPlane: wire(r.controlPlane, `${meshKey}.revisions.${r.name}.controlPlane`) })),
    };
}
