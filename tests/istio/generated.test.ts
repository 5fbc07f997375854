/** The committed Istio types are exactly what the generator makes from the 1.30.3 CRDs. */
import { expect } from "chai";
import * as fs from "fs";
import { generate, OUTPUT_FILE } from "../../scripts/gen-istio-types";
import { crdText } from "./crdSchemas";

describe("istio: generated networking types", function () {
    // One generation for both checks (it reads every CRD of the release).
    let generated: string | undefined;
    const output = () => (generated ??= generate(crdText()));

    it("components/istio/networking.gen.ts is current (regenerate: npx ts-node --transpile-only scripts/gen-istio-types.ts)", function () {
        const committed = fs.readFileSync(OUTPUT_FILE, "utf8");
        expect(committed === output(), "networking.gen.ts differs from the generator's output; regenerate it").to.equal(true);
    });

    it("types each kind's spec from its CRD: required fields required, enums as unions", function () {
        const out = output();
        expect(out).to.match(/export type VirtualServiceSpec = \{/);
        expect(out).to.match(/export type DestinationRuleSpec = \{[\s\S]*?\n    host: string;/);
        // Gateway servers: hosts and port required; TLS mode an enum.
        expect(out).to.match(/servers\?: Array<\{[\s\S]*?\n        hosts: Array<string>;[\s\S]*?\n        port: \{/);
        expect(out).to.include('mode?: "PASSTHROUGH" | "SIMPLE" | "MUTUAL" | "AUTO_PASSTHROUGH" | "ISTIO_MUTUAL" | "OPTIONAL_MUTUAL";');
    });
});
