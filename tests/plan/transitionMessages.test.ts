/**
 * What each rule says: the message a refused (or warned) change shows, per rule, with the
 * objects involved and the safe sequence. One example per rule code and warning code.
 */
import { expect } from "chai";
import { deletedNamespaces, evaluateTransition, RULES, WARNINGS } from "../../components/plan/transitions";
import { MeshState } from "../../components/state/deployed";
import { state } from "../support/fixtures";

/** Every refusal ("P") and warning ("W") of FROM -> TO, in order. */
const said = (from: MeshState | undefined, to: MeshState) => {
    const r = evaluateTransition(from, to);
    return [...r.problems.map((p) => ["P", p.code, p.message]), ...r.warnings.map((w) => ["W", w.code, w.message])];
};
const created = (deleteWhenRemoved: boolean) => ({ revision: "1-29-6", create: true, deleteWhenRemoved });

describe("plan: what each rule says", () => {
    it("a first install has nothing to refuse or warn about", () => {
        expect(said(undefined, state({ revisions: [{ version: "1.30.3" }] }))).to.deep.equal([]);
    });

    it("refuses moving the control plane", () => {
        expect(said(state({ revisions: [{ version: "1.29.6" }] }), state({ revisions: [{ version: "1.29.6" }], namespace: "mesh" }))).to.deep.equal([
            ["P", "control-plane-namespace-change", "the control-plane namespace changes istio-system -> mesh: every revision, tag and the base chart would be replaced at once. Safe sequence: keep mesh.namespace as it is; moving a mesh to another namespace is a new install beside the old one."],
        ]);
    });

    it("refuses replacing every revision, naming them all", () => {
        expect(said(state({ revisions: [{ version: "1.29.6" }, { version: "1.28.10" }], defaultRevision: "1-29-6" }), state({ revisions: [{ version: "1.30.3" }] }))).to.deep.equal([
            ["P", "replace-all-revisions", "every deployed revision (1-28-10, 1-29-6) is removed and 1-30-3 added in one change: that is not a canary upgrade. Safe sequence: add the new revision beside the old one, move tags/namespaces/default to it, then remove the old one."],
            ["P", "removed-revision-users-on-new-revision", "revision \"1-29-6\" is removed while the default revision, which used it, moves to \"1-30-3\", a revision created in this same change: its workloads would lose their control plane before the new one has run. Safe sequence: 1) add \"1-30-3\" and move the default revision to it; 2) verify and restart workloads; 3) remove \"1-29-6\" in a later change."],
        ]);
    });

    it("refuses a canary two minors past the newest", () => {
        expect(said(state({ revisions: [{ version: "1.27.9" }] }), state({ revisions: [{ version: "1.27.9" }, { version: "1.30.3" }], defaultRevision: "1-27-9" }))).to.deep.equal([
            ["P", "canary-skips-minors", "new revision \"1-30-3\" (1.30.3) is 3 minors above the newest deployed revision (1.27.9); a canary may skip at most one minor. Safe sequence: upgrade through 1.29.x first."],
        ]);
    });

    it("refuses users moving onto an older new revision, naming each", () => {
        expect(said(state({ revisions: [{ version: "1.30.3" }], namespaces: { shop: "1-30-3" } }), state({ revisions: [{ version: "1.30.3" }, { version: "1.29.6" }], tags: { stable: "1-29-6" }, defaultRevision: "1-30-3", namespaces: { shop: "stable" } }))).to.deep.equal([
            ["P", "canary-older-than-deployed", "new revision \"1-29-6\" (1.29.6) is older than the deployed 1.30.3 and tag \"stable\", namespace \"shop\" would move to it in the same change: downgrades happen only by removing a canary. Safe sequence: install \"1-29-6\" with nothing pointing at it, verify it runs, then move users back in a later change."],
        ]);
    });

    it("refuses in-place skips and downgrades; warns about restarts after one minor up", () => {
        expect(said(state({ revisions: [{ version: "1.28.10", name: "a" }, { version: "1.30.3", name: "b" }, { version: "1.29.6", name: "c" }], defaultRevision: "a" }), state({ revisions: [{ version: "1.30.3", name: "a" }, { version: "1.29.6", name: "b" }, { version: "1.30.3", name: "c" }], defaultRevision: "a" }))).to.deep.equal([
            ["P", "in-place-skips-minor", "revision \"a\" would be upgraded in place 1.28.10 -> 1.30.3 (2 minors); in-place upgrades go one minor at a time. Safe sequence: add a new revision for 1.30.3 as a canary (it may skip one minor), or step through 1.29.x."],
            ["P", "in-place-downgrade", "revision \"b\" would be downgraded in place 1.30.3 -> 1.29.6; an in-place move to an older minor is refused. Safe sequence: keep 1.30.3 and roll back by removing a canary instead."],
            ["W", "restart-required", "revision \"c\" is upgraded in place 1.29.6 -> 1.30.3: every workload on it gets the new proxy only when it restarts."],
        ]);
    });

    it("refuses users landing on a brand-new revision; warns about promote-and-remove for the gateway", () => {
        expect(said(state({ revisions: [{ version: "1.29.6" }, { version: "1.28.10" }], tags: { stable: "1-28-10" }, defaultRevision: "1-29-6", gateways: { gw: { revision: "1-28-10" } } }), state({ revisions: [{ version: "1.29.6" }, { version: "1.30.3" }], tags: { stable: "1-30-3" }, defaultRevision: "1-29-6", gateways: { gw: { revision: "1-29-6" } } }))).to.deep.equal([
            ["P", "removed-revision-users-on-new-revision", "revision \"1-28-10\" is removed while tag \"stable\", which used it, moves to \"1-30-3\", a revision created in this same change: its workloads would lose their control plane before the new one has run. Safe sequence: 1) add \"1-30-3\" and move tag \"stable\" to it; 2) verify and restart workloads; 3) remove \"1-28-10\" in a later change."],
            ["W", "promote-and-remove-in-one-change", "revision \"1-28-10\" is removed in the same change that moves gateway \"gw\" off it. Allowed, but the recommended sequence promotes first, verifies (workloads restarted, nothing left on \"1-28-10\"), then removes."],
        ]);
    });

    it("warns about CRD adoption with the commands", () => {
        expect(said(state({ revisions: [{ version: "1.23.6" }] }), state({ revisions: [{ version: "1.23.6" }, { version: "1.24.6" }], defaultRevision: "1-23-6" }))).to.deep.equal([
            ["W", "crd-ownership-adoption", "base 1.23.6 -> 1.24.6: from 1.24 the base chart templates the CRDs that 1.23.6 installed from crds/. Before this update, let Helm adopt them: kubectl label crd -l chart=istio app.kubernetes.io/managed-by=Helm --overwrite && kubectl annotate crd -l chart=istio meta.helm.sh/release-name=istio-base meta.helm.sh/release-namespace=istio-system --overwrite"],
        ]);
    });

    it("refuses deleting or adopting namespaces; warns when the stack lets one go", () => {
        expect(said(state({ revisions: [{ version: "1.29.6" }], namespaces: { a: created(true), b: created(true), c: "1-29-6", d: created(false), e: created(false) } }), state({ revisions: [{ version: "1.29.6" }], namespaces: { b: "1-29-6", c: { revision: "1-29-6", create: true }, d: "1-29-6" } }))).to.deep.equal([
            ["P", "namespace-deletion", "deletes namespace \"a\" and everything in it: the stack created it with deleteWhenRemoved: true and this change removes it from mesh.namespaces. To keep it: first set deleteWhenRemoved: false on it (one update), then make this change (the stack then lets go of it and leaves it running). To delete it: override this rule for one run."],
            ["P", "namespace-deletion", "deletes namespace \"b\" and everything in it: the stack created it with deleteWhenRemoved: true and this change sets create: false. To keep it: first set deleteWhenRemoved: false on it (one update), then make this change (the stack then lets go of it and leaves it running). To delete it: override this rule for one run."],
            ["P", "namespace-create-flip", "namespace \"c\" changes to create: true, but it already exists and the stack did not create it: the Kubernetes provider refuses to create an object that exists (AlreadyExists), and the label patch would be removed first. Safe sequence: keep create: false (the stack then owns only its labels)."],
            ["W", "namespace-released", "namespace \"d\" changes to create: false: the stack stops owning the Namespace object and keeps it, with everything in it; it now manages only its labels."],
            ["W", "namespace-released", "namespace \"e\" leaves the stack: it was created by the stack and is kept, with everything in it and its istio.io/rev=1-29-6 label (delete it with kubectl delete namespace e if it should go)."],
        ]);
    });
    it("names every new revision when all are replaced", () => {
        const [p] = evaluateTransition(state({ revisions: [{ version: "1.29.6" }] }), state({ revisions: [{ version: "1.30.3" }, { version: "1.30.2" }], defaultRevision: "1-30-3" })).problems;
        expect(p.message).to.match(/^every deployed revision \(1-29-6\) is removed and 1-30-2, 1-30-3 added in one change/);
    });

    it("warns about CRD adoption only when base crosses from below 1.24 to 1.24 or later", () => {
        const crd = (a: string, b: string) =>
            evaluateTransition(state({ revisions: [{ version: a, name: "r" }] }), state({ revisions: [{ version: a, name: "r" }, { version: b, name: "s" }], defaultRevision: "r" })).warnings.map((w) => w.code);
        expect(crd("1.23.6", "1.24.6")).to.include(WARNINGS.crdAdoption);
        expect(crd("1.24.6", "1.25.5")).to.not.include(WARNINGS.crdAdoption);
        expect(crd("1.22.8", "1.23.6")).to.not.include(WARNINGS.crdAdoption);
    });

    it("a referrer is matched by kind and name: a namespace named like a gateway is another object", () => {
        const from = state({ revisions: [{ version: "1.29.6", name: "a" }, { version: "1.30.3", name: "b" }], defaultRevision: "b", gateways: { x: { revision: "a" } } });
        const to = state({ revisions: [{ version: "1.30.3", name: "b" }, { version: "1.30.3", name: "c" }], defaultRevision: "b", gateways: { x: { revision: "b" } }, namespaces: { x: "c" } });
        const r = evaluateTransition(from, to);
        expect(r.problems).to.deep.equal([]);
        expect(r.warnings.map((w) => w.message)).to.deep.equal([
            'revision "a" is removed in the same change that moves gateway "x" off it. Allowed, but the recommended sequence promotes first, verifies (workloads restarted, nothing left on "a"), then removes.',
        ]);
    });

    it("moving users to a revision of the same version while removing theirs is a promotion (warned)", () => {
        const from = state({ revisions: [{ version: "1.30.3", name: "a" }, { version: "1.30.3", name: "b" }], defaultRevision: "a" });
        const to = state({ revisions: [{ version: "1.30.3", name: "b" }], defaultRevision: "b" });
        expect(evaluateTransition(from, to).warnings.map((w) => w.code)).to.deep.equal([WARNINGS.promoteAndRemove]);
        expect(evaluateTransition(from, to).problems.map((p) => p.code)).to.not.include(RULES.removedStillUsed);
    });

    it("a first install deletes no namespace", () => {
        expect(deletedNamespaces(undefined, state({ revisions: [{ version: "1.30.3" }], namespaces: { a: { revision: "1-30-3", create: true, deleteWhenRemoved: true } } }))).to.deep.equal([]);
    });
});
