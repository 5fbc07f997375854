/** Reading back a deployed output in tests. */
import { expect } from "chai";
import { DeployedStateError, fromStackOutput, MeshState } from "../../components/state/deployed";

/** The issues fromStackOutput raises for `value`, as "path: message" (none: it reads). */
export function deployedIssues(value: unknown): string[] {
    try {
        fromStackOutput(value);
    } catch (e) {
        expect(e).to.be.instanceOf(DeployedStateError);
        return (e as DeployedStateError).issues.map((i) => `${i.path}: ${i.message}`);
    }
    return [];
}

/** A current output as schema 3 wrote it: without the gateway kinds, Service types and hub (schema 4). */
export function asSchema3(output: Readonly<Record<string, unknown>>): Record<string, any> {
    const { hub: _hub, ...rest } = JSON.parse(JSON.stringify(output)) as Record<string, any>;
    return { ...rest, schema: 3, gateways: (rest.gateways as Record<string, unknown>[]).map(({ kind: _k, serviceType: _t, ...g }) => g) };
}

/** A state as read from an older schema: the schema-4 fields unknown (absent). */
export function unrecorded(state: MeshState): MeshState {
    const { hub: _hub, ...rest } = state;
    return { ...rest, gateways: state.gateways.map(({ kind: _k, serviceType: _t, ...g }) => g) };
}
