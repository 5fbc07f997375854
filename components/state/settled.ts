/**
 * What the next update plans from must be written only by an update that fully landed.
 *
 * The engine records a run's stack outputs as soon as the program registers them, even when the
 * update then fails (seen with the Pulumi CLI 3.248: an output went from "v1" to "v2" on a
 * failed update). A plain value is registered at once; an Output is registered only once it
 * resolves. So `deployed` is an Output over the URN of every resource of the update: the SDK
 * resolves a custom resource's URN only when the engine answers its registration, that is once
 * its create, update or import succeeded, and rejects it when that step fails. A failed or
 * interrupted update then registers no outputs at all, and the previous `deployed` stays.
 */
import * as pulumi from "@pulumi/pulumi";

/** Every resource constructed from now on in this stack, in construction order (the list grows). */
export function collectResources(): readonly pulumi.Resource[] {
    const resources: pulumi.Resource[] = [];
    // A stack transformation sees every resource the program constructs, whatever its parent.
    pulumi.runtime.registerStackTransformation((args) => {
        resources.push(args.resource);
        return undefined;
    });
    return resources;
}

/**
 * `value`, resolved only after every resource in `resources` (read when this is called) has
 * been registered successfully. If one fails it stays pending for good, never rejected: the
 * SDK registers a stack's outputs as `{}` when one of them rejects (Stack.initialize's
 * `finally`), which would overwrite the previous `deployed`; left pending, the stack registers
 * nothing and the engine keeps the outputs it had (a same step retains the old outputs).
 */
export function afterEvery<T>(resources: readonly pulumi.Resource[], value: T): pulumi.Output<T> {
    let pending = resources.length;
    const landed = new Promise<T>((resolve) => {
        if (pending === 0) resolve(value);
        for (const r of resources) {
            r.urn.apply(() => {
                pending -= 1;
                if (pending === 0) resolve(value);
            });
        }
    });
    return pulumi.output(landed) as pulumi.Output<T>;
}

/**
 * The stack's outputs, each one made unable to reject: an output that depends on a failed
 * resource stays pending instead (see afterEvery for why a rejection would wipe `deployed`).
 * An output that was secret (or held a secret) stays secret.
 */
export function neverRejecting(outputs: Record<string, unknown>): Record<string, unknown> {
    // A preview records no outputs, and an output whose value is unknown there never runs an
    // apply: guarded, it would stay pending and the preview would never end.
    if (pulumi.runtime.isDryRun()) return outputs;
    return Object.fromEntries(Object.entries(outputs).map(([key, value]) => [key, isPlain(value) ? value : guarded(pulumi.output(value))]));
}

function guarded<T>(o: pulumi.Output<T>): pulumi.Output<T> {
    // Neither promise ever rejects: a failure leaves them pending.
    const value = new Promise<T>((resolve) => void o.apply((v) => void resolve(v as T)));
    const secret = new Promise<boolean>((resolve) => void pulumi.isSecret(o).then(resolve, () => undefined));
    const plain = pulumi.output(value) as pulumi.Output<T>;
    return pulumi.output(secret).apply((s): pulumi.Output<T> => (s ? (pulumi.secret(plain) as unknown as pulumi.Output<T>) : plain)) as unknown as pulumi.Output<T>;
}

/** No Output or Promise anywhere inside: registered as is. */
function isPlain(value: unknown): boolean {
    if (pulumi.Output.isInstance(value) || value instanceof Promise) return false;
    if (value === null || typeof value !== "object") return true;
    return Object.values(value).every(isPlain);
}
