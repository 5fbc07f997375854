/**
 * What a deployed mesh looked like: the part of the config that upgrade rules reason about.
 * The program exports it as the stack output `deployed` and reads it back on the next update;
 * the plan command builds it from a stack file.
 *
 * This file is the model and the writing side (stateOf, toStackOutput); reading the output back,
 * strictly and through the chain of schema migrations, is readDeployed.ts (re-exported here, so
 * importers name one module). Pure: no Pulumi import.
 */
import { GatewayConfig, MeshConfig } from "../config/model";
import type { GatewayKind } from "../config/gatewayOptions";
import { compareVersions, mustParseVersion } from "../versions/version";
import { addonBaseVersion } from "../aks/catalogue";
import { DEFAULT_MTLS, MtlsMode } from "../security/config";
import { AmbientRecord, ambientRecordOf, GatewayApiRecord, gatewayApiRecordOf } from "../ambient/record";
import type { StateV4 } from "./readDeployed";

export { DeployedStateError, fromStackOutput, migrate1to2, migrate2to3, migrate3to4, STATE_SCHEMA } from "./readDeployed";

export interface NamespaceState {
    readonly name: string;
    /** Tag or revision, as configured. */
    readonly revision: string;
    /** The stack created the Namespace object (false: it only labels an existing one). */
    readonly create: boolean;
    /** Only with `create`: removing the namespace from the config deletes it and its workloads. */
    readonly deleteWhenRemoved: boolean;
    /** Its workloads restart by themselves when its effective revision changes. */
    readonly restart: boolean;
}

export interface GatewayState {
    readonly name: string;
    readonly namespace: string;
    /** Tag or revision, as configured. */
    readonly revision: string;
    /** Its pods roll when its effective revision changes. */
    readonly restart: boolean;
    /** One Deployment of this canary gateway (behind its Service); absent = an in-place gateway. */
    readonly canaryOf?: string;
    /** ingress or egress (schema 4). Absent only when read from an older schema: unknown, never guessed from the config. */
    readonly kind?: GatewayKind;
    /**
     * The type of the client-facing Service in front of its pods (schema 4): an in-place
     * gateway's own (None: no Service), a canary Deployment's gateway's. Absent as `kind`.
     */
    readonly serviceType?: GatewayServiceType;
}

export type GatewayServiceType = GatewayConfig["serviceType"];

export interface MeshState {
    /** Who installs the control planes: Helm releases, or the AKS add-on (schema 3). */
    readonly management: "helm" | "aks-addon";
    readonly namespace: string;
    readonly revisions: readonly { readonly name: string; readonly version: string }[];
    /** Configured tags (without `default`), tag -> revision. */
    readonly tags: Readonly<Record<string, string>>;
    /** Tag or revision, as configured; "" with the AKS add-on (no default revision). */
    readonly defaultRevision: string;
    readonly namespaces: readonly NamespaceState[];
    readonly gateways: readonly GatewayState[];
    /** Version of the base chart release; with the AKS add-on, the minor of its newest revision (AKS owns the CRDs). */
    readonly baseVersion: string;
    /** The Istio CNI release (schema 3, optional): absent = CNI off. Its version is baseVersion's. */
    readonly cni?: { readonly namespace: string; readonly version: string };
    /** mTLS (schema 3, optional): absent = PERMISSIVE mesh-wide, no namespace overrides (Istio's default). */
    readonly mtls?: { readonly mode: MtlsMode; readonly namespaces: Readonly<Record<string, MtlsMode>> };
    /** Image registry of the Istio images, `mesh.hub` (schema 4). Absent only when read from an older schema: unknown. */
    readonly hub?: string;
    /** Ambient mode (schema 4, optional): absent = sidecar mode, nothing ambient deployed (ambient/record.ts says why that is provable). */
    readonly ambient?: AmbientRecord;
    /** Gateway API CRDs and `kind: gateway-api` gateways (schema 4, optional): absent = none managed by the stack. */
    readonly gatewayApi?: GatewayApiRecord;
}

/** The base chart follows the newest revision and is never downgraded. */
export function baseVersionFor(config: { readonly revisions: readonly { readonly version: string }[] }, previousBase?: string): string {
    const versions = config.revisions.map((r) => r.version);
    if (previousBase !== undefined) {
        versions.push(previousBase);
    }
    return versions.map(mustParseVersion).sort(compareVersions)[versions.length - 1].text;
}

/**
 * The previous update's base version, when it means the same thing for this config: a Helm base
 * chart version for Helm, the add-on's minor for the add-on. Across a management switch (refused
 * by the rules, whose message is what the user must see) there is none to carry over.
 */
export function previousBaseOf(previous: Pick<MeshState, "management" | "baseVersion"> | undefined, config: Pick<MeshConfig, "management">): string | undefined {
    return previous?.management === config.management ? previous.baseVersion : undefined;
}

export function stateOf(config: MeshConfig, previousBase?: string): MeshState {
    return {
        management: config.management,
        namespace: config.namespace,
        revisions: config.revisions.map((r) => ({ name: r.name, version: r.version })),
        tags: { ...config.tags },
        defaultRevision: config.defaultRevision,
        namespaces: config.namespaces.map((n) => ({
            name: n.name,
            revision: n.revision,
            create: n.create,
            deleteWhenRemoved: n.deleteWhenRemoved,
            restart: n.restart,
        })),
        gateways: config.gateways.map((g) => ({
            name: g.name,
            namespace: g.namespace,
            revision: g.revision,
            restart: g.restart,
            ...(g.canaryOf === undefined ? {} : { canaryOf: g.canaryOf }),
            kind: g.kind,
            serviceType: frontServiceType(config, g),
        })),
        hub: config.hub,
        baseVersion: config.management === "aks-addon" ? addonBaseVersion(config.revisions) : baseVersionFor(config, previousBase),
        // CNI follows the base chart: the newest revision's version, never downgraded (cni/cni.ts).
        ...(config.cni === undefined ? {} : { cni: { namespace: config.cni.namespace, version: baseVersionFor(config, previousBase) } }),
        ...mtlsStateOf(config.mtls),
        ...optional("ambient", ambientRecordOf(config.ambient)),
        ...optional("gatewayApi", gatewayApiRecordOf(config.gatewayApi)),
    };
}

/** `{key: value}`, or nothing when value is undefined (an optional field is absent, never undefined). */
const optional = <K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } => (value === undefined ? {} : ({ [key]: value } as { [P in K]?: V }));

/** What clients reach a gateway's pods through: a canary Deployment renders no Service, its gateway's program-owned one does. */
function frontServiceType(config: Pick<MeshConfig, "canaryServices">, g: GatewayConfig): GatewayServiceType {
    if (g.canaryOf === undefined) return g.serviceType;
    const front = config.canaryServices.find((c) => c.name === g.canaryOf);
    if (front === undefined) throw new Error(`internal: canary Deployment ${g.name} has no Service ${g.canaryOf}`);
    return front.type;
}

/** Recorded only when it differs from Istio's default (absent reads back as that default). */
function mtlsStateOf(mtls: MeshConfig["mtls"]): Pick<MeshState, "mtls"> {
    return mtls === undefined || (mtls.mode === DEFAULT_MTLS && Object.keys(mtls.namespaces).length === 0) ? {} : { mtls: { mode: mtls.mode, namespaces: { ...mtls.namespaces } } };
}

/** The stack output `deployed`: the state plus a schema number, exactly the fields of the schema. */
export function toStackOutput(state: MeshState): Record<string, unknown> {
    // Only a state read from an older schema lacks them, and the program writes stateOf's.
    const known = <T>(v: T | undefined, what: string): T => {
        if (v === undefined) throw new Error(`internal: the state to export has no ${what} (schema 4 records it)`);
        return v;
    };
    const output: StateV4 = {
        schema: 4,
        management: state.management,
        namespace: state.namespace,
        revisions: state.revisions.map((r) => ({ name: r.name, version: r.version })),
        tags: { ...state.tags },
        defaultRevision: state.defaultRevision,
        namespaces: state.namespaces.map((n) => ({ name: n.name, revision: n.revision, create: n.create, deleteWhenRemoved: n.deleteWhenRemoved, restart: n.restart })),
        gateways: state.gateways.map((g) => ({
            name: g.name,
            namespace: g.namespace,
            revision: g.revision,
            restart: g.restart,
            ...(g.canaryOf === undefined ? {} : { canaryOf: g.canaryOf }),
            kind: known(g.kind, `kind for gateway ${g.name}`),
            serviceType: known(g.serviceType, `serviceType for gateway ${g.name}`),
        })),
        baseVersion: state.baseVersion,
        hub: known(state.hub, "hub"),
        ...(state.cni === undefined ? {} : { cni: { namespace: state.cni.namespace, version: state.cni.version } }),
        ...(state.mtls === undefined ? {} : { mtls: { mode: state.mtls.mode, namespaces: { ...state.mtls.namespaces } } }),
        ...optional("ambient", state.ambient === undefined ? undefined : (structuredClone(state.ambient) as StateV4["ambient"])),
        ...optional("gatewayApi", state.gatewayApi === undefined ? undefined : (structuredClone(state.gatewayApi) as StateV4["gatewayApi"])),
    };
    return output;
}

/**
 * What the next config says, for migrating fields an older schema did not record. Built from
 * the config being deployed (`migrationHintOf`); without it, migrations assume the riskiest
 * past (see `migrate1to2`) so the rules err on the side of refusing.
 */
export interface MigrationHint {
    /** The next config's namespaces: name -> its `create`. */
    readonly namespaces: ReadonlyMap<string, boolean>;
}

export function migrationHintOf(config: Pick<MeshConfig, "namespaces">): MigrationHint {
    return { namespaces: new Map(config.namespaces.map((n) => [n.name, n.create])) };
}
