// @ts-nocheck
import * as pulumi from "@pulumi/pulumi";
import { fromStackOutput, MeshState, MigrationHint } from "./deployed";

/** Stack output that carries the deployed state from one update to the next. */
export const DEPLOYED_OUTPUT = "deployed";

/**
 * Reads what the last successful update of this very stack deployed, through a
 * StackReference to itself (outputs of a failed update are never written, so this is the
 * last state that fully landed). undefined on the first update. `hint` (migrationHintOf(the
 * next config)) fills in what an older state schema did not record.
 */
export async function readPreviousState(hint?: MigrationHint): Promise<MeshState | undefined> {
    const self = `${pulumi.getOrganization()}/${pulumi.getProject()}/${pulumi.getStack()}`;
    const ref = new pulumi.StackReference("deployed-state", { name: self });
    const details = await ref.getOutputDetails(DEPLOYED_OUTPUT);
    return fromStackOutput(details.value ?? details.secretValue, hint);
}
