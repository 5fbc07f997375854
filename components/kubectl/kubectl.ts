/**
 * One-shot cluster actions (`kubectl ...`) run by `@pulumi/command` resources, reaching the
 * cluster with the stack's own kubeconfig and context, never the operator's shell defaults.
 * Pure: builds the script and its environment; the resource that runs it lives with its caller.
 */

import { GATE_SOMETHING_REMOVED } from "../dataplane/gate";
import { dnsLabelProblem } from "../versions/version";

/** Environment variable names the scripts read (values may be secrets). */
export const KUBECTL_ENV = {
    kubeconfig: "ISTIO_MESH_KUBECONFIG",
    context: "ISTIO_MESH_KUBE_CONTEXT",
} as const;

/**
 * A POSIX sh preamble defining `kube`, kubectl bound to the stack's cluster:
 * ISTIO_MESH_KUBECONFIG is a path (used as is) or a kubeconfig's contents (written to a file
 * in a private temp directory, removed on exit, on INT, TERM and HUP too); ISTIO_MESH_KUBE_CONTEXT selects the context. Neither set
 * = kubectl's own defaults, which is what the Kubernetes provider uses too when the stack names
 * no kubeconfig. Values from config reach kubectl as quoted variables, never as script text.
 */
export const PREAMBLE = [
    "set -eu",
    "kc=",
    `if [ -n "\${${KUBECTL_ENV.kubeconfig}:-}" ]; then`,
    `  if [ -f "\${${KUBECTL_ENV.kubeconfig}}" ]; then kc="\${${KUBECTL_ENV.kubeconfig}}"; else`,
    // One line that is not JSON nor YAML with apiVersion: a path, and the file is missing.
    `    case "\${${KUBECTL_ENV.kubeconfig}}" in "{"*|*apiVersion*) ;; *) if [ "$(printf '%s' "\${${KUBECTL_ENV.kubeconfig}}" | wc -l)" -eq 0 ]; then echo "kubeconfig \${${KUBECTL_ENV.kubeconfig}}: no such file (istio-mesh:cluster.kubeconfig names a file that does not exist)" >&2; exit 1; fi ;; esac`,
    // A private directory (mktemp -d: 0700), removed on exit; dash runs no EXIT trap when a signal
    // kills it, so INT, TERM and HUP exit through it.
    `    kcdir=$(mktemp -d); trap 'rm -rf "$kcdir"' EXIT; trap 'exit 129' HUP; trap 'exit 130' INT; trap 'exit 143' TERM`,
    `    kc="$kcdir/kubeconfig"; (umask 077; printf '%s' "\${${KUBECTL_ENV.kubeconfig}}" > "$kc"); fi`,
    "fi",
    "kube() {",
    `  if [ -n "\${${KUBECTL_ENV.context}:-}" ]; then set -- --context "\${${KUBECTL_ENV.context}}" "$@"; fi`,
    '  if [ -n "$kc" ]; then set -- --kubeconfig "$kc" "$@"; fi',
    '  kubectl "$@"',
    "}",
].join("\n");

/** A script run by a command resource, and the values it reads from its environment. */
export interface KubectlScript {
    /** The sh script (for local.Command's `create`). */
    readonly script: string;
    /** Values the script reads, besides the access variables. */
    readonly environment: Readonly<Record<string, string>>;
}

/** One namespace of the mesh, as the restart script sees it. */
export interface RestartEntry {
    readonly namespace: string;
    /** `<revision>@<version>` its workloads must run. */
    readonly effective: string;
    /** false: `restart: false`, recorded but never restarted (the plan says to restart by hand). */
    readonly restart: boolean;
    /** The stack created it: new and empty when it first appears, nothing to restart. */
    readonly created: boolean;
}

/** The lines a restart run prints (stdout), one per namespace; the next run reads them back from PULUMI_COMMAND_STDOUT. */
export const EFFECTIVE_MARK = "istio-mesh effective revision: ";

/**
 * Namespace annotation a restart run sets on each namespace as soon as its workloads restarted
 * (value: the `<revision>@<version>` they restarted onto), and removes once the whole run
 * succeeded. A run that fails part-way records nothing in its stdout (the command provider keeps
 * no output of a failed run), so without it the retry would restart the earlier namespaces again.
 */
export const RESTARTED_MARK = "istio-mesh/restarted-onto";

/** The restart command's scripts: `create` (first run) and `update` (every later run), one environment. */
export interface RestartScripts {
    readonly create: string;
    readonly update: string;
    readonly environment: Readonly<Record<string, string>>;
}

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Restarts the workloads (Deployments, StatefulSets, DaemonSets) of every namespace whose
 * effective revision changed, with `kubectl rollout restart` (new pods get the proxy of the
 * revision the namespace now selects), optionally waiting for each rollout with a timeout that
 * fails naming the namespace and workload.
 *
 * One script for the whole mesh (one resource, not one per namespace: a plan of 1,000
 * namespaces stays fast). Idempotent by itself: it prints `<namespace>=<effective>` for every
 * namespace, and a later run (the command provider passes the previous stdout as
 * PULUMI_COMMAND_STDOUT) restarts only the namespaces whose wanted revision differs from the
 * recorded one. So an update for any other reason (rotated credentials, another namespace
 * moving) restarts nothing else. A failed run's stdout is not kept; each namespace it did
 * restart carries RESTARTED_MARK, so the retry restarts only the rest (and a marked namespace
 * whose wanted revision changed meanwhile, back); the marks go once a run succeeds.
 *
 * A namespace without a record: on an update it has just joined the config, and restarts
 * unless the stack created it. On the command's first run (`create`) that is not enough (the
 * first run after upgrading from per-namespace commands, an adopted mesh): `firstRun` names
 * the ones to restart, written into `create` only, which the resource ignores after creation.
 * The environment depends on the config alone, so a second `up` sees no change.
 *
 * Values reach the shell through the environment, except `firstRun`'s names, which are checked
 * DNS labels; namespace names and revisions are DNS labels and versions, validated by the
 * config, so word splitting is safe.
 */
export function restartNamespacesScript(entries: readonly RestartEntry[], firstRun: readonly string[], waitSeconds?: number): RestartScripts {
    const sorted = [...entries].sort((a, b) => byName(a.namespace, b.namespace));
    const environment: Record<string, string> = {
        ISTIO_MESH_RESTARTS: sorted.map((e) => `${e.namespace}=${e.effective}`).join(" "),
        ISTIO_MESH_NO_RESTART: sorted.filter((e) => !e.restart).map((e) => e.namespace).join(" "),
        ISTIO_MESH_CREATED: sorted.filter((e) => e.created).map((e) => e.namespace).join(" "),
    };
    if (waitSeconds !== undefined) {
        environment.ISTIO_MESH_TIMEOUT = String(waitSeconds);
    }
    for (const ns of firstRun) {
        if (dnsLabelProblem(ns) !== undefined) {
            throw new Error(`internal: namespace ${JSON.stringify(ns)} is not a DNS label`);
        }
    }
    const body = (unrecorded: string): string => {
        const lines = [
            PREAMBLE,
            // Namespaces restarted by a run that then failed carry RESTARTED_MARK (one call for all).
            `marks=$(kube get namespaces -o jsonpath='{range .items[*]}{.metadata.name}={.metadata.annotations.${RESTARTED_MARK.replace(/\./g, "\\.")}}{"\\n"}{end}')`,
            // Which namespaces to restart: marked onto another revision; else recorded onto another
            // revision, or unrecorded and due.
            `todo=$({ printf '%s\\n' "$marks" | sed 's/^/mark /'; printf '%s\\n' "\${PULUMI_COMMAND_STDOUT:-}"; } | awk -v want="$ISTIO_MESH_RESTARTS" -v skip=" $ISTIO_MESH_NO_RESTART " ${unrecorded} '`,
            `  index($0, "${EFFECTIVE_MARK}") == 1 { e = substr($0, ${EFFECTIVE_MARK.length + 1}); was[substr(e, 1, index(e, "=") - 1)] = substr(e, index(e, "=") + 1) }`,
            '  index($0, "mark ") == 1 { e = substr($0, 6); v = substr(e, index(e, "=") + 1); if (v != "") mark[substr(e, 1, index(e, "=") - 1)] = v }',
            '  END { n = split(want, w, " "); for (i = 1; i <= n; i++) { ns = substr(w[i], 1, index(w[i], "=") - 1); eff = substr(w[i], index(w[i], "=") + 1);',
            '    due = (ns in mark) ? mark[ns] != eff : (ns in was) ? was[ns] != eff : (mode == "listed" ? index(listed, " " ns " ") > 0 : index(listed, " " ns " ") == 0);',
            '    if (due && index(skip, " " ns " ") == 0) print ns "=" eff } }\')',
            // Every marked namespace, whether restarted now or not: the marks go once the run succeeds.
            `marked=$(printf '%s\\n' "$marks" | awk '{ v = substr($0, index($0, "=") + 1); if (index($0, "=") > 0 && v != "") print substr($0, 1, index($0, "=") - 1) }')`,
            "for entry in $todo; do",
            '  ns="${entry%%=*}"',
            '  objs=$(kube get deployment,statefulset,daemonset -n "$ns" -o name)',
            '  if [ -z "$objs" ]; then echo "namespace $ns: no workloads to restart" >&2; continue; fi',
            '  kube rollout restart -n "$ns" $objs >&2',
        ];
        if (waitSeconds !== undefined) {
            lines.push(
                "  for o in $objs; do",
                '    if ! kube rollout status -n "$ns" "$o" --timeout="${ISTIO_MESH_TIMEOUT}s" >&2; then',
                '      echo "namespace $ns: $o did not become ready within ${ISTIO_MESH_TIMEOUT}s after the restart" >&2; exit 1',
                "    fi",
                "  done",
            );
        }
        lines.push(
            // Remembered in the cluster at once: if a later namespace fails, the retry skips this one.
            `  kube annotate namespace "$ns" --overwrite "${RESTARTED_MARK}=\${entry#*=}" >&2`,
            '  marked="$marked $ns"',
            '  echo "namespace $ns: restarted onto ${entry#*=}" >&2',
            "done",
            // Every restart went through: the record moves to stdout, the marks go.
            `if [ -n "$(echo $marked)" ]; then kube annotate namespace $marked "${RESTARTED_MARK}-" >&2; fi`,
            `for entry in $ISTIO_MESH_RESTARTS; do echo "${EFFECTIVE_MARK}$entry"; done`,
        );
        return `${lines.join("\n")}\n`;
    };
    return {
        // First run: restart exactly the listed namespaces that have no record.
        create: body(`-v mode=listed -v listed=" ${[...firstRun].sort(byName).join(" ")} "`),
        // Later runs: a namespace without a record has just joined; restart it unless created.
        update: body('-v mode=unlisted -v listed=" $ISTIO_MESH_CREATED "'),
        environment,
    };
}

/** The lines a label-removal run prints (stdout), one per namespace it has handled. */
export const ENROLLED_MARK = "istio-mesh enrolled: ";

/**
 * Removes `istio-injection` from each namespace the first time it is enrolled. kubectl's label
 * removal is a JSON merge patch, which deletes the key whoever owns it (server-side apply could
 * only drop it after taking ownership, and the resource holding that ownership would re-apply
 * it on every refresh). A namespace without the label is left as is (kubectl prints "not
 * found", exit 0).
 *
 * Once per namespace: the script prints every namespace it covers, and a later run (previous
 * stdout in PULUMI_COMMAND_STDOUT) touches only namespaces not printed before, so a refresh, a
 * rotated credential or another namespace joining removes nothing again; a namespace that leaves
 * the config and comes back is enrolled anew. One kubectl call for all of them.
 */
export function dropInjectionLabelsScript(namespaces: readonly string[]): KubectlScript {
    const environment = { ISTIO_MESH_NAMESPACES: [...namespaces].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).join(" ") };
    const lines = [
        PREAMBLE,
        `todo=$(printf '%s\\n' "\${PULUMI_COMMAND_STDOUT:-}" | awk -v want="$ISTIO_MESH_NAMESPACES" '`,
        `  index($0, "${ENROLLED_MARK}") == 1 { seen[substr($0, ${ENROLLED_MARK.length + 1})] = 1 }`,
        "  END { n = split(want, w, \" \"); for (i = 1; i <= n; i++) if (!(w[i] in seen)) print w[i] }')",
        'if [ -n "$todo" ]; then kube label namespace $todo istio-injection- >&2; fi',
        `for ns in $ISTIO_MESH_NAMESPACES; do echo "${ENROLLED_MARK}$ns"; done`,
    ];
    return { script: `${lines.join("\n")}\n`, environment };
}

/**
 * What the removal gate runs, relative to the project directory (the command's working directory):
 * the script through ts-node (a dependency `npm ci` installs; transpile only, as the program is
 * type-checked by `npm test`).
 */
/** The Gateway API Gateways, as kubectl names them (the removal gate lists them beside pods). */
export const GATEWAY_RESOURCE = "gateways.gateway.networking.k8s.io";

export const REMOVAL_GATE_ENTRY = { register: "ts-node/register/transpile-only", script: "./scripts/removal-gate.ts" } as const;

/** A gate script for each run of its command, and the values both read from their environment. */
export interface RemovalGateScripts {
    /** The first run: the record to compare with is given (the deployed state before this update). */
    readonly create: string;
    /** Later runs: the record is the last passing run's stdout (PULUMI_COMMAND_STDOUT). */
    readonly update: string;
    readonly environment: Readonly<Record<string, string>>;
}

/** One sh word holding `s` as is. */
export function shellWord(s: string): string {
    return `'${s.replace(/'/g, "'\\''")}'`;
}

/**
 * The removal gate's check. First asks scripts/removal-gate.ts (the pure logic of
 * dataplane/gate.ts, run by the same `node` that runs Pulumi programs) whether this update
 * removes a revision at all: the record of the revisions deployed before (`before` on
 * creation, else the last passing run's record line) against the config's (ISTIO_MESH_GATE,
 * JSON). None: it prints the new record and exits 0 without asking the cluster. Else it lists
 * every pod of the cluster and asks whether any still runs a removed revision, every
 * `intervalSeconds` until none does (rollouts leave terminating pods behind for their grace
 * period) or `timeoutSeconds` have passed, then fails naming the pods, so the update stops
 * before its removals and its record stays the old one (a failed run is not recorded).
 *
 * The command runs it in the istio-mesh checkout (its `dir`); the script says so plainly when
 * the gate's files are not there.
 */
export function removalGateScript(before: string, timeoutSeconds: number, intervalSeconds = 5): RemovalGateScripts {
    const node = `node -r ${REMOVAL_GATE_ENTRY.register} ${REMOVAL_GATE_ENTRY.script}`;
    const body = [
        PREAMBLE,
        `if [ ! -f ${REMOVAL_GATE_ENTRY.script} ]; then echo "istio-mesh removal gate: ${REMOVAL_GATE_ENTRY.script} is not in $(pwd); the istio-mesh checkout is incomplete" >&2; exit 1; fi`,
        "status=0",
        `verdict=$(${node} removed) || status=$?`,
        'if [ "$status" -eq 0 ]; then echo "$verdict"; exit 0; fi',
        `if [ "$status" -ne ${GATE_SOMETHING_REMOVED} ]; then echo "$verdict" >&2; exit 1; fi`,
        'deadline=$(( $(date +%s) + ISTIO_MESH_TIMEOUT ))',
        // With the Gateway API (ISTIO_MESH_GATE_GATEWAYS set), waypoints and gateways are judged too.
        `kinds=pods; if [ -n "\${ISTIO_MESH_GATE_GATEWAYS:-}" ]; then kinds=pods,${GATEWAY_RESOURCE}; fi`,
        "while :; do",
        "  status=0",
        `  verdict=$(kube get "$kinds" --all-namespaces -o json --request-timeout=30s | ${node}) || status=$?`,
        '  if [ "$status" -eq 0 ]; then echo "$verdict"; exit 0; fi',
        '  if [ "$(date +%s)" -ge "$deadline" ]; then echo "$verdict (after waiting ${ISTIO_MESH_TIMEOUT}s)" >&2; exit 1; fi',
        '  echo "istio-mesh removal gate: waiting for pods to leave the removed revisions" >&2',
        '  sleep "$ISTIO_MESH_GATE_INTERVAL"',
        "done",
    ];
    return {
        // Only on creation, as script text: the command ignores changes to `create`, so the state
        // before this update is never an input that a second `up` would see change.
        create: `export ISTIO_MESH_GATE_BEFORE=${shellWord(before)}\n${body.join("\n")}\n`,
        update: `unset ISTIO_MESH_GATE_BEFORE\n${body.join("\n")}\n`,
        environment: { ISTIO_MESH_TIMEOUT: String(timeoutSeconds), ISTIO_MESH_GATE_INTERVAL: String(intervalSeconds) },
    };
}
