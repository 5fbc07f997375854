/** Credentials in a chart repository URL are refused: the state and every plan would hold them in plain text. */
import { expect } from "chai";
import { CHART_REPOSITORY_CREDENTIALS } from "../../components/config/chartRepository";
import { meshIssues } from "../support/fixtures";

describe("config: chartRepository carries no credentials", () => {
    const revisions = [{ version: "1.30.3" }];

    it("user:password@ (or a token as user) in the URL is refused, naming the field, without echoing the URL, with Helm's own way", () => {
        for (const url of ["https://user:s3cret-MARKER@charts.example.com/istio", "https://s3cret-MARKER@charts.example.com", "oci://u:s3cret-MARKER@registry.example.com/istio"]) {
            const issues = meshIssues({ revisions, chartRepository: url });
            expect(issues, url).to.deep.equal([`istio-mesh:mesh.chartRepository: ${CHART_REPOSITORY_CREDENTIALS}`]);
            expect(issues.join("\n")).to.not.include("MARKER");
        }
        expect(CHART_REPOSITORY_CREDENTIALS).to.include("helm registry login");
        const addon = meshIssues({ revisions, addons: { prometheus: { enabled: true, chartRepository: "https://u:p@charts.example.com" } } });
        expect(addon).to.deep.equal([`istio-mesh:mesh.addons.prometheus.chartRepository: ${CHART_REPOSITORY_CREDENTIALS}`]);
    });

    it("an @ after the host (a path or query) is no credential", () => {
        expect(meshIssues({ revisions, chartRepository: "https://charts.example.com/team@istio" })).to.deep.equal([]);
        expect(meshIssues({ revisions, chartRepository: "oci://registry.example.com/istio" })).to.deep.equal([]);
    });
});
