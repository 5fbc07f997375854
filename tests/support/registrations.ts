/**
 * What the program asks the engine for, seen from the mock monitor: which resources each one
 * waits for (its dependsOn, by name), and answers that differ from the mocks' (a Service the API
 * server gave a clusterIP, an output left unknown during a preview).
 */
import * as pulumi from "@pulumi/pulumi";
import { runProgram } from "../../components/plan/mockRun";
import { MeshState } from "../../components/state/deployed";

/** Each resource's name → the names of the resources in its dependsOn, as the program registers it. */
export async function waits(config: Readonly<Record<string, unknown>>, previous: MeshState | null): Promise<Map<string, string[]>> {
    const deps = new Map<string, string[]>();
    const names = new Map<pulumi.Resource, string>();
    await runProgram(config, previous, {
        onResource: (r) => {
            names.set(r.resource, r.name);
            const d = r.opts.dependsOn;
            deps.set(r.name, (Array.isArray(d) ? d : d === undefined ? [] : [d]).map((x) => names.get(x as pulumi.Resource) ?? "?"));
        },
    });
    return deps;
}

interface Struct {
    toJavaScript(): Record<string, unknown>;
}
interface Response {
    getObject(): Struct | undefined;
    setObject(s: Struct): void;
}
interface Monitor {
    registerResource: (req: { getType(): string; getName(): string }, cb: (err: Error | null, resp?: Response) => void) => unknown;
}

/**
 * An `onResource` hook for runProgram that rewrites the state the mock monitor answers for
 * registrations `matches` selects (a property left out is unknown during a preview, undefined
 * during an update). Installed on the first resource, once per run.
 */
export function answering(matches: (type: string, name: string) => boolean, rewrite: (state: Record<string, unknown>) => Record<string, unknown>): () => void {
    let installed = false;
    return () => {
        if (installed) return;
        installed = true;
        const m = pulumi.runtime.getMonitor() as unknown as Monitor;
        const register = m.registerResource.bind(m);
        m.registerResource = (req, cb) =>
            register(req, (err, resp) => {
                const object = resp?.getObject();
                if (err === null && resp !== undefined && object !== undefined && matches(req.getType(), req.getName())) {
                    try {
                        // The answer's own Struct class builds the replacement (no protobuf import).
                        const StructClass = object.constructor as unknown as { fromJavaScript(v: Record<string, unknown>): Struct };
                        resp.setObject(StructClass.fromJavaScript(rewrite(object.toJavaScript())));
                    } catch (e) {
                        // A rewrite that cannot be answered fails the registration rather than leaving it unanswered.
                        return cb(e as Error);
                    }
                }
                return cb(err, resp);
            });
    };
}
