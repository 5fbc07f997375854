/**
 * STAND-IN for pulumi-resource-command 1.2.1 (the plugin `@pulumi/command` 1.2.1 asks for), used
 * by the e2e tier only when the real binary cannot be had (this workplace's Go proxy refuses
 * github.com/pulumi/pulumi-command/provider). It serves `command:local:Command` and the provider
 * config over the real provider protocol (a hand-written gRPC ResourceProvider service, so it can
 * answer with detailed diffs, old inputs, previews and engine status logs the way the real one
 * does), and runs commands the way the real one does. It is not the real provider and is never
 * installed outside the e2e PULUMI_HOME.
 *
 * Every behaviour is taken from the public source of the real provider at v1.2.1 (commit
 * 7f3eb6f3b77c, github.com/pulumi/pulumi-command, "provider/pkg/provider/...") and of the framework
 * it is built on (github.com/pulumi/pulumi-go-provider v1.3.0, "infer/resource.go",
 * "provider.go"); the function each piece imitates is named where it is implemented.
 *
 * NOT imitated (see also the e2e notes):
 * - `assetPaths` / `archivePaths` (local/commandOutputs.go globAssets, gobwas/glob semantics, asset
 *   hashes, archive hashing): refused with a Check failure instead of silently diverging.
 * - the `command:local:run` invoke (local/runController.go) and `command:remote:*` resources.
 * - Windows (`cmd /C` default interpreter), Go's exact `%q` quoting (JSON quoting is used, equal
 *   for printable ASCII), Go's exact wording of process start errors (chdir/lookup are
 *   approximated), bufio.Scanner's 64 KiB line limit in logging.
 * - Check failure reasons: the real ones come from pulumi-go-provider's mapper; only the
 *   property and the fact of failure are imitated, not the wording.
 * - GetSchema returns a reduced schema (Command only), not the real schema.json.
 */
import * as child_process from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";

// The proto classes must share google-protobuf/grpc-js with @pulumi/pulumi's generated code.
const pulumiDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
// eslint-disable-next-line @typescript-eslint/no-var-requires
const fromPulumi = (m: string) => require(require.resolve(m, { paths: [pulumiDir] }));
const grpc = fromPulumi("@grpc/grpc-js");
const structproto = fromPulumi("google-protobuf/google/protobuf/struct_pb");
const emptyproto = fromPulumi("google-protobuf/google/protobuf/empty_pb");
// eslint-disable-next-line @typescript-eslint/no-var-requires
const provrpc = require("@pulumi/pulumi/proto/provider_grpc_pb");
// eslint-disable-next-line @typescript-eslint/no-var-requires
const provproto = require("@pulumi/pulumi/proto/provider_pb");
// eslint-disable-next-line @typescript-eslint/no-var-requires
const plugproto = require("@pulumi/pulumi/proto/plugin_pb");
// eslint-disable-next-line @typescript-eslint/no-var-requires
const enginerpc = require("@pulumi/pulumi/proto/engine_grpc_pb");
// eslint-disable-next-line @typescript-eslint/no-var-requires
const engineproto = require("@pulumi/pulumi/proto/engine_pb");

const VERSION = "1.2.1";
const COMMAND = "command:local:Command";
/** pulumi-go-provider v1.3.0's `.version`, stored by its CheckConfig under `__pulumi-go-provider-version`. */
const GO_PROVIDER_FRAMEWORK_VERSION = "1.2.0";

// Wire encodings of the provider protocol (sdk/go/common/resource/sig, plugin.UnknownStringValue).
const SIG = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const OUTPUT_SIG = "d0e6a833031e9bbcd3f4e8bde6ca49a4";
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

type Wire = any;
type Props = Record<string, Wire>;

const isObj = (v: Wire): v is Record<string, Wire> => v !== null && typeof v === "object" && !Array.isArray(v);
const isSecret = (v: Wire) => isObj(v) && v[SIG] === SECRET_SIG;
const isSpecial = (v: Wire) => isObj(v) && typeof v[SIG] === "string";
const isUnknown = (v: Wire) => v === UNKNOWN;

/** Output values (sig d0e6…) as the engine may send them: their value (kept secret) or unknown. */
function fromOutputValues(v: Wire): Wire {
    if (Array.isArray(v)) return v.map(fromOutputValues);
    if (!isObj(v)) return v;
    if (v[SIG] === OUTPUT_SIG) {
        const inner = "value" in v ? fromOutputValues(v.value) : UNKNOWN;
        return v.secret ? { [SIG]: SECRET_SIG, value: inner } : inner;
    }
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fromOutputValues(x)]));
}

/** The value with every secret unwrapped (what the real provider decodes into its Go structs). */
function plain(v: Wire): Wire {
    if (Array.isArray(v)) return v.map(plain);
    if (isSecret(v)) return plain(v.value);
    if (isObj(v) && !isSpecial(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
    return v;
}

function deepEqual(a: Wire, b: Wire): boolean {
    if (Array.isArray(a) || Array.isArray(b)) {
        return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
    }
    if (isObj(a) || isObj(b)) {
        if (!isObj(a) || !isObj(b)) return false;
        const ka = Object.keys(a).filter((k) => a[k] !== null && a[k] !== undefined);
        const kb = Object.keys(b).filter((k) => b[k] !== null && b[k] !== undefined);
        return ka.length === kb.length && ka.every((k) => deepEqual(a[k], b[k]));
    }
    return (a ?? null) === (b ?? null);
}

// ---------------------------------------------------------------------------------------------
// Inputs: common.ResourceInputs + local.BaseInputs (provider/pkg/provider/common/inputs.go,
// local/base.go). Outputs: local.CommandOutputs = the inputs + BaseOutputs {stdout, stderr,
// assets?, archive?} (local/command.go, local/base.go).
// ---------------------------------------------------------------------------------------------
type FieldKind = "string" | "bool" | "strings" | "stringMap" | "any[]";
const INPUTS: Record<string, FieldKind> = {
    triggers: "any[]", // `provider:"replaceOnChanges"` (common/inputs.go)
    create: "string",
    update: "string",
    delete: "string",
    stdin: "string",
    logging: "string", // local.Logging, an enum of strings (local/logging.go)
    interpreter: "strings",
    dir: "string",
    environment: "stringMap",
    assetPaths: "strings",
    archivePaths: "strings",
    addPreviousOutputInEnv: "bool",
};
const INPUT_NAMES = Object.keys(INPUTS);
/** Inputs whose schema property says replaceOnChanges (only `triggers`, common/inputs.go). */
const REPLACE_ON_CHANGES = new Set(["triggers"]);

interface Inputs {
    triggers?: unknown[];
    create?: string;
    update?: string;
    delete?: string;
    stdin?: string;
    logging?: string;
    interpreter?: string[];
    dir?: string;
    environment?: Record<string, string>;
    addPreviousOutputInEnv?: boolean;
}

function typeOk(kind: FieldKind, v: Wire): boolean {
    if (isUnknown(v)) return true;
    if (isSecret(v)) return typeOk(kind, v.value);
    switch (kind) {
        case "string":
            return typeof v === "string";
        case "bool":
            return typeof v === "boolean";
        case "strings":
            return Array.isArray(v) && v.every((x) => typeOk("string", x));
        case "stringMap":
            return isObj(v) && !isSpecial(v) && Object.values(v).every((x) => typeOk("string", x));
        case "any[]":
            return Array.isArray(v);
    }
}

/**
 * Imitates infer's derivedResourceController.Check (pulumi-go-provider infer/resource.go) with no
 * custom Check (local.Command has none): decode the news into CommandInputs (type errors become
 * check failures), apply defaults (Command annotates none), encode back: unrecognised and null
 * properties are dropped, secrets/unknowns stay where they were.
 */
function check(news: Props): { inputs: Props; failures: { property: string; reason: string }[] } {
    const failures: { property: string; reason: string }[] = [];
    const inputs: Props = {};
    for (const [k, v] of Object.entries(news)) {
        const kind = INPUTS[k];
        if (!kind || v === null || v === undefined) continue;
        if (!typeOk(kind, v)) {
            failures.push({ property: k, reason: `expected ${kind}, got ${JSON.stringify(plain(v))}` });
            continue;
        }
        if (k === "assetPaths" || k === "archivePaths") {
            failures.push({ property: k, reason: `${k} is not imitated by the e2e stand-in for pulumi-resource-command` });
            continue;
        }
        inputs[k] = v;
    }
    if (failures.length > 0) return { inputs: news, failures };
    return { inputs, failures };
}

/** The mirrored inputs of a CommandOutputs (CommandOutputs embeds CommandInputs; the ende encoder
 *  puts secrets back at the paths they had in the inputs, so the wire values are copied). */
function mirrorInputs(inputs: Props): Props {
    return Object.fromEntries(INPUT_NAMES.filter((k) => inputs[k] !== undefined && inputs[k] !== null).map((k) => [k, inputs[k]]));
}

// ---------------------------------------------------------------------------------------------
// Diff: infer's derivedResourceController.Diff + diff() (infer/resource.go). local.Command
// implements CustomUpdate, so only schema replaceOnChanges properties force a replace, looked up
// by the *whole* detailed-diff path (so "triggers" when the whole list is added/removed, not
// "triggers[0]"); element changes inside `triggers` become replacements in the engine through the
// `replaceOnChanges: ["triggers[*]"]` resource option the generated SDK adds
// (@pulumi/command/local/command.js). Old inputs come from the engine (SupportsOldInputs).
// DeleteBeforeReplace is never set (the engine's default create-before-delete applies).
// ---------------------------------------------------------------------------------------------
type DiffKind = "add" | "delete" | "update";

function pathKey(prefix: string, key: string | number): string {
    if (typeof key === "number") return `${prefix}[${key}]`;
    const simple = /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key);
    if (prefix === "") return simple ? key : `[${JSON.stringify(key)}]`;
    return simple ? `${prefix}.${key}` : `${prefix}[${JSON.stringify(key)}]`;
}
const hasValue = (v: Wire) => v !== null && v !== undefined;

/** resource.PropertyMap.Diff + plugin.NewDetailedDiffFromObjectDiff (pulumi sdk). */
function objectDiff(prefix: string, olds: Props, news: Props, acc: Record<string, DiffKind>): void {
    for (const [k, old] of Object.entries(olds)) {
        const p = pathKey(prefix, k);
        if (k in news) {
            const nu = news[k];
            if (isObj(nu) && nu[SIG] === OUTPUT_SIG) continue;
            if (deepEqual(old, nu) && isSecret(old) === isSecret(nu)) continue;
            if (!hasValue(old)) acc[p] = "add";
            else if (!hasValue(nu)) acc[p] = "delete";
            else valueDiff(p, old, nu, acc);
        } else if (hasValue(old)) {
            acc[p] = "delete";
        }
    }
    for (const [k, nu] of Object.entries(news)) {
        if (!(k in olds) && hasValue(nu)) acc[pathKey(prefix, k)] = "add";
    }
}

/** resource.PropertyValue.diff + valueDiffToDetailedDiff/arrayDiffToDetailedDiff (pulumi sdk). */
function valueDiff(p: string, old: Wire, nu: Wire, acc: Record<string, DiffKind>): void {
    if (Array.isArray(old) && Array.isArray(nu)) {
        for (let i = 0; i < Math.min(old.length, nu.length); i++) {
            if (!(deepEqual(old[i], nu[i]) && isSecret(old[i]) === isSecret(nu[i]))) valueDiff(pathKey(p, i), old[i], nu[i], acc);
        }
        for (let i = old.length; i < nu.length; i++) acc[pathKey(p, i)] = "add";
        for (let i = nu.length; i < old.length; i++) acc[pathKey(p, i)] = "delete";
        return;
    }
    if (isObj(old) && isObj(nu) && !isSpecial(old) && !isSpecial(nu)) {
        objectDiff(p, old, nu, acc);
        return;
    }
    if (!hasValue(old) && hasValue(nu)) acc[p] = "add";
    else if (hasValue(old) && !hasValue(nu)) acc[p] = "delete";
    else acc[p] = "update";
}

function diff(oldInputs: Props, news: Props, state: Props, ignoreChanges: string[]) {
    news = { ...news };
    for (const k of ignoreChanges) if (k in state) news[k] = state[k];
    for (const k of Object.keys(news)) if (k === "version" || k.startsWith("__")) delete news[k];
    const detailed: Record<string, DiffKind> = {};
    objectDiff("", oldInputs, news, detailed);
    const out: Record<string, { kind: DiffKind; replace: boolean }> = {};
    for (const [p, kind] of Object.entries(detailed)) out[p] = { kind, replace: REPLACE_ON_CHANGES.has(p) };
    return out;
}

// ---------------------------------------------------------------------------------------------
// Running a command: local/commandOutputs.go run().
// ---------------------------------------------------------------------------------------------
const running = new Set<child_process.ChildProcess>();
let engine: any;

/** util.LogOutput -> p.GetLogger(ctx).InfoStatus -> HostClient.LogStatus: an ephemeral INFO log. */
function logStatus(urn: string, message: string): Promise<void> {
    if (!engine) return Promise.resolve();
    const req = new engineproto.LogRequest();
    req.setSeverity(engineproto.LogSeverity.INFO);
    req.setMessage(message);
    req.setUrn(urn);
    req.setEphemeral(true);
    return new Promise((resolve) => engine.log(req, () => resolve()));
}

const GO_SIGNALS: Record<string, string> = {
    SIGKILL: "killed",
    SIGTERM: "terminated",
    SIGINT: "interrupt",
    SIGHUP: "hangup",
    SIGQUIT: "quit",
    SIGABRT: "aborted",
    SIGSEGV: "segmentation fault",
    SIGPIPE: "broken pipe",
};

function lookPath(file: string, envPath: string | undefined): string | undefined {
    if (file.includes("/")) return file;
    for (const dir of (envPath ?? "").split(path.delimiter)) {
        const f = path.join(dir || ".", file);
        try {
            fs.accessSync(f, fs.constants.X_OK);
            if (fs.statSync(f).isFile()) return f;
        } catch {
            /* next */
        }
    }
    return undefined;
}

interface Outs {
    stdout: string;
    stderr: string;
}

/**
 * local/commandOutputs.go run(): `interpreter` (default `/bin/sh -c`) + the command; dir (default
 * the provider's working directory); the provider's environment + `environment` + (unless
 * addPreviousOutputInEnv is false) PULUMI_COMMAND_STDOUT/STDERR from `out` when non-empty; stdin
 * only when non-empty; stdout/stderr logged line by line per `logging` (LogStatus, INFO); a
 * failure is `<exit error>: running "<command>":\n<stdout and stderr interleaved>` and leaves `out`
 * unchanged; on success stdout/stderr are stored with one trailing newline trimmed. The
 * context's deadline (customTimeouts) or a Cancel kills the process (exec.CommandContext).
 */
function run(urn: string, command: string, inp: Inputs, out: Outs, timeoutSec: number): Promise<void> {
    const args = inp.interpreter && inp.interpreter.length > 0 ? [...inp.interpreter] : ["/bin/sh", "-c"];
    args.push(command);
    const cwd = inp.dir ?? process.cwd();
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
    for (const [k, v] of Object.entries(inp.environment ?? {})) env[k] = v;
    if (inp.addPreviousOutputInEnv === undefined || inp.addPreviousOutputInEnv === null || inp.addPreviousOutputInEnv) {
        if (out.stdout !== "") env.PULUMI_COMMAND_STDOUT = out.stdout;
        if (out.stderr !== "") env.PULUMI_COMMAND_STDERR = out.stderr;
    }
    const logStdout = inp.logging === undefined || inp.logging === "stdout" || inp.logging === "stdoutAndStderr";
    const logStderr = inp.logging === undefined || inp.logging === "stderr" || inp.logging === "stdoutAndStderr";
    const fail = (err: string, combined = "") => new Error(`${err}: running ${JSON.stringify(command)}:\n${combined}`);

    // exec.Command resolves a bare program name on the provider's PATH; Start fails in the dir.
    const exe = lookPath(args[0], process.env.PATH);
    if (!exe) return Promise.reject(fail(`exec: ${JSON.stringify(args[0])}: executable file not found in $PATH`));
    if (!fs.existsSync(cwd) || !fs.statSync(cwd).isDirectory()) return Promise.reject(fail(`chdir ${cwd}: no such file or directory`));

    return new Promise((resolve, reject) => {
        const stdin = inp.stdin !== undefined && inp.stdin.length > 0;
        const child = child_process.spawn(exe, args.slice(1), { cwd, env, argv0: args[0], stdio: [stdin ? "pipe" : "ignore", "pipe", "pipe"] });
        running.add(child);
        if (stdin) {
            child.stdin!.on("error", () => undefined);
            child.stdin!.end(inp.stdin);
        }
        const stdout: Buffer[] = [];
        const stderr: Buffer[] = [];
        const combined: Buffer[] = [];
        let pending = "";
        const logs: Promise<void>[] = [];
        const toLog = (chunk: Buffer) => {
            pending += chunk.toString("utf8");
            let i: number;
            while ((i = pending.indexOf("\n")) >= 0) {
                logs.push(logStatus(urn, pending.slice(0, i).replace(/\r$/, "")));
                pending = pending.slice(i + 1);
            }
        };
        child.stdout!.on("data", (c: Buffer) => {
            stdout.push(c);
            combined.push(c);
            if (logStdout) toLog(c);
        });
        child.stderr!.on("data", (c: Buffer) => {
            stderr.push(c);
            combined.push(c);
            if (logStderr) toLog(c);
        });
        const timer = timeoutSec > 0 ? setTimeout(() => child.kill("SIGKILL"), timeoutSec * 1000) : undefined;
        child.on("error", (e) => {
            running.delete(child);
            if (timer) clearTimeout(timer);
            reject(fail(e.message));
        });
        child.on("close", async (code, signal) => {
            running.delete(child);
            if (timer) clearTimeout(timer);
            if (pending !== "") logs.push(logStatus(urn, pending));
            await Promise.all(logs);
            if (code !== 0 || signal) {
                const err = signal ? `signal: ${GO_SIGNALS[signal] ?? signal}` : `exit status ${code}`;
                reject(fail(err, Buffer.concat(combined).toString("utf8")));
                return;
            }
            out.stdout = Buffer.concat(stdout).toString("utf8").replace(/\n$/, "");
            out.stderr = Buffer.concat(stderr).toString("utf8").replace(/\n$/, "");
            resolve();
        });
    });
}

/** Decoded (secret-free) view of the inputs stored in a CommandOutputs/CommandInputs map. */
function decodeInputs(props: Props): Inputs {
    return plain(mirrorInputs(props)) as Inputs;
}
function decodeOuts(props: Props): Outs {
    const s = plain(props.stdout);
    const e = plain(props.stderr);
    return { stdout: typeof s === "string" ? s : "", stderr: typeof e === "string" ? e : "" };
}

/**
 * infer's getDependencies defaults (infer/resource.go ensureDefaultComputed/markComputed), applied
 * in previews only: every output depends on every input. On create, an output that does not mirror
 * its input is unknown; on update it is unknown when some input is unknown or differs from the old
 * state. (Secretness: ensureDefaultSecrets links only same-named fields, which are copied as-is,
 * so stdout/stderr are never made secret by the provider.)
 */
function markComputed(outs: Props, inputs: Props, oldState: Props | undefined): Props {
    const changed =
        oldState !== undefined &&
        INPUT_NAMES.some((k) => isUnknown(inputs[k]) || (k in oldState && hasValue(oldState[k]) && !(deepEqual(inputs[k], oldState[k]) && isSecret(inputs[k]) === isSecret(oldState[k]))));
    const result: Props = {};
    for (const [k, v] of Object.entries(outs)) {
        if (isUnknown(v) || (k in inputs && deepEqual(inputs[k], v))) result[k] = v;
        else if (oldState === undefined || changed) result[k] = UNKNOWN;
        else result[k] = v;
    }
    return result;
}

function uniqueHex(prefix: string): string {
    // resource.NewUniqueHex(name, 8, 0): the name followed by 8 random hex characters.
    return prefix + crypto.randomBytes(4).toString("hex");
}

// ---------------------------------------------------------------------------------------------
// gRPC plumbing (pulumi-go-provider provider.go: the rpc <-> p.Provider adapter).
// ---------------------------------------------------------------------------------------------
const toJs = (s: any): Props => fromOutputValues(s ? s.toJavaScript() : {});
const toStruct = (o: Props) => structproto.Struct.fromJavaScript(o);
const grpcError = (e: unknown) => ({ code: grpc.status.UNKNOWN, details: String((e as Error)?.message ?? e) });
const unimplemented = (what: string) => ({ code: grpc.status.UNIMPLEMENTED, details: `${what} is not implemented` });

function guard(fn: (req: any) => Promise<any>) {
    return (call: any, cb: any) => {
        fn(call.request).then(
            (resp) => cb(null, resp),
            (e) => cb(e && typeof e === "object" && "code" in e && "details" in e ? e : grpcError(e)),
        );
    };
}
function onlyCommand(urn: string): void {
    const type = urn.split("::")[2]?.split("$").pop();
    if (type !== COMMAND) throw new Error(`the e2e stand-in for pulumi-resource-command serves only ${COMMAND}, not ${type}`);
}

const SCHEMA = {
    name: "command",
    version: VERSION,
    description: "e2e stand-in for pulumi-resource-command 1.2.1 (reduced schema: command:local:Command only)",
    resources: {
        [COMMAND]: {
            inputProperties: {
                triggers: { type: "array", items: { $ref: "pulumi.json#/Any" }, replaceOnChanges: true },
                create: { type: "string" },
                update: { type: "string" },
                delete: { type: "string" },
                stdin: { type: "string" },
                logging: { type: "string" },
                interpreter: { type: "array", items: { type: "string" } },
                dir: { type: "string" },
                environment: { type: "object", additionalProperties: { type: "string" } },
                addPreviousOutputInEnv: { type: "boolean" },
            },
            properties: { stdout: { type: "string" }, stderr: { type: "string" } },
            required: ["stdout", "stderr"],
        },
    },
};

const service = {
    getPluginInfo: guard(async () => {
        const r = new plugproto.PluginInfo();
        r.setVersion(VERSION);
        return r;
    }),
    getSchema: guard(async () => {
        const r = new provproto.GetSchemaResponse();
        r.setSchema(JSON.stringify(SCHEMA));
        return r;
    }),
    /** No infer Config: complexconfig's CheckConfig returns the news (JSON strings decoded), and the
     *  rpc layer stores the framework version under `__pulumi-go-provider-version` (provider.go). */
    checkConfig: guard(async (req) => {
        const news = toJs(req.getNews());
        for (const [k, v] of Object.entries(news)) {
            if (typeof v !== "string") continue;
            try {
                news[k] = JSON.parse(v);
            } catch {
                /* not JSON: kept as is */
            }
        }
        news["__pulumi-go-provider-version"] = GO_PROVIDER_FRAMEWORK_VERSION;
        const r = new provproto.CheckResponse();
        r.setInputs(toStruct(news));
        return r;
    }),
    /** Provider.WithDefaults: DiffConfig is not implemented (the engine diffs provider config itself). */
    diffConfig: guard(async () => {
        throw unimplemented("DiffConfig");
    }),
    /** provider.go Configure: always AcceptSecrets, SupportsPreview, AcceptResources, AcceptOutputs. */
    configure: guard(async () => {
        const r = new provproto.ConfigureResponse();
        r.setAcceptsecrets(true);
        r.setSupportspreview(true);
        r.setAcceptresources(true);
        r.setAcceptoutputs(true);
        return r;
    }),
    check: guard(async (req) => {
        onlyCommand(req.getUrn());
        const { inputs, failures } = check(toJs(req.getNews()));
        const r = new provproto.CheckResponse();
        r.setInputs(toStruct(inputs));
        r.setFailuresList(
            failures.map((f) => {
                const cf = new provproto.CheckFailure();
                cf.setProperty(f.property);
                cf.setReason(f.reason);
                return cf;
            }),
        );
        return r;
    }),
    diff: guard(async (req) => {
        onlyCommand(req.getUrn());
        const d = diff(toJs(req.getOldInputs()), toJs(req.getNews()), toJs(req.getOlds()), req.getIgnorechangesList());
        const r = new provproto.DiffResponse();
        const kinds = provproto.PropertyDiff.Kind;
        const diffs = new Set<string>();
        const replaces = new Set<string>();
        for (const [p, { kind, replace }] of Object.entries(d)) {
            const pd = new provproto.PropertyDiff();
            const k = { add: replace ? kinds.ADD_REPLACE : kinds.ADD, delete: replace ? kinds.DELETE_REPLACE : kinds.DELETE, update: replace ? kinds.UPDATE_REPLACE : kinds.UPDATE }[kind];
            pd.setKind(k);
            pd.setInputdiff(false);
            r.getDetaileddiffMap().set(p, pd);
            // DiffResponse.rpc(): diffs/replaces list the head of each detailed-diff path.
            const head = p.split(/[.[]/)[0];
            diffs.add(head);
            if (replace) replaces.add(head);
        }
        r.setChanges(Object.keys(d).length > 0 ? provproto.DiffResponse.DiffChanges.DIFF_SOME : provproto.DiffResponse.DiffChanges.DIFF_NONE);
        r.setHasdetaileddiff(true);
        r.setDiffsList([...diffs]);
        r.setReplacesList([...replaces]);
        r.setDeletebeforereplace(false);
        return r;
    }),
    /** local/commandController.go Command.Create + infer's Create: an id `<name><8 hex>`; in preview
     *  nothing runs; no `create` -> nothing runs; an error returns no state at all (not a
     *  ResourceInitFailedError), so a failed create leaves nothing in the stack. */
    create: guard(async (req) => {
        const urn: string = req.getUrn();
        onlyCommand(urn);
        const inputs = toJs(req.getProperties());
        const id = uniqueHex(urn.split("::").pop()!);
        let outs: Props = { ...mirrorInputs(inputs), stdout: "", stderr: "" };
        if (req.getPreview()) {
            outs = markComputed(outs, inputs, undefined);
        } else {
            const inp = decodeInputs(inputs);
            if (inp.create !== undefined) {
                const o: Outs = { stdout: "", stderr: "" };
                await run(urn, inp.create, inp, o, req.getTimeout());
                outs.stdout = o.stdout;
                outs.stderr = o.stderr;
            }
        }
        const r = new provproto.CreateResponse();
        r.setId(id);
        r.setProperties(toStruct(outs));
        return r;
    }),
    /** infer's default Read (local.Command has no CustomRead): returns id, state and inputs as given. */
    read: guard(async (req) => {
        onlyCommand(req.getUrn());
        const r = new provproto.ReadResponse();
        r.setId(req.getId());
        r.setProperties(req.getProperties());
        r.setInputs(req.getInputs());
        return r;
    }),
    /** local/commandController.go Command.Update: state = new inputs + old stdout/stderr; in preview
     *  nothing runs; runs `update`, or `create` when `update` is unset, or nothing when both are
     *  unset; the old outputs are in PULUMI_COMMAND_STDOUT/STDERR. A failure returns no state, so
     *  the engine keeps the old state. */
    update: guard(async (req) => {
        const urn: string = req.getUrn();
        onlyCommand(urn);
        const olds = toJs(req.getOlds());
        let news = toJs(req.getNews());
        for (const k of req.getIgnorechangesList() as string[]) if (k in olds) news = { ...news, [k]: olds[k] };
        const prev = decodeOuts(olds);
        let outs: Props = { ...mirrorInputs(news), stdout: prev.stdout, stderr: prev.stderr };
        if (req.getPreview()) {
            outs = markComputed(outs, news, olds);
        } else {
            const inp = decodeInputs(news);
            const cmd = inp.update ?? inp.create;
            if (cmd !== undefined) {
                const o: Outs = { ...prev };
                await run(urn, cmd, inp, o, req.getTimeout());
                outs.stdout = o.stdout;
                outs.stderr = o.stderr;
            }
        }
        const r = new provproto.UpdateResponse();
        r.setProperties(toStruct(outs));
        return r;
    }),
    /** local/commandController.go Command.Delete: runs `delete` (if set) with the stored inputs and
     *  the stored stdout/stderr in PULUMI_COMMAND_STDOUT/STDERR; a failure keeps the resource. */
    delete: guard(async (req) => {
        const urn: string = req.getUrn();
        onlyCommand(urn);
        const props = toJs(req.getProperties());
        const inp = decodeInputs(props);
        if (inp.delete !== undefined) await run(urn, inp.delete, inp, decodeOuts(props), req.getTimeout());
        return new emptyproto.Empty();
    }),
    /** cancel.Wrap: Cancel cancels every running operation's context (killing its process). */
    cancel: guard(async () => {
        for (const c of running) c.kill("SIGKILL");
        return new emptyproto.Empty();
    }),
    invoke: guard(async (req) => {
        throw new Error(`${req.getTok()} is not imitated by the e2e stand-in for pulumi-resource-command`);
    }),
};

async function main(args: string[]): Promise<void> {
    const engineAddr = args.find((a) => !a.startsWith("-"));
    if (engineAddr) engine = new enginerpc.EngineClient(engineAddr, grpc.credentials.createInsecure());
    const server = new grpc.Server({ "grpc.max_receive_message_length": 400 * 1024 * 1024 });
    // Methods left out (handshake, construct, call, parameterize, getMapping…) answer UNIMPLEMENTED,
    // as the real provider's do for the ones pulumi-go-provider v1.3.0 leaves unimplemented.
    server.addService(provrpc.ResourceProviderService, service);
    const port: number = await new Promise((resolve, reject) =>
        server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err: Error | null, p: number) => (err ? reject(err) : resolve(p))),
    );
    process.stdout.write(`${port}\n`);
}

main(process.argv.slice(2)).catch((e) => {
    process.stderr.write(`pulumi-resource-command (e2e stand-in): ${e?.stack ?? e}\n`);
    process.exit(1);
});
