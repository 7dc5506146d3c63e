package labcheck.helm.chart_name_test

import data.labcheck.helm.chart_name
import data.labcheck.test.helm

test_fail_uppercase_and_underscore if {
	sub := helm.with_chart_yaml(object.union(helm.chart_yaml.object, {"name": "MinIO_Chart"}), helm.chart_yaml.lines)
	chart_name.deny == {{"msg": `chart name "MinIO_Chart" has characters Kubernetes names do not allow; use lowercase letters, digits and dashes (minio-chart)`, "file": "labs/helm/minio/Chart.yaml", "line": 2}} with input as sub
}

test_fail_missing if {
	sub := helm.with_chart_yaml(object.remove(helm.chart_yaml.object, ["name"]), object.remove(helm.chart_yaml.lines, ["name"]))
	some f in chart_name.deny with input as sub
	contains(f.msg, "has no name")
}

test_fail_not_a_string if {
	sub := helm.with_chart_yaml(object.union(helm.chart_yaml.object, {"name": 5}), helm.chart_yaml.lines)
	some f in chart_name.deny with input as sub
	contains(f.msg, "is not a string")
}

test_pass_lowercase_name if {
	count(chart_name.deny) == 0 with input as helm.passing
}
