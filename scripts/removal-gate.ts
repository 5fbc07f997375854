/**
 * Run by the removal gate's command during `pulumi up` (see components/dataplane/removalGate.ts):
 * reads `kubectl get pods -A -o json` on stdin and the gate input from ISTIO_MESH_GATE, prints
 * the verdict. Exit 0: nothing uses the removed revisions; 1: pods still do; 2: the pod list
 * could not be read (kubectl failed); the command's script retries 1 and 2 until its deadline.
 */
import * as fs from "fs";
import { gateVerdict, parseGateInput } from "../components/dataplane/gate";
import { podFacts } from "../components/dataplane/liveQuery";

function main(): number {
    const input = parseGateInput(process.env.ISTIO_MESH_GATE);
    const text = fs.readFileSync(0, "utf8");
    let list: { items?: unknown[] };
    try {
        list = JSON.parse(text);
    } catch {
        process.stdout.write("istio-mesh removal gate: the cluster's pod list could not be read (kubectl failed)\n");
        return 2;
    }
    const verdict = gateVerdict(input, podFacts(list));
    process.stdout.write(`${verdict.message}\n`);
    return verdict.clear ? 0 : 1;
}

process.exitCode = main();
