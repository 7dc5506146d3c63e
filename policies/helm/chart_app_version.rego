# METADATA
# title: Chart.yaml has an appVersion
# description: >-
#   appVersion says which MinIO release the chart deploys; `helm list` shows
#   it and the chart's labels (app.kubernetes.io/version) carry it. It must be
#   a string: an unquoted 1.10 is a YAML number that Helm reads as 1.1.
# custom:
#   id: HELM-005
#   name: chart-app-version
#   lab: helm
#   severity: error
#   remediation: >-
#     Add `appVersion:` with the MinIO release the chart deploys, quoted, such as `appVersion: "RELEASE.2025-04-22T22-12-26Z"`.
#   related: ["helm lint (appVersion should be a string)"]
#   examples:
#     fail:
#       minio/Chart.yaml: |
#         apiVersion: v2
#         name: minio
#         version: 0.1.0
#     pass:
#       minio/Chart.yaml: |
#         apiVersion: v2
#         name: minio
#         version: 0.1.0
#         appVersion: "RELEASE.2025-04-22T22-12-26Z"
package labcheck.helm.chart_app_version

import data.labcheck.lib.helm

deny contains {"msg": msg, "file": chart.chart_yaml.file, "line": helm.chart_line(chart, "appVersion")} if {
	some chart in input.charts
	chart.chart_yaml.parsed
	msg := problem(object.get(chart.chart_yaml.object, "appVersion", null))
}

problem(null) := `Chart.yaml has no appVersion; set it to the MinIO release the chart deploys (appVersion: "RELEASE.2025-04-22T22-12-26Z")`

problem("") := `Chart.yaml's appVersion is empty; set it to the MinIO release the chart deploys (appVersion: "RELEASE.2025-04-22T22-12-26Z")`

problem(v) := sprintf(`Chart.yaml's appVersion %v is a YAML number, not a string; quote it (appVersion: "%v")`, [v, v]) if is_number(v)
