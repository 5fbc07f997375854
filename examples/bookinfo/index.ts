/**
 * The Bookinfo sample: a Pulumi program of its own that reads the mesh stack's `deployed`
 * output through a StackReference, checks that its namespace follows a tag of that mesh and
 * that its Gateways sit on the mesh's ingress gateways, then deploys Bookinfo and its routing.
 */
import * as pulumi from "@pulumi/pulumi";
import { UserError } from "../../components/errors";
import { fromStackOutput } from "../../components/state/deployed";
import { Bookinfo } from "./bookinfo";
import { parseSample, SampleConfigError } from "./config";
import { meshLinkIssues } from "./meshLink";

async function main() {
    try {
        const config = new pulumi.Config("bookinfo");
        const meshStack = config.require("meshStack");
        const sample = parseSample(config.requireObject<unknown>("sample"));
        const ref = new pulumi.StackReference("mesh", { name: meshStack });
        const mesh = fromStackOutput((await ref.getOutputDetails("deployed")).value);
        const { issues, link } = meshLinkIssues(sample, mesh, meshStack);
        if (issues.length > 0 || link === undefined || mesh === undefined) {
            throw new SampleConfigError(issues);
        }
        const app = new Bookinfo("bookinfo", { config: sample, skipAwait: config.getBoolean("skipAwait") ?? false });
        const reach = sample.gateways.map((g) => {
            const gw = mesh.gateways.find((x) => (x.canaryOf ?? x.name) === g.ingress);
            return `kubectl -n ${gw?.namespace ?? "istio-ingress"} port-forward svc/${g.ingress} 8080:${g.port}  # then http://localhost:8080/productpage`;
        });
        return { namespace: sample.namespace, tag: link.tag, revision: link.revision, routing: app.routing, reach };
    } catch (e) {
        if (e instanceof UserError) {
            throw new pulumi.RunError(e.message);
        }
        throw e;
    }
}

export = main;
