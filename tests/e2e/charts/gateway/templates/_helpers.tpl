{{- define "gateway.name" -}}
{{- .Values.name | default .Release.Name }}
{{- end }}
{{- define "gateway.selectorLabels" -}}
{{- /* As Istio's chart: labels.app / labels.istio override the selector (canary gateways share it). */}}
{{- $labels := .Values.labels | default dict }}
app: {{ get $labels "app" | default (include "gateway.name" .) }}
istio: {{ get $labels "istio" | default (include "gateway.name" . | trimPrefix "istio-") }}
{{- end }}
{{- define "gateway.podLabels" -}}
{{- $l := mergeOverwrite (deepCopy (.Values.labels | default dict)) (include "gateway.selectorLabels" . | fromYaml) }}
{{- toYaml $l }}
{{- end }}
{{- define "gateway.labels" -}}
{{ include "gateway.podLabels" . }}
app.kubernetes.io/name: {{ include "gateway.name" . }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/part-of: istio
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
helm.sh/chart: {{ .Chart.Name }}-{{ .Chart.Version }}
{{- end }}
{{- define "gateway.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- .Values.serviceAccount.name | default (include "gateway.name" .) }}
{{- else }}
{{- .Values.serviceAccount.name | default "default" }}
{{- end }}
{{- end }}
