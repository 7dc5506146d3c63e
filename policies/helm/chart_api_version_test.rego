package labcheck.helm.chart_api_version_test

import data.labcheck.helm.chart_api_version
import data.labcheck.test.helm

test_fail_v1 if {
	sub := helm.with_chart_yaml(object.union(helm.chart_yaml.object, {"apiVersion": "v1"}), helm.chart_yaml.lines)
	chart_api_version.deny == {{"msg": "Chart.yaml has apiVersion v1; Helm 3 charts use apiVersion: v2", "file": "labs/helm/minio/Chart.yaml", "line": 1}} with input as sub
}

test_fail_missing if {
	sub := helm.with_chart_yaml(object.remove(helm.chart_yaml.object, ["apiVersion"]), object.remove(helm.chart_yaml.lines, ["apiVersion"]))
	some f in chart_api_version.deny with input as sub
	f.line == 0
	contains(f.msg, "has no apiVersion")
}

test_pass_v2 if {
	count(chart_api_version.deny) == 0 with input as helm.passing
}

test_pass_unparsed_chart_yaml_is_reported_elsewhere if {
	sub := helm.with_chart({"chart_yaml": object.union(helm.chart_yaml, {"parsed": false, "object": {}, "lines": {}})})
	count(chart_api_version.deny) == 0 with input as sub
}
