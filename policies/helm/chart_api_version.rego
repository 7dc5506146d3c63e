# METADATA
# title: Chart.yaml has apiVersion v2
# description: >-
#   apiVersion v2 is the Helm 3 chart format: dependencies live in
#   Chart.yaml, `type` and library charts exist. A v1 chart (or one without an
#   apiVersion, which Helm reads as v1) is the Helm 2 format, which Helm 3
#   only tolerates.
# custom:
#   id: HELM-002
#   name: chart-api-version-v2
#   lab: helm
#   severity: error
#   remediation: >-
#     Set `apiVersion: v2` at the top of Chart.yaml (and move requirements.yaml's dependencies into Chart.yaml).
#   related: ["helm lint (chart.metadata.apiVersion)"]
#   examples:
#     fail:
#       minio/Chart.yaml: |
#         apiVersion: v1
#         name: minio
#         version: 0.1.0
#     pass:
#       minio/Chart.yaml: |
#         apiVersion: v2
#         name: minio
#         version: 0.1.0
package labcheck.helm.chart_api_version

import data.labcheck.lib.helm

deny contains {"msg": msg, "file": chart.chart_yaml.file, "line": helm.chart_line(chart, "apiVersion")} if {
	some chart in input.charts
	chart.chart_yaml.parsed
	v := object.get(chart.chart_yaml.object, "apiVersion", null)
	v != "v2"
	msg := message(v)
}

message(null) := "Chart.yaml has no apiVersion, so Helm reads it as a v1 (Helm 2) chart; add apiVersion: v2"

message(v) := sprintf("Chart.yaml has apiVersion %v; Helm 3 charts use apiVersion: v2", [v]) if v != null
