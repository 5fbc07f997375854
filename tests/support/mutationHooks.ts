/**
 * Loaded only by StrykerJS (stryker.config.mjs): under a mutant, a failing property only has
 * to fail, so fast-check stops at the first counterexample instead of shrinking it.
 */
import * as fc from "fast-check";

fc.configureGlobal({ ...fc.readConfigureGlobal(), endOnFailure: true });
