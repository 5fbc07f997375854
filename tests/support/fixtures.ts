/** Shared test inputs: stack configs, shared/ paths and small builders. */
import * as fc from "fast-check";
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

/**
 * Random deployed states over three releases: a `stable` tag, a default revision and up to
 * four namespaces pointing at the tag or straight at a revision. Always valid configs.
 */
export function arbMeshState(): fc.Arbitrary<MeshState> {
    const versions = ["1.28.10", "1.29.6", "1.30.3"];
    return fc
        .record({
            revs: fc.subarray(versions, { minLength: 1 }),
            tagPick: fc.nat(10),
            defPick: fc.nat(10),
            nsPicks: fc.array(fc.nat(10), { maxLength: 4 }),
        })
        .map(({ revs, tagPick, defPick, nsPicks }) => {
            const names = revs.map((v) => v.replace(/\./g, "-"));
            const pick = (i: number) => names[i % names.length];
            return state({
                revisions: revs.map((version) => ({ version })),
                tags: { stable: pick(tagPick) },
                defaultRevision: pick(defPick),
                namespaces: Object.fromEntries(nsPicks.map((p, i) => [`ns${i}`, p % 2 === 0 ? "stable" : pick(p)])),
            });
        });
}
