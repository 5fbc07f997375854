/**
 * The openAPIV3Schema of each Istio networking CRD of the release the types were generated
 * from, read from shared/istio/<version>/crds, and a check of an emitted object against it
 * (plus what the API server checks outside the schema: apiVersion served, metadata.name).
 */
import * as fs from "fs";
import { crdSchema, DEFAULT_CRD_FILE, KINDS } from "../../scripts/gen-istio-types";
import { OpenApiSchema, validate } from "../../components/istio/openapi";

let text: string | undefined;
const cache = new Map<string, OpenApiSchema>();

export function crdText(): string {
    text ??= fs.readFileSync(DEFAULT_CRD_FILE, "utf8");
    return text;
}

/** The group each generated kind belongs to. */
const GROUP_OF = new Map<string, string>(KINDS.map((k) => [k.kind, k.group]));

export function schemaOf(kind: string): OpenApiSchema {
    let s = cache.get(kind);
    if (s === undefined) {
        s = crdSchema(crdText(), kind, GROUP_OF.get(kind)) as OpenApiSchema;
        cache.set(kind, s);
    }
    return s;
}

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Every problem of one emitted Istio object; [] = the API server accepts it. */
export function crdProblems(obj: { apiVersion: string; kind: string; metadata: { name: string; namespace?: string }; spec: unknown }): string[] {
    const where = `${obj.kind}/${obj.metadata.name}`;
    const out: string[] = [];
    const apiVersion = `${GROUP_OF.get(obj.kind) ?? "?"}/v1`;
    if (obj.apiVersion !== apiVersion) {
        out.push(`${where}: apiVersion ${obj.apiVersion} is not ${apiVersion}`);
    }
    if (!DNS_SUBDOMAIN.test(obj.metadata.name) || obj.metadata.name.length > 253) {
        out.push(`${where}: metadata.name is not a DNS subdomain`);
    }
    const { apiVersion: _a, kind: _k, metadata: _m, ...rest } = obj;
    out.push(...validate(rest, schemaOf(obj.kind), where));
    return out;
}
