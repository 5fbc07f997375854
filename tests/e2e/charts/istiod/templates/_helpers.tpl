{{- /* "-<revision>" or "" */}}
{{- define "istiod.revSuffix" -}}
{{- if .Values.revision }}-{{ .Values.revision }}{{ end }}
{{- end }}
{{- /* the istio.io/rev label value */}}
{{- define "istiod.rev" -}}
{{- .Values.revision | default "default" }}
{{- end }}
{{- /* webhook names get "-<namespace>" outside istio-system */}}
{{- define "istiod.nsSuffix" -}}
{{- if ne .Release.Namespace "istio-system" }}-{{ .Release.Namespace }}{{ end }}
{{- end }}
{{- define "istiod.replicas" -}}
{{- $p := .Values.pilot | default dict -}}
{{- $p.replicaCount | default .Values.replicaCount | default 1 }}
{{- end }}
{{- define "istiod.labels" -}}
app.kubernetes.io/name: istiod
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/part-of: istio
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
helm.sh/chart: {{ .Chart.Name }}-{{ .Chart.Version }}
{{- end }}
{{- /* one injection webhook; args: dict "root" $ "name" n "svc" s "ns" namespaceSelector "obj" objectSelector */}}
{{- define "istiod.injectionWebhook" -}}
- name: {{ .name }}
  clientConfig:
    service:
      name: {{ .svc }}
      namespace: {{ .root.Release.Namespace }}
      path: /inject
      port: 443
  sideEffects: None
  rules:
  - operations:
    - CREATE
    apiGroups:
    - ""
    apiVersions:
    - v1
    resources:
    - pods
  failurePolicy: Fail
  reinvocationPolicy: {{ .root.Values.sidecarInjectorWebhook.reinvocationPolicy | default "Never" }}
  admissionReviewVersions:
  - v1
  namespaceSelector:
    {{- toYaml .ns | nindent 4 }}
  objectSelector:
    {{- toYaml .obj | nindent 4 }}
{{- end }}
{{- /* the four (tag "default" / no revision) or two injection webhooks calling istiod-<rev>, matching istio.io/rev=<value> */}}
{{- define "istiod.injectionWebhooks" -}}
{{- $notFalse := dict "key" "sidecar.istio.io/inject" "operator" "NotIn" "values" (list "false") }}
{{- $revIn := dict "key" "istio.io/rev" "operator" "In" "values" (list .value) }}
{{- $revNone := dict "key" "istio.io/rev" "operator" "DoesNotExist" }}
{{- $injNone := dict "key" "istio-injection" "operator" "DoesNotExist" }}
{{- include "istiod.injectionWebhook" (dict "root" .root "name" "rev.namespace.sidecar-injector.istio.io" "svc" .svc
      "ns" (dict "matchExpressions" (list $revIn $injNone)) "obj" (dict "matchExpressions" (list $notFalse))) }}
{{ include "istiod.injectionWebhook" (dict "root" .root "name" "rev.object.sidecar-injector.istio.io" "svc" .svc
      "ns" (dict "matchExpressions" (list $revNone $injNone)) "obj" (dict "matchExpressions" (list $notFalse $revIn))) }}
{{- if .default }}
{{ include "istiod.injectionWebhook" (dict "root" .root "name" "namespace.sidecar-injector.istio.io" "svc" .svc
      "ns" (dict "matchExpressions" (list (dict "key" "istio-injection" "operator" "In" "values" (list "enabled")))) "obj" (dict "matchExpressions" (list $notFalse))) }}
{{ include "istiod.injectionWebhook" (dict "root" .root "name" "object.sidecar-injector.istio.io" "svc" .svc
      "ns" (dict "matchExpressions" (list $injNone $revNone)) "obj" (dict "matchExpressions" (list (dict "key" "sidecar.istio.io/inject" "operator" "In" "values" (list "true")) $revNone))) }}
{{- end }}
{{- end }}
{{- define "istiod.servicePorts" -}}
ports:
- port: 15010
  name: grpc-xds
  protocol: TCP
- port: 15012
  name: https-dns
  protocol: TCP
- port: 443
  name: https-webhook
  targetPort: 15017
  protocol: TCP
- port: 15014
  name: http-monitoring
  protocol: TCP
{{- end }}
