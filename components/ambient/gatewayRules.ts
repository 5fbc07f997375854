/**
 * Rules for the Gateway API Gateways istiod deploys: waypoints (gatewayClassName
 * istio-waypoint) and gateways (gatewayClassName istio). Each follows a revision through
 * istio.io/rev (on the Gateway, else on its namespace, else the default), so the rules on
 * revisions that namespaces obey apply to them too. Table rows; pure.
 */
import { defaultRevisionOwnsGateways, IstiodGatewayClass, WAYPOINT_CLASS } from "./facts";
import { AnyRule, row } from "./rule";
import { AmbientState, gatewayKey, gatewayRevision, IstiodGateway } from "./state";

export const GATEWAY_REVISION_RULES = {
    waypointUnresolved: "waypoint-revision-unresolved",
    waypointRemoved: "waypoint-revision-removed",
    gatewayUnresolved: "gateway-api-gateway-revision-unresolved",
    gatewayRemoved: "gateway-api-gateway-revision-removed",
} as const;

const noun = (c: IstiodGatewayClass) => (c === WAYPOINT_CLASS ? "waypoint" : "gateway");
const of = (s: AmbientState | undefined, c: IstiodGatewayClass) => (s?.gateways ?? []).filter((g) => g.className === c);
const selected = (s: AmbientState, g: IstiodGateway) => g.revision ?? s.namespaces.find((n) => n.name === g.namespace)?.revision;

/** Why no istiod takes the Gateway, in the terms of its labels. */
function unresolvedReason(s: AmbientState, g: IstiodGateway): string {
    const label = selected(s, g);
    if (label !== undefined && label !== "") {
        const via = g.revision !== undefined ? "its istio.io/rev" : `the istio.io/rev of namespace ${g.namespace}`;
        return Object.hasOwn(s.tags, label) ? `${via} is tag "${label}", which points at "${s.tags[label]}", a revision that is not installed` : `${via} is "${label}", which is neither a revision nor a tag`;
    }
    const dflt = s.defaultRevision === undefined ? undefined : s.revisions.find((r) => r.name === s.defaultRevision);
    if (dflt !== undefined) {
        const [, minor, patch] = dflt.version.split(".").map(Number);
        if (!defaultRevisionOwnsGateways(minor, patch)) {
            return `it names no revision, there is no "default" tag, and istiod ${dflt.version} (the default revision) takes unlabelled Gateways only through that tag (from 1.25.5, 1.26.4, 1.27.1 and 1.28 the default revision does too)`;
        }
    }
    return `it names no revision and neither a "default" tag nor a default revision is installed`;
}

function unresolved(className: IstiodGatewayClass, code: string): AnyRule {
    return row<{ gateway: string; reason: string }>({
        code,
        severity: "refusal",
        applies: (_f, to) => of(to, className).length > 0,
        check: (_f, to) => of(to, className).flatMap((g) => (gatewayRevision(to, g) === undefined ? [{ gateway: gatewayKey(g), reason: unresolvedReason(to, g) }] : [])),
        message: (f, to) =>
            `${noun(className)} ${f.gateway} would be deployed by no istiod: ${f.reason}. Its Deployment is then neither created nor updated, and its proxies lose their control plane. ` +
            `Safe sequence: label the Gateway istio.io/rev=<tag or revision> naming one of ${[...Object.keys(to.tags), ...to.revisions.map((r) => r.name)].join(", ") || "the installed revisions"}.`,
    });
}

/**
 * A revision removed while a Gateway that it served moves, in the same change, to a revision
 * this change creates: the Gateway would be redeployed by an istiod that has not run yet, the
 * one it runs on gone. Mirrors removed-revision-users-on-new-revision.
 */
function removed(className: IstiodGatewayClass, code: string): AnyRule {
    return row<{ gateway: string; removed: string; now: string }>({
        code,
        severity: "refusal",
        applies: (from, to) => from !== undefined && from.revisions.some((r) => !to.revisions.some((t) => t.name === r.name)),
        check: (from, to) => {
            if (from === undefined) {
                return [];
            }
            const fromNames = new Set(from.revisions.map((r) => r.name));
            const gone = new Set(from.revisions.filter((r) => !to.revisions.some((t) => t.name === r.name)).map((r) => r.name));
            return of(from, className).flatMap((g) => {
                const before = gatewayRevision(from, g);
                const stays = to.gateways.find((x) => x.className === className && gatewayKey(x) === gatewayKey(g));
                if (before === undefined || !gone.has(before.name) || stays === undefined) {
                    return [];
                }
                const now = gatewayRevision(to, stays);
                // No revision at all is the unresolved rule's finding; this one is about a move to an untried one.
                return now === undefined || fromNames.has(now.name) ? [] : [{ gateway: gatewayKey(g), removed: before.name, now: now.name }];
            });
        },
        message: (f) =>
            `revision "${f.removed}" is removed while ${noun(className)} ${f.gateway}, which it deploys, moves to "${f.now}", a revision created in this same change: ` +
            `its pods would be replaced by a control plane that has not run yet while the one they run on goes. ` +
            `Safe sequence: 1) install the new revision and move the ${noun(className)}'s tag to it; 2) check the Gateway is Programmed and its pods restarted; 3) remove "${f.removed}" in a later change.`,
    });
}

export const GATEWAY_REVISION_TABLE: readonly AnyRule[] = [
    unresolved(WAYPOINT_CLASS, GATEWAY_REVISION_RULES.waypointUnresolved),
    removed(WAYPOINT_CLASS, GATEWAY_REVISION_RULES.waypointRemoved),
    unresolved("istio", GATEWAY_REVISION_RULES.gatewayUnresolved),
    removed("istio", GATEWAY_REVISION_RULES.gatewayRemoved),
];
