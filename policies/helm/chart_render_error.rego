# METADATA
# title: The chart loads and renders
# description: >-
#   A chart Helm cannot load or render with its default values cannot be
#   installed, and none of its manifests can be judged. labcheck renders it
#   with Helm's own engine as release "minio" in namespace "minio" for
#   Kubernetes v1.34 (HELM-014 covers each ci/*-values.yaml). The finding
#   carries Helm's message and points at the template line it names (a
#   missing helper, a failing `required`, a parse error), at the file Helm
#   cannot read, or at the template line that renders invalid YAML. A chart
#   that `helm template` renders never gets this finding: files of the chart
#   labcheck does not read (too large, binary, symlinks leading out of the
#   chart) are HELM-013's, and files its .helmignore leaves out are not
#   read at all. Refused files outside any chart folder are reported here.
# custom:
#   id: HELM-000
#   name: chart-render-error
#   lab: helm
#   role: parse-error
#   severity: error
#   remediation: >-
#     Run `helm template minio labs/helm/minio`; fix the template line Helm names, define the helper it cannot
#     find, or fix the YAML the template writes.
#   related: [helm lint, helm template, chart-testing ct lint]
#   examples:
#     fail:
#       minio/Chart.yaml: |
#         apiVersion: v2
#         name: minio
#         version: 0.1.0
#       minio/templates/secret.yaml: |
#         apiVersion: v1
#         kind: Secret
#         metadata:
#           name: {{ include "minio.fullname" . }}
#     pass:
#       minio/Chart.yaml: |
#         apiVersion: v2
#         name: minio
#         version: 0.1.0
#       minio/templates/_helpers.tpl: |
#         {{- define "minio.fullname" -}}{{ .Release.Name }}{{- end }}
#       minio/templates/secret.yaml: |
#         apiVersion: v1
#         kind: Secret
#         metadata:
#           name: {{ include "minio.fullname" . }}
package labcheck.helm.chart_render_error

deny contains {"msg": p.message, "file": p.file, "line": p.line} if {
	some p in input.problems
}
