// @ts-nocheck
import * as pulumi from "@pulumi/pulumi";
import { KubeAccess } from "../cluster/cluster";
import { KUBECTL_ENV } from "./kubectl";

/** A command's environment: the script's values plus the stack's kubeconfig (secret) and context. */
export function accessEnvironment(access: KubeAccess, values: Readonly<Record<string, string>>): pulumi.Input<Record<string, pulumi.Input<string>>> {
    const env: Record<string, pulumi.Input<string>> = { ...values };
    if (access.kubeconfig !== undefined) {
        env[KUBECTL_ENV.kubeconfig] = pulumi.secret(access.kubeconfig);
    }
    if (access.context !== undefined) {
        env[KUBECTL_ENV.context] = access.context;
    }
    return env;
}
