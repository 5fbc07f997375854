/**
 * The sentences a newcomer reads for a bad stack config, by exact value: every branch of
 * messages.ts (wrong kinds of value, YAML's unquoted numbers and yes/no values, empty entries,
 * misspelt keys, unions, enum near-misses, limits) through the real schema, and through a small
 * schema for the wrappers the real one does not use yet (nullable, default, readonly, refine).
 * Pure: no Pulumi mocks.
 */
import { expect } from "chai";
import { z } from "zod";
import { describeIssues, nearMiss, rootProblem } from "../../components/config/messages";
import { topLevelKeyIssues } from "../../components/config/topLevelKeys";
import { configIssues } from "../support/fixtures";

const ONE = { version: "1.29.6" };

/** "path: message" lines for a mesh block (with one valid revision unless it sets its own). */
function meshIssues(mesh: Record<string, unknown>, cluster?: unknown): string[] {
    const raw: Record<string, unknown> = { "istio-mesh:mesh": { revisions: [ONE], ...mesh } };
    if (cluster !== undefined) raw["istio-mesh:cluster"] = cluster;
    return configIssues(raw);
}

const M = "istio-mesh:mesh";

describe("config: messages, by exact sentence", () => {
    describe("empty values (a key left blank in YAML)", () => {
        const cases: [string, Record<string, unknown>, string][] = [
            ["a required list", { revisions: null }, `${M}.revisions: empty; revisions is required: the list of Istio releases to run, e.g. \`revisions: [{version: 1.30.3}]\`, or \`- version: 1.30.3\` lines under \`revisions:\``],
            ["a list entry", { revisions: [null] }, `${M}.revisions[0]: empty list entry; write \`- version: 1.30.3\` (optionally with \`name:\` and \`values:\`) or remove the \`-\``],
            ["a map entry", { namespaces: { a: null } }, `${M}.namespaces.a: empty; write a tag or revision name, or a map with \`revision:\`, e.g. \`bookinfo: prod-stable\` or \`bookinfo: {revision: prod-stable, create: true}\`, or remove a`],
            ["a map entry with no sentence of its own", { namespaces: { a: { revision: "x", labels: { k: null } } } }, `${M}.namespaces.a.labels.k: empty; write a value, or remove k`],
            ["an optional map", { tags: null }, `${M}.tags: empty; write {} or remove it`],
            ["an optional map with an example", { controlPlane: null }, `${M}.controlPlane: empty; write {} or remove it`],
            ["an optional value", { defaultRevision: null }, `${M}.defaultRevision: empty; write a value, e.g. \`defaultRevision: prod-stable\` or remove it`],
            ["a canary entry", { gateways: { g: { canary: { x: null } } } }, `${M}.gateways.g.canary.x: empty; write a map with \`replicas:\`, e.g. \`prod-stable: {replicas: 2}\`, or remove x`],
            ["a Service port entry", { gateways: { g: { service: { ports: [null] } } } }, `${M}.gateways.g.service.ports[0]: empty list entry; write \`- {name: http2, port: 80, targetPort: 8080}\` or remove the \`-\``],
            ["an empty string", { hub: "" }, `${M}.hub: empty; write a value or remove hub`],
            ["an enum", { management: null }, `${M}.management: empty; write one of: helm, aks-addon`],
        ];
        for (const [what, mesh, line] of cases) {
            it(what, () => expect(meshIssues(mesh)).to.deep.equal([line]));
        }
    });

    describe("numbers and booleans", () => {
        const cases: [string, unknown, string][] = [
            ["a quoted whole number", " 2 ", "a number, not text: write it without quotes: 2"],
            ["a quoted signed decimal", "-2.5", "a number, not text: write it without quotes: -2.5"],
            ["text that only contains digits", "x2", 'must be a whole number (e.g. 2), not "x2"'],
            ["digits followed by text", "2x", 'must be a whole number (e.g. 2), not "2x"'],
            ["digits with a text fraction", "2.x", 'must be a whole number (e.g. 2), not "2.x"'],
            ["an empty string", "", 'must be a whole number (e.g. 2), not ""'],
            ["a fraction", 2.5, "must be a whole number, not 2.5"],
            ["a map", {}, "must be a whole number (e.g. 2), not a map"],
            ["a list", [], "must be a whole number (e.g. 2), not a list"],
        ];
        for (const [what, replicas, message] of cases) {
            it(`replicas: ${what}`, () => expect(meshIssues({ controlPlane: { replicas } })).to.deep.equal([`${M}.controlPlane.replicas: ${message}`]));
        }

        const bools: [unknown, string][] = [
            [" TRUE ", "write true without quotes (a yes/no value, not text)"],
            ["False", "write false without quotes (a yes/no value, not text)"],
            ["truex", 'must be true or false, not "truex"'],
            ["xtrue", 'must be true or false, not "xtrue"'],
            [" Yes", 'write true or false, not " Yes"'],
            ["off", 'write true or false, not "off"'],
            ["yesno", 'must be true or false, not "yesno"'],
            ["ayes", 'must be true or false, not "ayes"'],
            [1, "must be true or false, not 1"],
        ];
        for (const [wait, message] of bools) {
            it(`a yes/no value written as ${JSON.stringify(wait)}`, () => expect(meshIssues({ restarts: { wait } })).to.deep.equal([`${M}.restarts.wait: ${message}`]));
        }

        it("limits name the bound and the value", () => {
            expect(meshIssues({ restarts: { timeoutSeconds: 0 } })).to.deep.equal([`${M}.restarts.timeoutSeconds: must be at least 1, not 0`]);
            expect(meshIssues({ gateways: { g: { canary: { x: { replicas: -1 } } } } })).to.deep.equal([`${M}.gateways.g.canary.x.replicas: must be at least 0, not -1`]);
        });
    });

    describe("YAML's unquoted text", () => {
        const cases: [string, Record<string, unknown>, string][] = [
            ["a whole number for a name", { namespaces: { a: 5 } }, `${M}.namespaces.a: write it quoted: "5" (YAML reads 5 without quotes as a number)`],
            ["a yes/no value for a name", { namespaces: { a: true } }, `${M}.namespaces.a: write it quoted: "true" (YAML reads true without quotes as a yes/no value, not text)`],
            ["false for a tag's revision", { tags: { k: false } }, `${M}.tags.k: write it quoted: "false" (YAML reads false without quotes as a yes/no value, not text)`],
            ["a number in a map's long form", { namespaces: { a: { revision: 5 } } }, `${M}.namespaces.a.revision: write it quoted: "5" (YAML reads 5 without quotes as a number)`],
            ["a decimal that lost its zero", { namespaces: { a: { revision: "x", labels: { k: 1.5 } } } }, `${M}.namespaces.a.labels.k: write it quoted, exactly as you mean it (YAML reads it without quotes as the number 1.5, dropping trailing zeros)`],
            ["1.30 read as 1.3", { revisions: [{ version: 1.3 }] }, `${M}.revisions[0].version: write it quoted: "1.30.3" (YAML reads 1.30 as the number 1.3; a version is a full release MAJOR.MINOR.PATCH, or MAJOR.MINOR "1.30" with management: aks-addon)`],
            ["1.25 (no zero lost)", { revisions: [{ version: 1.25 }] }, `${M}.revisions[0].version: write it quoted: "1.25.5" (YAML reads 1.25 as the number 1.25; a version is a full release MAJOR.MINOR.PATCH, or MAJOR.MINOR "1.25" with management: aks-addon)`],
            ["1.2 (1.20 is not supported: no zero added)", { revisions: [{ version: 1.2 }] }, `${M}.revisions[0].version: write it quoted: "1.2.0" (YAML reads 1.2 as the number 1.2; a version is a full release MAJOR.MINOR.PATCH, or MAJOR.MINOR "1.2" with management: aks-addon)`],
            ["an unsupported minor", { revisions: [{ version: 1.21 }] }, `${M}.revisions[0].version: write it quoted: "1.21.0" (YAML reads 1.21 as the number 1.21; a version is a full release MAJOR.MINOR.PATCH, or MAJOR.MINOR "1.21" with management: aks-addon)`],
            ["a bare major", { revisions: [{ version: 2 }] }, `${M}.revisions[0].version: write it quoted: "1.30.3" (YAML reads 2 as the number 2; a version is a full release MAJOR.MINOR.PATCH)`],
            ["a number that is no minor", { revisions: [{ version: 11.3 }] }, `${M}.revisions[0].version: write it quoted: "11.3" (YAML reads 11.3 as the number 11.3)`],
            ["a port name read as a number, and a port number quoted", { gateways: { g: { service: { ports: [{ name: 80, port: "80" }] } } } }, `${M}.gateways.g.service.ports[0].name: write it quoted: "80" (YAML reads 80 without quotes as a number)`],
        ];
        for (const [what, mesh, line] of cases) {
            it(what, () => expect(meshIssues(mesh)[0]).to.equal(line));
        }
        it("the quoted port number is reported beside the port name", () => {
            expect(meshIssues({ gateways: { g: { service: { ports: [{ name: 80, port: "80" }] } } } })[1]).to.equal(`${M}.gateways.g.service.ports[0].port: a number, not text: write it without quotes: 80`);
        });
    });

    describe("lists and maps of the wrong shape", () => {
        const cases: [string, Record<string, unknown>, string][] = [
            ["revisions as one version", { revisions: "1.29.6" }, `${M}.revisions: must be a list: write \`- version: 1.29.6\` under revisions:`],
            ["revisions as one map", { revisions: { version: "1.28.1" } }, `${M}.revisions: must be a list: write \`- version: 1.28.1\` under revisions:`],
            ["revisions as one map with a number", { revisions: { version: 1.28 } }, `${M}.revisions: must be a list: write \`- version: 1.30.3\` under revisions:`],
            ["revisions as a number", { revisions: 5 }, `${M}.revisions: must be a list: write \`- version: 1.30.3\` under revisions:`],
            ["a revision as a bare version", { revisions: ["1.29.6"] }, `${M}.revisions[0]: write \`- version: 1.29.6\` (a revision is a map with a version)`],
            ["a revision as 1.3", { revisions: [1.3] }, `${M}.revisions[0]: write \`- version: "1.30.3"\` (a revision is a map with a version)`],
            ["a revision as 1.25", { revisions: [1.25] }, `${M}.revisions[0]: write \`- version: "1.25.5"\` (a revision is a map with a version)`],
            ["a revision as an empty string", { revisions: [""] }, `${M}.revisions[0]: write \`- version: 1.30.3\` (a revision is a map with a version)`],
            ["a revision as a list", { revisions: [[]] }, `${M}.revisions[0]: write \`- version: 1.30.3\` (a revision is a map with a version)`],
            ["a map written as a list", { restarts: [] }, `${M}.restarts: must be a map (key: value lines), not a list: remove the \`- \` before each entry, e.g. \`restarts: {wait: true, timeoutSeconds: 300}\``],
            ["namespaces written as a list", { namespaces: ["a"] }, `${M}.namespaces: must be a map (key: value lines), not a list: remove the \`- \` before each entry, e.g. \`namespaces: {bookinfo: prod-stable}\``],
            ["a namespace as a list", { namespaces: { a: ["x"] } }, `${M}.namespaces.a: must be a tag or revision name, or a map with \`revision:\`, not a list, e.g. \`bookinfo: prod-stable\` or \`bookinfo: {revision: prod-stable, create: true}\``],
            ["a list of names as a string", { cni: { excludeNamespaces: "kube-system" } }, `${M}.cni.excludeNamespaces: must be a list (lines starting with \`- \`), not "kube-system"`],
        ];
        for (const [what, mesh, line] of cases) {
            it(what, () => expect(meshIssues(mesh)).to.deep.equal([line]));
        }
    });

    describe("keys: missing, misspelt, unknown", () => {
        it("a misspelt required key is one sentence, per entry", () => {
            expect(meshIssues({ namespaces: { a: { revison: "x" }, b: { revisoin: "y" } } })).to.deep.equal([
                `${M}.namespaces.a.revison: unknown key; did you mean \`revision\`? (revision is required)`,
                `${M}.namespaces.b.revisoin: unknown key; did you mean \`revision\`? (revision is required)`,
            ]);
        });
        it("a misspelling is matched to the missing key, another misspelt key to the optional key it passes for", () => {
            expect(meshIssues({ revisions: [{ verison: "1.29.6", nmae: "x" }] })).to.deep.equal([
                `${M}.revisions[0].verison: unknown key; did you mean \`version\`? (version is required)`,
                `${M}.revisions[0].nmae: unknown key; did you mean \`name\`?`,
            ]);
        });
        it("an unknown key is matched to no key written beside it, and to none far from it", () => {
            expect(meshIssues({ revisions: [{ version: "1.29.6", name: "x", nmae: "y" }] })).to.deep.equal([`${M}.revisions[0].nmae: unknown key; remove it or fix its spelling`]);
            expect(meshIssues({ revisions: [{ version: "1.29.6", zzzz: "y" }] })).to.deep.equal([`${M}.revisions[0].zzzz: unknown key; remove it or fix its spelling`]);
        });
        it("an unknown key with a look-alike character names the key it passes for and the code point", () => {
            expect(meshIssues({ revisions: [{ version: "1.29.6" }], "t\u0430gs": {} })).to.deep.equal([
                `${M}.t\u0430gs: unknown key; did you mean \`tags\`? ("t\u0430gs" contains U+0430 (Cyrillic small a, looks like "a") at character 2; retype it in plain ASCII)`,
            ]);
            expect(meshIssues({ revisions: [{ version: "1.29.6", "n\u0430me": "x" }] })[0]).to.match(/revisions\[0\]\.n\u0430me: unknown key; did you mean `name`\? .*U\+0430/);
        });
        it("a missing key with no misspelling names what belongs there", () => {
            expect(meshIssues({ revisions: [{ name: "x" }] })).to.deep.equal([`${M}.revisions[0].version: version is required: a full Istio release, e.g. \`version: 1.30.3\``]);
            expect(meshIssues({ namespaces: { a: {} } })).to.deep.equal([`${M}.namespaces.a.revision: revision is required: the tag or revision the namespace follows, e.g. \`{revision: prod-stable}\``]);
        });
        it("an unknown key at the top of the mesh block", () => {
            expect(meshIssues({ revison: [] })).to.deep.equal([`${M}.revison: unknown key; remove it or fix its spelling`]);
        });
    });

    describe("allowed values", () => {
        const cases: [string, Record<string, unknown>, unknown, string][] = [
            ["a case slip", { management: "HELM" }, undefined, `${M}.management: "HELM" is not allowed; write one of: helm, aks-addon (did you mean helm?)`],
            ["a typo", { management: "aks-adon" }, undefined, `${M}.management: "aks-adon" is not allowed; write one of: helm, aks-addon (did you mean aks-addon?)`],
            ["nothing close", { management: "zzz" }, undefined, `${M}.management: "zzz" is not allowed; write one of: helm, aks-addon`],
            ["a number", { management: 5 }, undefined, `${M}.management: 5 is not allowed; write one of: helm, aks-addon`],
            ["a cluster kind", {}, { kind: "gke" }, `istio-mesh:cluster.kind: "gke" is not allowed; write one of: existing, aks`],
            ["a cluster kind in capitals", {}, { kind: "AKS" }, `istio-mesh:cluster.kind: "AKS" is not allowed; write one of: existing, aks (did you mean aks?)`],
            ["an empty cluster kind", {}, { kind: null }, `istio-mesh:cluster.kind: empty; write one of: existing, aks`],
            ["an mTLS mode in lower case", { mtls: "strict" }, undefined, `${M}.mtls: "strict" is not allowed; write one of: STRICT, PERMISSIVE, DISABLE (did you mean STRICT?)`],
            ["an mTLS mode as a list", { mtls: [] }, undefined, `${M}.mtls: a list is not allowed; write one of: STRICT, PERMISSIVE, DISABLE`],
            ["an mTLS map with a bad mode", { mtls: { mode: "X" } }, undefined, `${M}.mtls.mode: "X" is not allowed; write one of: STRICT, PERMISSIVE, DISABLE`],
        ];
        for (const [what, mesh, cluster, line] of cases) {
            it(what, () => expect(meshIssues(mesh, cluster)).to.deep.equal([line]));
        }
    });

    describe("through a schema with every wrapper (describeIssues)", () => {
        const schema = z.strictObject({
            a: z.number().int().max(5).nullable().optional(),
            b: z.array(z.string()).max(1).default([]),
            c: z.strictObject({ d: z.boolean() }).readonly().optional(),
            e: z.preprocess((v) => v, z.strictObject({ f: z.string() })).optional(),
            g: z.string().refine((s) => s !== "bad", "g may not be bad").optional(),
            h: z.string().refine((s) => s !== "bad").optional(),
            i: z.record(z.string(), z.array(z.number())).optional(),
            j: z.union([z.number(), z.boolean()]).optional(),
            k: z.string().max(2).optional(),
            m: z.strictObject({ req: z.string(), reqb: z.string() }).optional(),
            n: z.array(z.string()).max(3).optional(),
            o: z.string().min(3).optional(),
            p: z.array(z.string()).min(2).optional(),
        });
        const lines = (value: unknown): string[] => {
            const r = schema.safeParse(value);
            expect(r.success, "the value must be invalid").to.equal(false);
            return describeIssues("root", schema, value, r.error!.issues).map((i) => `${i.path}: ${i.message}`);
        };
        const cases: [string, unknown, string[]][] = [
            ["a number over its maximum", { a: 6 }, ["root.a: must be at most 5, not 6"]],
            ["a quoted number under nullable", { a: "7" }, ["root.a: a number, not text: write it without quotes: 7"]],
            ["a list over its maximum (one entry)", { b: ["x", "y"] }, ["root.b: must list at most 1 entry, not 2"]],
            ["a list over its maximum", { n: ["a", "b", "c", "d"] }, ["root.n: must list at most 3 entries, not 4"]],
            ["a string over its maximum", { k: "abc" }, ["root.k: must be at most 2 characters long, not 3"]],
            ["a string under its minimum", { o: "ab" }, ["root.o: must be at least 3 characters long, not 2"]],
            ["an empty string under its minimum", { o: "" }, ["root.o: empty; write a value or remove o"]],
            ["a list under its minimum", { p: ["a"] }, ["root.p: must list at least 2 entries, not 1"]],
            ["an empty list under its minimum", { p: [] }, ["root.p: empty; write a value or remove p"]],
            ["null under a default is required", { b: null }, ["root.b: empty; b is required"]],
            ["a list entry of the wrong kind under a default", { b: [1] }, ['root.b[0]: write it quoted: "1" (YAML reads 1 without quotes as a number)']],
            ["inside readonly", { c: { d: "yes" } }, ['root.c.d: write true or false, not "yes"']],
            ["readonly left empty", { c: null }, ["root.c: empty; write {} or remove it"]],
            ["readonly as a list", { c: [] }, ["root.c: must be a map (key: value lines), not a list: remove the `- ` before each entry"]],
            ["inside a preprocess pipe", { e: { f: 1 } }, ['root.e.f: write it quoted: "1" (YAML reads 1 without quotes as a number)']],
            ["a pipe given text", { e: "x" }, ['root.e: must be a map (key: value), not "x"']],
            ["a refinement's own message", { g: "bad" }, ["root.g: g may not be bad"]],
            ["a refinement without a message never shows zod's words", { h: "bad" }, ['root.h: "bad" is not valid here']],
            ["a list inside a map", { i: { x: [1, "2"] } }, ["root.i.x[1]: a number, not text: write it without quotes: 2"]],
            ["an empty map value", { i: { x: null } }, ["root.i.x: empty; write a value, or remove x"]],
            ["an empty list entry in a map", { i: { x: [null] } }, ["root.i.x[0]: empty list entry; write a value or remove the `-`"]],
            ["a union of number and boolean given text", { j: "s" }, ['root.j: must be a whole number (e.g. 2), not "s"']],
            ["a union left empty", { j: null }, ["root.j: empty; write a value or remove it"]],
            ["two missing keys and an unrelated unknown key", { m: { rq: "x" } }, ["root.m.rq: unknown key; remove it or fix its spelling", "root.m.req: req is required", "root.m.reqb: reqb is required"]],
            ["the misspelling goes to the key it is near", { m: { req: "x", rqeb: "y", zzzzzz: 1 } }, ["root.m.rqeb: unknown key; did you mean `reqb`? (reqb is required)", "root.m.zzzzzz: unknown key; remove it or fix its spelling"]],
            ["a required key left empty", { m: { req: null, reqb: "x" } }, ["root.m.req: empty; req is required"]],
            ["the root not a map", 5, ["root: must be a map of settings, not 5"]],
            ["the root a list", [], ["root: must be a map (key: value lines), not a list: remove the `- ` before each entry"]],
        ];
        for (const [what, value, expected] of cases) {
            it(what, () => expect(lines(value)).to.deep.equal(expected));
        }

        it("an issue zod may add later never shows zod's wording", () => {
            const issue = { code: "invalid_format", format: "email", path: ["g"], message: "Invalid email address", input: "x" } as unknown as z.core.$ZodIssue;
            expect(describeIssues("root", schema, { g: "x" }, [issue])).to.deep.equal([{ path: "root.g", message: '"x" is not valid here' }]);
            const tooSmall = { code: "too_small", origin: "number", minimum: 3, path: ["a"], message: "Too small: expected number to be >=3", input: "x" } as unknown as z.core.$ZodIssue;
            expect(describeIssues("root", schema, { a: "x" }, [tooSmall])).to.deep.equal([{ path: "root.a", message: "must be at least 3" }]);
        });

        it("a list under a list has no key to name: the sentence says `this value`", () => {
            const nested = z.array(z.array(z.string().min(1)));
            const value = [[""]];
            const r = nested.safeParse(value);
            expect(describeIssues("root", nested, value, r.error!.issues)).to.deep.equal([{ path: "root[0][0]", message: "empty; write a value or remove this value" }]);
        });

        it("the same sentence at the same path is reported once", () => {
            const r = schema.safeParse({ a: 6 });
            const twice = [...r.error!.issues, ...r.error!.issues];
            expect(describeIssues("root", schema, { a: 6 }, twice)).to.deep.equal([{ path: "root.a", message: "must be at most 5, not 6" }]);
        });
    });

    describe("where a value sits is found through every wrapper (schemasAt)", () => {
        // A map entry's sentence comes from WHAT["tags.*"] only when the walk reaches the record,
        // and "is required" only when it reaches the object that requires the key.
        const TAG_ENTRY = "root.tags.k: empty; write a revision name, e.g. `prod-stable: 1-30-3`, or remove k";
        const REQUIRED = "root.m.req: empty; req is required";
        const LIST_REQUIRED = "root.list[0].req: empty; req is required";
        const tags = z.record(z.string(), z.string());
        const m = z.strictObject({ req: z.string() });
        const wrappers: [string, (s: z.ZodType) => z.ZodType][] = [
            ["optional", (s) => s.optional()],
            ["nullable", (s) => s.nullable()],
            ["default", (s) => s.default({})],
            ["readonly", (s) => s.readonly()],
            ["a preprocess pipe", (s) => z.preprocess((v) => v, s)],
            ["a union with a number", (s) => z.union([s, z.number()])],
            ["nullable inside optional", (s) => s.nullable().optional()],
        ];
        const sentences = (schema: z.ZodType, value: unknown): string[] => {
            const r = schema.safeParse(value);
            expect(r.success, "the value must be invalid").to.equal(false);
            return describeIssues("root", schema, value, r.error!.issues).map((i) => `${i.path}: ${i.message}`);
        };
        for (const [what, wrap] of wrappers) {
            it(`a record under ${what}`, () => expect(sentences(z.strictObject({ tags: wrap(tags) }), { tags: { k: null } })).to.deep.equal([TAG_ENTRY]));
            it(`a required key under ${what}`, () => expect(sentences(z.strictObject({ m: wrap(m) }), { m: { req: null } })).to.deep.equal([REQUIRED]));
        }
        it("a required key in a list entry", () => {
            expect(sentences(z.strictObject({ list: z.array(m) }), { list: [{ req: null }] })).to.deep.equal([LIST_REQUIRED]);
            expect(sentences(z.strictObject({ list: z.array(m.readonly()).optional() }), { list: [{ req: null }] })).to.deep.equal([LIST_REQUIRED]);
        });
        it("a list index never matches a map key, nor a key a list", () => {
            // An object keyed "0" is not a list entry: the key is not found in the schema, so optional.
            expect(sentences(z.strictObject({ list: z.record(z.string(), m) }), { list: { 0: { req: null } } })).to.deep.equal(["root.list.0.req: empty; req is required"]);
            expect(sentences(z.strictObject({ list: z.array(m) }), { list: [{ req: 5 }] })).to.deep.equal(['root.list[0].req: write it quoted: "5" (YAML reads 5 without quotes as a number)']);
        });
    });

    describe("rootProblem: the top-level value is not a map", () => {
        it("the mesh block gets the minimal config", () => {
            expect(rootProblem(true, 5)).to.equal(
                "must be a map of settings, not 5; the minimal config is `istio-mesh:mesh: {revisions: [{version: 1.30.3}]}` in the stack file's config: (or: pulumi config set --path 'istio-mesh:mesh.revisions[0].version' 1.30.3)",
            );
            expect(rootProblem(true, "x")).to.match(/^must be a map of settings, not "x"; the minimal config is /);
            expect(rootProblem(true, [])).to.match(/^must be a map of settings, not a list; /);
        });
        it("the cluster block gets its own example; a map is no problem", () => {
            expect(rootProblem(false, null)).to.equal("empty; e.g. `istio-mesh:cluster: {kind: existing, context: prod}`, or remove it");
            expect(rootProblem(false, true)).to.equal("must be a map of settings, not true; e.g. `istio-mesh:cluster: {kind: existing, context: prod}`, or remove it");
            expect(rootProblem(false, {})).to.equal(undefined);
            expect(rootProblem(true, { revisions: [] })).to.equal(undefined);
        });
    });

    describe("topLevelKeyIssues: keys of the stack's config map", () => {
        const KNOWN = ["istio-mesh:cluster", "istio-mesh:mesh"];
        const check = (keys: string[]) => topLevelKeyIssues(keys, "istio-mesh", KNOWN);
        const LIST = "the keys are istio-mesh:cluster and istio-mesh:mesh";

        it("the program's own keys and other providers' keys are not reported", () => {
            expect(check(["istio-mesh:mesh", "istio-mesh:cluster", "kubernetes:context", "pulumi:template", "azure-native:location"])).to.deep.equal({ issues: [], meant: new Set() });
        });
        it("a --path shorthand written as a key", () => {
            expect(check(["istio-mesh:mesh.revisions"])).to.deep.equal({
                issues: [{ path: "istio-mesh:mesh.revisions", message: "`istio-mesh:mesh.revisions` is a config path (pulumi config set --path), not a key: in the stack file write `istio-mesh:mesh:`, with `revisions:` nested under it" }],
                meant: new Set(["istio-mesh:mesh"]),
            });
        });
        it("a key without its namespace, or with a misspelt one", () => {
            const { issues, meant } = check(["mesh", "cluster.kind.x", "isito-mesh:mesh", "istio.mesh:cluster", "Istio-Mesh:mesh.x.y", "istiomesh:cluster.kind"]);
            expect(issues).to.deep.equal([
                { path: "Istio-Mesh:mesh.x.y", message: "write the key as `istio-mesh:mesh`, with `x:` nested under it (the program reads keys in the istio-mesh: namespace)" },
                { path: "cluster.kind.x", message: "write the key as `istio-mesh:cluster`, with `kind:` nested under it (the program reads keys in the istio-mesh: namespace)" },
                { path: "isito-mesh:mesh", message: "write the key as `istio-mesh:mesh` (the program reads keys in the istio-mesh: namespace)" },
                { path: "istio.mesh:cluster", message: "write the key as `istio-mesh:cluster` (the program reads keys in the istio-mesh: namespace)" },
                { path: "istiomesh:cluster.kind", message: "write the key as `istio-mesh:cluster`, with `kind:` nested under it (the program reads keys in the istio-mesh: namespace)" },
                { path: "mesh", message: "write the key as `istio-mesh:mesh` (the program reads keys in the istio-mesh: namespace)" },
            ]);
            expect(meant).to.deep.equal(new Set(["istio-mesh:mesh", "istio-mesh:cluster"]));
        });
        it("a misspelt key in our namespace, and keys nothing is close to", () => {
            expect(check(["istio-mesh:mehs", "istio-mesh:zzz", "zzz", "istio_mesh:foo"])).to.deep.equal({
                issues: [
                    { path: "istio-mesh:mehs", message: `unknown key; did you mean \`istio-mesh:mesh\`? ${LIST}` },
                    { path: "istio-mesh:zzz", message: `unknown key; ${LIST}` },
                    { path: "istio_mesh:foo", message: `unknown key; ${LIST}` },
                    { path: "zzz", message: `unknown key; ${LIST}` },
                ],
                meant: new Set(["istio-mesh:mesh"]),
            });
        });
        it("a provider's own key that shares a name with ours is the provider's", () => {
            expect(check(["kubernetes:cluster", "kubernetes:namespace", "command:x"]).issues).to.deep.equal([]);
        });
        it("our key under another namespace (istio:mesh) stands for ours: reported once, as unknown, with the fix", () => {
            const { issues, meant } = check(["istio:mesh", "mesh-istio:cluster.kind", "kubernetes:mesh"]);
            expect(issues).to.deep.equal([
                { path: "istio:mesh", message: "unknown key (wrong namespace istio:): write the key as `istio-mesh:mesh`; the program reads istio-mesh:cluster and istio-mesh:mesh" },
                { path: "kubernetes:mesh", message: "unknown key (wrong namespace kubernetes:): write the key as `istio-mesh:mesh`; the program reads istio-mesh:cluster and istio-mesh:mesh" },
                { path: "mesh-istio:cluster.kind", message: "unknown key (wrong namespace mesh-istio:): write the key as `istio-mesh:cluster`, with `kind:` nested under it; the program reads istio-mesh:cluster and istio-mesh:mesh" },
            ]);
            expect(meant).to.deep.equal(new Set(["istio-mesh:mesh", "istio-mesh:cluster"]));
        });
        it("a key of a namespace nothing reads is unknown, like every unknown key", () => {
            expect(check(["foo:bar"]).issues).to.deep.equal([
                { path: "foo:bar", message: "unknown key: nothing in this program reads the foo: namespace (istio-mesh:cluster and istio-mesh:mesh are its keys; its providers read kubernetes:, azure-native:, command:, pulumi:); remove it or fix its namespace" },
            ]);
        });
    });

    describe("nearMiss", () => {
        const cases: [string, string, boolean][] = [
            ["helm", "HELM", true], // case only, even when short
            ["abc", "abd", false], // short names need the same letters
            ["abcd", "abce", true],
            ["revision", "revison", true],
            ["revision", "revisoin", true], // a swap is two edits
            ["revision", "rvsion", true],
            ["revision", "rvson", false], // three edits
            ["namespace", "namespaces-x", false], // more than two letters longer
            ["gateway", "gatewayss", true],
            ["mesh", "mehs", true],
            ["kind", "knd", false], // the shorter one has three letters
        ];
        for (const [a, b, expected] of cases) {
            it(`${a} ~ ${b}: ${expected}`, () => {
                expect(nearMiss(a, b)).to.equal(expected);
                expect(nearMiss(b, a)).to.equal(expected);
            });
        }
    });
});
