/**
 * What `adoptMesh` makes of each recorded cluster (tests/adopt/fixtures/<case>/commands.json),
 * whole: the mesh config, every finding with its exact words and fix, the imports, the labelled
 * namespaces. The expected outputs are in tests/adopt/fixtures/<case>/adoption.json, reviewed
 * when written; after an intended change of wording, regenerate them with
 * ISTIO_MESH_WRITE_ADOPTION=1 npx mocha tests/adopt/golden.test.ts and review the diff.
 * mapping.test.ts says why each behaviour is right; this file pins the rest of the text.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { collectLive } from "../../components/adopt/collect";
import { LiveMesh } from "../../components/adopt/live";
import { adoptMesh } from "../../components/adopt/mapping";
import { FIXTURES, recordedRunner } from "./recorded";

const WRITE = process.env.ISTIO_MESH_WRITE_ADOPTION === "1";
const live = (fixture: string) => collectLive(recordedRunner(fixture).run, "istio-system");

const withoutDefaultTag = (l: LiveMesh): LiveMesh => ({ ...l, mutatingWebhookConfigurations: l.mutatingWebhookConfigurations.filter((m) => m.metadata.labels?.["istio.io/tag"] !== "default") });

/** The recorded clusters, and edits of them for the cases no recording shows. */
const CASES: Record<string, () => LiveMesh> = {
    "helm-1.28-1.29": () => live("helm-1.28-1.29"),
    "helm-1.29": () => live("helm-1.29"),
    "istioctl-install": () => live("istioctl-install"),
    "odd-tag-and-labels": () => live("odd-tag-and-labels"),
    "out-of-range": () => live("out-of-range"),
    "helm-1.29-pending-and-renamed-base": () => {
        const l = live("helm-1.29");
        return {
            ...l,
            releases: [
                ...l.releases.map((r) => (r.name === "istio-base" ? { ...r, name: "base" } : r)),
                { name: "istiod", namespace: "istio-system", revision: "4", status: "pending-upgrade", chart: "istiod-1.29.6" },
                { name: "other", namespace: "istio-system", revision: "1", status: "deployed", chart: "cert-manager-1.0.0" },
            ],
            values: { ...l.values, "istio-system/istiod": {} },
        };
    },
    // One of each blocker and remark the recordings do not show, on the 1.28 + 1.29 mesh.
    "helm-1.28-1.29-every-odd-object": () => {
        const l = live("helm-1.28-1.29");
        const wh = (name: string, labels: Record<string, string>, annotations: Record<string, string> = {}) => ({ metadata: { name, labels, annotations } });
        const ns = (name: string, labels: Record<string, string>) => ({ metadata: { name, labels } });
        return {
            ...l,
            releases: [
                ...l.releases,
                { name: "late", namespace: "istio-system", revision: "1", status: "pending-install", chart: "gateway-1.29.6" },
                { name: "old-gw", namespace: "edge", revision: "1", status: "deployed", chart: "gateway-1.21.0" },
                { name: "istio-cni", namespace: "kube-system", revision: "1", status: "deployed", chart: "cni-1.29.6" },
                { name: "istiod-blue", namespace: "istio-system", revision: "1", status: "deployed", chart: "istiod-1.29.6" },
                { name: "istiod-green", namespace: "other-cp", revision: "1", status: "deployed", chart: "istiod-1.29.6" },
                { name: "istio-ingressgateway", namespace: "edge", revision: "1", status: "deployed", chart: "gateway-1.29.6" },
                { name: "lost-gw", namespace: "edge", revision: "1", status: "deployed", chart: "gateway-1.29.6" },
                { name: "big-gw", namespace: "edge", revision: "1", status: "deployed", chart: "gateway-1.29.6" },
            ],
            values: {
                ...l.values,
                "istio-system/istiod-blue": { revision: "red" },
                "other-cp/istiod-green": { revision: "green" },
                "edge/lost-gw": { revision: "nowhere" },
                "edge/big-gw": { replicaCount: 3, labels: { team: "edge" }, podAnnotations: { a: "b" } },
            },
            deployments: [...l.deployments, { metadata: { name: "istiod-legacy", namespace: "istio-system", labels: { app: "istiod", "istio.io/rev": "legacy" } } }],
            mutatingWebhookConfigurations: [
                ...l.mutatingWebhookConfigurations,
                wh("istio-revision-tag-helmtag", { "istio.io/tag": "helmtag", "istio.io/rev": "1-29-6" }, { "meta.helm.sh/release-name": "istiod-1-29-6", "meta.helm.sh/release-namespace": "istio-system" }),
                wh("my-own-tag-webhook", { "istio.io/tag": "misnamed", "istio.io/rev": "1-29-6" }),
                wh("istio-revision-tag-legacy-tag", { "istio.io/tag": "legacy-tag", "istio.io/rev": "legacy" }),
                wh("istio-revision-tag-1-28-10", { "istio.io/tag": "1-28-10", "istio.io/rev": "1-29-6" }),
            ],
            namespaces: [...l.namespaces, ns("istio-system", { "istio.io/rev": "1-29-6" }), ns("jobs", { "istio-injection": "disabled" }), ns("ghost", { "istio.io/rev": "nothing" })],
        } as LiveMesh;
    },
    // No default tag: base's defaultRevision names it, or the only revision is it, or nothing can.
    "helm-1.28-1.29-no-default-tag-base-names-one": () => {
        const l = withoutDefaultTag(live("helm-1.28-1.29"));
        return { ...l, values: { ...l.values, "istio-system/istio-base": { defaultRevision: "1-29-6" } } };
    },
    "helm-1.28-1.29-no-default-tag": () => {
        const l = withoutDefaultTag(live("helm-1.28-1.29"));
        return { ...l, values: { ...l.values, "istio-system/istio-base": { defaultRevision: "1-27-1" } } };
    },
    "helm-1.29-no-default-tag-one-revision": () => {
        const l = withoutDefaultTag(live("helm-1.29"));
        return { ...l, values: { ...l.values, "istio-system/istio-base": {} } };
    },
    "helm-1.28-1.29-base-1.30": () => {
        const l = live("helm-1.28-1.29");
        return { ...l, releases: l.releases.map((r) => (r.name === "istio-base" ? { ...r, chart: "base-1.30.3" } : r)) };
    },
};

describe("adopt: the whole adoption of each recorded cluster", () => {
    for (const [name, make] of Object.entries(CASES)) {
        it(name, () => {
            const file = path.join(FIXTURES, "adoption", `${name}.json`);
            const got = JSON.parse(JSON.stringify(adoptMesh(make())));
            if (WRITE) {
                fs.mkdirSync(path.dirname(file), { recursive: true });
                fs.writeFileSync(file, `${JSON.stringify(got, null, 2)}\n`);
            }
            expect(got).to.deep.equal(JSON.parse(fs.readFileSync(file, "utf8")));
        });
    }
});
