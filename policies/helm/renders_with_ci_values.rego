# METADATA
# title: The chart renders with each ci/*-values.yaml
# description: >-
#   chart-testing lints and installs a chart once per ci/*-values.yaml file:
#   they are the configurations the chart promises to support (six servers,
#   an existing Secret, persistence off). A chart whose defaults render but
#   that breaks with one of them fails `ct lint` and `ct install`. labcheck
#   renders each file over the defaults, as `helm template --values` does,
#   and reports Helm's error at the template line it names.
# custom:
#   id: HELM-014
#   name: renders-with-ci-values
#   lab: helm
#   severity: error
#   remediation: >-
#     Run `helm template minio labs/helm/minio --values labs/helm/minio/ci/FILE` and fix the template (or the values
#     file) at the line Helm names.
#   related: [chart-testing ct lint, chart-testing ct install]
#   examples:
#     fail:
#       minio/Chart.yaml: |
#         apiVersion: v2
#         name: minio
#         version: 0.1.0
#       minio/values.yaml: |
#         replicaCount: 4
#       minio/ci/scaled-values.yaml: |
#         replicaCount: null
#       minio/templates/configmap.yaml: |
#         apiVersion: v1
#         kind: ConfigMap
#         metadata:
#           name: {{ .Release.Name }}
#         data:
#           servers: {{ required "replicaCount is required" .Values.replicaCount | quote }}
#     pass:
#       minio/Chart.yaml: |
#         apiVersion: v2
#         name: minio
#         version: 0.1.0
#       minio/values.yaml: |
#         replicaCount: 4
#       minio/ci/scaled-values.yaml: |
#         replicaCount: 6
#       minio/templates/configmap.yaml: |
#         apiVersion: v1
#         kind: ConfigMap
#         metadata:
#           name: {{ .Release.Name }}
#         data:
#           servers: {{ required "replicaCount is required" .Values.replicaCount | quote }}
package labcheck.helm.renders_with_ci_values

deny contains {"msg": p.message, "file": p.file, "line": p.line} if {
	some p in input.ci_problems
}
