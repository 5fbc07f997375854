/**
 * The live Gateway API CRD check (preview and up): the query, its rules as a table (each row
 * with a case where it fires and a close one where it does not), and that the offline plan
 * lists it as a live check instead of approving silently.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { GatewayApiRecord } from "../../components/ambient/record";
import { crdAnswer, crdCommandRuns, GATEWAY_API_LIVE_RULES, GATEWAY_API_LIVE_TABLE, GATEWAY_API_LIVE_WARNINGS, GATEWAY_CRD, LiveCrds, liveCrdProblems, liveCrdsNote, queryCrds } from "../../components/gatewayapi/live";
import { plan } from "../../components/plan/plan";
import { runProgram } from "../../components/plan/mockRun";
import { stackFile } from "../support/fixtures";

type Crds = NonNullable<GatewayApiRecord["crds"]>;
/** A record with the CRDs (v1.4.1, standard, managed, changed by `crds`); null: none. */
const src = (crds: Partial<Crds> | null = {}) => ({ gatewayApi: { gateways: [], ...(crds === null ? {} : { crds: { version: "v1.4.1", channel: "standard" as const, manage: true, ...crds } }) } });
const live = (bundle?: string): LiveCrds => (bundle === undefined ? { present: true } : { present: true, bundle });

interface Case {
    readonly title: string;
    readonly from?: ReturnType<typeof src>;
    readonly to: ReturnType<typeof src>;
    readonly live: LiveCrds | undefined;
    readonly refusals: readonly string[];
    readonly warnings: readonly string[];
    readonly says?: readonly string[];
}

const R = GATEWAY_API_LIVE_RULES;
const W = GATEWAY_API_LIVE_WARNINGS;
const CASES: readonly Case[] = [
    {
        title: "someone installed newer CRDs than the stack's pin (unchanged pin): refused",
        from: src(),
        to: src(),
        live: live("v1.5.1"),
        refusals: [R.newerInCluster],
        warnings: [],
        says: ["the cluster has Gateway API CRDs v1.5.1", GATEWAY_CRD, "newer than v1.4.1 that mesh.gatewayApi.version pins", "Safe sequence: set mesh.gatewayApi.version: v1.5.1"],
    },
    { title: "first install over newer CRDs: refused", to: src(), live: live("1.5.0"), refusals: [R.newerInCluster], warnings: [], says: ["v1.5.0"] },
    { title: "live at the pin", from: src(), to: src(), live: live("v1.4.1"), refusals: [], warnings: [] },
    { title: "live older than the pin (an upgrade)", from: src({ version: "v1.3.0" }), to: src(), live: live("v1.3.0"), refusals: [], warnings: [] },
    { title: "no Gateway CRD yet", to: src(), live: { present: false }, refusals: [], warnings: [] },
    { title: "newer CRDs and manage: false: nothing to refuse, the stated version is wrong", to: src({ manage: false }), live: live("v1.5.1"), refusals: [], warnings: [W.differs], says: ["says the cluster has Gateway API CRDs v1.4.1 (manage: false), and it has v1.5.1", "Set mesh.gatewayApi.version: v1.5.1"] },
    { title: "manage: false at the stated version", to: src({ manage: false }), live: live("v1.4.1"), refusals: [], warnings: [] },
    {
        title: "the cluster cannot be asked and the CRD command would run: refused (overridable)",
        from: src({ version: "v1.3.0" }),
        to: src(),
        live: { unreachable: "connection refused" },
        refusals: [R.unavailable],
        warnings: [],
        says: ["would be applied at v1.4.1", "connection refused", "override this rule for one run"],
    },
    { title: "the cluster cannot be asked and the CRDs do not change: up applies nothing to them either", from: src(), to: src(), live: { unreachable: "connection refused" }, refusals: [], warnings: [] },
    { title: "a bundle-version this program cannot compare", to: src(), live: live("v1.5.0-rc.1"), refusals: [R.unavailable], warnings: [], says: ['"v1.5.0-rc.1", not a release'] },
    { title: "a Gateway CRD without the annotation, applied over", to: src(), live: live(), refusals: [], warnings: [W.unannotated], says: ["has no gateway.networking.k8s.io/bundle-version annotation"] },
    { title: "a Gateway CRD without the annotation, CRDs unchanged", from: src(), to: src(), live: live(), refusals: [], warnings: [] },
    { title: "offline: nothing asked, nothing judged", to: src(), live: { offline: true }, refusals: [], warnings: [] },
    { title: "not asked", to: src(), live: undefined, refusals: [], warnings: [] },
    { title: "no CRDs in the config", to: src(null), live: live("v1.5.1"), refusals: [], warnings: [] },
];

describe("gatewayapi: the live CRD check", () => {
    for (const c of CASES) {
        it(c.title, () => {
            const r = liveCrdProblems(c.from, c.to, c.live);
            expect(r.refusals.map((p) => p.code), "refusals").to.deep.equal(c.refusals);
            expect(r.warnings.map((p) => p.code), "warnings").to.deep.equal(c.warnings);
            const first = [...r.refusals, ...r.warnings][0];
            for (const s of c.says ?? []) expect(first.message).to.include(s);
        });
    }

    it("every row of the table has a case above where it fires; codes are unique", () => {
        const fired = new Set(CASES.flatMap((c) => [...c.refusals, ...c.warnings]));
        const codes = GATEWAY_API_LIVE_TABLE.map((r) => r.code);
        expect(codes.filter((code) => !fired.has(code))).to.deep.equal([]);
        expect(new Set(codes).size).to.equal(codes.length);
    });

    it("the CRD command runs when it is created or its version or channel changes, and only then", () => {
        expect(crdCommandRuns(undefined, src())).to.equal(true);
        expect(crdCommandRuns(src({ manage: false }), src())).to.equal(true);
        expect(crdCommandRuns(src(), src({ channel: "experimental" }))).to.equal(true);
        expect(crdCommandRuns(src(), src({ version: "v1.5.1" }))).to.equal(true);
        expect(crdCommandRuns(src(), src())).to.equal(false);
        expect(crdCommandRuns(undefined, src({ manage: false }))).to.equal(false);
    });

    it("reads kubectl's answer: nothing printed is no CRD; the annotation, or none; anything else is unreachable, saying what came", () => {
        expect(crdAnswer("")).to.deep.equal({ present: false });
        const crd = (annotations?: Record<string, string>) => JSON.stringify({ apiVersion: "apiextensions.k8s.io/v1", kind: "CustomResourceDefinition", metadata: { name: GATEWAY_CRD, ...(annotations === undefined ? {} : { annotations }) } });
        expect(crdAnswer(crd({ "gateway.networking.k8s.io/bundle-version": "v1.5.1", "gateway.networking.k8s.io/channel": "standard" }))).to.deep.equal({ present: true, bundle: "v1.5.1" });
        expect(crdAnswer(crd())).to.deep.equal({ present: true });
        expect((crdAnswer("<html>502</html>") as { unreachable: string }).unreachable).to.include("is not JSON");
        expect((crdAnswer('{"kind": "Status"}') as { unreachable: string }).unreachable).to.include("not that CRD");
    });

    it("asks kubectl for that one CRD with the stack's kubeconfig and context; a failing kubectl is unreachable", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fake-kubectl-"));
        const kubectl = path.join(dir, "kubectl");
        fs.writeFileSync(kubectl, `#!/bin/sh\necho "$@" > ${dir}/args\necho '{"metadata": {"name": "${GATEWAY_CRD}", "annotations": {"gateway.networking.k8s.io/bundle-version": "v1.3.0"}}}'\n`, { mode: 0o755 });
        expect(queryCrds({ kubeconfig: "apiVersion: v1\nkind: Config\n", context: "prod" }, kubectl)).to.deep.equal({ present: true, bundle: "v1.3.0" });
        expect(fs.readFileSync(path.join(dir, "args"), "utf8")).to.match(new RegExp(`^--kubeconfig \\S+ --context prod get crd ${GATEWAY_CRD.replace(/\./g, "\\.")} -o json --ignore-not-found`));
        fs.writeFileSync(kubectl, "#!/bin/sh\necho 'Unable to connect to the server' >&2\nexit 1\n", { mode: 0o755 });
        expect(queryCrds({}, kubectl)).to.deep.equal({ unreachable: "Unable to connect to the server" });
        expect((queryCrds({}, path.join(dir, "missing")) as { unreachable: string }).unreachable).to.match(/could not run/);
    });

    it("the offline plan does not approve silently: it lists the live check preview and up perform", async function () {
        this.timeout(120_000);
        const to = { config: stackFile("ambient/02-waypoint") };
        const p = await plan({ config: stackFile("ambient/01-pieces") }, to);
        const note = p.liveChecks.find((c) => c.includes(GATEWAY_CRD));
        expect(note, p.liveChecks.join("\n")).to.include("refuses the change if the cluster already has a bundle newer than v1.4.1 (gateway-api-crds-newer-in-cluster)");
        expect(liveCrdsNote(src(), src())).to.not.include("During up");
        expect(liveCrdsNote(src({ version: "v1.3.0" }), src())).to.include("During up, the CRD command checks once more");
        expect(liveCrdsNote(undefined, src({ manage: false }))).to.include("warns if it is not v1.4.1");
        expect(liveCrdsNote(undefined, src(null))).to.equal(undefined);
    });

    it("the program refuses at preview when the live cluster has newer CRDs, before registering anything, and the guard names the override", async function () {
        this.timeout(120_000);
        const config = stackFile("ambient/02-waypoint");
        let registered = 0;
        let error: unknown;
        try {
            await runProgram(config, null, { liveCrds: live("v1.5.1"), onResource: () => void registered++ });
        } catch (e) {
            error = e;
        }
        expect(String(error)).to.include("[gateway-api-crds-newer-in-cluster] the cluster has Gateway API CRDs v1.5.1");
        expect(registered, "resources constructed before the refusal").to.equal(0);
        const fine = await runProgram(config, null, { liveCrds: live("v1.4.1") });
        expect(fine.resources.length).to.be.greaterThan(0);
        // One code an operator may override for one run.
        const overridden = await runProgram(config, null, { liveCrds: live("v1.5.1"), allowUnsafe: [GATEWAY_API_LIVE_RULES.newerInCluster] });
        expect(overridden.outputs.warnings).to.include(GATEWAY_API_LIVE_RULES.newerInCluster);
    });
});
