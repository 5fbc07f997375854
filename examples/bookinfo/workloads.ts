/**
 * Bookinfo's workloads: per service a ServiceAccount (its mesh identity) and a Service on port
 * 9080, per version a Deployment labelled `app` and `version` (what the DestinationRule subsets
 * select). Plain manifests, so tests read them without Pulumi. Pure.
 */
import type * as k8s from "@pulumi/kubernetes";
import { BOOKINFO_VERSIONS } from "./config";
import { BOOKINFO_PORT } from "./routing";

export interface Meta {
    readonly name: string;
    readonly namespace: string;
    readonly labels: Record<string, string>;
    readonly annotations?: Record<string, string>;
}

export interface Workloads {
    readonly serviceAccounts: readonly { readonly metadata: Meta }[];
    readonly services: readonly { readonly metadata: Meta; readonly spec: k8s.types.input.core.v1.ServiceSpec }[];
    readonly deployments: readonly { readonly metadata: Meta; readonly spec: k8s.types.input.apps.v1.DeploymentSpec }[];
}

export function bookinfoWorkloads(namespace: string, images: { readonly hub: string; readonly tag: string }): Workloads {
    const serviceAccounts: Workloads["serviceAccounts"][number][] = [];
    const services: Workloads["services"][number][] = [];
    const deployments: Workloads["deployments"][number][] = [];
    for (const [app, versions] of BOOKINFO_VERSIONS) {
        const labels = { app, service: app, "app.kubernetes.io/part-of": "bookinfo" };
        serviceAccounts.push({ metadata: { name: `bookinfo-${app}`, namespace, labels: { account: app, ...labels } } });
        services.push({
            metadata: { name: app, namespace, labels },
            // Port name `http` tells the sidecars the protocol (routing by header needs HTTP).
            spec: { selector: { app }, ports: [{ name: "http", port: BOOKINFO_PORT, targetPort: BOOKINFO_PORT }] },
        });
        for (const version of versions) {
            const podLabels = { app, version };
            // The apps write to /tmp (productpage's session files, reviews' Liberty logs): a
            // writable emptyDir, the rest of the filesystem as the image has it.
            const tmp = app === "productpage" || app === "reviews";
            deployments.push({
                metadata: { name: `${app}-${version}`, namespace, labels: { ...podLabels, "app.kubernetes.io/part-of": "bookinfo" } },
                spec: {
                    replicas: 1,
                    selector: { matchLabels: podLabels },
                    template: {
                        metadata: { labels: podLabels },
                        spec: {
                            serviceAccountName: `bookinfo-${app}`,
                            containers: [
                                {
                                    name: app,
                                    image: `${images.hub}/examples-bookinfo-${app}-${version}:${images.tag}`,
                                    ports: [{ containerPort: BOOKINFO_PORT }],
                                    ...(app === "reviews" ? { env: [{ name: "LOG_DIR", value: "/tmp/logs" }] } : {}),
                                    ...(tmp ? { volumeMounts: [{ name: "tmp", mountPath: "/tmp" }] } : {}),
                                },
                            ],
                            ...(tmp ? { volumes: [{ name: "tmp", emptyDir: {} }] } : {}),
                        },
                    },
                },
            });
        }
    }
    return { serviceAccounts, services, deployments };
}
