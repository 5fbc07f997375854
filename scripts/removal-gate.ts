/**
 * Run by the removal gate's command during `pulumi up` (see components/dataplane/removalGate.ts).
 * What is removed: the revisions of the record (ISTIO_MESH_GATE_BEFORE on the command's creation,
 * else the record line of its previous run, PULUMI_COMMAND_STDOUT) that the config
 * (ISTIO_MESH_GATE) no longer deploys.
 *
 * `removal-gate.ts removed`: exit 0, printing the new record, when nothing is removed (the
 * command then never asks the cluster); 10 when something is.
 * `removal-gate.ts`: reads `kubectl get pods -A -o json` (with the Gateway API, pods and Gateways) on stdin and prints the verdict (and,
 * when clear, the new record). Exit 0: nothing uses the removed revisions; 1: pods still do;
 * 2: the pod list could not be read (kubectl failed); the command's script retries 1 and 2
 * until its deadline.
 * Exit 3 in both: no record to compare with (the message says what to do).
 */
import * as fs from "fs";
import { GATE_RECORD_MARK, GATE_SOMETHING_REMOVED, gateInputOf, gateRecordLine, gateVerdict, parseGateConfig, parseGateRecord, readGateRecord } from "../components/dataplane/gate";
import { gatewayFacts, podFacts } from "../components/dataplane/liveQuery";

function main(mode: string | undefined): number {
    const config = parseGateConfig(process.env.ISTIO_MESH_GATE);
    const created = process.env.ISTIO_MESH_GATE_BEFORE;
    const before = created !== undefined ? parseGateRecord(created) : readGateRecord(process.env.PULUMI_COMMAND_STDOUT);
    if (before === undefined) {
        process.stdout.write(
            `istio-mesh removal gate: its previous run left no "${GATE_RECORD_MARK.trim()}" line in its stdout, so it cannot tell which revisions this update removes; ` +
                `nothing was removed. Let it start again from the deployed state: \`pulumi state delete <URN>\` of the command:local:Command whose name ends in -removal-gate-verify ` +
                `(\`pulumi stack --show-urns\` lists it), then run pulumi up again.\n`,
        );
        return 3;
    }
    const input = gateInputOf(config, before);
    if (mode === "removed") {
        if (input.removed.length > 0) return GATE_SOMETHING_REMOVED;
        process.stdout.write(`istio-mesh removal gate: this update removes no revision\n${gateRecordLine(config)}\n`);
        return 0;
    }
    let list: { items?: unknown[] };
    try {
        list = JSON.parse(fs.readFileSync(0, "utf8"));
    } catch {
        process.stdout.write("istio-mesh removal gate: the cluster's pod list could not be read (kubectl failed)\n");
        return 2;
    }
    // `kubectl get pods,gateways...` answers one list of both kinds (with the Gateway API).
    const items = list.items ?? [];
    const isGateway = (i: unknown) => (i as { kind?: unknown } | null)?.kind === "Gateway";
    const verdict = gateVerdict(input, podFacts({ items: items.filter((i) => !isGateway(i)) }), config.gateways === true ? gatewayFacts({ items: items.filter(isGateway) }) : undefined);
    process.stdout.write(`${verdict.message}\n${verdict.clear ? `${gateRecordLine(config)}\n` : ""}`);
    return verdict.clear ? 0 : 1;
}

process.exitCode = main(process.argv[2]);
