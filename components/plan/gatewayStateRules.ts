/**
 * Changes of what deployed state schema 4 records about gateways and images: a gateway's
 * client-facing Service type and its kind, and the mesh's image hub. Each row names the objects,
 * the config key and the safe sequence. A state from an older schema does not record them: the
 * rules then say what they could not check, and never take the values from the next config.
 * Pure.
 */
import { canarySelector } from "../config/gateways";
import { GatewayServiceType, MeshState } from "../state/deployed";
import type { Problem } from "./transitions";

export const GATEWAY_STATE_RULES = {
    serviceTypeChange: "gateway-service-type-change",
    kindChange: "gateway-kind-change",
} as const;

export const GATEWAY_STATE_WARNINGS = {
    hubChange: "hub-change",
    unrecorded: "gateway-state-unrecorded",
} as const;

/** What clients reach a gateway through: an in-place gateway, or a canary gateway's group. */
interface Front {
    readonly name: string;
    readonly namespace: string;
    readonly canary: boolean;
    readonly kind?: MeshState["gateways"][number]["kind"];
    readonly serviceType?: GatewayServiceType;
}

function fronts(state: MeshState): Map<string, Front> {
    const out = new Map<string, Front>();
    for (const g of state.gateways) {
        const name = g.canaryOf ?? g.name;
        // Every Deployment of a canary gateway records the same kind and Service type.
        if (!out.has(name)) out.set(name, { name, namespace: g.namespace, canary: g.canaryOf !== undefined, kind: g.kind, serviceType: g.serviceType });
    }
    return out;
}

/**
 * The gateways in both states with the same mode and namespace: a mode change or a namespace
 * move replaces the Service anyway and has its own rule (gatewayRules.ts).
 */
function pairs(from: MeshState, to: MeshState): [Front, Front][] {
    const before = fronts(from);
    return [...fronts(to).values()].flatMap((b) => {
        const a = before.get(b.name);
        return a !== undefined && a.canary === b.canary && a.namespace === b.namespace ? [[a, b] as [Front, Front]] : [];
    });
}

/** What a Service of each type gives clients: each type keeps the addresses of the ones before it. */
const ADDRESSES: Readonly<Record<GatewayServiceType, readonly string[]>> = {
    None: [],
    ClusterIP: ["cluster IP"],
    NodePort: ["cluster IP", "node ports"],
    LoadBalancer: ["cluster IP", "node ports", "external load-balancer address"],
};

/** The addresses a change of Service type takes away (none: it only adds). */
export function lostAddresses(from: GatewayServiceType, to: GatewayServiceType): string[] {
    return ADDRESSES[from].filter((a) => !ADDRESSES[to].includes(a));
}

const gainedAddresses = (from: GatewayServiceType, to: GatewayServiceType) => lostAddresses(to, from);
const words = (xs: readonly string[]) => (xs.length <= 1 ? xs.join("") : `${xs.slice(0, -1).join(", ")} and ${xs[xs.length - 1]}`);
const key = (name: string, ...path: string[]) => `istio-mesh:mesh.gateways.${name}${path.map((p) => `.${p}`).join("")}`;

/** A row: when it applies to a gateway present before and after, and what it says. */
interface FrontRule {
    readonly code: string;
    readonly applies: (a: Front, b: Front) => boolean;
    readonly message: (a: Front, b: Front) => string;
}

export const FRONT_RULES: readonly FrontRule[] = [
    {
        code: GATEWAY_STATE_RULES.serviceTypeChange,
        applies: (a, b) => a.serviceType !== undefined && b.serviceType !== undefined && lostAddresses(a.serviceType, b.serviceType).length > 0,
        message: (a, b) => {
            const lost = words(lostAddresses(a.serviceType!, b.serviceType!));
            const head = `gateway "${b.name}" changes service.type ${a.serviceType} -> ${b.serviceType} (${key(b.name, "service", "type")}): its Service ${b.name} in ${b.namespace} `;
            // None: nothing is left for clients to move to, so they must leave first.
            return b.serviceType === "None"
                ? `${head}is deleted, and with it its ${lost}, so clients using it stop reaching the gateway. ` +
                      `Safe sequence: keep service.type: ${a.serviceType}; move every client off Service ${b.name} first, then override this rule for the run that removes it.`
                : `${head}loses its ${lost}, so clients using it stop reaching the gateway. ` +
                      `Safe sequence: keep service.type: ${a.serviceType}; to drop the ${lost}, add a gateway under a new name with service.type: ${b.serviceType}, ` +
                      `move clients (and DNS) to it, then remove "${b.name}"; or, once no client uses the ${lost}, override this rule for the run.`;
        },
    },
    {
        code: GATEWAY_STATE_RULES.kindChange,
        applies: (a, b) => a.kind !== undefined && b.kind !== undefined && a.kind !== b.kind,
        message: (a, b) => {
            const [la, lb] = [canarySelector(b.name, a.kind).istio, canarySelector(b.name, b.kind).istio];
            return (
                `gateway "${b.name}" changes kind ${a.kind} -> ${b.kind} (${key(b.name, "kind")}): its pods' istio label changes ${la} -> ${lb} (unless labels.istio pins it), ` +
                `so Istio Gateway resources selecting istio: ${la} stop binding to them and their routes stop serving; the label is also in its Deployment's selector` +
                `${b.canary ? ` and in Service ${b.name}'s` : ""}, which Kubernetes does not change in place. Safe sequence: keep kind: ${a.kind}; add a ${b.kind} gateway ` +
                `under a new name, point the Gateway resources' selectors at istio: ${lb}, move clients to it, then remove "${b.name}".`
            );
        },
    },
];

/** The refusals (each overridable for one run). */
export function gatewayStateProblems(from: MeshState, to: MeshState): Problem[] {
    return pairs(from, to).flatMap(([a, b]) => FRONT_RULES.filter((r) => r.applies(a, b)).map((r) => ({ code: r.code, message: r.message(a, b) })));
}

/** What a change of hub pulls: the images of every revision (and of the CNI agent). */
function images(to: MeshState, hub: string): string {
    const versions = [...new Set(to.revisions.map((r) => r.version))];
    const names = ["pilot", "proxyv2", ...(to.cni === undefined ? [] : ["install-cni"])];
    return names.flatMap((n) => versions.map((v) => `${hub}/${n}:${v}`)).join(", ");
}

/** Advisories: a hub change, and what an older state's lack of records left unchecked. */
export function gatewayStateWarnings(from: MeshState, to: MeshState): Problem[] {
    const warnings: Problem[] = [];
    // The add-on's images are AKS's: mesh.hub plays no part there.
    if (to.management === "helm" && from.hub !== undefined && to.hub !== undefined && from.hub !== to.hub) {
        warnings.push({
            code: GATEWAY_STATE_WARNINGS.hubChange,
            message:
                `mesh.hub changes ${from.hub} -> ${to.hub} (istio-mesh:mesh.hub): every istiod and gateway Deployment rolls onto images from ${to.hub}, and every pod ` +
                `injected from now on pulls its proxy from it (running pods keep ${from.hub}'s until they restart). If ${to.hub} lacks one, istiod and the gateways ` +
                `stall in ImagePullBackOff and new pods cannot start. Safe sequence: check that ${to.hub} serves ${images(to, to.hub)} (e.g. crane manifest <image>), then up.`,
        });
    }
    const unknown = pairs(from, to).filter(([a]) => a.kind === undefined || a.serviceType === undefined).map(([, b]) => b);
    const hubUnknown = to.management === "helm" && from.hub === undefined;
    if (unknown.length > 0 || hubUnknown) {
        const what = [...(unknown.length > 0 ? ["each gateway's kind and Service type"] : []), ...(hubUnknown ? ["the image hub"] : [])];
        const checks = [
            ...unknown.map((g) => `kubectl get service ${g.name} -n ${g.namespace} -o jsonpath='{.spec.type}' (the config says ${g.serviceType}, kind ${g.kind})`),
            ...(hubUnknown ? [`kubectl get deployment -n ${to.namespace} -l app=istiod -o jsonpath='{..image}' (the config says hub ${to.hub})`] : []),
        ];
        warnings.push({
            code: GATEWAY_STATE_WARNINGS.unrecorded,
            message:
                `the deployed state was written by an earlier istio-mesh (state schema 3 or older), which did not record ${words(what)}: this update cannot tell whether ` +
                `they change, so ${[...(unknown.length > 0 ? [GATEWAY_STATE_RULES.serviceTypeChange, GATEWAY_STATE_RULES.kindChange] : []), ...(hubUnknown ? [GATEWAY_STATE_WARNINGS.hubChange] : [])].join(", ")} ` +
                `did not run. Check what runs before up: ${checks.join("; ")}. If it matches, nothing to do: this update records them and the next one checks them; ` +
                `if not, make the config match what runs first.`,
        });
    }
    return warnings;
}

/** The plan's steps for these changes, allowed or not. */
export function gatewayStateSteps(from: MeshState | undefined, to: MeshState): string[] {
    if (from === undefined) return [];
    const steps = pairs(from, to).flatMap(([a, b]) => {
        const out: string[] = [];
        if (a.serviceType !== undefined && b.serviceType !== undefined && a.serviceType !== b.serviceType) {
            const [lost, gained] = [lostAddresses(a.serviceType, b.serviceType), gainedAddresses(a.serviceType, b.serviceType)];
            out.push(
                `Change gateway ${b.name}'s Service type ${a.serviceType} -> ${b.serviceType}` +
                    `${gained.length > 0 ? `: gains ${words(gained)}` : ""}${lost.length > 0 ? `${gained.length > 0 ? ";" : ":"} LOSES its ${words(lost)}` : ""}`,
            );
        }
        if (a.kind !== undefined && b.kind !== undefined && a.kind !== b.kind) {
            out.push(`Change gateway ${b.name}'s kind ${a.kind} -> ${b.kind} (its pods' istio label ${canarySelector(b.name, a.kind).istio} -> ${canarySelector(b.name, b.kind).istio})`);
        }
        return out;
    });
    if (to.management === "helm" && from.hub !== undefined && to.hub !== undefined && from.hub !== to.hub) {
        steps.push(`Pull every Istio image from ${to.hub} (was ${from.hub}): istiod and the gateways roll; injected pods get the new proxy image at their next restart`);
    }
    return steps;
}
