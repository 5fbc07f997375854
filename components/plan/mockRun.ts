/**
 * Runs the real program (index.ts) under Pulumi mocks, in-process, and returns every
 * resource it registers with its inputs. This is how the offline plan and the unit tests see
 * exactly what `pulumi up` would ask the engine for, without a CLI or a cluster.
 */
import * as pulumi from "@pulumi/pulumi";
import { ProgramOptions } from "../program";
import { MeshState } from "../state/deployed";

export interface RegisteredResource {
    /** Pulumi type token, e.g. kubernetes:helm.sh/v3:Release */
    readonly type: string;
    /** Pulumi resource name (unique per type in this program). */
    readonly name: string;
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

/**
 * Runs the program for `config` (a stack file's `config:` map). `previous` = the deployed
 * state (null = first update). Mocks are global per process: runs must not overlap.
 */
export async function runProgram(
    config: Readonly<Record<string, unknown>>,
    previous: MeshState | null,
    options: { allowUnsafe?: string[]; stack?: string; report?: ProgramOptions["report"] } = {},
): Promise<ProgramRun> {
    const resources: RegisteredResource[] = [];
    await pulumi.runtime.setMocks(
        {
            newResource: (args) => {
                resources.push({ type: args.type, name: args.name, inputs: args.inputs });
                const state =
                    args.type === "kubernetes:helm.sh/v3:Release"
                        ? { ...args.inputs, status: { status: "deployed", version: args.inputs.version, name: args.inputs.name } }
                        : args.inputs;
                return { id: `${args.name}-id`, state };
            },
            call: (args) => args.inputs,
        },
        "istio-mesh",
        options.stack ?? "plan",
        true,
    );
    pulumi.runtime.setAllConfig(runtimeConfig(config));
    // Loaded lazily so that mocks are in place before the program's modules run.
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const main: Main = require("../../index");
    const outputs = (await pulumi.runtime.runInPulumiStack(() => main({ previous, allowUnsafe: options.allowUnsafe ?? [], report: options.report ?? (() => undefined) }))) ?? {};
    // Every registration must have reached the mock monitor before the list is read.
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    await require("@pulumi/pulumi/runtime/settings").waitForRPCs();
    return { resources, outputs };
}
