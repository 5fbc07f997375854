/**
 * The normalized stack config: every default applied, every reference checked.
 * Components and the planner only ever see this shape, never raw stack YAML.
 */
// @ts-nocheck
function stryNS_9fa48() {
  var g = typeof globalThis === 'object' && globalThis && globalThis.Math === Math && globalThis || new Function("return this")();
  var ns = g.__stryker__ || (g.__stryker__ = {});
  if (ns.activeMutant === undefined && g.process && g.process.env && g.process.env.__STRYKER_ACTIVE_MUTANT__) {
    ns.activeMutant = g.process.env.__STRYKER_ACTIVE_MUTANT__;
  }
  function retrieveNS() {
    return ns;
  }
  stryNS_9fa48 = retrieveNS;
  return retrieveNS();
}
stryNS_9fa48();
function stryCov_9fa48() {
  var ns = stryNS_9fa48();
  var cov = ns.mutantCoverage || (ns.mutantCoverage = {
    static: {},
    perTest: {}
  });
  function cover() {
    var c = cov.static;
    if (ns.currentTestId) {
      c = cov.perTest[ns.currentTestId] = cov.perTest[ns.currentTestId] || {};
    }
    var a = arguments;
    for (var i = 0; i < a.length; i++) {
      c[a[i]] = (c[a[i]] || 0) + 1;
    }
  }
  stryCov_9fa48 = cover;
  cover.apply(null, arguments);
}
function stryMutAct_9fa48(id) {
  var ns = stryNS_9fa48();
  function isActive(id) {
    if (ns.activeMutant === id) {
      if (ns.hitCount !== void 0 && ++ns.hitCount > ns.hitLimit) {
        throw new Error('Stryker: Hit count limit reached (' + ns.hitCount + ')');
      }
      return true;
    }
    return false;
  }
  stryMutAct_9fa48 = isActive;
  return isActive(id);
}
export type JsonMap = {
  [key: string]: unknown;
};
export interface ClusterConfig {
  /** `existing`: a cluster reached through a kubeconfig context. */
  readonly kind: "existing";
  /** kubeconfig context; undefined = the kubeconfig's current context. */
  readonly context?: string;
  /** kubeconfig path or contents; undefined = $KUBECONFIG or ~/.kube/config. */
  readonly kubeconfig?: string;
  /** Kubernetes minor of the cluster ("1.31"), checked against each revision. */
  readonly kubernetesVersion?: string;
  /** Do not wait for Helm releases and objects to become ready (clusters without nodes). */
  readonly skipAwait: boolean;
}
export interface RevisionConfig {
  /** DNS-label revision name (`istio.io/rev` value), e.g. 1-30-3. */
  readonly name: string;
  /** Full Istio release, e.g. 1.30.3. */
  readonly version: string;
  /** Raw istiod chart values merged last (escape hatch; not checked against the chart). */
  readonly values: JsonMap;
}
export interface NamespaceConfig {
  readonly name: string;
  /** Tag or revision name written to the namespace's `istio.io/rev` label. */
  readonly revision: string;
  /** true: the program creates the namespace; false: it must exist and is only labelled. */
  readonly create: boolean;
  /**
   * Only with `create`: true deletes the namespace and everything in it when it leaves the
   * config (or on destroy); false (default) lets the stack forget it and leaves it running.
   */
  readonly deleteWhenRemoved: boolean;
  /** Restart the namespace's workloads when its effective revision changes. */
  readonly restart: boolean;
  /** Extra labels the program sets on the namespace. */
  readonly labels: Readonly<Record<string, string>>;
}
export interface GatewayConfig {
  /** Helm release name and gateway Deployment/Service name. */
  readonly name: string;
  readonly namespace: string;
  /** Tag or revision whose control plane injects the gateway (`revision` chart value). */
  readonly revision: string;
  /** Service type; "None" renders no Service. */
  readonly serviceType: "LoadBalancer" | "ClusterIP" | "NodePort" | "None";
  readonly replicas: number;
  readonly autoscaling: {
    readonly enabled: boolean;
    readonly minReplicas: number;
    readonly maxReplicas: number;
  };
  readonly labels: Readonly<Record<string, string>>;
  /** Roll the gateway's pods when the revision it follows changes (a pod annotation Helm applies). */
  readonly restart: boolean;
  readonly values: JsonMap;
}
export interface ControlPlaneConfig {
  readonly replicas: number;
  readonly autoscaling: {
    readonly enabled: boolean;
    readonly minReplicas: number;
    readonly maxReplicas: number;
  };
  readonly resources?: JsonMap;
  /** PodDisruptionBudget for istiod; exactly one of the two numbers is set. */
  readonly pdb: {
    readonly minAvailable?: number;
    readonly maxUnavailable?: number;
  };
  readonly meshConfig: JsonMap;
}
export interface MeshConfig {
  readonly cluster: ClusterConfig;
  readonly management: "helm";
  /** Control-plane namespace. */
  readonly namespace: string;
  /** Helm repository URL of the Istio charts (base, istiod, gateway). */
  readonly chartRepository: string;
  /** Image registry of the Istio images (`global.hub`). */
  readonly hub: string;
  /** Sorted by name: list order in the stack file never matters. */
  readonly revisions: readonly RevisionConfig[];
  /** Tag name -> revision name (already resolved: tags always point at revisions). */
  readonly tags: Readonly<Record<string, string>>;
  /** Tag or revision name as written. */
  readonly defaultRevision: string;
  readonly namespaces: readonly NamespaceConfig[];
  readonly gateways: readonly GatewayConfig[];
  readonly controlPlane: ControlPlaneConfig;
  /** How namespace restarts run: wait for each rollout, at most timeoutSeconds each. */
  readonly restarts: {
    readonly wait: boolean;
    readonly timeoutSeconds: number;
  };
}

/** The tag that the default revision drives (Istio's own name for it). */
export const DEFAULT_TAG = stryMutAct_9fa48("19") ? "" : (stryCov_9fa48("19"), "default");

/** What references resolve against: a config or a deployed state. */
export type RefScope = {
  readonly tags: Readonly<Record<string, string>>;
  readonly defaultRevision: string;
};

/**
 * The revision a tag points at, or undefined. An own-property lookup: a tag, namespace or
 * revision named like an Object member (`constructor` is a valid DNS label) is just a name.
 */
export function tagTarget(tags: Readonly<Record<string, string>>, tag: string): string | undefined {
  if (stryMutAct_9fa48("20")) {
    {}
  } else {
    stryCov_9fa48("20");
    return Object.hasOwn(tags, tag) ? tags[tag] : undefined;
  }
}

/** Resolves a tag or revision name (or `default`) to the revision it selects. */
export function resolveRevision(config: RefScope, ref: string): string {
  if (stryMutAct_9fa48("21")) {
    {}
  } else {
    stryCov_9fa48("21");
    if (stryMutAct_9fa48("24") ? ref !== DEFAULT_TAG : stryMutAct_9fa48("23") ? false : stryMutAct_9fa48("22") ? true : (stryCov_9fa48("22", "23", "24"), ref === DEFAULT_TAG)) {
      if (stryMutAct_9fa48("25")) {
        {}
      } else {
        stryCov_9fa48("25");
        return stryMutAct_9fa48("26") ? tagTarget(config.tags, config.defaultRevision) && config.defaultRevision : (stryCov_9fa48("26"), tagTarget(config.tags, config.defaultRevision) ?? config.defaultRevision);
      }
    }
    return stryMutAct_9fa48("27") ? tagTarget(config.tags, ref) && ref : (stryCov_9fa48("27"), tagTarget(config.tags, ref) ?? ref);
  }
}

/** The revision the default revision resolves to. */
export function defaultRevisionOf(config: RefScope): string {
  if (stryMutAct_9fa48("28")) {
    {}
  } else {
    stryCov_9fa48("28");
    return resolveRevision(config, DEFAULT_TAG);
  }
}

/** Tags the program manages: the configured ones plus `default` for the default revision. */
export function effectiveTags(config: RefScope): Record<string, string> {
  if (stryMutAct_9fa48("29")) {
    {}
  } else {
    stryCov_9fa48("29");
    return stryMutAct_9fa48("30") ? {} : (stryCov_9fa48("30"), {
      ...config.tags,
      [DEFAULT_TAG]: defaultRevisionOf(config)
    });
  }
}