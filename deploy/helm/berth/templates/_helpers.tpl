{{- define "berth.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "berth.fullname" -}}
{{- if contains .Chart.Name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{- define "berth.selectorLabels" -}}
app.kubernetes.io/name: {{ include "berth.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "berth.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{ include "berth.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "berth.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "berth.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "berth.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{/* The Secret holding the administrator's password, or "" when Berth is to generate one. */}}
{{- define "berth.adminSecret" -}}
{{- if .Values.admin.existingSecret }}
{{- .Values.admin.existingSecret }}
{{- else if .Values.admin.password }}
{{- printf "%s-admin" (include "berth.fullname" .) }}
{{- end }}
{{- end }}

{{/* The claim holding /data with fs storage or the embedded database; "" when /data is scratch space. */}}
{{- define "berth.dataClaim" -}}
{{- if or (eq .Values.storage.type "fs") (eq .Values.database.type "embedded") }}
{{- default (printf "%s-data" (include "berth.fullname" .)) .Values.storage.fs.existingClaim }}
{{- end }}
{{- end }}

{{/* Whether more than one pod may run at once. */}}
{{- define "berth.scalesOut" -}}
{{- if or .Values.autoscaling.enabled (gt (int .Values.replicaCount) 1) }}true{{ end }}
{{- end }}

{{/* Requests and limits when none are given: the JVM alone, or with PostgreSQL beside it. */}}
{{- define "berth.resources" -}}
{{- if .Values.resources }}
{{- toYaml .Values.resources }}
{{- else if eq .Values.database.type "embedded" }}
requests:
  cpu: 250m
  memory: 1Gi
limits:
  memory: 1Gi
{{- else }}
requests:
  cpu: 250m
  memory: 512Mi
limits:
  memory: 512Mi
{{- end }}
{{- end }}

{{/*
Combinations the schema cannot express. The embedded PostgreSQL lives in one pod on one volume, and
filesystem blobs are shared by pods only through a ReadWriteMany volume.
*/}}
{{- define "berth.validate" -}}
{{- if and (eq .Values.database.type "embedded") (include "berth.scalesOut" .) }}
{{- fail "database.type=embedded runs PostgreSQL inside the single pod: set replicaCount=1 and autoscaling.enabled=false, or use database.type=external" }}
{{- end }}
{{- if and (eq .Values.storage.type "fs") (include "berth.scalesOut" .) (ne .Values.storage.fs.accessMode "ReadWriteMany") }}
{{- fail "storage.type=fs with more than one replica needs a volume every pod can mount: set storage.fs.accessMode=ReadWriteMany (with a storage class that supports it), or use storage.type=s3" }}
{{- end }}
{{- if and .Values.ingress.enabled .Values.httpRoute.enabled }}
{{- fail "ingress.enabled and httpRoute.enabled both route to the registry: choose one" }}
{{- end }}
{{- end }}
