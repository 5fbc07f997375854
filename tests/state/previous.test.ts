/** Which state a stack's outputs give the next update to plan from. */
import { expect } from "chai";
import { DeployedStateError, STATE_SCHEMA, stateOf, toStackOutput } from "../../components/state/deployed";
import { previousStateOf } from "../../components/state/previous";
import { parseMesh } from "../support/fixtures";

describe("state: the previous state from the stack's outputs", () => {
    const state = stateOf(parseMesh({ revisions: [{ version: "1.29.6" }] }));

    it("no outputs at all: nothing deployed yet (a first update, or every earlier one failed)", () => {
        expect(previousStateOf({})).to.equal(undefined);
    });

    it("`deployed` among the outputs: that state", () => {
        expect(previousStateOf({ revisions: {}, deployed: toStackOutput(state) })).to.deep.equal(state);
        expect(toStackOutput(state)).to.have.property("schema", STATE_SCHEMA);
    });

    it("outputs without `deployed`: refused, naming the outputs found and the fix, never planned as an install", () => {
        let error: unknown;
        try {
            previousStateOf({ tags: {}, revisions: { "1-29-6": "1.29.6" } });
        } catch (e) {
            error = e;
        }
        expect(error).to.be.instanceOf(DeployedStateError);
        const message = (error as Error).message;
        expect(message).to.include('deployed: missing, though the stack has outputs ("revisions", "tags"): it is not a stack with nothing deployed');
        expect(message).to.include("pulumi stack export --version <N>");
        expect(message).to.include("npm run adopt");
    });
});
