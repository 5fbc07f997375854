/**
 * The in-use check's pod rules one by one (components/dataplane/inUse.ts, pure): which revision
 * a pod's proxy runs, which pods count, which the AKS add-on owns, which the update itself
 * replaces, and how a message lists them. Table rows; each row fails if its rule changes.
 */
import { expect } from "chai";
import { addonOwnPod, LISTED_PODS, listPods, namespacesOf, PodFacts, proxyRevision, revisionsInUse, restartedByUpdate } from "../../components/dataplane/inUse";

const pod = (p: Partial<PodFacts> & { namespace?: string; name?: string }): PodFacts => ({ namespace: "shop", name: "web", phase: "Running", labels: {}, annotations: {}, ...p });
const status = (revision: unknown) => ({ "sidecar.istio.io/status": JSON.stringify({ revision }) });
const TAGS = new Map([["prod-stable", "1-29-6"]]);

describe("in-use check: pod rules", () => {
    const revisions: { what: string; pod: PodFacts; revision: string | undefined }[] = [
        { what: "the injector's status names the revision", pod: pod({ annotations: status("1-30-3"), labels: { "istio.io/rev": "1-29-6" } }), revision: "1-30-3" },
        { what: "a status naming a tag resolves through the tags", pod: pod({ annotations: status("prod-stable") }), revision: "1-29-6" },
        { what: "an empty revision in the status: the label decides", pod: pod({ annotations: status(""), labels: { "istio.io/rev": "1-28-1" } }), revision: "1-28-1" },
        { what: "a revision that is not a string (a list): the label decides", pod: pod({ annotations: status(["1-30-3"]), labels: { "istio.io/rev": "1-28-1" } }), revision: "1-28-1" },
        { what: "a status that is not JSON: the annotation decides", pod: pod({ annotations: { "sidecar.istio.io/status": "{", "istio.io/rev": "1-28-1" } }), revision: "1-28-1" },
        { what: "the annotation before the label", pod: pod({ annotations: { "istio.io/rev": "1-28-1" }, labels: { "istio.io/rev": "1-29-6" } }), revision: "1-28-1" },
        { what: "a label naming a tag", pod: pod({ labels: { "istio.io/rev": "prod-stable" } }), revision: "1-29-6" },
        { what: "no proxy at all", pod: pod({}), revision: undefined },
    ];
    for (const r of revisions) {
        it(`proxy revision: ${r.what}`, () => expect(proxyRevision(r.pod, TAGS)).to.equal(r.revision));
    }

    it("pods in use: only removed revisions, live phases, not skipped; sorted by revision, pods sorted within", () => {
        const rev = (namespace: string, name: string, revision: string, phase = "Running") => pod({ namespace, name, phase, labels: { "istio.io/rev": revision } });
        const pods = [rev("b", "y", "1-29-6"), rev("a", "x", "1-29-6"), rev("c", "z", "1-28-1", "Pending"), rev("d", "w", "1-30-3"), rev("e", "v", "1-28-1", "Succeeded"), rev("f", "u", "1-28-1"), pod({ namespace: "g", name: "none" })];
        expect(revisionsInUse(["1-29-6", "1-28-1"], pods, TAGS, (p) => p.namespace === "f")).to.deep.equal([
            { revision: "1-28-1", pods: ["c/z"] },
            { revision: "1-29-6", pods: ["a/x", "b/y"] },
        ]);
        expect(revisionsInUse(["1-29-6", "1-28-1"], pods, TAGS).map((u) => u.pods.length), "nothing skipped by default").to.deep.equal([2, 2]);
        expect(revisionsInUse(["9-9-9"], pods, TAGS)).to.deep.equal([]);
    });

    const addon: { pod: PodFacts; own: boolean }[] = [
        { pod: pod({ namespace: "aks-istio-system", name: "istiod-asm-1-24-abc", labels: { app: "istiod" } }), own: true },
        { pod: pod({ namespace: "aks-istio-system", name: "istiod-asm-1-24-abc", owner: "ReplicaSet" }), own: true },
        { pod: pod({ namespace: "aks-istio-system", name: "istiod-asm-1-24-abc", owner: "StatefulSet" }), own: false },
        { pod: pod({ namespace: "aks-istio-system", name: "my-istiod-asm-1", owner: "ReplicaSet" }), own: false },
        { pod: pod({ namespace: "aks-istio-system", name: "debug", labels: { app: "debug" } }), own: false },
        { pod: pod({ namespace: "aks-istio-ingress", name: "gw-1", labels: { istio: "aks-istio-ingressgateway-external" } }), own: true },
        { pod: pod({ namespace: "aks-istio-ingress", name: "gw-2", labels: { istio: "aks-istio-ingressgateway-internal" } }), own: true },
        { pod: pod({ namespace: "aks-istio-ingress", name: "gw-3", labels: { istio: "my-gateway" } }), own: false },
        { pod: pod({ namespace: "aks-istio-ingress", name: "gw-4" }), own: false },
        { pod: pod({ namespace: "shop", name: "gw-5", labels: { istio: "aks-istio-ingressgateway-external", app: "istiod" } }), own: false },
    ];
    for (const a of addon) {
        it(`AKS add-on's own pod: ${a.pod.namespace}/${a.pod.name} ${JSON.stringify(a.pod.labels)} owner ${a.pod.owner ?? "none"}: ${a.own}`, () => expect(addonOwnPod(a.pod)).to.equal(a.own));
    }

    const scope = { namespaces: ["shop"], gateways: [{ name: "edge", namespace: "ingress" }] };
    const replaced: { pod: PodFacts; replaced: boolean }[] = [
        { pod: pod({ owner: "ReplicaSet" }), replaced: true },
        { pod: pod({ owner: "StatefulSet" }), replaced: true },
        { pod: pod({ owner: "DaemonSet" }), replaced: true },
        { pod: pod({ owner: "Job" }), replaced: false },
        { pod: pod({}), replaced: false },
        { pod: pod({ namespace: "other", owner: "ReplicaSet" }), replaced: false },
        { pod: pod({ namespace: "ingress", name: "edge-5d8f-abcde", owner: "ReplicaSet" }), replaced: true },
        { pod: pod({ namespace: "ingress", name: "edge-5d8f-abcde", owner: "StatefulSet" }), replaced: false },
        { pod: pod({ namespace: "ingress", name: "edgeway-5d8f-abcde", owner: "ReplicaSet" }), replaced: false },
        { pod: pod({ namespace: "ingress", name: "x-edge-5d8f", owner: "ReplicaSet" }), replaced: false },
        { pod: pod({ namespace: "other", name: "edge-5d8f-abcde", owner: "ReplicaSet" }), replaced: false },
    ];
    for (const r of replaced) {
        it(`restarted by the update: ${r.pod.namespace}/${r.pod.name} owner ${r.pod.owner ?? "none"}: ${r.replaced}`, () => expect(restartedByUpdate(r.pod, scope)).to.equal(r.replaced));
    }
    it("a gateway in another namespace than the pod's is not the pod's, even when a later one is", () => {
        const two = { namespaces: [], gateways: [{ name: "edge", namespace: "other" }, { name: "edge", namespace: "ingress" }] };
        expect(restartedByUpdate(pod({ namespace: "ingress", name: "edge-1-a", owner: "ReplicaSet" }), two)).to.equal(true);
    });

    it("a message lists the first 20 pods, then counts; namespaces sorted, each once", () => {
        const list = (n: number) => Array.from({ length: n }, (_, i) => `ns/p${String(i).padStart(2, "0")}`);
        expect(LISTED_PODS).to.equal(20);
        expect(listPods(list(20))).to.equal(list(20).join(", "));
        expect(listPods(list(22))).to.equal(`${list(20).join(", ")} and 2 more`);
        expect(listPods(["b/x", "a/y"]), "in the order given").to.equal("b/x, a/y");
        expect(namespacesOf(["b/x", "a/y", "b/z"])).to.deep.equal(["a", "b"]);
    });
});
