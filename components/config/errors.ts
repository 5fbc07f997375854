import { UserError } from "../errors";

/** A config problem: where it is (stack config path) and what to do about it. */
export interface ConfigIssue {
    /** e.g. `istio-mesh:mesh.tags.prod-stable` */
    readonly path: string;
    readonly message: string;
}

/** Thrown for invalid stack config; its message lists every issue, one per line. */
export class ConfigError extends UserError {
    constructor(public readonly issues: readonly ConfigIssue[]) {
        super(
            `invalid istio-mesh stack config (${issues.length} problem${issues.length === 1 ? "" : "s"}):\n` +
                issues.map((i) => `  - ${i.path}: ${i.message}`).join("\n"),
        );
        this.name = "ConfigError";
    }
}

/** Formats a zod-style path under a config key: ["revisions", 1, "name"] -> key.revisions[1].name */
export function formatPath(root: string, path: readonly PropertyKey[]): string {
    let out = root;
    for (const p of path) {
        out += typeof p === "number" ? `[${p}]` : `.${String(p)}`;
    }
    return out;
}
