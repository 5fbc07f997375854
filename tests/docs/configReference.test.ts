/**
 * The README's configuration reference lists every key the config schema accepts, and no key
 * it does not: derived from the schemas themselves, so a key added to the code without a line in
 * the reference (or the reverse) fails here.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { z } from "zod";
import { clusterSchema, meshSchema } from "../../components/config/schema";
import { aksClusterSchema } from "../../components/config/aks";
import { REPO } from "../support/fixtures";

interface Def {
    readonly type: string;
    readonly shape?: Record<string, z.ZodType>;
    readonly innerType?: z.ZodType;
    readonly options?: readonly z.ZodType[];
    readonly out?: z.ZodType;
}
const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

/** The object shapes a schema may take (optional, pipes and unions looked through). */
function shapes(s: z.ZodType): Record<string, z.ZodType>[] {
    const d = defOf(s);
    if ((d.type === "optional" || d.type === "nullable" || d.type === "default") && d.innerType) return shapes(d.innerType);
    if (d.type === "pipe" && d.out) return shapes(d.out);
    if (d.type === "union" && d.options) return d.options.flatMap(shapes);
    if (d.type === "object" && d.shape) return [d.shape];
    return [];
}
const keysOf = (s: z.ZodType) => [...new Set(shapes(s).flatMap((sh) => Object.keys(sh)))].sort();

const README = fs.readFileSync(path.join(REPO, "README.md"), "utf8");

/** The rows of the first table under `heading`: first-cell keys (`a`, `b` in one cell) -> the row. */
function table(heading: string): Map<string, string> {
    const at = README.indexOf(`\n${heading}\n`);
    expect(at, heading).to.be.greaterThan(-1);
    const rows = new Map<string, string>();
    let inTable = false;
    for (const line of README.slice(at + heading.length + 2).split("\n")) {
        if (line.startsWith("|")) {
            inTable = true;
            const first = line.split(/(?<!\\)\|/)[1] ?? "";
            for (const m of first.matchAll(/`([A-Za-z]+)`/g)) rows.set(m[1], line);
        } else if (inTable || line.startsWith("#")) {
            break;
        }
    }
    return rows;
}

describe("README: the configuration reference covers every key of the schema", () => {
    it("istio-mesh:mesh: one row per key, exactly the schema's", () => {
        expect([...table("### `istio-mesh:mesh`").keys()].sort()).to.deep.equal(keysOf(meshSchema));
    });

    it("istio-mesh:cluster (kind existing): one row per key, exactly the schema's", () => {
        const existing = shapes(clusterSchema).find((sh) => !Object.hasOwn(sh, "resourceGroup"))!;
        expect([...table("### `istio-mesh:cluster`").keys()].sort()).to.deep.equal(Object.keys(existing).sort());
    });

    it("istio-mesh:cluster (kind aks): the AKS table has every key but kind (documented with the cluster block)", () => {
        expect([...table("### The cluster block (`kind: aks`)").keys(), "kind"].sort()).to.deep.equal(keysOf(aksClusterSchema));
    });

    it("each block of istio-mesh:mesh names each of its own keys in its row", () => {
        const rows = table("### `istio-mesh:mesh`");
        for (const key of keysOf(meshSchema)) {
            const own = keysOf(meshSchema.shape[key as keyof typeof meshSchema.shape] as z.ZodType);
            for (const sub of own) {
                expect(rows.get(key), `mesh.${key}.${sub}`).to.match(new RegExp(`\\b${sub}\\b`));
            }
        }
    });

    it("the table parser sees a missing key (the test can fail)", () => {
        const rows = table("### `istio-mesh:mesh`");
        expect(rows.has("probe")).to.equal(true);
        expect(rows.has("noSuchKey")).to.equal(false);
    });
});
