/**
 * Reading the stack output `deployed` back (deployed.ts has the model and the writing side).
 *
 * The read-back is strict: every field is required and unknown fields are errors, because a
 * guessed state (a dropped `namespaces` read as "none") silently switches off the transition
 * rules. The output carries a schema number; older schemas are read through a chain of
 * migrations (see `READERS`). Pure: no Pulumi import.
 */
import { z } from "zod";
import { formatPath } from "../config/errors";
import { DEFAULT_TAG } from "../config/model";
import { UserError } from "../errors";
import { dnsLabelProblem, parseVersion } from "../versions/version";
import { addonMinor } from "../aks/catalogue";
import { MTLS_MODES } from "../security/config";
import { ambientRecordSchema, gatewayApiRecordSchema, recordProblems } from "../ambient/record";
import type { MeshState, MigrationHint } from "./deployed";

/**
 * The schema this program writes (deployed.ts toStackOutput). Bump it when the shape changes,
 * and add the new shape and one migration from the previous one (see `READERS`).
 */
export const STATE_SCHEMA = 4;

/** The deployed output cannot be used: each issue names the field (`deployed.…`) and what is wrong. */
export class DeployedStateError extends UserError {
    constructor(
        public readonly issues: readonly { readonly path: string; readonly message: string }[],
        fix: string = RESTORE,
    ) {
        super(
            `the stack output "deployed" (what the last update deployed, read back to check this change) ` +
                `cannot be used (${issues.length} problem${issues.length === 1 ? "" : "s"}):\n` +
                issues.map((i) => `  - ${i.path}: ${i.message}`).join("\n") +
                `\nNothing was changed. ${fix}`,
        );
        this.name = "DeployedStateError";
    }
}

const OUTPUT = "deployed";

const RESTORE =
    `The transition rules need the real deployed state: guessing it could delete a live revision or namespace. ` +
    `Restore it with \`pulumi stack export --file stack.json\`, putting back the field(s) above in the outputs of the ` +
    `pulumi:pulumi:Stack resource (an earlier checkpoint has them: \`pulumi stack history\` and \`pulumi stack export --version <N>\` ` +
    `on Pulumi Cloud, ~/.pulumi/history/ on a file backend), then \`pulumi stack import --file stack.json\`; ` +
    `or, if you know what is deployed, write the output a stack file of it would give (\`npm run plan\` lists it).`;

const NEWER = `An older istio-mesh must not plan from a state it cannot read: run the newer one (check out or install its release).`;

// ---------------------------------------------------------------------------------------------
// The shapes, one per schema. A released shape is frozen: never edit it, add the next one.

const name = z.string().superRefine((s, ctx) => {
    const p = dnsLabelProblem(s);
    if (p) {
        ctx.addIssue({ code: "custom", message: p });
    }
});
const version = z.string().refine((s) => parseVersion(s) !== undefined, {
    message: "is not a full Istio release (MAJOR.MINOR.PATCH, e.g. \"1.30.3\")",
});

/** Schema 1 (istio-mesh up to issue 13): namespaces without `create`. */
const stateV1 = z.strictObject({
    schema: z.literal(1),
    namespace: name,
    revisions: z.array(z.strictObject({ name, version })).min(1, "has no revision; a deployed mesh always has one"),
    tags: z.record(name, name),
    defaultRevision: name,
    namespaces: z.array(z.strictObject({ name, revision: name })),
    gateways: z.array(z.strictObject({ name, namespace: name, revision: name })),
    baseVersion: version,
});
type StateV1 = z.infer<typeof stateV1>;

/** Schema 2: namespaces record `create`, `deleteWhenRemoved` and `restart`; gateways `restart`. */
const stateV2 = z.strictObject({
    ...stateV1.shape,
    schema: z.literal(2),
    namespaces: z.array(z.strictObject({ name, revision: name, create: z.boolean(), deleteWhenRemoved: z.boolean(), restart: z.boolean() })),
    gateways: z.array(z.strictObject({ name, namespace: name, revision: name, restart: z.boolean(), canaryOf: name.optional() })),
});
type StateV2 = z.infer<typeof stateV2>;

/**
 * Schema 3: `management` (helm | aks-addon). Add-on revisions carry major.minor versions, no
 * default revision ("") and the newest minor as baseVersion; which kind of version is valid
 * depends on `management`, so versions are checked with it (below). The fields as a plain
 * shape, so a later optional field is one line here (a migration only for required ones).
 */
const stateV3Shape = {
    ...stateV2.shape,
    schema: z.literal(3),
    management: z.enum(["helm", "aks-addon"]),
    revisions: z.array(z.strictObject({ name, version: z.string() })).min(1, "has no revision; a deployed mesh always has one"),
    defaultRevision: name.or(z.literal("")),
    baseVersion: z.string(),
    // Optional (issue 10): absent in every state written before them, read as "off"/Istio's default.
    cni: z.strictObject({ namespace: name, version }).optional(),
    mtls: z.strictObject({ mode: z.enum(MTLS_MODES), namespaces: z.record(name, z.enum(MTLS_MODES)) }).optional(),
};
/** Versions by management (schema 3 on): add-on minors, or full Helm releases; "" default revision with the add-on only. */
function checkManagementVersions(s: { management: string; revisions: { version: string }[]; baseVersion: string; defaultRevision: string }, ctx: z.RefinementCtx): void {
    const addon = s.management === "aks-addon";
    const fits = (v: string) => (addon ? addonMinor(v) !== undefined : parseVersion(v) !== undefined);
    const message = addon ? 'is not an add-on minor (MAJOR.MINOR, e.g. "1.30"), as management aks-addon writes' : 'is not a full Istio release (MAJOR.MINOR.PATCH, e.g. "1.30.3")';
    s.revisions.forEach((r, i) => {
        if (!fits(r.version)) ctx.addIssue({ code: "custom", path: ["revisions", i, "version"], message });
    });
    if (!fits(s.baseVersion)) ctx.addIssue({ code: "custom", path: ["baseVersion"], message });
    if ((s.defaultRevision === "") !== addon) {
        ctx.addIssue({ code: "custom", path: ["defaultRevision"], message: addon ? 'must be "" with management aks-addon (the add-on has no default revision)' : "missing (a tag or revision name)" });
    }
}
const stateV3 = z.strictObject(stateV3Shape).superRefine(checkManagementVersions);
type StateV3 = z.infer<typeof stateV3>;

/**
 * Schema 4 (issue 19): each gateway's `kind` and client-facing `serviceType`, and the mesh's
 * image `hub`, so that the rules see changes of them (gatewayStateRules.ts). Required: an
 * older state lacks them, and its migration leaves them unknown.
 */
const stateV4 = z
    .strictObject({
        ...stateV3Shape,
        schema: z.literal(4),
        gateways: z.array(
            z.strictObject({
                ...stateV2.shape.gateways.element.shape,
                kind: z.enum(["ingress", "egress"]),
                serviceType: z.enum(["LoadBalancer", "ClusterIP", "NodePort", "None"]),
            }),
        ),
        hub: z.string().min(1),
        // Optional (issue 24): absent in every state written before them, read as "sidecar mode, nothing ambient" (ambient/record.ts).
        ambient: ambientRecordSchema.optional(),
        gatewayApi: gatewayApiRecordSchema.optional(),
    })
    .superRefine(checkManagementVersions)
    .superRefine((s, ctx) => {
        for (const p of recordProblems(s)) ctx.addIssue({ code: "custom", path: p.path, message: p.message });
    });
export type StateV4 = z.infer<typeof stateV4>;

// ---------------------------------------------------------------------------------------------
// The migrations: schema N -> N+1, pure.

/**
 * Schema 1 -> 2. Schema 1 did not record `create`, and the schema-1 program registered the
 * Namespaces it created without retainOnDelete (removing one from the config deleted it).
 * A namespace still in the next config takes that config's `create` (and deleteWhenRemoved =
 * create: that is what schema 1 did with a created one). A namespace the next config drops (or
 * every namespace, without a hint) is taken as created and deleted on removal: the rules then
 * refuse deleting it unless the operator overrides them.
 */
export function migrate1to2(s: StateV1, hint: MigrationHint | undefined): StateV2 {
    return {
        ...s,
        schema: 2,
        namespaces: s.namespaces.map((n) => {
            const create = hint?.namespaces.get(n.name) ?? true;
            return { name: n.name, revision: n.revision, create, deleteWhenRemoved: create, restart: true };
        }),
        // Schema 1 restarted nothing; restarts are on by default from schema 2.
        gateways: s.gateways.map((g) => ({ ...g, restart: true })),
    };
}

/** Schema 2 -> 3: every schema-2 mesh was installed by Helm (the add-on came with schema 3). */
export function migrate2to3(s: StateV2): StateV3 {
    return { ...s, schema: 3, management: "helm" };
}

/**
 * Schema 3 -> the current shape: schema 3 did not record gateway kinds, Service types nor the
 * hub. They stay unknown (absent), never taken from the next config (that would hide the very
 * change the rules look for); the rules say what they could not check (gatewayStateRules.ts).
 */
export function migrate3to4(s: StateV3): MeshState {
    const { schema: _schema, ...state } = s;
    return state;
}

// ---------------------------------------------------------------------------------------------
// The chain: each schema's reader lifts its shape one migration up to the next schema's reader.
// Adding schema 3: write `stateV3` and `migrate2to3`, add `fromV3` (the current shape -> MeshState),
// make `fromV2` return `fromV3(migrate2to3(s, hint), hint)`, add `[3, ...]` to READERS and bump
// STATE_SCHEMA (toStackOutput, in deployed.ts, then writes StateV3).

function fromV4(s: StateV4, _hint: MigrationHint | undefined): MeshState {
    const { schema: _schema, ...state } = s;
    return state;
}

function fromV3(s: StateV3, _hint: MigrationHint | undefined): MeshState {
    return migrate3to4(s);
}

function fromV2(s: StateV2, hint: MigrationHint | undefined): MeshState {
    return fromV3(migrate2to3(s), hint);
}

function fromV1(s: StateV1, hint: MigrationHint | undefined): MeshState {
    // The next config's create: false is no evidence of the past: had the schema-1 program
    // created the namespace, this update would delete it (its Namespace resource goes). Refused
    // until the state records it; create: true (or a dropped namespace) is taken as created.
    const unknown = s.namespaces.flatMap((n, i) => (hint?.namespaces.get(n.name) === false ? [{ name: n.name, i }] : []));
    if (unknown.length > 0) {
        throw new DeployedStateError(
            unknown.map((u) => ({
                path: formatPath(OUTPUT, ["namespaces", u.i]),
                message:
                    `schema 1 does not record whether the stack created namespace "${u.name}", and the next config says create: false: ` +
                    `had the stack created it, this update would delete it and everything in it`,
            })),
            SCHEMA_1_CREATE,
        );
    }
    return fromV2(migrate1to2(s, hint), hint);
}

const SCHEMA_1_CREATE =
    `Find out which namespaces the stack created: \`pulumi stack --show-urns | grep 'kubernetes:core/v1:Namespace::'\` lists them. ` +
    `Then record it: \`pulumi stack export --file stack.json\`, and in the outputs of the pulumi:pulumi:Stack resource set ` +
    `\`deployed.schema\` to 2, give each of \`deployed.namespaces\` \`create\` (listed above), \`deleteWhenRemoved\` (= create: schema 1 deleted ` +
    `the namespaces it created) and \`restart: true\`, and each of \`deployed.gateways\` \`restart: true\`; then \`pulumi stack import --file stack.json\`. ` +
    `For a namespace the stack did create, keep create: true in the config (or move its workloads first).`;

const READERS: ReadonlyMap<number, (value: unknown, hint: MigrationHint | undefined) => MeshState> = new Map([
    [1, (value: unknown, hint: MigrationHint | undefined) => fromV1(parseShape(stateV1, value), hint)],
    [2, (value: unknown, hint: MigrationHint | undefined) => fromV2(parseShape(stateV2, value), hint)],
    [3, (value: unknown, hint: MigrationHint | undefined) => fromV3(parseShape(stateV3, value), hint)],
    [4, (value: unknown, hint: MigrationHint | undefined) => fromV4(parseShape(stateV4, value), hint)],
]);

/**
 * Reads the `deployed` stack output back. undefined = nothing deployed yet (first update).
 * `hint` (the next config's, see `migrationHintOf`) fills fields an older schema lacks.
 * Throws DeployedStateError (a UserError) for anything that is not a state some istio-mesh
 * wrote: a missing or unknown field, a bad name or version, a dangling reference, a schema
 * newer than this program's.
 */
export function fromStackOutput(value: unknown, hint?: MigrationHint): MeshState | undefined {
    if (value === undefined || value === null) {
        return undefined;
    }
    if (typeof value !== "object" || Array.isArray(value)) {
        throw new DeployedStateError([{ path: OUTPUT, message: `must be an object with a "schema" number, not ${describeValue(value)}` }]);
    }
    const schema: unknown = Object.hasOwn(value, "schema") ? (value as Record<string, unknown>).schema : undefined;
    if (schema === undefined) {
        throw new DeployedStateError([{ path: `${OUTPUT}.schema`, message: `missing (a number, ${STATE_SCHEMA} for this istio-mesh)` }]);
    }
    if (typeof schema !== "number" || !Number.isInteger(schema) || schema < 1) {
        throw new DeployedStateError([{ path: `${OUTPUT}.schema`, message: `${describeValue(schema)} is not a state schema (1 to ${STATE_SCHEMA})` }]);
    }
    if (schema > STATE_SCHEMA) {
        throw new DeployedStateError(
            [{ path: `${OUTPUT}.schema`, message: `${schema}: written by a newer istio-mesh; upgrade istio-mesh (this one reads schemas 1 to ${STATE_SCHEMA})` }],
            NEWER,
        );
    }
    const read = READERS.get(schema);
    if (read === undefined) {
        throw new Error(`internal: no reader for state schema ${schema}`);
    }
    return read(value, hint);
}

/** Common to every schema so far: references resolve, names are unique. */
type Shape = Pick<StateV1, "revisions" | "tags" | "defaultRevision" | "namespaces" | "gateways">;

function parseShape<T extends Shape>(schema: z.ZodType<T>, value: unknown): T {
    const result = schema.safeParse(value);
    if (!result.success) {
        throw new DeployedStateError(result.error.issues.flatMap((issue) => describeIssue(issue, value)));
    }
    const problems = referenceProblems(result.data);
    if (problems.length > 0) {
        throw new DeployedStateError(problems);
    }
    return result.data;
}

function referenceProblems(s: Shape): { path: string; message: string }[] {
    const problems: { path: string; message: string }[] = [];
    const at = (...path: PropertyKey[]) => formatPath(OUTPUT, path);
    const revisions = new Set<string>();
    s.revisions.forEach((r, i) => {
        if (revisions.has(r.name)) {
            problems.push({ path: at("revisions", i, "name"), message: `duplicate revision "${r.name}"` });
        }
        revisions.add(r.name);
    });
    const tags = new Set(Object.keys(s.tags));
    for (const [tag, target] of Object.entries(s.tags)) {
        if (tag === DEFAULT_TAG) {
            problems.push({ path: at("tags", tag), message: `"default" is never a configured tag (defaultRevision drives it)` });
        } else if (!revisions.has(target)) {
            problems.push({ path: at("tags", tag), message: `points at "${target}", which is not a deployed revision` });
        }
    }
    // "" = no default revision (the AKS add-on; schema 3 checks it goes with that management).
    if (s.defaultRevision !== "" && !revisions.has(s.defaultRevision) && !tags.has(s.defaultRevision)) {
        problems.push({ path: at("defaultRevision"), message: `"${s.defaultRevision}" is neither a deployed revision nor a tag` });
    }
    const ref = (kind: "namespaces" | "gateways", items: readonly { name: string; revision: string }[]) => {
        const seen = new Set<string>();
        items.forEach((item, i) => {
            if (seen.has(item.name)) {
                problems.push({ path: at(kind, i, "name"), message: `duplicate ${kind === "namespaces" ? "namespace" : "gateway"} "${item.name}"` });
            }
            seen.add(item.name);
            if (!revisions.has(item.revision) && !tags.has(item.revision) && item.revision !== DEFAULT_TAG) {
                problems.push({ path: at(kind, i, "revision"), message: `"${item.revision}" is neither a deployed revision, a tag nor "default"` });
            }
        });
    };
    ref("namespaces", s.namespaces);
    ref("gateways", s.gateways);
    return problems;
}

/** One zod issue in the words of this output: missing and unknown fields by name. */
function describeIssue(issue: z.core.$ZodIssue, value: unknown): { path: string; message: string }[] {
    if (issue.code === "unrecognized_keys") {
        return issue.keys.map((k) => ({
            path: formatPath(OUTPUT, [...issue.path, k]),
            message: "unknown field (not part of this state schema; a hand edit or a different program wrote it)",
        }));
    }
    const path = formatPath(OUTPUT, issue.path);
    if (issue.code === "invalid_type" && !present(value, issue.path)) {
        return [{ path, message: `missing (${article(issue.expected)} ${issue.expected})` }];
    }
    if (issue.code === "invalid_key") {
        return [{ path, message: `invalid key: ${issue.issues.map((i) => i.message).join("; ")}` }];
    }
    if (issue.code === "invalid_union" && !present(value, issue.path)) {
        return [{ path, message: "missing" }];
    }
    if (issue.code === "invalid_value" && !present(value, issue.path)) {
        return [{ path, message: `missing (one of ${issue.values.join(", ")})` }];
    }
    if (issue.code === "invalid_value" && issue.path.length === 1 && issue.path[0] === "schema") {
        return [{ path, message: `must be ${issue.values.join(" or ")}` }];
    }
    return [{ path, message: issue.message }];
}

/** Whether the field at `path` exists in the raw value (so "missing" is told from "wrong type"). */
function present(value: unknown, path: readonly PropertyKey[]): boolean {
    let here: unknown = value;
    for (const key of path) {
        if (here === null || typeof here !== "object" || !Object.hasOwn(here, key)) {
            return false;
        }
        here = (here as Record<PropertyKey, unknown>)[key];
    }
    return here !== undefined;
}

const article = (word: string) => (/^[aeiou]/.test(word) ? "an" : "a");

function describeValue(v: unknown): string {
    if (Array.isArray(v)) {
        return "a list";
    }
    return v === null ? "null" : typeof v === "string" ? JSON.stringify(v) : typeof v === "object" ? "an object" : `${typeof v} ${String(v)}`;
}
