/**
 * One component built alone under the SDK's mocks, not the whole program: what it registers
 * (type, name, inputs, dependsOn by name, in registration order) and the outputs it reads back.
 * For the mutation run: a whole-program run would also execute the plan modules, and every
 * surviving mutant there would be re-run with it in each incremental run.
 */
import * as pulumi from "@pulumi/pulumi";

export interface Registered {
    readonly type: string;
    readonly name: string;
    readonly inputs: Record<string, unknown>;
    /** Names of the resources in its dependsOn, as the component passed them. */
    readonly dependsOn: readonly string[];
}

/**
 * Runs `build` as an update (not a preview: outputs are known) in a stack of its own.
 * `answer` gives the state the mock "API server" returns for a registration (default: its inputs).
 */
export async function buildAlone<T>(build: () => T, answer: (type: string, name: string, inputs: Record<string, unknown>) => Record<string, unknown> = (_t, _n, inputs) => inputs): Promise<{ registered: Registered[]; built: T }> {
    const registered: Registered[] = [];
    const names = new Map<pulumi.Resource, string>();
    await pulumi.runtime.setMocks({ newResource: (a) => ({ id: `${a.name}-id`, state: answer(a.type, a.name, a.inputs as Record<string, unknown>) }), call: (a) => a.inputs }, "components", "test", false);
    let built: T | undefined;
    await pulumi.runtime.runInPulumiStack(async () => {
        pulumi.runtime.registerStackTransformation((args) => {
            names.set(args.resource, args.name);
            const d = args.opts.dependsOn;
            const list = Array.isArray(d) ? d : d === undefined ? [] : [d];
            registered.push({ type: args.type, name: args.name, inputs: args.props as Record<string, unknown>, dependsOn: list.map((x) => names.get(x as pulumi.Resource) ?? "?") });
            return undefined;
        });
        built = build();
        return {};
    });
    await pulumi.runtime.disconnect();
    return { registered, built: built as T };
}

/** The value of an Output once known. */
export const valueOf = <T>(o: pulumi.Output<T>): Promise<T> => new Promise<T>((resolve) => void o.apply((v) => void resolve(v)));
