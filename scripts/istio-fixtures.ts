/**
 * Records the Istio facts the unit tests use as fixtures under tests/fixtures/istio, so that a
 * clone of the repository tests on its own (nothing beside it is read by `npm test`):
 *
 * - `<version>/<chart>.defaults.json`: each chart's default values (base, istiod, gateway, cni),
 *   the tree inside values.yaml's `defaults:` / `_internal_defaults_do_not_set:` wrapper, which
 *   is what a user's values are merged over and the keys the program may set;
 * - `<version>/gateway.values.schema.json`: the gateway chart's schema, unchanged;
 * - `<CRD version>/crds.yaml`: the whole CustomResourceDefinitions of the kinds the program emits
 *   (and the e2e tier applies), unchanged documents of the release's crd-all.gen.yaml;
 * - `rendered/<version>/*.yaml`: `helm template` output of the tag webhooks, unchanged;
 * - `SOURCES.md`: where each file comes from (repository, tag, commit, path).
 *
 * The input is a directory laid out like the project's reference copy of the charts
 * (`<version>/{base,istiod,gateway,cni}/values.yaml`, `<version>/crds/crd-all.gen.yaml`,
 * `rendered/`, and a SOURCES.md naming each version's tag and commit).
 *
 *   npm run fixtures:istio -- [--from DIR] [--check]
 *
 * `--check` writes nothing and exits 1 when a fixture differs from what DIR gives (CI runs it
 * when the reference copy is present; without it the check is skipped, never failed).
 */
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";

export const FIXTURES = path.resolve(__dirname, "..", "tests", "fixtures", "istio");
export const CHARTS = ["base", "istiod", "gateway", "cni"] as const;
/** Where each chart lives in istio/istio (the reference copy's directory names are the keys). */
const CHART_PATHS: Record<(typeof CHARTS)[number], string> = {
    base: "manifests/charts/base",
    istiod: "manifests/charts/istio-control/istio-discovery",
    gateway: "manifests/charts/gateway",
    cni: "manifests/charts/istio-cni",
};
/** The CRD kinds kept: what components/ emit (networking.gen.ts, PeerAuthentication, Telemetry). */
export const CRD_KINDS = ["Gateway", "VirtualService", "DestinationRule", "Telemetry", "PeerAuthentication"] as const;
export const CRD_VERSION = "1.30.3";

interface Release {
    readonly version: string;
    readonly tag: string;
    readonly commit: string;
}

/** The tag and commit of each version, from the reference copy's SOURCES.md headings. */
export function releasesOf(sourcesMd: string): Release[] {
    const out: Release[] = [];
    for (const m of sourcesMd.matchAll(/^## (\d+\.\d+\.\d+)\s+\(git tag `([^`]+)`, commit `([0-9a-f]{40})`/gm)) {
        out.push({ version: m[1], tag: m[2], commit: m[3] });
    }
    return out;
}

/** The defaults tree of one values.yaml (inside its wrapper key, when it has one). */
export function defaultsOf(valuesYaml: string): Record<string, unknown> {
    const doc = (parse(valuesYaml) ?? {}) as Record<string, unknown>;
    return (doc.defaults ?? doc._internal_defaults_do_not_set ?? doc) as Record<string, unknown>;
}

/** The documents of a multi-document YAML file whose CRD kind is one of KINDS, text unchanged. */
export function crdDocuments(bundle: string, kinds: readonly string[]): Map<string, string> {
    const out = new Map<string, string>();
    for (const doc of bundle.split(/^---[ \t]*$/m)) {
        const kind = (parse(doc) as { spec?: { names?: { kind?: string } } } | null)?.spec?.names?.kind;
        if (kind !== undefined && kinds.includes(kind)) {
            out.set(kind, doc.replace(/^\n+/, "").replace(/\n*$/, "\n"));
        }
    }
    return out;
}

/** Every fixture file (path relative to FIXTURES → content) that the reference copy at FROM gives. */
export function fixturesFrom(from: string): Map<string, string> {
    const files = new Map<string, string>();
    const releases = releasesOf(fs.readFileSync(path.join(from, "SOURCES.md"), "utf8"));
    if (releases.length === 0) {
        throw new Error(`${path.join(from, "SOURCES.md")} names no release (expected headings "## 1.30.3  (git tag \`1.30.3\`, commit \`<sha>\`")`);
    }
    const rows: string[] = [];
    const src = (r: Release, p: string) => `istio/istio tag ${r.tag} (commit ${r.commit}) ${p}`;
    for (const r of releases) {
        for (const chart of CHARTS) {
            const values = path.join(from, r.version, chart, "values.yaml");
            if (!fs.existsSync(values)) {
                continue;
            }
            const name = `${r.version}/${chart}.defaults.json`;
            const origin = `${CHART_PATHS[chart]}/values.yaml`;
            files.set(name, `${JSON.stringify({ source: src(r, origin), defaults: defaultsOf(fs.readFileSync(values, "utf8")) }, null, 1)}\n`);
            rows.push(`| ${name} | ${r.tag} | ${r.commit} | ${origin} (the tree inside its defaults wrapper, as JSON) |`);
        }
        const schema = path.join(from, r.version, "gateway", "values.schema.json");
        if (fs.existsSync(schema)) {
            files.set(`${r.version}/gateway.values.schema.json`, fs.readFileSync(schema, "utf8"));
            rows.push(`| ${r.version}/gateway.values.schema.json | ${r.tag} | ${r.commit} | manifests/charts/gateway/values.schema.json (unchanged) |`);
        }
    }
    const crdRelease = releases.find((r) => r.version === CRD_VERSION);
    const bundle = path.join(from, CRD_VERSION, "crds", "crd-all.gen.yaml");
    if (crdRelease !== undefined && fs.existsSync(bundle)) {
        const docs = crdDocuments(fs.readFileSync(bundle, "utf8"), CRD_KINDS);
        const missing = CRD_KINDS.filter((k) => !docs.has(k));
        if (missing.length > 0) {
            throw new Error(`${bundle} has no CRD for ${missing.join(", ")}`);
        }
        const origin = "manifests/charts/base/files/crd-all.gen.yaml";
        const head = `# ${src(crdRelease, origin)}: the CRDs of ${CRD_KINDS.join(", ")}, documents unchanged.\n`;
        files.set(`${CRD_VERSION}/crds.yaml`, head + CRD_KINDS.map((k) => docs.get(k)).join("---\n"));
        rows.push(`| ${CRD_VERSION}/crds.yaml | ${crdRelease.tag} | ${crdRelease.commit} | ${origin} (the ${CRD_KINDS.length} CRDs named in its first line) |`);
    }
    const rendered = path.join(from, "rendered");
    if (fs.existsSync(rendered)) {
        for (const version of fs.readdirSync(rendered).sort()) {
            for (const file of fs.readdirSync(path.join(rendered, version)).sort()) {
                files.set(`rendered/${version}/${file}`, fs.readFileSync(path.join(rendered, version, file), "utf8"));
                rows.push(`| rendered/${version}/${file} | ${version} | (see the file's first line) | helm template output, unchanged |`);
            }
        }
    }
    files.set(
        "SOURCES.md",
        [
            "# Sources of tests/fixtures/istio",
            "",
            "Facts the unit tests check the program against, recorded from the public repository",
            "github.com/istio/istio (Apache License 2.0, Copyright Istio Authors) at the tags below.",
            "Generated by `npm run fixtures:istio -- --from <dir>` (scripts/istio-fixtures.ts) from a",
            "reference copy of the charts; `--check` reports any difference. Do not edit by hand.",
            "",
            "| fixture | tag | commit | from |",
            "|---|---|---|---|",
            ...rows,
            "",
        ].join("\n"),
    );
    return files;
}

/** Fixture files that differ from (or are missing in) FIXTURES, and files there that WANT lacks. */
export function differences(want: Map<string, string>, dir = FIXTURES): string[] {
    const out: string[] = [];
    for (const [name, content] of want) {
        const p = path.join(dir, name);
        if (!fs.existsSync(p)) {
            out.push(`missing: ${name}`);
        } else if (fs.readFileSync(p, "utf8") !== content) {
            out.push(`differs: ${name}`);
        }
    }
    const walk = (d: string, rel = ""): string[] =>
        fs.existsSync(d) ? fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(d, e.name), `${rel}${e.name}/`) : [`${rel}${e.name}`])) : [];
    for (const name of walk(dir)) {
        if (!want.has(name)) {
            out.push(`not from the reference copy: ${name}`);
        }
    }
    return out;
}

function main(argv: string[]): number {
    const check = argv.includes("--check");
    const at = argv.indexOf("--from");
    const from = at >= 0 ? argv[at + 1] : path.resolve(__dirname, "..", "..", "shared", "istio");
    if (from === undefined || !fs.existsSync(path.join(from, "SOURCES.md"))) {
        console.log(`istio-fixtures: no reference copy at ${from ?? "(missing --from value)"}; nothing to ${check ? "check" : "write"}.`);
        return 0;
    }
    const want = fixturesFrom(from);
    if (check) {
        const diff = differences(want);
        console.log(diff.length === 0 ? `istio-fixtures: ${want.size} fixtures match ${from}` : diff.join("\n"));
        return diff.length === 0 ? 0 : 1;
    }
    fs.rmSync(FIXTURES, { recursive: true, force: true });
    for (const [name, content] of want) {
        fs.mkdirSync(path.dirname(path.join(FIXTURES, name)), { recursive: true });
        fs.writeFileSync(path.join(FIXTURES, name), content);
    }
    console.log(`istio-fixtures: wrote ${want.size} files under ${path.relative(process.cwd(), FIXTURES)}`);
    return 0;
}

if (require.main === module) {
    process.exitCode = main(process.argv.slice(2));
}
