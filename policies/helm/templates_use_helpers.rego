# METADATA
# title: Templates name and label objects with the helpers
# description: >-
#   Helpers only help if the templates use them. An object whose name is
#   written literally (name: minio-headless) collides with the same object
#   of a second release in the namespace and ignores nameOverride and
#   fullnameOverride; an object without the chart's labels is invisible to
#   `kubectl get -l app.kubernetes.io/instance=...` and to selectors built
#   from them. A CustomResourceDefinition is the exception: Kubernetes
#   requires it to be named <plural>.<group>, and that is what is judged. A
#   template that renders no object (only `fail` guards or comments) has no
#   name to judge.
# custom:
#   id: HELM-008
#   name: templates-use-helpers
#   lab: helm
#   severity: error
#   remediation: >-
#     Name objects with `name: {{ include "minio.fullname" . }}` (with a suffix such as `-headless` where a
#     chart has several of a kind) and add `labels: {{- include "minio.labels" . | nindent 4 }}`.
#   related: [helm create]
#   examples:
#     fail:
#       minio/Chart.yaml: |
#         apiVersion: v2
#         name: minio
#         version: 0.1.0
#       minio/templates/service.yaml: |
#         apiVersion: v1
#         kind: Service
#         metadata:
#           name: minio
#         spec:
#           ports: [{port: 9000}]
#     pass:
#       minio/Chart.yaml: |
#         apiVersion: v2
#         name: minio
#         version: 0.1.0
#       minio/templates/_helpers.tpl: |
#         {{- define "minio.fullname" -}}{{ .Release.Name }}{{- end }}
#       minio/templates/service.yaml: |
#         apiVersion: v1
#         kind: Service
#         metadata:
#           name: {{ include "minio.fullname" . }}
#         spec:
#           ports: [{port: 9000}]
package labcheck.helm.templates_use_helpers

import data.labcheck.lib.helm

deny contains {"msg": msg, "file": t.file, "line": k.line} if {
	some chart in input.charts
	some t in helm.manifest_templates(chart)
	some k in metadata_names(t)
	not helm.key_action(k)
	msg := sprintf("%s hard-codes the object name %s; name it with {{ include \"%s.fullname\" . }} (plus a suffix if the chart has several) so that releases do not collide", [t.path, k.value, helm.chart_name(chart)])
}

deny contains {"msg": msg, "file": t.file, "line": line} if {
	some chart in input.charts
	some t in helm.manifest_templates(chart)
	count(t.includes) == 0
	count(metadata_names(t)) > 0
	every k in metadata_names(t) {
		helm.key_action(k)
	}
	line := max([1, helm.key_line(t, "name", 2)])
	name := helm.chart_name(chart)
	msg := sprintf("%s uses none of the chart's helpers; name its objects with include \"%s.fullname\" and label them with include \"%s.labels\"", [t.path, name, name])
}

deny contains {"msg": msg, "file": c.file, "line": c.line} if {
	some chart in input.charts
	some c in chart.crds
	c.name != concat(".", [c.plural, c.group])
	msg := sprintf("CustomResourceDefinition %s must be named <plural>.<group>, %s.%s; Kubernetes refuses any other name", [c.name, c.plural, c.group])
}

# metadata_names are the metadata.name keys of a template's documents:
# name at indentation 2 after a top-level metadata key. A template that
# writes no object (only `fail` guards or comments) has none, and no name
# to judge. A CustomResourceDefinition's name is not the release's to
# choose: Kubernetes requires <plural>.<group> (judged from the render).
metadata_names(t) := [k |
	some m in t.keys
	m.key == "metadata"
	m.indent == 0
	some k in t.keys
	k.key == "name"
	k.indent == 2
	k.line > m.line
	not top_level_between(t, m.line, k.line)
	object.get(k, "kind", "") != "CustomResourceDefinition"
]

top_level_between(t, a, b) if {
	some k in t.keys
	k.indent == 0
	k.line > a
	k.line < b
}
