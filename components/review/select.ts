/**
 * Which stacks a pull request touches, from its changed files: root `Pulumi.<stack>.yaml` ->
 * that stack; program files -> every stack; `stacks/**.yaml` examples -> plan only. Pure.
 */

export type FileStatus = "added" | "modified" | "deleted";
export interface ChangedFile {
    readonly status: FileStatus;
    readonly path: string;
}

/** What to plan (and, for stacks, preview and update). */
export interface PlanTarget {
    /** Root stack files: the stack's name. Examples under stacks/: undefined. */
    readonly stack?: string;
    /** The stack file, relative to the repository root. */
    readonly file: string;
    /** `stack`: a real stack (plan, preview, up). `example`: a file under stacks/ (plan only). */
    readonly kind: "stack" | "example";
    /** Why it was selected: its own file changed, or the program did. */
    readonly reason: "file-changed" | "program-changed" | "requested";
    /** Repository/environment secret holding this stack's kubeconfig (falls back to KUBECONFIG). */
    readonly kubeconfigSecret?: string;
    /** The stack file names its own kubeconfig (istio-mesh:cluster.kubeconfig or an encrypted cluster): no secret needed. */
    readonly kubeconfigInStackFile?: boolean;
    /** The stack's secrets are passphrase-encrypted: PULUMI_CONFIG_PASSPHRASE is needed. */
    readonly needsPassphrase?: boolean;
}

export interface Selection {
    /** Every file to plan: stacks first (sorted by name), then examples (sorted by path). */
    readonly plan: PlanTarget[];
    /** The stacks to preview (PR) or update (main): real stacks whose file or program changed. */
    readonly stacks: PlanTarget[];
    /** Root stack files deleted by the change: never destroyed by a workflow. */
    readonly removed: { readonly stack: string; readonly file: string }[];
    /** The program changed, so every stack is selected. */
    readonly programChanged: boolean;
}

/** Files whose change can change what any stack deploys. */
const PROGRAM_FILES = new Set(["index.ts", "Pulumi.yaml", "Pulumi.yml", "package.json", "package-lock.json", "tsconfig.json", ".npmrc"]);
const PROGRAM_DIRS = ["components/"];

export const normalize = (p: string) => p.replace(/\\/g, "/").replace(/^\.\//, "");

/** `Pulumi.<stack>.yaml` at the repository root -> `<stack>`; anything else (Pulumi.yaml too) -> undefined. */
export function stackOfFile(file: string): string | undefined {
    const m = /^Pulumi\.([^/]+)\.ya?ml$/.exec(normalize(file));
    return m === null || stackFileProblem(file) !== undefined ? undefined : m[1];
}

/** A stack name the workflows accept: a DNS label (it becomes a secret name, a step output, a job name). */
const STACK_NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/**
 * Why a root file that looks like a stack file (`Pulumi.*.yaml`) is not one the workflows may
 * use; undefined when it is fine or is no stack file at all. A name with a newline, `=` or
 * quotes would otherwise write extra step outputs (a second `stacks=`) or steer a secret name.
 */
export function stackFileProblem(file: string): string | undefined {
    const p = normalize(file);
    if (p.includes("/") || !/^Pulumi\..+\.ya?ml$/s.test(p) || p === "Pulumi.yaml" || p === "Pulumi.yml") {
        return undefined;
    }
    const name = p.replace(/^Pulumi\./, "").replace(/\.ya?ml$/, "");
    return STACK_NAME.test(name)
        ? undefined
        : `stack file ${JSON.stringify(p)}: the stack name ${JSON.stringify(name)} is not a DNS label (lower-case letters, digits and '-', at most 63, starting and ending with a letter or digit); rename it to Pulumi.<name>.yaml with such a name (e.g. Pulumi.prod-eu.yaml)`;
}

export function isProgramFile(file: string): boolean {
    const p = normalize(file);
    return PROGRAM_FILES.has(p) || PROGRAM_DIRS.some((d) => p.startsWith(d));
}

export function isExampleFile(file: string): boolean {
    return /^stacks\/.+\.ya?ml$/.test(normalize(file));
}

/** The secret that holds a stack's kubeconfig: KUBECONFIG_<STACK>, upper case, other characters as `_`. */
export function kubeconfigSecretName(stack: string): string {
    return `KUBECONFIG_${stack.toUpperCase().replace(/[^A-Z0-9]/g, "_")}`;
}

/**
 * Whether a stack file carries its own kubeconfig, so the workflow needs no kubeconfig secret:
 * an encrypted `istio-mesh:cluster.kubeconfig` (or a wholly encrypted `istio-mesh:cluster`, which
 * is assumed to), or inline contents. A path (`~/.kube/prod.yaml`) names a file on someone's
 * machine, not on the runner: that still needs the secret.
 */
export function stackFileHasKubeconfig(config: Record<string, unknown> | undefined): boolean {
    const cluster = config?.["istio-mesh:cluster"];
    if (cluster === null || typeof cluster !== "object" || Array.isArray(cluster)) return false;
    const c = cluster as Record<string, unknown>;
    if (isSecure(c)) return true;
    // An AKS cluster's kubeconfig comes from Azure (listManagedClusterUserCredentials): Azure access, not a kubeconfig secret.
    if (c.kind === "aks") return true;
    const k = c.kubeconfig;
    if (isSecure(k)) return true;
    return typeof k === "string" && (k.includes("\n") || /^\s*apiVersion:/m.test(k) || k.trimStart().startsWith("{"));
}

const isSecure = (v: unknown) => v !== null && typeof v === "object" && !Array.isArray(v) && Object.keys(v).length === 1 && typeof (v as { secure?: unknown }).secure === "string";

/**
 * Whether the stack encrypts its secrets with a passphrase (`encryptionsalt` and no other
 * `secretsprovider`): then PULUMI_CONFIG_PASSPHRASE is needed.
 */
export function stackNeedsPassphrase(doc: Record<string, unknown> | undefined): boolean {
    const provider = doc?.secretsprovider;
    if (typeof provider === "string" && provider !== "" && provider !== "passphrase") return false;
    return typeof doc?.encryptionsalt === "string" || provider === "passphrase";
}

/** Parses `git diff --name-status` output (renames must be off: --no-renames). Bare paths count as modified. */
/**
 * A path as git prints it: a name with a control character, `"` or `\\` comes C-quoted
 * (`"Pulumi.a\\nb.yaml"`, octal bytes for the rest) even with core.quotePath=false.
 */
export function unquoteGitPath(p: string): string {
    if (!(p.length >= 2 && p.startsWith('"') && p.endsWith('"'))) return p;
    const bytes: number[] = [];
    const simple: Record<string, number> = { n: 10, t: 9, r: 13, a: 7, b: 8, f: 12, v: 11, '"': 34, "\\": 92 };
    const body = p.slice(1, -1);
    for (let i = 0; i < body.length; i++) {
        const c = body[i];
        if (c !== "\\") {
            bytes.push(...Buffer.from(c, "utf8"));
            continue;
        }
        const next = body[i + 1] ?? "";
        if (/[0-7]/.test(next)) {
            bytes.push(parseInt(body.slice(i + 1, i + 4), 8));
            i += 3;
        } else {
            bytes.push(simple[next] ?? next.charCodeAt(0));
            i += 1;
        }
    }
    return Buffer.from(bytes).toString("utf8");
}

export function parseNameStatus(text: string): ChangedFile[] {
    const out: ChangedFile[] = [];
    for (const line of text.split(/\r?\n/)) {
        if (line.trim() === "") continue;
        const parts = line.split("\t");
        if (parts.length === 1) {
            out.push({ status: "modified", path: normalize(parts[0].trim()) });
            continue;
        }
        const code = parts[0].trim().charAt(0);
        const file = normalize(unquoteGitPath(parts[parts.length - 1]));
        out.push({ status: code === "A" ? "added" : code === "D" ? "deleted" : "modified", path: file });
    }
    return out;
}

export interface SelectOptions {
    /** The root stack files present now (for "program changed" and "all"). */
    readonly stackFiles: readonly string[];
    /** Select every stack whatever changed (a manual run, or a push whose previous commit is unknown). */
    readonly all?: boolean;
    /** Select exactly these stacks (a manual run). */
    readonly only?: readonly string[];
    /** Reads a stack file (the whole YAML document: `config:`, `encryptionsalt`, `secretsprovider`). */
    readonly readStackFile?: (file: string) => Record<string, unknown> | undefined;
}

/**
 * Picks the stacks a change touches. Root `Pulumi.<stack>.yaml` added or modified -> that stack
 * (plan, preview, up); deleted -> listed as removed (never destroyed here). A program file ->
 * every stack. `stacks/*.yaml` -> planned as examples only. Everything else -> nothing.
 */
export function selectStacks(changed: readonly ChangedFile[], opts: SelectOptions): Selection {
    const present = new Map<string, string>(); // stack -> file
    for (const f of opts.stackFiles) {
        const s = stackOfFile(f);
        if (s !== undefined) present.set(s, normalize(f));
    }
    const chosen = new Map<string, PlanTarget["reason"]>(); // stack -> reason
    const examples = new Set<string>();
    const removed: { stack: string; file: string }[] = [];
    let programChanged = false;
    if (opts.only !== undefined) {
        for (const s of opts.only) {
            if (!present.has(s)) throw new Error(`no stack file for stack "${s}" (have: ${[...present.keys()].sort().join(", ") || "none"})`);
            chosen.set(s, "requested");
        }
    } else if (opts.all === true) {
        for (const s of present.keys()) chosen.set(s, "requested");
    } else {
        for (const f of changed) {
            const stack = stackOfFile(f.path);
            if (stack !== undefined) {
                if (f.status === "deleted" && !present.has(stack)) removed.push({ stack, file: f.path });
                else chosen.set(stack, "file-changed");
            } else if (isExampleFile(f.path)) {
                if (f.status !== "deleted") examples.add(f.path);
            } else if (isProgramFile(f.path)) {
                programChanged = true;
            }
        }
        if (programChanged) {
            for (const s of present.keys()) if (!chosen.has(s)) chosen.set(s, "program-changed");
        }
    }
    const stacks: PlanTarget[] = [...chosen.entries()]
        .filter(([s]) => present.has(s))
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([stack, reason]) => {
            const file = present.get(stack)!;
            const doc = opts.readStackFile?.(file);
            const config = doc?.config !== null && typeof doc?.config === "object" ? (doc.config as Record<string, unknown>) : undefined;
            return {
                stack, file, kind: "stack", reason,
                kubeconfigSecret: kubeconfigSecretName(stack),
                kubeconfigInStackFile: stackFileHasKubeconfig(config),
                needsPassphrase: stackNeedsPassphrase(doc),
            };
        });
    const exampleTargets: PlanTarget[] = [...examples].sort().map((file) => ({ file, kind: "example", reason: "file-changed" }));
    return { plan: [...stacks, ...exampleTargets], stacks, removed: removed.sort((a, b) => (a.stack < b.stack ? -1 : 1)), programChanged };
}

// ---------------------------------------------------------------------------------------------
// (b, c) The comment body

/**
 * Step outputs for $GITHUB_OUTPUT, each in the multi-line form (`name<<DELIMITER`, the value,
 * `DELIMITER`) with a delimiter that occurs in no value: whatever a value holds (a newline, a
 * second `name=value`), it stays the value of its own name.
 */
export function githubOutputs(values: Readonly<Record<string, string>>, random: () => string = () => Math.random().toString(36).slice(2)): string {
    const all = Object.values(values).join("\n");
    let delimiter = `ISTIO_MESH_EOF_${random()}`;
    while (all.includes(delimiter)) delimiter = `ISTIO_MESH_EOF_${random()}`;
    return Object.entries(values)
        .map(([name, value]) => {
            if (!/^[A-Za-z0-9_-]+$/.test(name)) throw new Error(`internal: step output name ${JSON.stringify(name)}`);
            return `${name}<<${delimiter}\n${value}\n${delimiter}\n`;
        })
        .join("");
}
