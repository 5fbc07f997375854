/**
 * Loaded only by StrykerJS (stryker.config.mjs): under a mutant, a failing property only has
 * to fail, so fast-check stops at the first counterexample instead of shrinking it; and speed
 * tests, which re-check what faster tests check, skip themselves (MUTATION_RUN_ENV).
 */
import * as fc from "fast-check";
import { MUTATION_RUN_ENV } from "./mutationRun";

process.env[MUTATION_RUN_ENV] = "1";
fc.configureGlobal({ ...fc.readConfigureGlobal(), endOnFailure: true });
