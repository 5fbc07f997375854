/**
 * State schema 3: `management` recorded (the management-switch rule reads it), add-on
 * revisions as major.minor, no default revision; schema 2 migrates to it as a Helm mesh.
 */
import { expect } from "chai";
import { deployedIssues } from "../support/deployed";
import { parseStackConfig } from "../../components/config/stackConfig";
import { evaluateTransition } from "../../components/plan/transitions";
import { fromStackOutput, migrate2to3, STATE_SCHEMA, stateOf, toStackOutput } from "../../components/state/deployed";
import { stackFile } from "../support/fixtures";
import { asSchema3, unrecorded } from "../support/deployed";

type Json = Record<string, any>;
const helmState = () => stateOf(parseStackConfig(stackFile("02-canary")));
const addonState = () => stateOf(parseStackConfig(stackFile("aks/addon-02-canary")));

/** What the schema-2 program exported for a Helm mesh. */
function schema2(): Json {
    const { management: _m, ...rest } = asSchema3(toStackOutput(helmState()));
    return { ...rest, schema: 2 };
}

const issues = deployedIssues;

describe("state: schema 3", () => {
    it("writes management; an add-on state round-trips with its minors and no default revision", () => {
        expect(STATE_SCHEMA).to.equal(4);
        const out = toStackOutput(addonState()) as Json;
        expect(out).to.deep.include({ schema: 4, management: "aks-addon", namespace: "aks-istio-system", defaultRevision: "", baseVersion: "1.30" });
        expect(out.revisions).to.deep.equal([{ name: "asm-1-29", version: "1.29" }, { name: "asm-1-30", version: "1.30" }]);
        expect(fromStackOutput(JSON.parse(JSON.stringify(out)))).to.deep.equal(addonState());
        expect(fromStackOutput(JSON.parse(JSON.stringify(toStackOutput(helmState()))))).to.deep.equal(helmState());
    });

    it("migration 2 -> 3: a schema-2 mesh was installed by Helm", () => {
        const v2 = schema2();
        const frozen = JSON.stringify(v2);
        const v3 = migrate2to3(v2 as Parameters<typeof migrate2to3>[0]);
        expect(JSON.stringify(v2)).to.equal(frozen);
        expect(v3).to.deep.equal({ ...v2, schema: 3, management: "helm" });
        // Through schema 3: the gateway kinds, Service types and hub stay unknown (schema 4).
        expect(fromStackOutput(v2)).to.deep.equal(unrecorded(helmState()));
    });

    it("the migrated management is what the switch rule reads: a schema-2 mesh cannot become an add-on mesh", () => {
        const previous = fromStackOutput(schema2())!;
        expect(evaluateTransition(previous, addonState()).problems.map((p) => p.code)).to.deep.equal(["management-switch"]);
    });

    it("versions and the default revision must match the management that wrote them", () => {
        const addon = JSON.parse(JSON.stringify(toStackOutput(addonState())));
        addon.revisions[0].version = "1.29.6";
        addon.defaultRevision = "asm-1-29";
        expect(issues(addon)).to.deep.equal([
            'deployed.revisions[0].version: is not an add-on minor (MAJOR.MINOR, e.g. "1.30"), as management aks-addon writes',
            'deployed.defaultRevision: must be "" with management aks-addon (the add-on has no default revision)',
        ]);
        const helm = JSON.parse(JSON.stringify(toStackOutput(helmState())));
        helm.revisions[0].version = "1.29";
        helm.defaultRevision = "";
        expect(issues(helm)).to.deep.equal([
            'deployed.revisions[0].version: is not a full Istio release (MAJOR.MINOR.PATCH, e.g. "1.30.3")',
            "deployed.defaultRevision: missing (a tag or revision name)",
        ]);
        const noManagement = JSON.parse(JSON.stringify(toStackOutput(helmState())));
        delete noManagement.management;
        expect(issues(noManagement)).to.deep.equal(["deployed.management: missing (one of helm, aks-addon)"]);
        expect(issues({ ...toStackOutput(helmState()), management: "istioctl" })[0]).to.match(/^deployed\.management: /);
    });
});
