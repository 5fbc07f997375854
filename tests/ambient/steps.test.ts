/**
 * The ambient and Gateway API plan steps, table-driven: each case the exact steps, in the
 * documented order (CRDs, istiod, istio-cni, ztunnel, waypoints, bindings, labels, restarts,
 * removals).
 */
import { expect } from "chai";
import { ambientSteps } from "../../components/ambient/steps";
import type { AmbientState } from "../../components/ambient/state";
import { canary, gateway, mesh, ns, rev, sidecarMesh, waypoint } from "./support";

const CASES: { title: string; from: AmbientState | undefined; to: AmbientState; steps: string[] }[] = [
    { title: "no change", from: mesh(), to: mesh(), steps: [] },
    {
        title: "a first install of an ambient mesh",
        from: undefined,
        to: mesh(),
        steps: [
            "Install the Gateway API CRDs v1.4.1 (standard channel), before any istiod that reads them",
            "Install istio-cni 1.29.6 with profile ambient, after istiod; node by node, new pods on a node wait while its agent restarts",
            "Install ztunnel 1.29.6 (Helm release ztunnel, DaemonSet ztunnel in istio-system) connected to istiod-1-29-6; wait until it runs on every node",
            "Create waypoint shop/waypoint (Gateway, class istio-waypoint, HBONE 15008) with istio.io/rev=prod; istiod deploys it; wait until it is Programmed",
            "Label namespace shop istio.io/dataplane-mode=ambient: its pods are captured by ztunnel as they start, no restart needed",
        ],
    },
    {
        title: "ambient pieces added to a live sidecar mesh (no namespace moves yet)",
        from: sidecarMesh(),
        to: sidecarMesh({ revisions: [rev("1.29.6")], ztunnel: { version: "1.29.6", revision: "1-29-6" }, cni: { version: "1.29.6", ambient: true } }),
        steps: [
            "Upgrade istiod-1-29-6 in place with profile ambient (PILOT_ENABLE_AMBIENT, HBONE for sidecars)",
            "Install istio-cni 1.29.6 with profile ambient, after istiod; node by node, new pods on a node wait while its agent restarts",
            "Install ztunnel 1.29.6 (Helm release ztunnel, DaemonSet ztunnel in istio-system) connected to istiod-1-29-6; wait until it runs on every node",
        ],
    },
    {
        title: "a namespace moved from sidecars to ambient, its waypoint bound beforehand",
        from: mesh({ namespaces: [ns("shop", "sidecar", { revision: "prod", useWaypoint: "waypoint" })] }),
        to: mesh({ namespaces: [ns("shop", "ambient", { useWaypoint: "waypoint" })] }),
        steps: [
            "Label namespace shop istio.io/dataplane-mode=ambient and remove istio.io/rev; running pods keep their sidecars until they restart",
            "Restart the workloads of namespace shop: they come back without sidecars, captured by ztunnel (kubectl rollout restart deployment,statefulset,daemonset -n shop); then delete sidecar-only policies with L7 rules",
        ],
    },
    {
        title: "back to sidecars, step 1 then step 2",
        from: mesh(),
        to: mesh({ namespaces: [ns("shop", "ambient", { revision: "prod" })] }),
        steps: [
            "Label namespace shop istio.io/rev=prod (it stays ambient): new pods get sidecars, which win over ambient",
            "Restart the workloads of namespace shop so they come back with sidecars (kubectl rollout restart deployment,statefulset,daemonset -n shop)",
        ],
    },
    {
        title: "back to sidecars, step 2",
        from: mesh({ namespaces: [ns("shop", "ambient", { revision: "prod" })] }),
        to: mesh({ namespaces: [ns("shop", "sidecar", { revision: "prod" })] }),
        steps: ["Remove istio.io/dataplane-mode from namespace shop: its pods already run sidecars"],
    },
    {
        title: "node agents upgraded after the canary, CRDs first",
        from: mesh(),
        to: canary({ ztunnel: { version: "1.30.3", revision: "1-30-3" }, cni: { version: "1.30.3", ambient: true } }),
        steps: [
            "Upgrade the Gateway API CRDs v1.4.1 -> v1.5.1 (standard channel), before any istiod that reads them",
            "Upgrade istio-cni in place 1.29.6 -> 1.30.3 (profile ambient), after the new istiod; node by node, new pods on a node wait while its agent restarts",
            "Upgrade ztunnel in place 1.29.6 -> 1.30.3, connected to istiod-1-30-3: node by node, a new ztunnel pod starts before the old one stops; long-lived TCP connections of ambient pods on each node are reset (cordon and drain first to avoid that)",
        ],
    },
    {
        title: "a waypoint relabelled, a gateway added, another waypoint removed, a binding dropped",
        from: mesh({ namespaces: [ns("shop", "ambient", { useWaypoint: "waypoint" })], gateways: [waypoint("shop", "waypoint", "prod"), waypoint("shop", "old")] }),
        to: mesh({ gateways: [waypoint("shop", "waypoint", "1-29-6"), gateway("ingress", "public", "prod")] }),
        steps: [
            "Relabel waypoint shop/waypoint (Gateway, class istio-waypoint, HBONE 15008) istio.io/rev=prod -> istio.io/rev=1-29-6: the istiod it names redeploys its pods",
            "Create gateway ingress/public (Gateway, class istio) with istio.io/rev=prod; istiod deploys it; wait until it is Programmed",
            "Remove istio.io/use-waypoint from namespace shop: its traffic stops going through waypoint \"waypoint\"",
            "Delete waypoint shop/old (istiod removes its Deployment and Service)",
        ],
    },
    {
        title: "ambient taken out after every namespace left it",
        from: mesh({ namespaces: [ns("shop", "sidecar", { revision: "prod" })], gateways: [] }),
        to: sidecarMesh({ revisions: [rev("1.29.6")], cni: { version: "1.29.6", ambient: false } }),
        steps: ["Uninstall ztunnel (release ztunnel), after every namespace has left ambient", "Turn off the ambient profile of istio-cni, after ztunnel"],
    },
];

describe("ambient: plan steps", () => {
    for (const c of CASES) {
        it(c.title, () => {
            expect(ambientSteps(c.from, c.to)).to.deep.equal(c.steps);
        });
    }
});
