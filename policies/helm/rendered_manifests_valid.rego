# METADATA
# title: The rendered chart passes the Kubernetes rules
# description: >-
#   A chart is only as good as what it renders. labcheck runs every rule of
#   the kubernetes lab on the chart's rendered manifests (with its default
#   values and each ci/*-values.yaml) and reports their findings under the
#   helm lab, with their K8S ids, at the template line that wrote the field
#   (the line of the nearest enclosing key when a helper or toYaml wrote it).
#   This rule sums them up: it fails while any of them, at warning or above,
#   is not waived, and when the chart does not render with its default
#   values, since nothing could then be checked.
# custom:
#   id: HELM-012
#   name: rendered-manifests-valid
#   lab: helm
#   severity: error
#   remediation: >-
#     Fix the K8S findings listed under the helm lab in the templates they point at (or in values.yaml, when
#     the value is wrong), then rerun labcheck.
#   related: [kube-linter (lint a chart), kube-score (helm template | kube-score score -)]
#   examples:
#     fail:
#       minio/Chart.yaml: |
#         apiVersion: v2
#         name: minio
#         version: 0.1.0
#       minio/templates/deployment.yaml: |
#         apiVersion: apps/v1
#         kind: Deployment
#         metadata:
#           name: {{ .Release.Name }}
#         spec:
#           replicas: 1
#           selector:
#             matchLabels: {app: minio}
#           template:
#             metadata:
#               labels: {app: minio}
#             spec:
#               containers:
#                 - name: minio
#                   image: quay.io/minio/minio:latest
#                   args: [server, /data]
#     pass: {}
package labcheck.helm.rendered_manifests_valid

deny contains {"msg": msg, "file": first.file, "line": first.line} if {
	some chart in input.charts
	count(chart.kubernetes) > 0
	first := chart.kubernetes[0]
	rules := {sprintf("%s %s", [f.rule, f.name]) | some f in chart.kubernetes}
	msg := sprintf("the manifests %s renders fail %d Kubernetes rule(s): %s; each finding is listed under the helm lab at the template line (this is the first)", [chart.dir, count(rules), concat(", ", sort(rules))])
}

deny contains {"msg": msg, "file": chart.chart_yaml.file, "line": 0} if {
	some chart in input.charts
	some r in chart.renders
	r.values == concat("/", [chart.dir, "values.yaml"])
	not r.rendered
	msg := sprintf("the manifests of %s could not be checked against the Kubernetes rules: the chart does not render with its default values", [chart.dir])
}
