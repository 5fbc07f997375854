/**
 * Ambient transition rules for the node agents (ztunnel, istio-cni) and for namespaces moving
 * between the sidecar and ambient data planes, as table rows. Pure. The facts behind each row
 * are in FACTS.md (sections named in the row's comment).
 */
import { AMBIENT_GA_MINOR, MAX_NODE_AGENT_LAG_MINORS, ZTUNNEL_NAME } from "./facts";
import { AnyRule, minorOf, row } from "./rule";
import { AmbientNamespace, AmbientState, ambientNamespaces, gatewayKey, waypoints, ztunnelRevision } from "./state";

export const AMBIENT_RULES = {
    betaVersion: "ambient-before-stable",
    componentsMissing: "ambient-components-missing",
    ztunnelRevision: "ztunnel-revision-unresolved",
    ztunnelSkew: "ztunnel-control-plane-skew",
    cniSkew: "cni-control-plane-skew",
    ztunnelSkip: "ztunnel-in-place-skips-minor",
    enrolBeforeZtunnel: "ambient-enrol-with-first-ztunnel",
    leaveWithoutSidecar: "ambient-to-sidecar-gap",
    switchWithWaypoint: "dataplane-switch-with-waypoint",
    switchWithServiceWaypoint: "dataplane-switch-with-service-waypoint",
} as const;

export const AMBIENT_WARNINGS = {
    ztunnelRestart: "ztunnel-node-restart",
    cniRestart: "cni-ambient-node-restart",
    moveToAmbient: "sidecar-to-ambient-restart",
    injectionLabel: "ambient-namespace-injection-label",
} as const;

const uses = (s: AmbientState) =>
    ambientNamespaces(s).length > 0 || waypoints(s).length > 0 || s.ztunnel !== undefined || s.cni?.ambient === true || s.revisions.some((r) => r.ambient);
const ns = (s: AmbientState | undefined, name: string) => s?.namespaces.find((n) => n.name === name);
const restart = (n: string) => `kubectl rollout restart deployment,statefulset,daemonset -n ${n}`;
const newestRevision = (s: AmbientState) => s.revisions.reduce<(typeof s.revisions)[number] | undefined>((b, r) => (b === undefined || minorOf(r.version) > minorOf(b.version) ? r : b), undefined);

/** Namespaces present on both sides whose data-plane mode changes. */
function switched(from: AmbientState | undefined, to: AmbientState): { before: AmbientNamespace; after: AmbientNamespace }[] {
    return to.namespaces.flatMap((after) => {
        const before = ns(from, after.name);
        return before !== undefined && before.dataplane !== after.dataplane ? [{ before, after }] : [];
    });
}

/** FACTS "Ambient status": Beta in 1.22-1.23, Stable from 1.24. */
const betaVersion = row<{ what: string; version: string }>({
    code: AMBIENT_RULES.betaVersion,
    severity: "refusal",
    applies: (_f, to) => uses(to),
    check: (_f, to) =>
        [
            ...to.revisions.filter((r) => r.ambient).map((r) => ({ what: `revision "${r.name}"`, version: r.version })),
            ...(to.ztunnel === undefined ? [] : [{ what: "ztunnel", version: to.ztunnel.version }]),
            ...(to.cni?.ambient === true ? [{ what: "istio-cni", version: to.cni.version }] : []),
        ].filter((x) => minorOf(x.version) < AMBIENT_GA_MINOR),
    message: (f) =>
        `${f.what} runs Istio ${f.version} in ambient mode, which is Beta before 1.${AMBIENT_GA_MINOR} (Stable from 1.${AMBIENT_GA_MINOR}.0). ` +
        `Safe sequence: upgrade the control plane to 1.${AMBIENT_GA_MINOR}.x or later with sidecars as today, then enable ambient in a later change.`,
});

/** FACTS "Install": istiod and istio-cni with profile=ambient and the ztunnel chart, all three. */
const componentsMissing = row<{ missing: string; users: string }>({
    code: AMBIENT_RULES.componentsMissing,
    severity: "refusal",
    applies: (_f, to) => ambientNamespaces(to).length > 0 || waypoints(to).length > 0,
    check: (_f, to) => {
        const users = [...ambientNamespaces(to).map((n) => `namespace "${n.name}"`), ...waypoints(to).map((w) => `waypoint ${gatewayKey(w)}`)].join(", ");
        const missing: string[] = [];
        if (to.ztunnel === undefined) {
            missing.push(`the ztunnel DaemonSet (release ${ZTUNNEL_NAME})`);
        }
        if (to.cni?.ambient !== true) {
            missing.push(to.cni === undefined ? "istio-cni (installed with profile ambient)" : "istio-cni's ambient profile (it runs without it)");
        }
        const zr = ztunnelRevision(to);
        if (zr !== undefined && !zr.ambient) {
            missing.push(`the ambient profile on revision "${zr.name}", which ztunnel connects to`);
        }
        return missing.map((m) => ({ missing: m, users }));
    },
    message: (f) =>
        `${f.users} need ${f.missing}: ambient mode needs istiod and istio-cni installed with profile ambient and the ztunnel chart; without them the pods are not captured (no mTLS, no policy). ` +
        `Safe sequence: install the missing piece first, check that ztunnel runs on every node, then enrol namespaces in a later change.`,
});

/** FACTS "ztunnel revision": XDS and CA at istiod-<revision>.<istio namespace>.svc:15012. */
const ztunnelRevisionRule = row<{ revision: string; reason: string }>({
    code: AMBIENT_RULES.ztunnelRevision,
    severity: "refusal",
    applies: (_f, to) => to.ztunnel !== undefined,
    check: (_f, to) => {
        if (ztunnelRevision(to) !== undefined) {
            return [];
        }
        const r = to.ztunnel?.revision ?? "";
        const reason =
            r === ""
                ? "no revision is set, so it would connect to Service istiod, which only a control plane installed without a revision has"
                : Object.hasOwn(to.tags, r)
                  ? `"${r}" is a tag, and the chart builds the address istiod-${r} from it; only a revision has that Service`
                  : `no revision "${r}" is installed`;
        return [{ revision: r, reason }];
    },
    message: (f, to) =>
        `ztunnel fetches its configuration and certificates from istiod-<revision>.${to.istioNamespace}.svc:15012, but ${f.reason}: every ambient pod on every node would lose connectivity once ztunnel restarts. ` +
        `Safe sequence: set the ztunnel revision to an installed revision name (${to.revisions.map((r) => r.name).join(", ") || "none is installed"}), never a tag.`,
});

/** FACTS "Upgrade": node agents at 1.x work with a control plane at 1.x and 1.x+1 only. */
function skew(zOrC: "ztunnel" | "istio-cni", agent: string, cp: { name: string; version: string }) {
    const d = minorOf(cp.version) - minorOf(agent);
    return d < 0 || d > MAX_NODE_AGENT_LAG_MINORS ? [{ agent: zOrC, agentVersion: agent, revision: cp.name, cpVersion: cp.version, ahead: d < 0 }] : [];
}
type Skew = ReturnType<typeof skew>[number];
const skewMessage = (f: Skew) =>
    f.ahead
        ? `${f.agent} ${f.agentVersion} would be ahead of control plane "${f.revision}" (${f.cpVersion}); a node agent is never newer than its control plane. ` +
          `Safe sequence: upgrade the control plane first (a new revision, moved to), then ${f.agent} in a later change; to roll the control plane back, roll ${f.agent} back first.`
        : `${f.agent} ${f.agentVersion} would lag control plane "${f.revision}" (${f.cpVersion}) by more than one minor; Istio supports ${f.agent} 1.x with a control plane at 1.x or 1.x+1. ` +
          `Safe sequence: upgrade ${f.agent} one minor at a time, each after the control plane it serves, before moving the control plane further.`;

const ztunnelSkew = row<Skew>({
    code: AMBIENT_RULES.ztunnelSkew,
    severity: "refusal",
    applies: (_f, to) => to.ztunnel !== undefined,
    check: (_f, to) => {
        const cp = ztunnelRevision(to);
        return cp === undefined || to.ztunnel === undefined ? [] : skew("ztunnel", to.ztunnel.version, cp);
    },
    message: skewMessage,
});

const cniSkew = row<Skew>({
    code: AMBIENT_RULES.cniSkew,
    severity: "refusal",
    applies: (_f, to) => to.cni?.ambient === true && to.revisions.length > 0,
    check: (_f, to) => {
        // The agent serves the whole cluster: it follows the newest control plane (the one an upgrade moves to).
        const cp = newestRevision(to);
        return cp === undefined || to.cni === undefined ? [] : skew("istio-cni", to.cni.version, cp);
    },
    message: skewMessage,
});

const ztunnelSkip = row<{ before: string; after: string }>({
    code: AMBIENT_RULES.ztunnelSkip,
    severity: "refusal",
    applies: (from, to) => from?.ztunnel !== undefined && to.ztunnel !== undefined,
    check: (from, to) => {
        const [b, a] = [from?.ztunnel?.version ?? "", to.ztunnel?.version ?? ""];
        return b !== "" && a !== "" && Math.abs(minorOf(a) - minorOf(b)) > 1 ? [{ before: b, after: a }] : [];
    },
    message: (f) =>
        `ztunnel would move in place ${f.before} -> ${f.after}, more than one minor at once; ztunnel has one DaemonSet and no canary, so every step restarts it on every node. ` +
        `Safe sequence: step one minor per change, each after the control plane it connects to.`,
});

/** FACTS "Sidecar -> ambient": ambient confirmed working before sidecars go. */
const enrolBeforeZtunnel = row<{ namespace: string }>({
    code: AMBIENT_RULES.enrolBeforeZtunnel,
    severity: "refusal",
    applies: (from, to) => from !== undefined && to.ztunnel !== undefined && (from.ztunnel === undefined || from.cni?.ambient !== true),
    check: (from, to) => switched(from, to).filter((s) => s.after.dataplane === "ambient").map((s) => ({ namespace: s.after.name })),
    message: (f) =>
        `namespace "${f.namespace}" moves to ambient in the change that first installs ztunnel (or the ambient CNI): its workloads would restart without sidecars before anyone has seen ambient capture work on these nodes, ` +
        `and pods captured by neither a sidecar nor ztunnel have no mTLS and no policy. Safe sequence: 1) install the ambient pieces and check ztunnel runs on every node; 2) move "${f.namespace}" in a later change.`,
});

/** FACTS "Namespace labels": removing istio.io/dataplane-mode un-enrols running pods at once. */
const leaveWithoutSidecar = row<{ namespace: string; revision?: string }>({
    code: AMBIENT_RULES.leaveWithoutSidecar,
    severity: "refusal",
    applies: (from) => from !== undefined,
    check: (from, to) =>
        switched(from, to)
            .filter((s) => s.before.dataplane === "ambient" && s.before.revision === undefined)
            .map((s) => ({ namespace: s.after.name, revision: s.after.revision })),
    message: (f) =>
        `namespace "${f.namespace}" leaves ambient in one step: the CNI agent un-enrols its running pods as soon as istio.io/dataplane-mode is removed, and until each restarts with a sidecar it sends and receives plain text outside the mesh (peers with STRICT mTLS refuse it). ` +
        `Safe sequence: 1) keep it ambient and add istio.io/rev=${f.revision ?? "<tag>"}, then restart its workloads (${restart(f.namespace)}): new pods get sidecars, which win over ambient; 2) remove the ambient mode in a later change.` +
        (f.revision === undefined ? ` If "${f.namespace}" is meant to leave the mesh altogether, override this rule.` : ""),
});

/** FACTS "Waypoints" and "Sidecar -> ambient": waypoints activated before ambient, released after it. */
type Bound = { namespace: string; waypoint: string; toAmbient: boolean };
const switchWithWaypoint = row<Bound>({
    code: AMBIENT_RULES.switchWithWaypoint,
    severity: "refusal",
    applies: (from) => from !== undefined,
    check: (from, to) =>
        switched(from, to).flatMap(({ before, after }): Bound[] => {
            if (before.dataplane === "ambient") {
                const bound = before.useWaypoint ?? after.useWaypoint;
                return bound === undefined ? [] : [{ namespace: after.name, waypoint: bound, toAmbient: false }];
            }
            const bound = after.useWaypoint;
            const wpKey = bound === undefined ? "" : bound.includes("/") ? bound : `${after.name}/${bound}`;
            const wasReady = bound !== undefined && before.useWaypoint === bound && (from?.gateways ?? []).some((g) => g.className === "istio-waypoint" && gatewayKey(g) === wpKey);
            return bound === undefined || wasReady ? [] : [{ namespace: after.name, waypoint: bound, toAmbient: true }];
        }),
    message: (f) =>
        f.toAmbient
            ? `namespace "${f.namespace}" moves to ambient in the same change that binds it to waypoint "${f.waypoint}": its L7 routes and policies would apply only once that waypoint is deployed and ready, after its pods already rely on it. ` +
              `Safe sequence: 1) deploy waypoint "${f.waypoint}" and label the namespace istio.io/use-waypoint=${f.waypoint}; check the Gateway is Programmed; 2) move the namespace to ambient in a later change.`
            : `namespace "${f.namespace}" leaves ambient while bound to waypoint "${f.waypoint}": a pod that restarts with a sidecar is no longer an ambient workload, so nothing sends its traffic through the waypoint, and the L7 policies attached to it stop applying to that pod while they still apply to the pods not yet restarted. ` +
              `Safe sequence: 1) give the workloads sidecar-mode policies (workload selectors), then remove istio.io/use-waypoint from the namespace; 2) leave ambient in a later change.`,
});

/**
 * The same order for waypoints bound per Service (istio.io/use-waypoint on the Service): bound
 * and Programmed before the namespace moves to ambient, released before it leaves.
 */
type ServiceBound = { namespace: string; services: string[]; toAmbient: boolean };
const serviceBindings = (n: AmbientNamespace) => new Map((n.services ?? []).map((svc) => [svc.name, svc.useWaypoint]));
const switchWithServiceWaypoint = row<ServiceBound>({
    code: AMBIENT_RULES.switchWithServiceWaypoint,
    severity: "refusal",
    applies: (from, to) => from !== undefined && to.namespaces.some((n) => (n.services ?? []).length > 0 || (ns(from, n.name)?.services ?? []).length > 0),
    check: (from, to) =>
        switched(from, to).flatMap(({ before, after }): ServiceBound[] => {
            const [b, a] = [serviceBindings(before), serviceBindings(after)];
            if (before.dataplane === "ambient") {
                const services = [...new Set([...b.keys(), ...a.keys()])].sort();
                return services.length === 0 ? [] : [{ namespace: after.name, services, toAmbient: false }];
            }
            const ready = (svc: string, w: string) => b.get(svc) === w && (from?.gateways ?? []).some((g) => g.className === "istio-waypoint" && gatewayKey(g) === `${after.name}/${w}`);
            const fresh = [...a.entries()].filter(([svc, w]) => !ready(svc, w)).map(([svc, w]) => `${svc} -> ${w}`);
            return fresh.length === 0 ? [] : [{ namespace: after.name, services: fresh, toAmbient: true }];
        }),
    message: (f) =>
        f.toAmbient
            ? `namespace "${f.namespace}" moves to ambient in the same change that binds its Services to waypoints (${f.services.join(", ")}, mesh.namespaces.${f.namespace}.services): traffic to them would rely on waypoints not yet deployed and ready. ` +
              `Safe sequence: 1) bind the Services (the stack deploys each waypoint, then labels the Service istio.io/use-waypoint); check each Gateway is Programmed; 2) move the namespace to ambient in a later change.`
            : `namespace "${f.namespace}" leaves ambient while Services ${f.services.join(", ")} are bound to waypoints: a pod that restarts with a sidecar is no longer an ambient workload, so the L7 policies attached to those waypoints stop applying to it while they still apply to the pods not yet restarted. ` +
              `Safe sequence: 1) give the workloads sidecar-mode policies (workload selectors), then remove mesh.namespaces.${f.namespace}.services; 2) leave ambient in a later change.`,
});

/** FACTS "Upgrade": ztunnel and istio-cni upgrade in place, node by node. */
const ztunnelRestart = row<{ change: string }>({
    code: AMBIENT_WARNINGS.ztunnelRestart,
    severity: "warning",
    applies: (from, to) => from?.ztunnel !== undefined && to.ztunnel !== undefined,
    check: (from, to) => {
        const [b, a] = [from?.ztunnel, to.ztunnel];
        if (b === undefined || a === undefined || (b.version === a.version && (b.revision ?? "") === (a.revision ?? ""))) {
            return [];
        }
        const parts = [b.version === a.version ? "" : `${b.version} -> ${a.version}`, (b.revision ?? "") === (a.revision ?? "") ? "" : `revision ${b.revision ?? "(none)"} -> ${a.revision ?? "(none)"}`];
        return [{ change: parts.filter((p) => p !== "").join(", ") }];
    },
    message: (f) =>
        `ztunnel changes in place (${f.change}): there is one ztunnel DaemonSet and no canary, even with revisions. Node by node its pod is replaced (a new one starts before the old one stops, maxSurge 1, maxUnavailable 0), ` +
        `and every long-lived TCP connection of the ambient pods on that node is reset (the old pod drains for terminationGracePeriodSeconds - 1 s). To limit the blast radius, cordon and drain nodes or move workloads to a new node pool first.`,
});

const cniRestart = row<{ before: string; after: string }>({
    code: AMBIENT_WARNINGS.cniRestart,
    severity: "warning",
    applies: (from, to) => from?.cni?.ambient === true && to.cni?.ambient === true,
    check: (from, to) => (from?.cni !== undefined && to.cni !== undefined && from.cni.version !== to.cni.version ? [{ before: from.cni.version, after: to.cni.version }] : []),
    message: (f) =>
        `istio-cni upgrades in place ${f.before} -> ${f.after} (no canary, even with revisions): while its pod restarts on a node, new pods on that node wait to start until the agent is back (so none runs uncaptured); pods already in the mesh keep working.`,
});

const moveToAmbient = row<{ namespace: string }>({
    code: AMBIENT_WARNINGS.moveToAmbient,
    severity: "warning",
    applies: (from) => from !== undefined,
    check: (from, to) => switched(from, to).filter((s) => s.after.dataplane === "ambient").map((s) => ({ namespace: s.after.name })),
    message: (f) =>
        `namespace "${f.namespace}" moves from sidecars to ambient: running pods keep their sidecars (a sidecar wins over ambient) until they restart, then come back without one, captured by ztunnel. ` +
        `Restart its workloads after this update (${restart(f.namespace)}); old and new pods serve side by side meanwhile, both with mTLS. ` +
        `The gap to avoid is a pod processed by neither a sidecar nor ztunnel (no mTLS, no policy): it opens when pods restart without their sidecar before ambient capture works on their node, which is why ztunnel must already run there. ` +
        `Remove sidecar-only policies (workload selectors with L7 rules) right after the restart: ztunnel enforces them as DENY.`,
});

/** FACTS "Namespace labels": injection webhooks match istio.io/rev whatever the data-plane mode. */
const injectionLabel = row<{ namespace: string; revision: string }>({
    code: AMBIENT_WARNINGS.injectionLabel,
    severity: "warning",
    applies: (_f, to) => ambientNamespaces(to).length > 0,
    check: (_f, to) => ambientNamespaces(to).flatMap((n) => (n.revision === undefined ? [] : [{ namespace: n.name, revision: n.revision }])),
    message: (f) =>
        `namespace "${f.namespace}" is ambient and also labelled istio.io/rev=${f.revision}: the injection webhooks still match it, so every new pod gets a sidecar and is not captured by ztunnel. ` +
        `That is right only as a step of moving back to sidecars; to stay ambient, remove istio.io/rev from the namespace and set the revision on its waypoints (istio.io/rev on the Gateway) instead.`,
});

/** The ambient rows, refusals first, in the order a reviewer reads them. */
export const AMBIENT_TABLE: readonly AnyRule[] = [
    betaVersion,
    componentsMissing,
    ztunnelRevisionRule,
    ztunnelSkew,
    cniSkew,
    ztunnelSkip,
    enrolBeforeZtunnel,
    leaveWithoutSidecar,
    switchWithWaypoint,
    switchWithServiceWaypoint,
    ztunnelRestart,
    cniRestart,
    moveToAmbient,
    injectionLabel,
];
