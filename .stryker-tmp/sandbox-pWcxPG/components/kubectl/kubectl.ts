/**
 * One-shot cluster actions (`kubectl ...`) run by `@pulumi/command` resources, reaching the
 * cluster with the stack's own kubeconfig and context, never the operator's shell defaults.
 * Pure: builds the script and its environment; the resource that runs it lives with its caller.
 */
// @ts-nocheck


/** Environment variable names the scripts read (values may be secrets). */
export const KUBECTL_ENV = {
    kubeconfig: "ISTIO_MESH_KUBECONFIG",
    context: "ISTIO_MESH_KUBE_CONTEXT",
} as const;

/**
 * A POSIX sh preamble defining `kube`, kubectl bound to the stack's cluster:
 * ISTIO_MESH_KUBECONFIG is a path (used as is) or a kubeconfig's contents (written to a
 * private temp file, removed on exit); ISTIO_MESH_KUBE_CONTEXT selects the context. Neither set
 * = kubectl's own defaults, which is what the Kubernetes provider uses too when the stack names
 * no kubeconfig. Values from config reach kubectl as quoted variables, never as script text.
 */
const PREAMBLE = [
    "set -eu",
    "kc=",
    `if [ -n "\${${KUBECTL_ENV.kubeconfig}:-}" ]; then`,
    `  if [ -f "\${${KUBECTL_ENV.kubeconfig}}" ]; then kc="\${${KUBECTL_ENV.kubeconfig}}"; else`,
    `    kc=$(mktemp); trap 'rm -f "$kc"' EXIT; chmod 600 "$kc"; printf '%s' "\${${KUBECTL_ENV.kubeconfig}}" > "$kc"; fi`,
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

type Word = string | { env: string; value: string };

/** Shell text of a word: fixed words as they are (checked), values as quoted variables. */
function words(args: readonly Word[], environment: Record<string, string>): string {
    return args
        .map((a) => {
            if (typeof a === "string") {
                if (!/^[A-Za-z0-9._/=:,-]+$/.test(a)) {
                    throw new Error(`internal: kubectl word ${JSON.stringify(a)} must be passed through the environment`);
                }
                return a;
            }
            environment[a.env] = a.value;
            return `"\${${a.env}}"`;
        })
        .join(" ");
}

/**
 * `kube <args>` where each arg is either a fixed word (program-chosen, no shell
 * metacharacters) or `{ env: NAME, value }`, passed through the environment.
 */
export function kubectlScript(args: readonly Word[]): KubectlScript {
    const environment: Record<string, string> = {};
    return { script: `${PREAMBLE}\nkube ${words(args, environment)}\n`, environment };
}

/** Which workloads a restart covers: every Deployment, StatefulSet and DaemonSet of a namespace, or one. */
export interface RestartTarget {
    readonly namespace: string;
    /** e.g. `deployment/istio-ingressgateway`; undefined = every workload of the namespace. */
    readonly workload?: string;
    /** What the workloads must run after the restart: `<revision>@<version>`. */
    readonly effective: string;
    /** Wait for each rollout to finish, at most this long each; undefined = do not wait. */
    readonly waitSeconds?: number;
}

/** The line a restart script prints last; the next run reads it back from PULUMI_COMMAND_STDOUT. */
export const EFFECTIVE_MARK = "istio-mesh effective revision: ";

/**
 * `kubectl rollout restart` (new pods, so the injector gives them the proxy of the revision the
 * namespace or gateway now selects), then optionally `rollout status` with a timeout that fails
 * naming the namespace and workload. A namespace without workloads is not an error.
 *
 * Idempotent by itself: it prints the effective revision it restarted for, and a later run
 * (the command provider passes the previous stdout as PULUMI_COMMAND_STDOUT) restarts only when
 * the wanted one differs. So an update of the resource for any other reason (rotated
 * credentials, a reworded script) restarts nothing, and a run that failed is retried by the
 * next `up`. `record` = print the mark without restarting (the workloads are new, e.g. a
 * gateway Helm has just installed).
 */
export function restartScript(target: RestartTarget, record = false): KubectlScript {
    const environment: Record<string, string> = { ISTIO_MESH_EFFECTIVE: target.effective };
    const ns = words([{ env: "ISTIO_MESH_NAMESPACE", value: target.namespace }], environment);
    const lines = [PREAMBLE];
    const done = `echo "${EFFECTIVE_MARK}$ISTIO_MESH_EFFECTIVE"`;
    if (record) {
        lines.push(`echo "namespace $ISTIO_MESH_NAMESPACE: new workloads, nothing to restart"`, done);
        return { script: `${lines.join("\n")}\n`, environment };
    }
    lines.push(
        `prev=$(printf '%s\\n' "\${PULUMI_COMMAND_STDOUT:-}" | sed -n 's/^${EFFECTIVE_MARK}//p' | tail -n 1)`,
        `if [ "$prev" = "$ISTIO_MESH_EFFECTIVE" ]; then echo "namespace $ISTIO_MESH_NAMESPACE: already restarted onto $ISTIO_MESH_EFFECTIVE"; ${done}; exit 0; fi`,
    );
    if (target.workload === undefined) {
        lines.push(`objs=$(kube get deployment,statefulset,daemonset -n ${ns} -o name)`);
    } else {
        lines.push(`objs=${words([{ env: "ISTIO_MESH_WORKLOAD", value: target.workload }], environment)}`);
    }
    lines.push(`if [ -z "$objs" ]; then echo "namespace $ISTIO_MESH_NAMESPACE: no workloads to restart"; ${done}; exit 0; fi`, `kube rollout restart -n ${ns} $objs`);
    if (target.waitSeconds !== undefined) {
        environment.ISTIO_MESH_TIMEOUT = String(target.waitSeconds);
        lines.push(
            "for o in $objs; do",
            `  if ! kube rollout status -n ${ns} "$o" --timeout="\${ISTIO_MESH_TIMEOUT}s"; then`,
            `    echo "namespace $ISTIO_MESH_NAMESPACE: $o did not become ready within \${ISTIO_MESH_TIMEOUT}s after the restart" >&2; exit 1`,
            "  fi",
            "done",
        );
    }
    lines.push(done);
    return { script: `${lines.join("\n")}\n`, environment };
}

/**
 * Removes `istio-injection` from a namespace, once. kubectl's label removal is a JSON merge
 * patch, which deletes the key whoever owns it (server-side apply could only drop it after
 * taking ownership, and the resource holding that ownership would re-apply it on every
 * refresh). A namespace without the label is left as is (kubectl prints "not found", exit 0).
 */
export function dropInjectionLabelScript(namespace: string): KubectlScript {
    return kubectlScript(["label", "namespace", { env: "ISTIO_MESH_NAMESPACE", value: namespace }, "istio-injection-"]);
}
