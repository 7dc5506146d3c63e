# METADATA
# title: Chart.yaml names the chart
# description: >-
#   Helm refuses a chart without a name, and the name ends up in object names
#   and labels through the helpers (minio.name, minio.fullname), where
#   Kubernetes accepts only lowercase letters, digits and dashes. Helm also
#   packages and indexes the chart under this name.
# custom:
#   id: HELM-003
#   name: chart-name-valid
#   lab: helm
#   severity: error
#   remediation: >-
#     Set `name:` in Chart.yaml to a lowercase name with letters, digits and dashes, such as `name: minio`.
#   related: ["helm lint (chart.metadata.name)"]
#   examples:
#     fail:
#       minio/Chart.yaml: |
#         apiVersion: v2
#         name: MinIO_Chart
#         version: 0.1.0
#     pass:
#       minio/Chart.yaml: |
#         apiVersion: v2
#         name: minio
#         version: 0.1.0
package labcheck.helm.chart_name

import data.labcheck.lib.helm

deny contains {"msg": msg, "file": chart.chart_yaml.file, "line": helm.chart_line(chart, "name")} if {
	some chart in input.charts
	chart.chart_yaml.parsed
	msg := problem(object.get(chart.chart_yaml.object, "name", null))
}

problem(null) := "Chart.yaml has no name; Helm refuses to load a chart without one (name: minio)"

problem(name) := sprintf("Chart.yaml's name %v is not a string; write name: minio", [name]) if {
	name != null
	not is_string(name)
}

problem(name) := msg if {
	is_string(name)
	not regex.match(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`, name)
	msg := sprintf("chart name %q has characters Kubernetes names do not allow; use lowercase letters, digits and dashes (%s)", [name, suggestion(name)])
}

suggestion(name) := s if {
	s := trim(regex.replace(lower(name), `[^a-z0-9]+`, "-"), "-")
	s != ""
} else := "minio"
