/** Shared test inputs: stack configs, the recorded Istio fixtures and small builders. */
import { expect } from "chai";
import * as fc from "fast-check";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { ConfigError, ConfigIssue } from "../../components/config/errors";
import { MeshConfig } from "../../components/config/model";
import { parseStackConfig } from "../../components/config/stackConfig";
import { MeshState, stateOf } from "../../components/state/deployed";

export const REPO = path.resolve(__dirname, "..", "..");
/** Istio facts recorded from the charts and CRDs (tests/fixtures/istio/SOURCES.md names each source). */
export const ISTIO_FIXTURES = path.join(REPO, "tests", "fixtures", "istio");

/** The gateway chart's values.schema.json of one Istio version. */
export function gatewaySchema(version: string): Record<string, any> {
    return JSON.parse(fs.readFileSync(path.join(ISTIO_FIXTURES, version, "gateway.values.schema.json"), "utf8"));
}

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

/** The issues a whole config map raises ([] when it parses); anything else thrown fails the test. */
export function configIssueList(raw: Record<string, unknown>, secretKeys?: readonly string[]): readonly ConfigIssue[] {
    try {
        parseStackConfig(raw, secretKeys);
    } catch (e) {
        expect(e).to.be.instanceOf(ConfigError);
        return (e as ConfigError).issues;
    }
    return [];
}

/** The issues a whole config map raises, as "path: message" lines ([] when it parses). */
export function configIssues(raw: Record<string, unknown>, secretKeys?: readonly string[]): string[] {
    return configIssueList(raw, secretKeys).map((i) => `${i.path}: ${i.message}`);
}

/** The issues of a config map with this `istio-mesh:mesh` (and cluster), as "path: message" lines. */
export function meshIssues(mesh: RawMesh, cluster?: Record<string, unknown>): string[] {
    return configIssues(meshConfigMap(mesh, cluster));
}

export function state(mesh: RawMesh, previousBase?: string): MeshState {
    return stateOf(parseMesh(mesh), previousBase);
}

/** What `arbMeshState` draws from: named revisions (so a version can change in place), tags, versions. */
export const ARB = {
    /** 1.27 -> 1.30 skips two minors; every one renders a gateway (1.25.5+). */
    versions: ["1.27.9", "1.28.10", "1.29.6", "1.30.3"],
    revisionNames: ["blue", "green", "amber"],
    tags: ["stable", "canary"],
    controlPlaneNamespaces: ["istio-system", "mesh-system"],
} as const;

/**
 * The choices behind one random state. References are indices resolved against whatever
 * revisions and tags the state has, so any mix of two choices' fields is still a valid config.
 */
interface MeshChoice {
    readonly controlPlane: number;
    readonly revisions: readonly { readonly name: string; readonly version: string }[];
    /** Per tag of ARB.tags: absent, or the index of the revision it points at. */
    readonly tags: readonly (number | null)[];
    /** Index into the tags and revisions (a tag-routed default when it lands on a tag). */
    readonly defaultRevision: number;
    /** Index into tags, revisions and `default`. */
    readonly namespaces: readonly { readonly ref: number; readonly create: boolean; readonly deleteWhenRemoved: boolean; readonly restart: boolean }[];
    /** In place (following one reference), or canary: one Deployment per listed reference. */
    readonly gateways: readonly { readonly ref: number; readonly namespace: number; readonly canary: readonly number[] | null; readonly restart: boolean }[];
    /** Istio CNI: 0 off, 1 in the control-plane namespace, 2 in kube-system (so a move happens). */
    readonly cni: number;
}

const arbChoice: fc.Arbitrary<MeshChoice> = fc.record({
    controlPlane: fc.nat(9),
    revisions: fc.uniqueArray(fc.record({ name: fc.constantFrom(...ARB.revisionNames), version: fc.constantFrom(...ARB.versions) }), {
        minLength: 1,
        maxLength: 3,
        selector: (r) => r.name,
    }),
    tags: fc.array(fc.option(fc.nat(5)), { minLength: ARB.tags.length, maxLength: ARB.tags.length }),
    defaultRevision: fc.nat(10),
    namespaces: fc.array(fc.record({ ref: fc.nat(10), create: fc.boolean(), deleteWhenRemoved: fc.boolean(), restart: fc.boolean() }), { maxLength: 4 }),
    gateways: fc.array(fc.record({ ref: fc.nat(10), namespace: fc.nat(3), canary: fc.option(fc.array(fc.nat(10), { minLength: 1, maxLength: 2 }), { freq: 3 }), restart: fc.boolean() }), {
        maxLength: 2,
    }),
    cni: fc.nat(2),
});

/** The stack config (`istio-mesh:mesh`) of a choice: always valid. */
function meshOf(c: MeshChoice): RawMesh {
    const names = c.revisions.map((r) => r.name);
    const tags = Object.fromEntries(
        ARB.tags.flatMap((tag, i) => (c.tags[i] === null || c.tags[i] === undefined ? [] : [[tag, names[c.tags[i]! % names.length]]])),
    );
    const refs = [...Object.keys(tags), ...names];
    const pick = (i: number, list: readonly string[]) => list[i % list.length];
    return {
        // Mostly the usual namespace: a move is refused, and would hide every other rule.
        namespace: ARB.controlPlaneNamespaces[c.controlPlane === 0 ? 1 : 0],
        revisions: c.revisions.map((r) => ({ name: r.name, version: r.version })),
        tags,
        defaultRevision: pick(c.defaultRevision, refs),
        namespaces: Object.fromEntries(
            c.namespaces.map((n, i) => [
                `ns${i}`,
                n.create
                    ? { revision: pick(n.ref, [...refs, "default"]), create: true, deleteWhenRemoved: n.deleteWhenRemoved, restart: n.restart }
                    : n.restart
                      ? pick(n.ref, [...refs, "default"])
                      : { revision: pick(n.ref, [...refs, "default"]), restart: false },
            ]),
        ),
        ...(c.cni === 0 ? {} : { cni: c.cni === 1 ? { enabled: true } : { enabled: true, namespace: "kube-system" } }),
        gateways: Object.fromEntries(
            c.gateways.map((g, i) => {
                const namespace = g.namespace === 0 ? "ns0" : "istio-ingress";
                if (g.canary === null) {
                    return [`gw${i}`, { revision: pick(g.ref, [...refs, "default"]), namespace, restart: g.restart }];
                }
                return [`gw${i}`, { namespace, restart: g.restart, canary: Object.fromEntries(g.canary.map((r) => [pick(r, [...refs, "default"]), { replicas: 1 }])) }];
            }),
        ),
    };
}

/**
 * Random deployed states: one to three named revisions over 1.27-1.30, up to two tags, a
 * default revision that is a tag or a revision, up to four namespaces (existing or created,
 * deleted when removed or not) and two gateways following a tag, a revision or `default`, in
 * place or as canaries (one Deployment per reference).
 * Always valid configs.
 */
export function arbMeshState(): fc.Arbitrary<MeshState> {
    return arbChoice.map((c) => state(meshOf(c)));
}

/**
 * Random changes FROM -> TO: TO takes each part (revisions, tags, default, namespaces,
 * gateways, control-plane namespace) from FROM or from another random state, so small
 * changes (allowed ones) are as common as sweeping ones. TO's base never goes below FROM's.
 */
export function arbTransition(): fc.Arbitrary<{ from: MeshState; to: MeshState }> {
    const keys = ["controlPlane", "revisions", "tags", "defaultRevision", "namespaces", "gateways", "cni"] as const;
    return fc
        .record({ a: arbChoice, b: arbChoice, changed: fc.subarray([...keys]) })
        .map(({ a, b, changed }) => {
            const mixed = Object.fromEntries(keys.map((k) => [k, changed.includes(k) ? b[k] : a[k]])) as unknown as MeshChoice;
            const from = state(meshOf(a));
            return { from, to: state(meshOf(mixed), from.baseVersion) };
        });
}
