import { evaluateTransition } from "../components/plan/transitions";
import { state } from "../tests/support/fixtures";
const show = (label: string, from: any, to: any) => { const r = evaluateTransition(from, to); console.log("== " + label); for (const p of r.problems) console.log("P", p.code, JSON.stringify(p.message)); for (const w of r.warnings) console.log("W", w.code, JSON.stringify(w.message)); };
show("nsmove", state({ revisions: [{ version: "1.29.6" }] }), state({ revisions: [{ version: "1.29.6" }], namespace: "mesh" }));
show("replace", state({ revisions: [{ version: "1.29.6" }, { version: "1.28.10" }], defaultRevision: "1-29-6" }), state({ revisions: [{ version: "1.30.3" }] }));
show("skip", state({ revisions: [{ version: "1.27.9" }] }), state({ revisions: [{ version: "1.27.9" }, { version: "1.30.3" }], defaultRevision: "1-27-9" }));
show("older", state({ revisions: [{ version: "1.30.3" }], namespaces: { shop: "1-30-3" } }), state({ revisions: [{ version: "1.30.3" }, { version: "1.29.6" }], tags: {stable: "1-29-6"}, defaultRevision: "1-30-3", namespaces: { shop: "stable" } }));
show("inplace", state({ revisions: [{ version: "1.28.10", name: "a" }, { version: "1.30.3", name: "b" }, { version: "1.29.6", name: "c" }], defaultRevision: "a" }), state({ revisions: [{ version: "1.30.3", name: "a" }, { version: "1.29.6", name: "b" }, { version: "1.30.3", name: "c" }], defaultRevision: "a" }));
show("removed", state({ revisions: [{ version: "1.29.6" }, { version: "1.28.10" }], tags: { stable: "1-28-10" }, defaultRevision: "1-29-6", gateways: { gw: { revision: "1-28-10" } } }), state({ revisions: [{ version: "1.29.6" }, { version: "1.30.3" }], tags: { stable: "1-30-3" }, defaultRevision: "1-29-6", gateways: { gw: { revision: "1-29-6" } } }));
show("crd", state({ revisions: [{ version: "1.23.6" }] }), state({ revisions: [{ version: "1.23.6" }, { version: "1.24.6" }], defaultRevision: "1-23-6", namespace: "istio-system" }));
show("ns", state({ revisions: [{ version: "1.29.6" }], namespaces: { a: { revision: "1-29-6", create: true, deleteWhenRemoved: true }, b: { revision: "1-29-6", create: true, deleteWhenRemoved: true }, c: "1-29-6", d: { revision: "1-29-6", create: true }, e: { revision: "1-29-6", create: true } } }),
  state({ revisions: [{ version: "1.29.6" }], namespaces: { b: "1-29-6", c: { revision: "1-29-6", create: true }, d: "1-29-6" } }));
