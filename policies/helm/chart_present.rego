# METADATA
# title: The lab has a Helm chart
# description: >-
#   Lab 3 is graded on a chart: a folder with Chart.yaml under labs/helm/.
#   Without one there is nothing to render, and every other Helm check would
#   pass for want of anything to judge.
# custom:
#   id: HELM-001
#   name: chart-present
#   lab: helm
#   severity: error
#   remediation: >-
#     Create the chart with `helm create labs/helm/minio` and turn it into the MinIO chart, or map your chart's folder to the helm lab in .labcheck.yaml.
#   related: [helm lint]
#   examples:
#     fail: {}
#     pass:
#       minio/Chart.yaml: |
#         apiVersion: v2
#         name: minio
#         version: 0.1.0
package labcheck.helm.chart_present

deny contains {"msg": msg, "file": input.expected.dir, "line": 0} if {
	count(input.charts) == 0
	count(input.problems) == 0
	msg := sprintf("no Helm chart found: expected a folder with Chart.yaml under %s (such as %s/minio)", [input.expected.dir, input.expected.dir])
}
