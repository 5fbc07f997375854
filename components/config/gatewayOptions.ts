/**
 * Gateway options from the field runbooks: ingress or egress, the Service (type, ports,
 * annotations, load-balancer class, traffic policy), and the pods (resources, placement,
 * host networking, rollout strategy, PodDisruptionBudget). The raw schema, the normalized
 * shape and the validation live here; values.ts turns them into gateway chart values per
 * version, gateways/hostNetwork.ts into the one patch the chart cannot express.
 */
import { z } from "zod";
import { atLeast, IstioVersion } from "../versions/version";
import { DEFAULTS } from "./defaults";

const intOrPercent = z.union([z.number().int().min(0), z.string().regex(/^\d+%$/, "must be a number or a percentage like 25%")]);

/** One Service port, as the gateway chart's `service.ports` items (the template renders every key). */
export const gatewayPortSchema = z.strictObject({
    name: z.string(),
    port: z.number().int(),
    targetPort: z.number().int().optional(),
    nodePort: z.number().int().optional(),
    protocol: z.enum(["TCP", "UDP", "SCTP"]).optional(),
});

export const gatewayServiceSchema = z.strictObject({
    type: z.enum(["LoadBalancer", "ClusterIP", "NodePort", "None"]).optional(),
    ports: z.array(gatewayPortSchema).optional(),
    annotations: z.record(z.string(), z.string()).optional(),
    loadBalancerClass: z.string().min(1).optional(),
    externalTrafficPolicy: z.enum(["Cluster", "Local"]).optional(),
});

/** The option keys of `gateways.<name>` (besides revision/canary/replicas/autoscaling/labels/restart/values). */
export const gatewayOptionFields = {
    kind: z.enum(["ingress", "egress"]).optional(),
    service: gatewayServiceSchema.optional(),
    resources: z.record(z.string(), z.unknown()).optional(),
    nodeSelector: z.record(z.string(), z.string()).optional(),
    tolerations: z.array(z.record(z.string(), z.unknown())).optional(),
    affinity: z.record(z.string(), z.unknown()).optional(),
    hostNetwork: z.boolean().optional(),
    netBindService: z.boolean().optional(),
    strategy: z.strictObject({ maxUnavailable: intOrPercent.optional(), maxSurge: intOrPercent.optional() }).optional(),
    podDisruptionBudget: z.strictObject({ minAvailable: intOrPercent.optional(), maxUnavailable: intOrPercent.optional() }).optional(),
};

type RawOptions = { [K in keyof typeof gatewayOptionFields]?: z.infer<(typeof gatewayOptionFields)[K]> };

export type GatewayKind = "ingress" | "egress";
export type ServiceType = "LoadBalancer" | "ClusterIP" | "NodePort" | "None";

export interface GatewayPort {
    readonly name: string;
    readonly port: number;
    /** The container port; undefined = the chart's and Kubernetes' default (= port). */
    readonly targetPort?: number;
    /** Only on a NodePort or LoadBalancer Service, 30000-32767. */
    readonly nodePort?: number;
    readonly protocol: "TCP" | "UDP" | "SCTP";
}

/** What goes on the gateway's Service (the chart's for in place, the program's for canary). */
export interface GatewayServiceOptions {
    /** undefined = the chart's default ports (status-port 15021, http2 80, https 443). */
    readonly ports?: readonly GatewayPort[];
    readonly annotations: Readonly<Record<string, string>>;
    readonly loadBalancerClass?: string;
    readonly externalTrafficPolicy?: "Cluster" | "Local";
}

/** What goes on every gateway pod (every Deployment of a canary gateway). */
export interface GatewayPodOptions {
    readonly resources?: Readonly<Record<string, unknown>>;
    readonly nodeSelector: Readonly<Record<string, string>>;
    readonly tolerations: readonly Readonly<Record<string, unknown>>[];
    readonly affinity?: Readonly<Record<string, unknown>>;
    /** Pods on the node's network; the program then also sets dnsPolicy ClusterFirstWithHostNet. */
    readonly hostNetwork: boolean;
    /** Run the proxy as uid 0 with only CAP_NET_BIND_SERVICE, to bind ports below 1024. */
    readonly netBindService: boolean;
    /** RollingUpdate parameters; undefined = Kubernetes' default (25%/25%); with hostNetwork HOST_NETWORK_STRATEGY. */
    readonly strategy?: { readonly maxUnavailable?: number | string; readonly maxSurge?: number | string };
    readonly podDisruptionBudget?: { readonly minAvailable?: number | string; readonly maxUnavailable?: number | string };
}

/**
 * The rollout a host-network gateway gets unless `strategy` says otherwise: the old pod goes
 * before the new one starts. Two pods cannot share a node's ports (the scheduler refuses the
 * surge pod on the node, whose declared ports become host ports), so Kubernetes' default 25%
 * surge leaves a one-node gateway's rollout pending forever.
 */
export const HOST_NETWORK_STRATEGY = { maxUnavailable: 1, maxSurge: 0 } as const;

/** Istio's labels for egress gateways (its demo profile and docs select `istio: egressgateway`). */
export const EGRESS_ISTIO_LABEL = "egressgateway";

/** Default Service type per kind: ingress faces clients outside, egress only the mesh. */
export function defaultServiceType(kind: GatewayKind): ServiceType {
    return kind === "egress" ? "ClusterIP" : DEFAULTS.gateway.serviceType;
}

/** First Istio minor whose gateway chart renders a value (for "needs Istio 1.x" errors). */
export const GATEWAY_VALUE_SINCE = {
    /** `strategy` was added to the gateway chart in 1.24. */
    strategy: 24,
    /** `service.loadBalancerClass` is read by the template from 1.26. */
    loadBalancerClass: 26,
} as const;

export function chartHasStrategy(v: IstioVersion): boolean {
    return atLeast(v, GATEWAY_VALUE_SINCE.strategy);
}

export function chartHasLoadBalancerClass(v: IstioVersion): boolean {
    return atLeast(v, GATEWAY_VALUE_SINCE.loadBalancerClass);
}

/** The gateway chart's default Service ports (1.22-1.30): what the pods bind without service.ports. */
const CHART_PORTS: readonly Pick<GatewayPort, "name" | "port" | "targetPort">[] = [
    { name: "status-port", port: 15021, targetPort: 15021 },
    { name: "http2", port: 80, targetPort: 80 },
    { name: "https", port: 443, targetPort: 443 },
];

const NODE_PORTS = { min: 30000, max: 32767 } as const;
/** Kubernetes Service port names: IANA service names (at most 15 characters, a-z0-9 and '-'). */
const PORT_NAME = /^[a-z0-9]([a-z0-9-]{0,13}[a-z0-9])?$/;

export interface OptionIssue {
    /** Path below `gateways.<name>`. */
    readonly path: readonly PropertyKey[];
    readonly message: string;
}

/** Normalizes and checks the options of one gateway; problems are pushed, paths relative to the gateway. */
export function normalizeGatewayOptions(
    raw: RawOptions,
    issues: OptionIssue[],
): { kind: GatewayKind; serviceType: ServiceType; service: GatewayServiceOptions; pod: GatewayPodOptions } {
    const kind = raw.kind ?? "ingress";
    const serviceType = raw.service?.type ?? defaultServiceType(kind);
    const s = raw.service ?? {};
    const ports = s.ports?.map((p) => ({
        name: p.name,
        port: p.port,
        ...(p.targetPort === undefined ? {} : { targetPort: p.targetPort }),
        ...(p.nodePort === undefined ? {} : { nodePort: p.nodePort }),
        protocol: p.protocol ?? "TCP",
    }));
    const problem = (path: PropertyKey[], message: string) => issues.push({ path, message });

    if (ports !== undefined) {
        if (ports.length === 0) {
            problem(["service", "ports"], "empty; list at least one port (e.g. `- {name: http2, port: 80, targetPort: 8080}`), or remove ports for the chart's 15021/80/443");
        }
        const byNumber = new Map<string, number>();
        const byName = new Map<string, number>();
        const byNodePort = new Map<string, number>();
        ports.forEach((p, i) => {
            const at = (...rest: PropertyKey[]) => ["service", "ports", i, ...rest];
            if (!PORT_NAME.test(p.name)) {
                problem(at("name"), `"${p.name}" is not a Service port name: at most 15 characters, lowercase letters, digits and '-' (Istio reads the protocol from its prefix, e.g. http2, https, tcp)`);
            }
            for (const [field, value] of [["port", p.port], ["targetPort", p.targetPort]] as const) {
                if (value !== undefined && (value < 1 || value > 65535)) {
                    problem(at(field), `${value} is not a port; use 1-65535`);
                }
            }
            const key = `${p.port}/${p.protocol}`;
            const sameNumber = byNumber.get(key);
            if (sameNumber !== undefined) {
                problem(at("port"), `duplicate port ${p.port}/${p.protocol} (also service.ports[${sameNumber}]); each port number may appear once per protocol`);
            } else {
                byNumber.set(key, i);
            }
            const sameName = byName.get(p.name);
            if (sameName !== undefined) {
                problem(at("name"), `duplicate port name "${p.name}" (also service.ports[${sameName}]); give each port its own name`);
            } else {
                byName.set(p.name, i);
            }
            if (p.nodePort !== undefined) {
                const nodeKey = `${p.nodePort}/${p.protocol ?? "TCP"}`;
                const sameNode = byNodePort.get(nodeKey);
                if (sameNode !== undefined) {
                    problem(at("nodePort"), `duplicate nodePort ${p.nodePort} (also service.ports[${sameNode}]); each port needs its own nodePort`);
                } else {
                    byNodePort.set(nodeKey, i);
                }
                // Kubernetes allocates node ports for NodePort and LoadBalancer Services alike.
                if (serviceType !== "NodePort" && serviceType !== "LoadBalancer") {
                    problem(at("nodePort"), `a nodePort needs service.type NodePort or LoadBalancer (this Service is ${serviceType}); set the type or remove nodePort`);
                } else if (p.nodePort < NODE_PORTS.min || p.nodePort > NODE_PORTS.max) {
                    problem(at("nodePort"), `${p.nodePort} is outside the node port range ${NODE_PORTS.min}-${NODE_PORTS.max}; pick a port in that range or remove nodePort to let Kubernetes choose`);
                }
            }
        });
    }
    if (serviceType === "None") {
        const set = (["ports", "annotations", "loadBalancerClass", "externalTrafficPolicy"] as const).filter((k) => s[k] !== undefined);
        if (set.length > 0) {
            problem(["service"], `service.type None renders no Service, so ${set.join(", ")} would do nothing; remove ${set.length === 1 ? "it" : "them"} or pick a Service type`);
        }
    }
    if (s.loadBalancerClass !== undefined && serviceType !== "LoadBalancer") {
        problem(["service", "loadBalancerClass"], `only a LoadBalancer Service has a load-balancer class (this one is ${serviceType}); remove loadBalancerClass or set service.type: LoadBalancer`);
    }
    if (s.externalTrafficPolicy !== undefined && serviceType !== "LoadBalancer" && serviceType !== "NodePort") {
        problem(["service", "externalTrafficPolicy"], `only LoadBalancer and NodePort Services take externalTrafficPolicy (this one is ${serviceType}); remove it`);
    }

    const hostNetwork = raw.hostNetwork ?? false;
    const netBindService = raw.netBindService ?? false;
    if (hostNetwork && !netBindService) {
        // On the node's network the proxy (uid 1337) binds its listeners on the node itself, where
        // the chart's sysctl (ip_unprivileged_port_start=0) is refused: ports < 1024 need the capability.
        const bound: { name: string; port: number }[] = (ports ?? CHART_PORTS).map((p) => ({ name: p.name, port: p.targetPort ?? p.port }));
        const low = bound.filter((p) => p.port < 1024);
        if (low.length > 0) {
            problem(
                ["hostNetwork"],
                `with hostNetwork the proxy binds ${low.map((p) => `${p.name} (${p.port})`).join(", ")} on the node, ` +
                    `below 1024, which a non-root proxy cannot${ports === undefined ? " (the chart's default ports)" : ""}: set netBindService: true (the proxy runs as uid 0 with only CAP_NET_BIND_SERVICE), or use targetPorts of 1024 and above`,
            );
        }
    }
    if (netBindService && !hostNetwork) {
        problem(["netBindService"], "only needed with hostNetwork: true (in the pod's own network the chart's sysctl already lets the proxy bind low ports); remove it");
    }
    const st = raw.strategy;
    if (st !== undefined && isZero(st.maxUnavailable ?? "25%") && isZero(st.maxSurge ?? "25%")) {
        problem(["strategy"], "maxUnavailable and maxSurge are both 0, so a rollout could never start; let one of them be above 0 (small clusters: maxUnavailable: 100%, maxSurge: 0)");
    }
    // Kubernetes refuses more than 100% for these (maxSurge may go above).
    const over100 = (v: number | string | undefined) => typeof v === "string" && Number(v.slice(0, -1)) > 100;
    for (const [path, v] of [
        [["strategy", "maxUnavailable"], st?.maxUnavailable],
        [["podDisruptionBudget", "minAvailable"], raw.podDisruptionBudget?.minAvailable],
        [["podDisruptionBudget", "maxUnavailable"], raw.podDisruptionBudget?.maxUnavailable],
    ] as const) {
        if (over100(v)) {
            problem([...path], `${v} is more than 100%; write a percentage from 0% to 100% or a number of pods`);
        }
    }
    const pdb = raw.podDisruptionBudget;
    if (pdb !== undefined && (pdb.minAvailable === undefined) === (pdb.maxUnavailable === undefined)) {
        problem(["podDisruptionBudget"], "set exactly one of minAvailable or maxUnavailable (e.g. `podDisruptionBudget: {minAvailable: 1}`)");
    }
    return {
        kind,
        serviceType,
        service: {
            ...(ports === undefined ? {} : { ports }),
            annotations: s.annotations ?? {},
            ...(s.loadBalancerClass === undefined ? {} : { loadBalancerClass: s.loadBalancerClass }),
            ...(s.externalTrafficPolicy === undefined ? {} : { externalTrafficPolicy: s.externalTrafficPolicy }),
        },
        pod: {
            ...(raw.resources === undefined ? {} : { resources: raw.resources }),
            nodeSelector: raw.nodeSelector ?? {},
            tolerations: raw.tolerations ?? [],
            ...(raw.affinity === undefined ? {} : { affinity: raw.affinity }),
            hostNetwork,
            netBindService,
            ...(st !== undefined ? { strategy: { ...st } } : hostNetwork ? { strategy: { ...HOST_NETWORK_STRATEGY } } : {}),
            ...(pdb === undefined ? {} : { podDisruptionBudget: { ...pdb } }),
        },
    };
}

function isZero(v: number | string): boolean {
    return v === 0 || v === "0%";
}

/**
 * Options a gateway chart version cannot express, each as a problem naming the minimum
 * version (paths relative to the gateway). `inPlace`: the chart renders the Service (a canary
 * gateway's Service is the program's and takes every option).
 */
export function versionProblems(version: IstioVersion, service: GatewayServiceOptions, pod: GatewayPodOptions, inPlace: boolean): OptionIssue[] {
    const out: OptionIssue[] = [];
    if (pod.strategy !== undefined && !chartHasStrategy(version)) {
        out.push({ path: ["strategy"], message: `the gateway chart of Istio ${version.text} has no strategy value (added in 1.${GATEWAY_VALUE_SINCE.strategy}); follow a 1.${GATEWAY_VALUE_SINCE.strategy}+ revision or remove strategy` });
    }
    if (inPlace && service.loadBalancerClass !== undefined && !chartHasLoadBalancerClass(version)) {
        out.push({
            path: ["service", "loadBalancerClass"],
            message: `the gateway chart of Istio ${version.text} ignores service.loadBalancerClass (read from 1.${GATEWAY_VALUE_SINCE.loadBalancerClass}); follow a 1.${GATEWAY_VALUE_SINCE.loadBalancerClass}+ revision or remove it`,
        });
    }
    return out;
}
