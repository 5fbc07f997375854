/**
 * Round trip: a mesh as the program itself would have installed it (releases carrying the
 * program's own values, tags, labelled namespaces) is adopted back into the same config, with
 * nothing blocked and no value the first up would change. Random configs (fast-check).
 */
import { expect } from "chai";
import * as fc from "fast-check";
import { HelmListEntry, KubeObject, LiveMesh } from "../../components/adopt/live";
import { adoptMesh } from "../../components/adopt/mapping";
import { verifyAdoption } from "../../components/adopt/verify";
import { defaultRevisionOf, JsonMap, MeshConfig } from "../../components/config/model";
import { parseStackConfig } from "../../components/config/stackConfig";
import { baseValues, istiodValues } from "../../components/helm/values";
import { baseVersionFor } from "../../components/state/deployed";
import { tagServiceName, tagWebhookName } from "../../components/tags/webhooks";

const VERSIONS = ["1.22.8", "1.23.6", "1.27.9", "1.28.10", "1.29.6", "1.30.3"];

const arbMesh = fc
    .record({
        versions: fc.uniqueArray(fc.constantFrom(...VERSIONS), { minLength: 1, maxLength: 3 }),
        replicas: fc.integer({ min: 1, max: 3 }),
        autoscale: fc.boolean(),
        minReplicas: fc.integer({ min: 1, max: 3 }),
        extraMax: fc.integer({ min: 0, max: 3 }),
        pdb: fc.oneof(fc.record({ minAvailable: fc.integer({ min: 0, max: 2 }) }), fc.record({ maxUnavailable: fc.integer({ min: 1, max: 2 }) })),
        accessLog: fc.boolean(),
        rawEnv: fc.boolean(),
        tagged: fc.boolean(),
        hub: fc.constantFrom(undefined, "registry.example.com/istio"),
    })
    .map((a) => {
        const names = a.versions.map((v) => v.replaceAll(".", "-"));
        const mesh: JsonMap = {
            revisions: a.versions.map((version, i) => ({ version, ...(a.rawEnv && i === 0 ? { values: { env: { PILOT_TRACE_SAMPLING: "10" } } } : {}) })),
            ...(a.tagged ? { tags: { stable: names[0] } } : {}),
            defaultRevision: a.tagged ? "stable" : names[names.length - 1],
            namespaces: { shop: a.tagged ? "stable" : names[0], web: "default" },
            ...(a.hub === undefined ? {} : { hub: a.hub }),
            controlPlane: {
                replicas: a.replicas,
                autoscaling: { enabled: a.autoscale, minReplicas: a.minReplicas, maxReplicas: a.minReplicas + a.extraMax },
                pdb: a.pdb,
                ...(a.accessLog ? { meshConfig: { accessLogFile: "/dev/stdout" } } : {}),
            },
        };
        return mesh;
    });

/** The cluster the program would have made for `config` (what `helm list` / `kubectl get` then show). */
function installedBy(config: MeshConfig): LiveMesh {
    const ns = config.namespace;
    const base = baseVersionFor(config);
    const releases: HelmListEntry[] = [
        { name: "istio-base", namespace: ns, revision: "1", status: "deployed", chart: `base-${base}` },
        ...config.revisions.map((r) => ({ name: `istiod-${r.name}`, namespace: ns, revision: "1", status: "deployed", chart: `istiod-${r.version}` })),
    ];
    const values: Record<string, JsonMap> = {
        [`${ns}/istio-base`]: baseValues(config, base, defaultRevisionOf(config)),
        ...Object.fromEntries(config.revisions.map((r) => [`${ns}/istiod-${r.name}`, istiodValues(config, config.controlPlane, r)])),
    };
    const tags = { ...config.tags, default: defaultRevisionOf(config) };
    const obj = (name: string, labels: Record<string, string>, namespace?: string): KubeObject => ({ metadata: { name, ...(namespace === undefined ? {} : { namespace }), labels } });
    const versionOf = (rev: string) => config.revisions.find((r) => r.name === rev)!.version;
    return {
        namespace: ns,
        releases,
        values,
        mutatingWebhookConfigurations: Object.entries(tags).map(([tag, rev]) => obj(tagWebhookName(tag, ns), { "istio.io/tag": tag, "istio.io/rev": rev })),
        namespaces: [obj(ns, {}), ...config.namespaces.map((n) => obj(n.name, { "istio.io/rev": n.revision }))],
        services: Object.entries(tags)
            .filter(([, rev]) => Number(versionOf(rev).split(".")[1]) >= 28)
            .map(([tag, rev]) => obj(tagServiceName(tag), { "istio.io/tag": tag, "istio.io/rev": rev }, ns)),
        deployments: config.revisions.map((r) => ({ metadata: { name: `istiod-${r.name}`, namespace: ns, labels: { app: "istiod", "istio.io/rev": r.name }, annotations: { "meta.helm.sh/release-name": `istiod-${r.name}`, "meta.helm.sh/release-namespace": ns } } })),
    };
}

describe("adopt: what the program installed adopts back into the same config", () => {
    it("no blocker, no change, same revisions, tags, default revision and namespaces (random configs)", () => {
        fc.assert(
            fc.property(arbMesh, (raw) => {
                const original = parseStackConfig({ "istio-mesh:mesh": raw });
                const live = installedBy(original);
                const adoption = adoptMesh(live);
                const checked = verifyAdoption(live, adoption);
                const problems = [...adoption.findings, ...checked.findings].filter((f) => f.kind === "blocker" || f.kind === "change");
                expect(problems, JSON.stringify(raw)).to.deep.equal([]);
                const adopted = checked.config!;
                expect(adopted.revisions, "revisions").to.deep.equal(original.revisions);
                expect(adopted.tags, "tags").to.deep.equal(original.tags);
                expect(defaultRevisionOf(adopted), "default revision").to.equal(defaultRevisionOf(original));
                expect(adopted.namespaces.map((n) => [n.name, n.revision]), "namespaces").to.deep.equal(original.namespaces.map((n) => [n.name, n.revision]));
                expect(adopted.hub).to.equal(original.hub);
            }),
            { numRuns: 150 },
        );
    });
});
