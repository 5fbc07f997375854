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
