/**
 * A small validator for the subset of OpenAPI v3 (structural schemas) that Kubernetes CRDs use,
 * so that every object the program emits can be checked against its CRD in unit tests, the way
 * the API server checks it (plus: unknown fields are errors, as with kubectl's
 * --validate=strict, because the server would silently prune them).
 *
 * Supported: type, nullable, enum, properties, required, additionalProperties, items,
 * minItems/maxItems, minimum/maximum, minLength/maxLength, maxProperties, pattern, oneOf,
 * anyOf, allOf, not, x-kubernetes-int-or-string, x-kubernetes-preserve-unknown-fields, and
 * the CEL rules listed in CEL_RULES. A CEL rule not listed there is reported as an error
 * whenever its value is present: a value this validator cannot judge must not pass silently.
 * Pure.
 */

export type OpenApiSchema = {
    /** A list in plain JSON schema (a chart's values.schema.json), never in a CRD. */
    type?: string | string[];
    nullable?: boolean;
    enum?: unknown[];
    properties?: Record<string, OpenApiSchema>;
    required?: string[];
    additionalProperties?: OpenApiSchema | boolean;
    items?: OpenApiSchema;
    minItems?: number;
    maxItems?: number;
    minimum?: number;
    maximum?: number;
    minLength?: number;
    maxLength?: number;
    maxProperties?: number;
    pattern?: string;
    oneOf?: OpenApiSchema[];
    anyOf?: OpenApiSchema[];
    allOf?: OpenApiSchema[];
    not?: OpenApiSchema;
    "x-kubernetes-int-or-string"?: boolean;
    "x-kubernetes-preserve-unknown-fields"?: boolean;
    "x-kubernetes-validations"?: { rule: string; message?: string }[];
    [k: string]: unknown;
};

/** Go's time.ParseDuration units, in milliseconds. */
const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, "µs": 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Milliseconds of a Go/protobuf duration string ("1.5s", "1h2m"), or undefined when malformed. */
export function durationMs(text: string): number | undefined {
    const m = /^([0-9]+(?:\.[0-9]+)?(?:ns|us|µs|ms|s|m|h))+$/.exec(text);
    if (m === null) {
        return undefined;
    }
    let total = 0;
    for (const part of text.matchAll(/([0-9]+(?:\.[0-9]+)?)(ns|us|µs|ms|s|m|h)/g)) {
        total += Number(part[1]) * UNIT_MS[part[2]];
    }
    return total;
}

/** CEL rules the validator evaluates: rule text -> check of `self` (true = valid). */
export const CEL_RULES: ReadonlyMap<string, (self: unknown) => boolean> = new Map([
    ["duration(self) >= duration('1ms')", (self: unknown) => typeof self === "string" && (durationMs(self) ?? -1) >= 1],
    // Label selectors (workloadSelector, Telemetry selector): no wildcards, no empty keys.
    ['!self.contains("*")', (self: unknown) => typeof self === "string" && !self.includes("*")],
    ['self.all(key, !key.contains("*"))', (self: unknown) => typeof self === "object" && self !== null && Object.keys(self).every((k) => !k.includes("*"))],
    ["self.all(key, key.size() != 0)", (self: unknown) => typeof self === "object" && self !== null && Object.keys(self).every((k) => k.length !== 0)],
]);

/**
 * The CRDs' "at most N of these fields" rules, `(has(self.a) ? 1 : 0) + (has(self.b) ? 1 : 0) <= N`:
 * the check, or undefined for a rule of another form.
 */
export function exclusiveFieldsRule(rule: string): ((self: unknown) => boolean) | undefined {
    const m = /^((?:\(has\(self\.[A-Za-z0-9_]+\) \? 1 : 0\)(?: \+ )?)+) <= (\d+)$/.exec(rule);
    if (m === null) {
        return undefined;
    }
    const fields = [...m[1].matchAll(/has\(self\.([A-Za-z0-9_]+)\)/g)].map((x) => x[1]);
    const max = Number(m[2]);
    return (self) => self !== null && typeof self === "object" && fields.filter((f) => Object.hasOwn(self, f)).length <= max;
}

function typeProblem(value: unknown, s: OpenApiSchema): string | undefined {
    if (value === null) {
        return s.nullable ? undefined : "must not be null";
    }
    if (s["x-kubernetes-int-or-string"]) {
        return typeof value === "string" || Number.isInteger(value) ? undefined : "must be an integer or a string";
    }
    if (Array.isArray(s.type)) {
        const problems = s.type.map((t) => typeProblem(value, { type: t }));
        return problems.some((p) => p === undefined) ? undefined : `must be one of the types ${s.type.join(", ")}`;
    }
    switch (s.type) {
        case undefined:
            return undefined;
        case "object":
            return typeof value === "object" && !Array.isArray(value) ? undefined : "must be an object";
        case "array":
            return Array.isArray(value) ? undefined : "must be an array";
        case "string":
            return typeof value === "string" ? undefined : "must be a string";
        case "integer":
            return Number.isInteger(value) ? undefined : "must be an integer";
        case "number":
            return typeof value === "number" && Number.isFinite(value) ? undefined : "must be a number";
        case "boolean":
            return typeof value === "boolean" ? undefined : "must be a boolean";
        default:
            return `has a schema of unsupported type "${s.type}"`;
    }
}

/** How fields a schema does not list are judged. */
export interface ValidateOptions {
    /**
     * true (CRDs): an unlisted field is an error, as the API server prunes it. false (plain JSON
     * schema, e.g. a chart's values.schema.json): allowed unless additionalProperties is false.
     */
    readonly strictUnknown: boolean;
}

/**
 * Every problem of VALUE against schema S, each as `<path>: <problem>`; [] = valid.
 * PATH is where VALUE sits, e.g. `spec.http[0].route`.
 */
export function validate(value: unknown, s: OpenApiSchema, path = "<root>", options: ValidateOptions = { strictUnknown: true }): string[] {
    const errors: string[] = [];
    const fail = (msg: string) => errors.push(`${path}: ${msg}`);
    const typeError = typeProblem(value, s);
    if (typeError !== undefined) {
        fail(typeError);
        return errors;
    }
    if (value === null) {
        return errors;
    }
    if (s.enum !== undefined && !s.enum.some((e) => e === value)) {
        fail(`must be one of ${s.enum.map((e) => JSON.stringify(e)).join(", ")} (got ${JSON.stringify(value)})`);
    }
    if (typeof value === "number") {
        if (s.minimum !== undefined && value < s.minimum) {
            fail(`must be >= ${s.minimum} (got ${value})`);
        }
        if (s.maximum !== undefined && value > s.maximum) {
            fail(`must be <= ${s.maximum} (got ${value})`);
        }
    }
    if (typeof value === "string") {
        if (s.minLength !== undefined && value.length < s.minLength) {
            fail(`must be at least ${s.minLength} characters long`);
        }
        if (s.maxLength !== undefined && value.length > s.maxLength) {
            fail(`must be at most ${s.maxLength} characters long`);
        }
        if (s.pattern !== undefined && !new RegExp(s.pattern, "u").test(value)) {
            fail(`must match ${s.pattern}`);
        }
    }
    if (Array.isArray(value)) {
        if (s.minItems !== undefined && value.length < s.minItems) {
            fail(`must have at least ${s.minItems} items`);
        }
        if (s.maxItems !== undefined && value.length > s.maxItems) {
            fail(`must have at most ${s.maxItems} items`);
        }
        if (s.items !== undefined) {
            value.forEach((v, i) => errors.push(...validate(v, s.items as OpenApiSchema, `${path}[${i}]`, options)));
        }
    } else if (typeof value === "object") {
        const obj = value as Record<string, unknown>;
        for (const key of s.required ?? []) {
            if (!Object.hasOwn(obj, key)) {
                fail(`missing required field "${key}"`);
            }
        }
        if (s.maxProperties !== undefined && Object.keys(obj).length > s.maxProperties) {
            fail(`must have at most ${s.maxProperties} fields`);
        }
        const props = new Map(Object.entries(s.properties ?? {}));
        for (const [key, v] of Object.entries(obj)) {
            const sub = props.get(key);
            if (sub !== undefined) {
                errors.push(...validate(v, sub, `${path}.${key}`, options));
            } else if (typeof s.additionalProperties === "object") {
                errors.push(...validate(v, s.additionalProperties, `${path}.${key}`, options));
            } else if (!options.strictUnknown && s.additionalProperties === false) {
                fail(`unknown field "${key}" (the schema allows no other fields)`);
            } else if (
                options.strictUnknown &&
                s.additionalProperties !== true &&
                !s["x-kubernetes-preserve-unknown-fields"] &&
                // An object schema without properties and additionalProperties is a free-form map.
                (s.properties !== undefined || s.additionalProperties === false)
            ) {
                fail(`unknown field "${key}" (the API server would prune it, or refuse it with strict field validation)`);
            }
        }
    }
    // Value validations: branches hold only value rules (structural schemas), most often `required`.
    const matches = (branch: OpenApiSchema) => validate(value, branch, path, options).length === 0;
    if (s.oneOf !== undefined) {
        const n = s.oneOf.filter(matches).length;
        if (n !== 1) {
            fail(n === 0 ? "matches none of the oneOf alternatives" : `matches ${n} oneOf alternatives (set only one of the mutually exclusive fields)`);
        }
    }
    if (s.anyOf !== undefined && !s.anyOf.some(matches)) {
        fail("matches none of the anyOf alternatives");
    }
    for (const branch of s.allOf ?? []) {
        errors.push(...validate(value, branch, path, options));
    }
    if (s.not !== undefined && matches(s.not)) {
        fail("matches a schema it must not (a forbidden combination of fields)");
    }
    for (const v of s["x-kubernetes-validations"] ?? []) {
        const check = CEL_RULES.get(v.rule) ?? exclusiveFieldsRule(v.rule);
        if (check === undefined) {
            fail(`CEL rule not evaluated by this validator: ${v.rule} (add it to CEL_RULES)`);
        } else if (!check(value)) {
            fail(v.message ?? `fails ${v.rule}`);
        }
    }
    return errors;
}
