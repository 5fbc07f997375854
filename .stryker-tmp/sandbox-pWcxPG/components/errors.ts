/**
 * The one class of errors the user must fix: invalid stack config, a `deployed` output that is
 * not what istio-mesh wrote, a refused transition. index.ts turns every UserError into a
 * `pulumi.RunError` (the message alone, no stack trace); anything else is a bug and keeps its
 * stack. Broken internal invariants are plain `Error("internal: ...")` in pure modules and
 * `pulumi.ResourceError(msg, this)` in components, never a UserError.
 *
 * Pure: no Pulumi import, so config/, state/ and plan/ can throw it.
 */
// @ts-nocheck

export class UserError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "UserError";
    }
}
