import * as pulumi from "@pulumi/pulumi";
import { DeployedStateError, fromStackOutput, MeshState, MigrationHint } from "./deployed";

/** Stack output that carries the deployed state from one update to the next. */
export const DEPLOYED_OUTPUT = "deployed";

/**
 * Reads what the last successful update of this very stack deployed, through a
 * StackReference to itself. Outputs of a failed update are never written: the program
 * registers its outputs only once every resource of the update succeeded, and never rejects
 * one (state/settled.ts, tests/state/settled.test.ts), so this is the last state that fully
 * landed. undefined on the first update. `hint` (migrationHintOf(the next config)) fills in
 * what an older state schema did not record.
 */
export async function readPreviousState(hint?: MigrationHint): Promise<MeshState | undefined> {
    const self = `${pulumi.getOrganization()}/${pulumi.getProject()}/${pulumi.getStack()}`;
    const ref = new pulumi.StackReference("deployed-state", { name: self });
    const outputs = await new Promise<Record<string, unknown>>((resolve) => void ref.outputs.apply((o) => void resolve(o ?? {})));
    return previousStateOf(outputs, hint);
}

/**
 * The state in a stack's outputs. No outputs at all: nothing deployed yet. Outputs without
 * `deployed` are not "nothing deployed" (a stack some other program, or a hand edit, left):
 * refused, since planning from nothing would install over what runs there.
 */
export function previousStateOf(outputs: Readonly<Record<string, unknown>>, hint?: MigrationHint): MeshState | undefined {
    if (Object.hasOwn(outputs, DEPLOYED_OUTPUT)) {
        return fromStackOutput(outputs[DEPLOYED_OUTPUT], hint);
    }
    const names = Object.keys(outputs).sort();
    if (names.length === 0) {
        return undefined;
    }
    throw new DeployedStateError(
        [{ path: DEPLOYED_OUTPUT, message: `missing, though the stack has outputs (${names.map((n) => JSON.stringify(n)).join(", ")}): it is not a stack with nothing deployed` }],
        `Planning from nothing would install over what this stack already manages. If an earlier istio-mesh deployed it, put \`deployed\` back ` +
            `(\`pulumi stack export\`, take the outputs of an earlier checkpoint: \`pulumi stack history\`, \`pulumi stack export --version <N>\`, then ` +
            `\`pulumi stack import\`); if the stack is new to istio-mesh, adopt the mesh (\`npm run adopt\`) or start from an empty stack.`,
    );
}
