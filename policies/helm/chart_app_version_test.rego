package labcheck.helm.chart_app_version_test

import data.labcheck.helm.chart_app_version
import data.labcheck.test.helm

test_fail_missing if {
	sub := helm.with_chart_yaml(object.remove(helm.chart_yaml.object, ["appVersion"]), object.remove(helm.chart_yaml.lines, ["appVersion"]))
	some f in chart_app_version.deny with input as sub
	f.file == "labs/helm/minio/Chart.yaml"
	f.line == 0
	contains(f.msg, "has no appVersion")
}

test_fail_number if {
	sub := helm.with_chart_yaml(object.union(helm.chart_yaml.object, {"appVersion": 1.1}), helm.chart_yaml.lines)
	chart_app_version.deny == {{"msg": `Chart.yaml's appVersion 1.1 is a YAML number, not a string; quote it (appVersion: "1.1")`, "file": "labs/helm/minio/Chart.yaml", "line": 6}} with input as sub
}

test_pass_app_version if {
	count(chart_app_version.deny) == 0 with input as helm.passing
}
