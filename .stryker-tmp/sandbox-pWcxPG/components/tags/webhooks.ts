/**
 * The objects behind a revision tag, shaped like the istiod chart's own `revision-tags`
 * templates (see shared/istio/rendered): a MutatingWebhookConfiguration
 * `istio-revision-tag-<tag>` and, for 1.28+, a Service `istiod-revision-tag-<tag>`.
 * Pure data: the RevisionTag component turns it into resources.
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
import { DEFAULT_TAG } from "../config/model";
export interface TagTarget {
  readonly tag: string;
  /** The revision the tag points at. */
  readonly revision: string;
  /** Control-plane namespace (where Service istiod-<revision> lives). */
  readonly namespace: string;
}
type Selector = {
  matchExpressions: {
    key: string;
    operator: string;
    values?: string[];
  }[];
};
export interface Webhook {
  name: string;
  clientConfig: {
    service: {
      name: string;
      namespace: string;
      path: string;
      port: number;
    };
  };
  sideEffects: "None";
  rules: {
    operations: string[];
    apiGroups: string[];
    apiVersions: string[];
    resources: string[];
  }[];
  failurePolicy: "Fail";
  reinvocationPolicy: "Never";
  admissionReviewVersions: string[];
  namespaceSelector: Selector;
  objectSelector: Selector;
}

/** Cluster-scoped, so outside istio-system the chart appends the namespace (as istiod's own). */
export function tagWebhookName(tag: string, namespace: string): string {
  if (stryMutAct_9fa48("987")) {
    {}
  } else {
    stryCov_9fa48("987");
    return (stryMutAct_9fa48("990") ? namespace !== "istio-system" : stryMutAct_9fa48("989") ? false : stryMutAct_9fa48("988") ? true : (stryCov_9fa48("988", "989", "990"), namespace === (stryMutAct_9fa48("991") ? "" : (stryCov_9fa48("991"), "istio-system")))) ? stryMutAct_9fa48("992") ? `` : (stryCov_9fa48("992"), `istio-revision-tag-${tag}`) : stryMutAct_9fa48("993") ? `` : (stryCov_9fa48("993"), `istio-revision-tag-${tag}-${namespace}`);
  }
}
export function tagServiceName(tag: string): string {
  if (stryMutAct_9fa48("994")) {
    {}
  } else {
    stryCov_9fa48("994");
    return stryMutAct_9fa48("995") ? `` : (stryCov_9fa48("995"), `istiod-revision-tag-${tag}`);
  }
}
export function istiodServiceName(revision: string): string {
  if (stryMutAct_9fa48("996")) {
    {}
  } else {
    stryCov_9fa48("996");
    return stryMutAct_9fa48("997") ? `` : (stryCov_9fa48("997"), `istiod-${revision}`);
  }
}

/**
 * Labels of both tag objects. `istio.io/rev` must name the target revision: istiod only
 * fills in the caBundle of webhooks labelled with its own revision.
 */
export function tagLabels(t: TagTarget): Record<string, string> {
  if (stryMutAct_9fa48("998")) {
    {}
  } else {
    stryCov_9fa48("998");
    return stryMutAct_9fa48("999") ? {} : (stryCov_9fa48("999"), {
      "istio.io/tag": t.tag,
      "istio.io/rev": t.revision,
      app: stryMutAct_9fa48("1000") ? "" : (stryCov_9fa48("1000"), "sidecar-injector"),
      "app.kubernetes.io/managed-by": stryMutAct_9fa48("1001") ? "" : (stryCov_9fa48("1001"), "istio-mesh")
    });
  }
}
const notDisabled = stryMutAct_9fa48("1002") ? {} : (stryCov_9fa48("1002"), {
  key: stryMutAct_9fa48("1003") ? "" : (stryCov_9fa48("1003"), "sidecar.istio.io/inject"),
  operator: stryMutAct_9fa48("1004") ? "" : (stryCov_9fa48("1004"), "NotIn"),
  values: stryMutAct_9fa48("1005") ? [] : (stryCov_9fa48("1005"), [stryMutAct_9fa48("1006") ? "" : (stryCov_9fa48("1006"), "false")])
});
const absent = stryMutAct_9fa48("1007") ? () => undefined : (stryCov_9fa48("1007"), (() => {
  const absent = (key: string) => stryMutAct_9fa48("1008") ? {} : (stryCov_9fa48("1008"), {
    key,
    operator: stryMutAct_9fa48("1009") ? "" : (stryCov_9fa48("1009"), "DoesNotExist")
  });
  return absent;
})());
export function tagWebhooks(t: TagTarget): Webhook[] {
  if (stryMutAct_9fa48("1010")) {
    {}
  } else {
    stryCov_9fa48("1010");
    const hook = stryMutAct_9fa48("1011") ? () => undefined : (stryCov_9fa48("1011"), (() => {
      const hook = (name: string, namespaceSelector: Selector, objectSelector: Selector): Webhook => stryMutAct_9fa48("1012") ? {} : (stryCov_9fa48("1012"), {
        name,
        clientConfig: stryMutAct_9fa48("1013") ? {} : (stryCov_9fa48("1013"), {
          service: stryMutAct_9fa48("1014") ? {} : (stryCov_9fa48("1014"), {
            name: istiodServiceName(t.revision),
            namespace: t.namespace,
            path: stryMutAct_9fa48("1015") ? "" : (stryCov_9fa48("1015"), "/inject"),
            port: 443
          })
        }),
        sideEffects: stryMutAct_9fa48("1016") ? "" : (stryCov_9fa48("1016"), "None"),
        rules: stryMutAct_9fa48("1017") ? [] : (stryCov_9fa48("1017"), [stryMutAct_9fa48("1018") ? {} : (stryCov_9fa48("1018"), {
          operations: stryMutAct_9fa48("1019") ? [] : (stryCov_9fa48("1019"), [stryMutAct_9fa48("1020") ? "" : (stryCov_9fa48("1020"), "CREATE")]),
          apiGroups: stryMutAct_9fa48("1021") ? [] : (stryCov_9fa48("1021"), [stryMutAct_9fa48("1022") ? "Stryker was here!" : (stryCov_9fa48("1022"), "")]),
          apiVersions: stryMutAct_9fa48("1023") ? [] : (stryCov_9fa48("1023"), [stryMutAct_9fa48("1024") ? "" : (stryCov_9fa48("1024"), "v1")]),
          resources: stryMutAct_9fa48("1025") ? [] : (stryCov_9fa48("1025"), [stryMutAct_9fa48("1026") ? "" : (stryCov_9fa48("1026"), "pods")])
        })]),
        failurePolicy: stryMutAct_9fa48("1027") ? "" : (stryCov_9fa48("1027"), "Fail"),
        reinvocationPolicy: stryMutAct_9fa48("1028") ? "" : (stryCov_9fa48("1028"), "Never"),
        admissionReviewVersions: stryMutAct_9fa48("1029") ? [] : (stryCov_9fa48("1029"), [stryMutAct_9fa48("1030") ? "" : (stryCov_9fa48("1030"), "v1")]),
        namespaceSelector,
        objectSelector
      });
      return hook;
    })());
    const hooks = stryMutAct_9fa48("1031") ? [] : (stryCov_9fa48("1031"), [hook(stryMutAct_9fa48("1032") ? "" : (stryCov_9fa48("1032"), "rev.namespace.sidecar-injector.istio.io"), stryMutAct_9fa48("1033") ? {} : (stryCov_9fa48("1033"), {
      matchExpressions: stryMutAct_9fa48("1034") ? [] : (stryCov_9fa48("1034"), [stryMutAct_9fa48("1035") ? {} : (stryCov_9fa48("1035"), {
        key: stryMutAct_9fa48("1036") ? "" : (stryCov_9fa48("1036"), "istio.io/rev"),
        operator: stryMutAct_9fa48("1037") ? "" : (stryCov_9fa48("1037"), "In"),
        values: stryMutAct_9fa48("1038") ? [] : (stryCov_9fa48("1038"), [t.tag])
      }), absent(stryMutAct_9fa48("1039") ? "" : (stryCov_9fa48("1039"), "istio-injection"))])
    }), stryMutAct_9fa48("1040") ? {} : (stryCov_9fa48("1040"), {
      matchExpressions: stryMutAct_9fa48("1041") ? [] : (stryCov_9fa48("1041"), [notDisabled])
    })), hook(stryMutAct_9fa48("1042") ? "" : (stryCov_9fa48("1042"), "rev.object.sidecar-injector.istio.io"), stryMutAct_9fa48("1043") ? {} : (stryCov_9fa48("1043"), {
      matchExpressions: stryMutAct_9fa48("1044") ? [] : (stryCov_9fa48("1044"), [absent(stryMutAct_9fa48("1045") ? "" : (stryCov_9fa48("1045"), "istio.io/rev")), absent(stryMutAct_9fa48("1046") ? "" : (stryCov_9fa48("1046"), "istio-injection"))])
    }), stryMutAct_9fa48("1047") ? {} : (stryCov_9fa48("1047"), {
      matchExpressions: stryMutAct_9fa48("1048") ? [] : (stryCov_9fa48("1048"), [notDisabled, stryMutAct_9fa48("1049") ? {} : (stryCov_9fa48("1049"), {
        key: stryMutAct_9fa48("1050") ? "" : (stryCov_9fa48("1050"), "istio.io/rev"),
        operator: stryMutAct_9fa48("1051") ? "" : (stryCov_9fa48("1051"), "In"),
        values: stryMutAct_9fa48("1052") ? [] : (stryCov_9fa48("1052"), [t.tag])
      })])
    }))]);
    if (stryMutAct_9fa48("1055") ? t.tag !== DEFAULT_TAG : stryMutAct_9fa48("1054") ? false : stryMutAct_9fa48("1053") ? true : (stryCov_9fa48("1053", "1054", "1055"), t.tag === DEFAULT_TAG)) {
      if (stryMutAct_9fa48("1056")) {
        {}
      } else {
        stryCov_9fa48("1056");
        // The default tag also serves the classic istio-injection=enabled / inject=true opt-ins.
        hooks.push(hook(stryMutAct_9fa48("1057") ? "" : (stryCov_9fa48("1057"), "namespace.sidecar-injector.istio.io"), stryMutAct_9fa48("1058") ? {} : (stryCov_9fa48("1058"), {
          matchExpressions: stryMutAct_9fa48("1059") ? [] : (stryCov_9fa48("1059"), [stryMutAct_9fa48("1060") ? {} : (stryCov_9fa48("1060"), {
            key: stryMutAct_9fa48("1061") ? "" : (stryCov_9fa48("1061"), "istio-injection"),
            operator: stryMutAct_9fa48("1062") ? "" : (stryCov_9fa48("1062"), "In"),
            values: stryMutAct_9fa48("1063") ? [] : (stryCov_9fa48("1063"), [stryMutAct_9fa48("1064") ? "" : (stryCov_9fa48("1064"), "enabled")])
          })])
        }), stryMutAct_9fa48("1065") ? {} : (stryCov_9fa48("1065"), {
          matchExpressions: stryMutAct_9fa48("1066") ? [] : (stryCov_9fa48("1066"), [notDisabled])
        })), hook(stryMutAct_9fa48("1067") ? "" : (stryCov_9fa48("1067"), "object.sidecar-injector.istio.io"), stryMutAct_9fa48("1068") ? {} : (stryCov_9fa48("1068"), {
          matchExpressions: stryMutAct_9fa48("1069") ? [] : (stryCov_9fa48("1069"), [absent(stryMutAct_9fa48("1070") ? "" : (stryCov_9fa48("1070"), "istio-injection")), absent(stryMutAct_9fa48("1071") ? "" : (stryCov_9fa48("1071"), "istio.io/rev"))])
        }), stryMutAct_9fa48("1072") ? {} : (stryCov_9fa48("1072"), {
          matchExpressions: stryMutAct_9fa48("1073") ? [] : (stryCov_9fa48("1073"), [stryMutAct_9fa48("1074") ? {} : (stryCov_9fa48("1074"), {
            key: stryMutAct_9fa48("1075") ? "" : (stryCov_9fa48("1075"), "sidecar.istio.io/inject"),
            operator: stryMutAct_9fa48("1076") ? "" : (stryCov_9fa48("1076"), "In"),
            values: stryMutAct_9fa48("1077") ? [] : (stryCov_9fa48("1077"), [stryMutAct_9fa48("1078") ? "" : (stryCov_9fa48("1078"), "true")])
          }), absent(stryMutAct_9fa48("1079") ? "" : (stryCov_9fa48("1079"), "istio.io/rev"))])
        })));
      }
    }
    return hooks;
  }
}

/** Spec of the 1.28+ tag Service: istiod's ports, selecting the target revision's pods. */
export function tagServiceSpec(t: TagTarget) {
  if (stryMutAct_9fa48("1080")) {
    {}
  } else {
    stryCov_9fa48("1080");
    return stryMutAct_9fa48("1081") ? {} : (stryCov_9fa48("1081"), {
      ports: stryMutAct_9fa48("1082") ? [] : (stryCov_9fa48("1082"), [stryMutAct_9fa48("1083") ? {} : (stryCov_9fa48("1083"), {
        port: 15010,
        name: stryMutAct_9fa48("1084") ? "" : (stryCov_9fa48("1084"), "grpc-xds"),
        protocol: stryMutAct_9fa48("1085") ? "" : (stryCov_9fa48("1085"), "TCP")
      }), stryMutAct_9fa48("1086") ? {} : (stryCov_9fa48("1086"), {
        port: 15012,
        name: stryMutAct_9fa48("1087") ? "" : (stryCov_9fa48("1087"), "https-dns"),
        protocol: stryMutAct_9fa48("1088") ? "" : (stryCov_9fa48("1088"), "TCP")
      }), stryMutAct_9fa48("1089") ? {} : (stryCov_9fa48("1089"), {
        port: 443,
        name: stryMutAct_9fa48("1090") ? "" : (stryCov_9fa48("1090"), "https-webhook"),
        targetPort: 15017,
        protocol: stryMutAct_9fa48("1091") ? "" : (stryCov_9fa48("1091"), "TCP")
      }), stryMutAct_9fa48("1092") ? {} : (stryCov_9fa48("1092"), {
        port: 15014,
        name: stryMutAct_9fa48("1093") ? "" : (stryCov_9fa48("1093"), "http-monitoring"),
        protocol: stryMutAct_9fa48("1094") ? "" : (stryCov_9fa48("1094"), "TCP")
      })]),
      selector: stryMutAct_9fa48("1095") ? {} : (stryCov_9fa48("1095"), {
        app: stryMutAct_9fa48("1096") ? "" : (stryCov_9fa48("1096"), "istiod"),
        "istio.io/rev": t.revision
      })
    });
  }
}