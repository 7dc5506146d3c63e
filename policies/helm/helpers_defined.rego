# METADATA
# title: _helpers.tpl defines the name, fullname and labels helpers
# description: >-
#   Every object of a chart needs the same name logic (the release and chart
#   names, truncated to 63 characters, overridable) and the same labels
#   (app.kubernetes.io/name, instance, version, managed-by, helm.sh/chart).
#   Helm's convention, which `helm create` writes, is to define them once in
#   templates/_helpers.tpl as <chart>.name, <chart>.fullname and
#   <chart>.labels, and to include them everywhere. Helm loads every partial
#   (templates/_*), so helpers defined in another one (_helper.tpl,
#   _labels.tpl) count as well.
# custom:
#   id: HELM-007
#   name: helpers-defined
#   lab: helm
#   severity: error
#   remediation: >-
#     Create templates/_helpers.tpl with `{{- define "minio.name" -}}`, `{{- define "minio.fullname" -}}` and
#     `{{- define "minio.labels" -}}` blocks (`helm create` writes a model of each).
#   related: [helm create]
#   examples:
#     fail:
#       minio/Chart.yaml: |
#         apiVersion: v2
#         name: minio
#         version: 0.1.0
#       minio/templates/_helpers.tpl: |
#         {{- define "minio.name" -}}{{ .Chart.Name }}{{- end }}
#     pass:
#       minio/Chart.yaml: |
#         apiVersion: v2
#         name: minio
#         version: 0.1.0
#       minio/templates/_helpers.tpl: |
#         {{- define "minio.name" -}}{{ .Chart.Name }}{{- end }}
#         {{- define "minio.fullname" -}}{{ .Release.Name }}{{- end }}
#         {{- define "minio.labels" -}}
#         app.kubernetes.io/name: {{ include "minio.name" . }}
#         {{- end }}
package labcheck.helm.helpers_defined

import data.labcheck.lib.helm

# required are the helpers a chart defines, with what each one gives.
required := {
	"name": "the chart's name",
	"fullname": "the release-qualified name of every object",
	"labels": "the labels every object carries",
}

deny contains {"msg": msg, "file": chart.helpers.file, "line": 0} if {
	some chart in input.charts
	not chart.helpers.present
	name := helm.chart_name(chart)
	msg := sprintf("the chart has no helpers file (a partial such as templates/_helpers.tpl); define %s.name, %s.fullname and %s.labels there and include them in the templates", [name, name, name])
}

deny contains {"msg": msg, "file": chart.helpers.file, "line": 0} if {
	some chart in input.charts
	chart.helpers.present
	some kind, what in required
	not defined(chart, kind)
	msg := sprintf("no partial of the chart (templates/_*.tpl) defines a %s.%s helper (%s); define it with {{- define \"%s.%s\" -}}", [helm.chart_name(chart), kind, what, helm.chart_name(chart), kind])
}

defined(chart, kind) if {
	some d in helm.defines(chart)
	endswith(d, concat("", [".", kind]))
}
