/** Shared test inputs: stack configs, shared/ paths and small builders. */
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { MeshConfig } from "../../components/config/model";
import { parseStackConfig } from "../../components/config/stackConfig";
import { MeshState, stateOf } from "../../components/state/deployed";

export const REPO = path.resolve(__dirname, "..", "..");
/** The read-only Istio facts and chart files beside the repository. */
export const SHARED = process.env.ISTIO_MESH_SHARED ?? path.resolve(REPO, "..", "shared");

/** The `config:` map of a stack file under stacks/. */
export function stackFile(name: string): Record<string, unknown> {
    return parse(fs.readFileSync(path.join(REPO, "stacks", `${name}.yaml`), "utf8")).config;
}

export type RawMesh = Record<string, unknown>;

/** A config map with the given `istio-mesh:mesh` value. */
export function meshConfigMap(mesh: RawMesh, cluster: Record<string, unknown> = { kind: "existing" }): Record<string, unknown> {
    return { "istio-mesh:cluster": cluster, "istio-mesh:mesh": mesh };
}

export function parseMesh(mesh: RawMesh, cluster?: Record<string, unknown>): MeshConfig {
    return parseStackConfig(meshConfigMap(mesh, cluster));
}

export function state(mesh: RawMesh, previousBase?: string): MeshState {
    return stateOf(parseMesh(mesh), previousBase);
}
