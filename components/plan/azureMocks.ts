/**
 * What the Azure side answers under Pulumi mocks (the offline plan and the tests): this machine
 * cannot reach Azure. The credentials invokes return a stand-in kubeconfig (base64, as AKS
 * does) and a ManagedCluster reports its name, so the program's AKS path runs end to end.
 */

export const AKS_INVOKES = {
    user: "azure-native:containerservice:listManagedClusterUserCredentials",
    admin: "azure-native:containerservice:listManagedClusterAdminCredentials",
} as const;

/** The stand-in kubeconfig for a cluster: its token must never show in a plan or an output. */
export function mockKubeconfig(cluster: string, user: "clusterUser" | "clusterAdmin"): string {
    return [
        "apiVersion: v1",
        "kind: Config",
        `clusters: [{name: ${cluster}, cluster: {server: "https://${cluster}.hcp.mock.azmk8s.io:443"}}]`,
        `users: [{name: ${user}_${cluster}, user: {token: mock-${user}-token-${cluster}}}]`,
        `contexts: [{name: ${cluster}, context: {cluster: ${cluster}, user: ${user}_${cluster}}}]`,
        `current-context: ${cluster}`,
        "",
    ].join("\n");
}

/** The mocked result of an invoke, or undefined when it is not an Azure one. */
export function azureCall(token: string, inputs: Record<string, unknown>): Record<string, unknown> | undefined {
    const user = token === AKS_INVOKES.user ? "clusterUser" : token === AKS_INVOKES.admin ? "clusterAdmin" : undefined;
    if (user === undefined) {
        return undefined;
    }
    const cluster = typeof inputs.resourceName === "string" ? inputs.resourceName : "cluster";
    return { kubeconfigs: [{ name: user, value: Buffer.from(mockKubeconfig(cluster, user)).toString("base64") }] };
}

/** Outputs an Azure resource has beyond its inputs (the name AKS and ARM give back). */
export function azureState(type: string, inputs: Record<string, unknown>): Record<string, unknown> {
    if (type === "azure-native:containerservice:ManagedCluster") {
        return { ...inputs, name: inputs.resourceName, fqdn: `${String(inputs.dnsPrefix)}.hcp.mock.azmk8s.io` };
    }
    if (type === "azure-native:resources:ResourceGroup") {
        return { ...inputs, name: inputs.resourceGroupName };
    }
    return inputs;
}
