/**
 * Runs the real program (index.ts) under Pulumi mocks, in-process, and returns every
 * resource it registers with its inputs. This is how the offline plan and the unit tests see
 * exactly what `pulumi up` would ask the engine for, without a CLI or a cluster.
 */
import { createHash } from "crypto";
import * as pulumi from "@pulumi/pulumi";
import { containsSecureValue, SECRET_PLACEHOLDER } from "../config/stackConfig";
import { ProgramOptions } from "../program";
import { MeshState } from "../state/deployed";
import { azureCall, azureState } from "./azureMocks";

export interface RegisteredResource {
    /** Pulumi type token, e.g. kubernetes:helm.sh/v3:Release */
    readonly type: string;
    /** Pulumi resource name (unique per type in this program). */
    readonly name: string;
    /** Inputs as the engine would get them, secrets replaced by "[secret]" (see redact). */
    readonly inputs: Record<string, unknown>;
}

export interface ProgramRun {
    readonly resources: RegisteredResource[];
    readonly outputs: Record<string, unknown>;
}

type Main = (options?: ProgramOptions) => Promise<Record<string, unknown>>;

/** Stringifies a stack config map the way the Pulumi runtime hands it to a program. */
export function runtimeConfig(raw: Readonly<Record<string, unknown>>): Record<string, string> {
    return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]));
}

/** How the SDK marks a secret in serialized properties (what the mock monitor receives). */
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

function isRpcSecret(v: unknown): v is { value: unknown } {
    return v !== null && typeof v === "object" && (v as Record<string, unknown>)[SIG_KEY] === SECRET_SIG;
}

/** The config keys the engine would list as secret: those holding a `secure:` value anywhere. */
export function secretConfigKeys(config: Readonly<Record<string, unknown>>): string[] {
    return Object.keys(config).filter((k) => containsSecureValue(typeof config[k] === "string" ? tryJson(config[k] as string) : config[k]));
}

/**
 * Credentials given in plain text in a stack file (the kubeconfig, contents or path), which
 * must never be shown even where the program forgot to mark them secret.
 */
export function configCredentials(config: Readonly<Record<string, unknown>>): string[] {
    const raw = config["istio-mesh:cluster"];
    const cluster = typeof raw === "string" ? tryJson(raw) : raw;
    // A plain string that is no JSON object (a kubeconfig pasted as the whole key) is as secret
    // as the kubeconfig key: the config error that quotes it must not show it.
    const kubeconfig = typeof cluster === "string" ? cluster : cluster !== null && typeof cluster === "object" ? (cluster as { kubeconfig?: unknown }).kubeconfig : undefined;
    const credential = typeof kubeconfig === "string" && kubeconfig !== "" && kubeconfig !== SECRET_PLACEHOLDER ? [kubeconfig] : [];
    // Each line of a multi-line one too: a message may quote a line, or the value cut short.
    const lines = credential.flatMap((c) => (c.includes("\n") ? c.split("\n").map((l) => l.trim()).filter((l) => l.length >= 8) : []));
    return [...credential, ...lines];
}

function tryJson(s: string): unknown {
    try {
        return JSON.parse(s);
    } catch {
        return s;
    }
}

/**
 * Replaces, anywhere in `value`, what the program marked secret (the SDK's secret wrapper; the
 * mock monitor gets secrets that way, pushed up to the top-level input that contains them)
 * and `credentials` (a whole string, or each place a longer string quotes one), with "[secret]".
 */
export function redact(value: unknown, credentials: readonly string[], hit: { redacted: boolean } = { redacted: false }): unknown {
    if (isRpcSecret(value)) {
        hit.redacted = true;
        return SECRET_PLACEHOLDER;
    }
    if (typeof value === "string") {
        if (credentials.some((c) => value === c)) {
            hit.redacted = true;
            return SECRET_PLACEHOLDER;
        }
        // Quoted inside a longer text (a message): only the credential goes, as written or as
        // JSON-escaped; the longest first, so a whole kubeconfig goes before its lines.
        let out = value;
        for (const c of [...credentials].filter((c) => c.length >= 8).sort((a, b) => b.length - a.length)) {
            for (const form of [c, JSON.stringify(c).slice(1, -1)]) {
                out = out.split(form).join(SECRET_PLACEHOLDER);
            }
        }
        if (out !== value) hit.redacted = true;
        return out;
    }
    if (Array.isArray(value)) {
        return value.map((v) => redact(v, credentials, hit));
    }
    if (value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redact(v, credentials, hit)]));
    }
    return value;
}

/** Digests of the redacted inputs' real values, so a changed secret still shows as changed. */
const secretDigests = new WeakMap<object, Record<string, string>>();

/** A digest of a redacted input's real value (undefined if the input was not redacted). */
export function secretDigest(inputs: Readonly<Record<string, unknown>>, field: string): string | undefined {
    return secretDigests.get(inputs)?.[field];
}

/**
 * The inputs to show for one registration. The SDK's deserializer hoists a nested secret to
 * the top-level input that holds it (a Command's whole `environment` for its kubeconfig);
 * `raw` (the serialized inputs as sent) still says which nested value is secret, so only that
 * one becomes "[secret]".
 */
function redactInputs(inputs: Record<string, unknown>, serialized: SerializedInputs | undefined, credentials: readonly string[]): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const digests: Record<string, string> = {};
    // Converted only when a secret needs it (rare): once per resource it was a tenth of a big plan.
    let raw: Record<string, unknown> | undefined;
    for (const [k, v] of Object.entries(inputs)) {
        const hit = { redacted: false };
        const secret = isRpcSecret(v);
        if (secret && serialized !== undefined) raw ??= serialized.toJavaScript();
        out[k] = redact(secret && raw !== undefined && Object.hasOwn(raw, k) ? raw[k] : v, credentials, hit);
        if (hit.redacted) {
            digests[k] = createHash("sha256").update(JSON.stringify(secret ? v.value : v) ?? "").digest("hex");
        }
    }
    secretDigests.set(out, digests);
    return out;
}

/** A registration's inputs as serialized for the engine (a protobuf Struct). */
interface SerializedInputs {
    toJavaScript(): Record<string, unknown>;
}

interface MonitorRequest {
    getType(): string;
    getName(): string;
    getObject(): SerializedInputs | undefined;
}

/** Keeps each registration's serialized inputs (nested secrets intact), by type and name. */
function captureSerializedInputs(): Map<string, SerializedInputs> {
    const captured = new Map<string, SerializedInputs>();
    // Under mocks the monitor is the SDK's MockMonitor (setMocks installs it; getMonitor is public).
    const monitor = pulumi.runtime.getMonitor() as unknown as { registerResource: (req: MonitorRequest, cb: unknown) => unknown };
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req, cb) => {
        const object = req.getObject();
        if (object !== undefined) captured.set(`${req.getType()}\u0000${req.getName()}`, object);
        return register(req, cb);
    };
    return captured;
}

/** Set to "1" to keep stack traces while the program runs under mocks (slow; for --debug). */
export const KEEP_STACKS_ENV = "ISTIO_MESH_KEEP_STACKS";

/**
 * Runs the program for `config` (a stack file's `config:` map). `previous` = the deployed
 * state (null = first update). Mocks are global per process: runs must not overlap.
 */
export async function runProgram(
    config: Readonly<Record<string, unknown>>,
    previous: MeshState | null,
    options: {
        allowUnsafe?: string[];
        stack?: string;
        report?: ProgramOptions["report"];
        live?: ProgramOptions["live"];
        /** What the live cluster says of the Gateway API CRDs. @default offline (not asked) */
        liveCrds?: ProgramOptions["liveCrds"];
        /** Sees every resource the program constructs, with its options (parent, dependsOn), even if the program then fails. */
        onResource?: (resource: pulumi.ResourceTransformationArgs) => void;
        /** Run as a preview (what a plan is) or as an update (`pulumi up`'s second phase). @default true */
        preview?: boolean;
    } = {},
): Promise<ProgramRun> {
    const resources: RegisteredResource[] = [];
    const credentials = configCredentials(config);
    await pulumi.runtime.setMocks(
        {
            newResource: (args) => {
                resources.push({ type: args.type, name: args.name, inputs: redactInputs(args.inputs, serialized.get(`${args.type}\u0000${args.name}`), credentials) });
                // Outputs the program reads must be known, or the whole stack output is unknown
                // under preview mocks: a release's status, a Service's status and clusterIP.
                const state =
                    args.type === "kubernetes:helm.sh/v3:Release"
                        ? { ...args.inputs, status: { status: "deployed", version: args.inputs.version, name: args.inputs.name } }
                        : args.type === "kubernetes:core/v1:Service"
                          ? { ...args.inputs, spec: { ...args.inputs.spec, clusterIP: "" }, status: { loadBalancer: {} } }
                          : azureState(args.type, args.inputs);
                return { id: `${args.name}-id`, state };
            },
            // The AKS credentials invokes answer with a stand-in kubeconfig (azureMocks.ts).
            call: (args) => azureCall(args.token, args.inputs) ?? args.inputs,
        },
        "istio-mesh",
        options.stack ?? "plan",
        options.preview ?? true,
    );
    const serialized = captureSerializedInputs();
    // Keys holding `secure:` values are marked secret, as the engine does for `pulumi up`.
    pulumi.runtime.setAllConfig(runtimeConfig(config), secretConfigKeys(config));
    // Loaded lazily so that mocks are in place before the program's modules run.
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const main: Main = require("../../index");
    const program: Main = (o) => {
        const onResource = options.onResource;
        if (onResource !== undefined) {
            pulumi.runtime.registerStackTransformation((args) => void onResource(args));
        }
        return main(o);
    };
    // The SDK records `new Error().stack` for every promise and resource it makes (debugging
    // aids the engine never sees under mocks): with source-mapped stacks that was two thirds of
    // a large plan's time, the rest mostly garbage collection of those strings. So no stacks
    // during the run, unless asked for (--debug); they come back for anything thrown after it.
    // (Each resource's constructor still asks for its whole stack, Resource.callsites, to tell
    // the engine its source position; there is no public way to turn that off: see README,
    // "Offline plan", for what it costs.)
    const prepare = Error.prepareStackTrace;
    const limit = Error.stackTraceLimit;
    if (process.env[KEEP_STACKS_ENV] !== "1") {
        (Error as { prepareStackTrace?: unknown }).prepareStackTrace = undefined;
        Error.stackTraceLimit = 0;
    }
    try {
        const outputs = (await pulumi.runtime.runInPulumiStack(() => program({ previous, allowUnsafe: options.allowUnsafe ?? [], report: options.report ?? (() => undefined), live: options.live ?? { offline: true }, liveCrds: options.liveCrds ?? { offline: true } }))) ?? {};
        // Every registration must have reached the mock monitor before the list is read:
        // disconnect() waits for the SDK's outstanding RPCs (under mocks it closes nothing).
        await pulumi.runtime.disconnect();
        return { resources, outputs };
    } finally {
        Error.prepareStackTrace = prepare;
        Error.stackTraceLimit = limit;
    }
}
