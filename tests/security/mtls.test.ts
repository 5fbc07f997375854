/**
 * mesh.mtls: the PeerAuthentications (valid against the 1.30.3 CRD), created after the
 * revisions; the STRICT warning listing enrolled namespaces; steps; the deployed-state field.
 */
import * as pulumi from "@pulumi/pulumi";
import Ajv from "ajv";
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { parseAllDocuments } from "yaml";
import { peerAuthenticationObject, peerAuthentications } from "../../components/security/config";
import { runProgram } from "../../components/plan/mockRun";
import { planSteps } from "../../components/plan/steps";
import { evaluateTransition, WARNINGS } from "../../components/plan/transitions";
import { fromStackOutput, toStackOutput } from "../../components/state/deployed";
import { meshConfigMap, parseMesh, ISTIO_FIXTURES, state } from "../support/fixtures";

const CR = "kubernetes:security.istio.io/v1:PeerAuthentication";
const mesh = (mtls?: unknown) => ({
    revisions: [{ version: "1.30.3" }],
    namespaces: { shop: "1-30-3", legacy: "1-30-3", pay: { revision: "1-30-3", create: true } },
    ...(mtls === undefined ? {} : { mtls }),
});

/** The v1 schema of the PeerAuthentication CRD the 1.30.3 base chart installs. */
function crdValidator() {
    const docs = parseAllDocuments(fs.readFileSync(path.join(ISTIO_FIXTURES, "1.30.3", "crds.yaml"), "utf8")).map((d) => d.toJSON());
    const crd = docs.find((d) => d?.spec?.names?.kind === "PeerAuthentication");
    const v1 = crd.spec.versions.find((v: { name: string }) => v.name === "v1");
    expect(v1.served).to.equal(true);
    expect(crd.spec.group).to.equal("security.istio.io");
    return new Ajv({ strict: false, allErrors: true }).compile(v1.schema.openAPIV3Schema);
}

describe("security: mesh-wide mTLS", () => {
    it("config: a mode or {mode, namespaces}; PERMISSIVE by default", () => {
        expect(parseMesh(mesh()).mtls).to.deep.equal({ mode: "PERMISSIVE", namespaces: {} });
        expect(parseMesh(mesh("STRICT")).mtls).to.deep.equal({ mode: "STRICT", namespaces: {} });
        expect(parseMesh(mesh({ mode: "STRICT", namespaces: { legacy: "PERMISSIVE" } })).mtls).to.deep.equal({ mode: "STRICT", namespaces: { legacy: "PERMISSIVE" } });
        const bad = (m: unknown) => {
            try {
                parseMesh(mesh(m));
            } catch (e) {
                return (e as { issues: { path: string }[] }).issues.map((i) => i.path);
            }
            return [];
        };
        expect(bad("LOOSE")).to.deep.equal(["istio-mesh:mesh.mtls"]);
        expect(bad({ mode: "X" })).to.deep.equal(["istio-mesh:mesh.mtls.mode"]);
        expect(bad({ namespaces: { Bad: "STRICT" } })).to.deep.equal(["istio-mesh:mesh.mtls.namespaces.Bad"]);
    });

    it("objects: none for PERMISSIVE mesh-wide, `default` in the control-plane namespace otherwise, one per override; all valid per the CRD", () => {
        expect(peerAuthentications(parseMesh(mesh()).mtls, "istio-system")).to.deep.equal([]);
        expect(peerAuthentications(parseMesh(mesh("PERMISSIVE")).mtls, "istio-system")).to.deep.equal([]);
        const specs = peerAuthentications(parseMesh(mesh({ mode: "STRICT", namespaces: { legacy: "PERMISSIVE", pay: "DISABLE" } })).mtls, "istio-system");
        expect(specs).to.deep.equal([
            { namespace: "istio-system", mode: "STRICT" },
            { namespace: "legacy", mode: "PERMISSIVE" },
            { namespace: "pay", mode: "DISABLE" },
        ]);
        const validate = crdValidator();
        for (const s of specs) {
            const o = peerAuthenticationObject(s);
            expect([o.apiVersion, o.kind, o.metadata.name]).to.deep.equal(["security.istio.io/v1", "PeerAuthentication", "default"]);
            expect(validate(o), JSON.stringify(validate.errors)).to.equal(true);
        }
        expect(validate({ ...peerAuthenticationObject(specs[0]), spec: { mtls: { mode: "LOOSE" } } }), "the check can fail").to.equal(false);
    });

    it("program: PeerAuthentications after the revisions and the namespaces; none by default", async () => {
        const names = new Map<pulumi.Resource, string>();
        const deps = new Map<string, string[]>();
        const { resources } = await runProgram(meshConfigMap(mesh({ mode: "STRICT", namespaces: { legacy: "PERMISSIVE" } })), null, {
            onResource: (r) => {
                names.set(r.resource, r.name);
                const d = r.opts.dependsOn;
                deps.set(r.name, (Array.isArray(d) ? d : d === undefined ? [] : [d]).map((x) => names.get(x as pulumi.Resource) ?? "?"));
            },
        });
        const prs = resources.filter((r) => r.type === CR);
        expect(prs.map((r) => [r.name, (r.inputs as any).metadata.namespace, (r.inputs as any).spec.mtls.mode])).to.deep.equal([
            ["mesh-mtls-istio-system", "istio-system", "STRICT"],
            ["mesh-mtls-legacy", "legacy", "PERMISSIVE"],
        ]);
        expect(deps.get("mesh-mtls")).to.deep.equal(["mesh-rev-1-30-3", "mesh-ns"]);
        const none = await runProgram(meshConfigMap(mesh()), null);
        expect(none.resources.filter((r) => r.type === CR || r.name === "mesh-mtls"), "not even an empty component").to.deep.equal([]);
    });

    it("moving to STRICT warns, listing the enrolled namespaces that become STRICT (not those overridden)", () => {
        const from = state(mesh());
        const to = state(mesh({ mode: "STRICT", namespaces: { legacy: "PERMISSIVE" } }));
        const r = evaluateTransition(from, to);
        expect(r.problems).to.deep.equal([]);
        expect(r.warnings.map((w) => w.code)).to.deep.equal([WARNINGS.mtlsStrict]);
        expect(r.warnings.map((w) => w.code)).to.deep.equal(["mtls-strict"]);
        expect(r.warnings[0].message).to.match(/^mTLS becomes STRICT mesh-wide for namespaces pay, shop: .*clients without a sidecar .* are cut off/);
        expect(evaluateTransition(to, to).warnings, "already STRICT").to.deep.equal([]);
        const one = state(mesh({ namespaces: { shop: "STRICT" } }));
        expect(evaluateTransition(from, one).warnings[0].message).to.match(/^mTLS becomes STRICT for namespaces shop:/);
        expect(evaluateTransition(to, from).warnings, "loosening is no warning").to.deep.equal([]);
        expect(planSteps(from, to)).to.deep.equal([
            "Create PeerAuthentication default in istio-system (mesh-wide mTLS STRICT)",
            "Create PeerAuthentication default in legacy (namespace legacy mTLS PERMISSIVE)",
        ]);
        expect(planSteps(to, from)).to.deep.equal([
            "Delete PeerAuthentication default in istio-system (mesh-wide mTLS STRICT -> PERMISSIVE)",
            "Delete PeerAuthentication default in legacy (namespace legacy mTLS PERMISSIVE -> the mesh-wide mode)",
        ]);
        expect(planSteps(state(mesh("DISABLE")), state(mesh("STRICT")))).to.deep.equal(["Set mesh-wide mTLS DISABLE -> STRICT (PeerAuthentication default in istio-system)"]);
    });

    it("STRICT -> DISABLE (or PERMISSIVE -> DISABLE) on a live mesh warns mtls-disable, naming the namespaces that lose mutual TLS", () => {
        const strict = state(mesh({ mode: "STRICT", namespaces: { legacy: "PERMISSIVE" } }));
        const disabled = state(mesh({ mode: "DISABLE", namespaces: { legacy: "PERMISSIVE" } }));
        const r = evaluateTransition(strict, disabled);
        expect(r.problems).to.deep.equal([]);
        expect(r.warnings.map((w) => w.code)).to.deep.equal([WARNINGS.mtlsDisable]);
        expect(r.warnings.map((w) => w.code)).to.deep.equal(["mtls-disable"]);
        expect(r.warnings[0].message).to.match(/^mTLS goes from STRICT to DISABLE mesh-wide for namespaces pay, shop: .*no longer encrypted or authenticated by mutual TLS.*PERMISSIVE keeps mutual TLS/);
        expect(evaluateTransition(state(mesh()), disabled).warnings[0].message).to.match(/^mTLS goes from PERMISSIVE to DISABLE mesh-wide for namespaces pay, shop:/);
        const one = state(mesh({ namespaces: { shop: "DISABLE" } }));
        expect(evaluateTransition(state(mesh()), one).warnings[0].message).to.match(/^mTLS becomes DISABLE for namespaces shop:/);
        expect(evaluateTransition(disabled, disabled).warnings, "already DISABLE").to.deep.equal([]);
        expect(evaluateTransition(disabled, strict).warnings.map((w) => w.code), "tightening is mtls-strict's business").to.deep.equal(["mtls-strict"]);
        expect(evaluateTransition(undefined, disabled).warnings, "a first install takes nothing away").to.deep.equal([]);
    });

    it("deployed state: recorded only when not Istio's default; absent reads as PERMISSIVE", () => {
        expect(toStackOutput(state(mesh()))).to.not.have.property("mtls");
        const out = JSON.parse(JSON.stringify(toStackOutput(state(mesh({ mode: "STRICT", namespaces: { legacy: "PERMISSIVE" } })))));
        expect(out.mtls).to.deep.equal({ mode: "STRICT", namespaces: { legacy: "PERMISSIVE" } });
        expect(fromStackOutput(out)?.mtls).to.deep.equal(out.mtls);
        expect(() => fromStackOutput({ ...out, mtls: { mode: "LOOSE", namespaces: {} } })).to.throw(/deployed\.mtls\.mode/);
    });
});
