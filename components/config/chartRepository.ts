/** The chart repository setting (mesh and add-ons): a leaf module, imported by both schemas. */
import { z } from "zod";

/**
 * A chart repository URL without credentials: `user:password@` in it would be stored in plain
 * text in the state (a release's `repositoryOpts.repo`) and shown by the plan and `--json`.
 */
export const CHART_REPOSITORY_CREDENTIALS =
    "carries credentials (user:password@ in the URL), which would be stored in plain text in the state and shown in every plan; " +
    "remove them: for an OCI registry run `helm registry login <host>` on the machine that runs pulumi (Helm keeps the login in its registry config), " +
    "for an https repository use a mirror reachable without credentials (e.g. behind the cluster's network policy)";

export const chartRepositorySchema = z
    .string()
    .regex(/^(https?|oci):\/\/\S+$/, "must be a Helm repository URL (https://, http://) or an OCI registry (oci://)")
    .refine((url) => !/^[a-z]+:\/\/[^/?#]*@/i.test(url), CHART_REPOSITORY_CREDENTIALS);
