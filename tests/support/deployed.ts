/** Reading back a deployed output in tests. */
import { expect } from "chai";
import { DeployedStateError, fromStackOutput } from "../../components/state/deployed";

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
