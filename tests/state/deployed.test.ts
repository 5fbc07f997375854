/**
 * The `deployed` stack output read back: strict (every missing or unknown field is an error
 * naming it), versioned (schema 1 migrates to 2, newer schemas are refused), round-trips.
 */
import { expect } from "chai";
import { UserError } from "../../components/errors";
import {
    DeployedStateError,
    fromStackOutput,
    MeshState,
    migrate1to2,
    migrationHintOf,
    STATE_SCHEMA,
    stateOf,
    toStackOutput,
} from "../../components/state/deployed";
import { parseMesh, stackFile, state } from "../support/fixtures";
import { parseStackConfig } from "../../components/config/stackConfig";
import { evaluateTransition } from "../../components/plan/transitions";

type Json = Record<string, any>;

/** A mesh with every kind of field: two revisions, tags, created and existing namespaces, a gateway. */
const MESH = {
    revisions: [{ version: "1.29.6" }, { version: "1.30.3" }],
    tags: { "prod-stable": "1-29-6", "prod-canary": "1-30-3" },
    defaultRevision: "prod-stable",
    namespaces: {
        bookinfo: "prod-canary",
        shop: { revision: "prod-stable", create: true, deleteWhenRemoved: true },
        scratch: { revision: "1-30-3", create: true },
    },
    gateways: { "istio-ingressgateway": { revision: "prod-stable" } },
};

/** What the program writes for MESH, as the engine stores it (JSON). */
const output = (): Json => JSON.parse(JSON.stringify(toStackOutput(state(MESH))));

/** Schema 1 exactly as the schema-1 program wrote it (frozen: `{schema: 1, ...state}`). */
const SCHEMA_1: Json = {
    schema: 1,
    namespace: "istio-system",
    revisions: [
        { name: "1-29-6", version: "1.29.6" },
        { name: "1-30-3", version: "1.30.3" },
    ],
    tags: { "prod-canary": "1-30-3", "prod-stable": "1-29-6" },
    defaultRevision: "prod-stable",
    namespaces: [
        { name: "bookinfo", revision: "prod-canary" },
        { name: "scratch", revision: "1-30-3" },
        { name: "shop", revision: "prod-stable" },
    ],
    gateways: [{ name: "istio-ingressgateway", namespace: "istio-ingress", revision: "prod-stable" }],
    baseVersion: "1.30.3",
};
const schema1 = (): Json => JSON.parse(JSON.stringify(SCHEMA_1));

/** The error fromStackOutput throws for `value` (fails the test when it throws nothing). */
function readError(value: unknown, hint?: Parameters<typeof fromStackOutput>[1]): DeployedStateError {
    try {
        fromStackOutput(value, hint);
    } catch (e) {
        expect(e).to.be.instanceOf(DeployedStateError);
        expect(e).to.be.instanceOf(UserError);
        return e as DeployedStateError;
    }
    expect.fail(`read ${JSON.stringify(value)} without an error`);
}
const issues = (value: unknown) => readError(value).issues.map((i) => `${i.path}: ${i.message}`);

/** Every field path of an output: top-level keys and the keys of the first element of each list. */
function fieldPaths(o: Json): (string | number)[][] {
    const paths: (string | number)[][] = [];
    for (const [k, v] of Object.entries(o)) {
        paths.push([k]);
        if (Array.isArray(v) && v.length > 0) {
            for (const kk of Object.keys(v[0])) {
                paths.push([k, 0, kk]);
            }
        }
    }
    return paths;
}
const show = (path: (string | number)[]) => "deployed" + path.map((p) => (typeof p === "number" ? `[${p}]` : `.${p}`)).join("");
function without(o: Json, path: (string | number)[]): Json {
    const copy = JSON.parse(JSON.stringify(o));
    let here = copy;
    for (const p of path.slice(0, -1)) {
        here = here[p];
    }
    delete here[path[path.length - 1]];
    return copy;
}

describe("state: the deployed output read back", () => {
    it("writes schema 4 with management, and create and deleteWhenRemoved per namespace", () => {
        expect(STATE_SCHEMA).to.equal(4);
        const out = output();
        expect(out.schema).to.equal(4);
        expect(out.management).to.equal("helm");
        expect(out.namespaces).to.deep.equal([
            { name: "bookinfo", revision: "prod-canary", create: false, deleteWhenRemoved: false, restart: true },
            { name: "scratch", revision: "1-30-3", create: true, deleteWhenRemoved: false, restart: true },
            { name: "shop", revision: "prod-stable", create: true, deleteWhenRemoved: true, restart: true },
        ]);
        expect(Object.keys(out).sort()).to.deep.equal(
            ["baseVersion", "defaultRevision", "gateways", "hub", "management", "namespace", "namespaces", "revisions", "schema", "tags"],
        );
    });

    it("round trip: stateOf -> toStackOutput -> (JSON) -> fromStackOutput is the identity", () => {
        const configs = [MESH, ...["01-install", "02-canary", "03-promote", "04-complete"].map((s) => stackFile(s)["istio-mesh:mesh"] as Json)];
        for (const mesh of configs) {
            const s = state(mesh);
            expect(fromStackOutput(JSON.parse(JSON.stringify(toStackOutput(s))))).to.deep.equal(s);
        }
    });

    it("undefined or null: nothing deployed yet", () => {
        expect(fromStackOutput(undefined)).to.equal(undefined);
        expect(fromStackOutput(null)).to.equal(undefined);
    });

    it("a deployed output without `namespaces` is an error (it used to read as 'no namespaces')", () => {
        const out = output();
        delete out.namespaces;
        expect(issues(out)).to.deep.equal(["deployed.namespaces: missing (an array)"]);
        const old = schema1();
        delete old.namespaces;
        expect(issues(old)).to.deep.equal(["deployed.namespaces: missing (an array)"]);
    });

    for (const [label, base] of [
        ["schema 3", output],
        ["schema 1", schema1],
    ] as const) {
        it(`${label}: every missing field is an error naming it`, () => {
            const paths = fieldPaths(base());
            expect(paths.length).to.be.greaterThan(12);
            for (const path of paths) {
                const e = readError(without(base(), path));
                expect(e.message, show(path)).to.include(`${show(path)}: missing`);
                expect(e.message).to.match(/pulumi stack export[\s\S]*pulumi stack import/);
            }
        });

        it(`${label}: an unknown field at any level is an error naming it`, () => {
            for (const at of [[], ["revisions", 0], ["namespaces", 0], ["gateways", 0]] as (string | number)[][]) {
                const o = base();
                let here = o;
                for (const p of at) {
                    here = here[p];
                }
                here.surprise = true;
                expect(issues(o), show(at)).to.deep.equal([`${show([...at, "surprise"])}: unknown field (not part of this state schema; a hand edit or a different program wrote it)`]);
            }
        });
    }

    it("schema 1 never had create/deleteWhenRemoved: they are unknown fields there", () => {
        const o = schema1();
        o.namespaces[0].create = false;
        expect(issues(o)).to.deep.equal(["deployed.namespaces[0].create: unknown field (not part of this state schema; a hand edit or a different program wrote it)"]);
    });

    it("a bad version read back is a UserError naming the field (never an internal error later)", () => {
        const o = output();
        o.baseVersion = "1.30";
        o.revisions[1].version = "latest";
        expect(issues(o)).to.deep.equal([
            `deployed.revisions[1].version: is not a full Istio release (MAJOR.MINOR.PATCH, e.g. "1.30.3")`,
            `deployed.baseVersion: is not a full Istio release (MAJOR.MINOR.PATCH, e.g. "1.30.3")`,
        ]);
    });

    it("wrong types, bad names and dangling references name the field", () => {
        const o = output();
        o.namespaces[0].create = "yes";
        o.gateways[0].name = "Ingress";
        expect(issues(o)).to.have.members([
            "deployed.namespaces[0].create: Invalid input: expected boolean, received string",
            `deployed.gateways[0].name: "Ingress" is not a DNS label: use lower-case letters, digits and '-', starting and ending with a letter or digit (a '.' is never valid: write 1-30-3, not 1.30.3)`,
        ]);
        const r = output();
        r.tags["prod-canary"] = "1-31-0";
        r.defaultRevision = "nope";
        r.namespaces[1].revision = "gone";
        r.gateways.push({ ...r.gateways[0] });
        expect(issues(r)).to.deep.equal([
            `deployed.tags.prod-canary: points at "1-31-0", which is not a deployed revision`,
            `deployed.defaultRevision: "nope" is neither a deployed revision nor a tag`,
            `deployed.namespaces[1].revision: "gone" is neither a deployed revision, a tag nor "default"`,
            `deployed.gateways[1].name: duplicate gateway "istio-ingressgateway"`,
        ]);
        const empty = output();
        empty.revisions = [];
        empty.tags = {};
        empty.defaultRevision = "1-30-3";
        empty.namespaces = [];
        empty.gateways = [];
        expect(issues(empty)[0]).to.equal("deployed.revisions: has no revision; a deployed mesh always has one");
    });

    it("not an object, or no usable schema number: an error naming deployed / deployed.schema", () => {
        expect(issues("oops")).to.deep.equal([`deployed: must be an object with a "schema" number, not "oops"`]);
        expect(issues([1])).to.deep.equal([`deployed: must be an object with a "schema" number, not a list`]);
        const noSchema = output();
        delete noSchema.schema;
        expect(issues(noSchema)).to.deep.equal([`deployed.schema: missing (a number, 4 for this istio-mesh)`]);
        for (const bad of ["2", 0, 1.5, -1]) {
            expect(issues({ ...output(), schema: bad })[0]).to.match(/^deployed\.schema: .* is not a state schema \(1 to 4\)$/);
        }
    });

    it("a newer schema: written by a newer istio-mesh; upgrade istio-mesh", () => {
        for (const schema of [5, 42]) {
            const e = readError({ ...output(), schema, somethingNew: {} });
            expect(e.message).to.include(`deployed.schema: ${schema}: written by a newer istio-mesh; upgrade istio-mesh`);
        }
    });

    describe("migration 1 -> 2", () => {
        it("schema 1 without a hint: every namespace taken as created and deleted on removal (the rules then refuse deleting)", () => {
            const s = fromStackOutput(schema1()) as MeshState;
            expect(s.namespaces).to.deep.equal([
                { name: "bookinfo", revision: "prod-canary", create: true, deleteWhenRemoved: true, restart: true },
                { name: "scratch", revision: "1-30-3", create: true, deleteWhenRemoved: true, restart: true },
                { name: "shop", revision: "prod-stable", create: true, deleteWhenRemoved: true, restart: true },
            ]);
            const { namespaces: _n, schema: _s, gateways: _g, ...rest } = SCHEMA_1;
            const { namespaces: _m, gateways: gateways, management, ...restState } = s;
            // Schema 1 and 2 meshes were all installed by Helm (schema 3 records it).
            expect(management).to.equal("helm");
            expect(restState).to.deep.equal(rest);
            // Schema 1 restarted nothing; from schema 2 gateways roll with their revision by default.
            expect(gateways).to.deep.equal((SCHEMA_1.gateways as Json[]).map((g: Json) => ({ ...g, restart: true })));
        });

        it("schema 1 with the next config's hint: create: true is taken (deleteWhenRemoved = create), dropped ones the conservative default", () => {
            // The next config keeps shop (created), drops scratch and bookinfo.
            const next = parseMesh({ ...MESH, namespaces: { shop: { revision: "prod-stable", create: true }, added: "prod-stable" } });
            const s = fromStackOutput(schema1(), migrationHintOf(next)) as MeshState;
            expect(s.namespaces).to.deep.equal([
                // schema 1 deleted the namespaces it created: deleteWhenRemoved follows create.
                { name: "bookinfo", revision: "prod-canary", create: true, deleteWhenRemoved: true, restart: true },
                { name: "scratch", revision: "1-30-3", create: true, deleteWhenRemoved: true, restart: true },
                { name: "shop", revision: "prod-stable", create: true, deleteWhenRemoved: true, restart: true },
            ]);
        });

        it("schema 1 with a next config saying create: false is refused: schema 1 never recorded it, and a created namespace would be deleted", () => {
            const next = parseMesh({ ...MESH, namespaces: { bookinfo: "prod-stable", shop: { revision: "prod-stable", create: true } } });
            const schema1Index = (schema1().namespaces as Json[]).findIndex((n: Json) => n.name === "bookinfo");
            let error: unknown;
            try {
                fromStackOutput(schema1(), migrationHintOf(next));
            } catch (e) {
                error = e;
            }
            expect(error).to.be.instanceOf(DeployedStateError);
            expect((error as DeployedStateError).issues).to.deep.equal([
                {
                    path: `deployed.namespaces[${schema1Index}]`,
                    message:
                        'schema 1 does not record whether the stack created namespace "bookinfo", and the next config says create: false: had the stack created it, this update would delete it and everything in it',
                },
            ]);
            expect((error as Error).message).to.include("pulumi stack --show-urns | grep 'kubernetes:core/v1:Namespace::'");
            expect((error as Error).message).to.include("`deployed.schema` to 2");
        });

        it("migrate1to2 alone: pure, keeps every other field, takes the hint as a Map", () => {
            const v1 = schema1() as Parameters<typeof migrate1to2>[0];
            const frozen = JSON.stringify(v1);
            const v2 = migrate1to2(v1, { namespaces: new Map([["bookinfo", false], ["constructor", false]]) });
            expect(JSON.stringify(v1)).to.equal(frozen);
            expect(v2.schema).to.equal(2);
            expect(v2.namespaces.map((n) => [n.name, n.create, n.deleteWhenRemoved])).to.deep.equal([
                ["bookinfo", false, false],
                ["scratch", true, true],
                ["shop", true, true],
            ]);
            expect({ ...v2, namespaces: [], gateways: [], schema: 0 }).to.deep.equal({ ...v1, namespaces: [], gateways: [], schema: 0 });
            expect(v2.gateways).to.deep.equal(v1.gateways.map((g) => ({ ...g, restart: true })));
        });

        it("the first update after the upgrade: created namespaces pass the rules; an existing one (create: false) waits for the state to record it", () => {
            const created = { ...stackFile("02-canary") } as Record<string, any>;
            const mesh = created["istio-mesh:mesh"];
            created["istio-mesh:mesh"] = { ...mesh, namespaces: Object.fromEntries(Object.entries(mesh.namespaces).map(([n, r]) => [n, { revision: r, create: true }])) };
            const config = parseStackConfig(created);
            const old = { schema: 1, ...stateWithoutCreate(stateOf(config)) };
            expect(evaluateTransition(fromStackOutput(old, migrationHintOf(config)), stateOf(config)).problems).to.deep.equal([]);
            const existing = parseStackConfig(stackFile("02-canary"));
            expect(() => fromStackOutput({ schema: 1, ...stateWithoutCreate(stateOf(existing)) }, migrationHintOf(existing))).to.throw(DeployedStateError, "schema 1 does not record whether the stack created namespace");
        });
    });
});

/** A state in schema-1 shape (what the schema-1 program exported). */
function stateWithoutCreate(s: MeshState): Json {
    const { management: _m, hub: _h, ...rest } = s;
    return {
        ...rest,
        namespaces: s.namespaces.map((n) => ({ name: n.name, revision: n.revision })),
        gateways: s.gateways.map((g) => ({ name: g.name, namespace: g.namespace, revision: g.revision })),
    };
}
