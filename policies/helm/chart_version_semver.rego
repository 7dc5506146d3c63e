# METADATA
# title: Chart.yaml has a SemVer version
# description: >-
#   The chart's version is how Helm, repositories and `helm upgrade` tell
#   releases of the chart apart, and it must be Semantic Versioning 2
#   (MAJOR.MINOR.PATCH). Helm refuses to load a chart whose version it cannot
#   parse (an error); it accepts versions that are not SemVer 2 (shorthands
#   such as 1.0, a leading v, leading zeros such as 2023.04.1) and that
#   repositories and OCI registries treat inconsistently (a warning naming
#   what is wrong). A YAML number (version 1.0) is not a string: Helm reads it as 1.
#   The SemVer check is Helm's own (Masterminds semver).
# custom:
#   id: HELM-004
#   name: chart-version-semver
#   lab: helm
#   severity: error
#   remediation: >-
#     Set `version:` to MAJOR.MINOR.PATCH, such as `version: 0.1.0`, and bump it when the chart changes.
#   related: ["helm lint (chart.metadata.version)", "chart-testing ct lint (version increment)"]
#   examples:
#     fail:
#       minio/Chart.yaml: |
#         apiVersion: v2
#         name: minio
#         version: first
#     pass:
#       minio/Chart.yaml: |
#         apiVersion: v2
#         name: minio
#         version: 0.1.0
package labcheck.helm.chart_version_semver

import data.labcheck.lib.helm

deny contains f if {
	some chart in input.charts
	chart.chart_yaml.parsed
	p := problem(object.get(chart.chart_yaml.object, "version", null), chart.version)
	f := object.union({"file": chart.chart_yaml.file, "line": helm.chart_line(chart, "version")}, p)
}

problem(null, _) := {"msg": "Chart.yaml has no version; Helm refuses to load a chart without one (version: 0.1.0)"}

problem(v, _) := {"msg": sprintf("Chart.yaml's version %v is a YAML number, which Helm reads as %v; quote a SemVer version such as version: 0.1.0", [v, v])} if is_number(v)

problem(v, version) := {"msg": sprintf("Chart.yaml's version %q is not a SemVer version; Helm refuses to load the chart (use MAJOR.MINOR.PATCH, such as 0.1.0)", [v])} if {
	is_string(v)
	not version.helm
}

problem(v, version) := {"msg": sprintf("Chart.yaml's version %q %s: Helm tolerates it, SemVer 2 does not; %s", [v, version.why, fix(version)]), "severity": "warning"} if {
	is_string(v)
	version.helm
	not version.semver
}

fix(version) := sprintf("write %s", [version.suggestion]) if version.suggestion != ""

else := "write it in full as MAJOR.MINOR.PATCH (such as 0.1.0)"
