package labcheck.dynamic.chart_tests_pass_test

import data.labcheck.dynamic.chart_tests_pass

finding := {"rule": "DYN-021", "lab": "helm", "msg": "helm test hook minio-test failed: pod minio-test failed", "file": "labs/helm/minio/templates/tests/test-connection.yaml", "line": 2}

test_fail_reported_at_its_line if {
	some f in chart_tests_pass.deny with input as {"findings": [finding]}
	f.file == "labs/helm/minio/templates/tests/test-connection.yaml"
	f.line == 2
	startswith(f.msg, "helm test hook minio-test failed: pod mi")
}

test_fail_severity_override if {
	some f in chart_tests_pass.deny with input as {"findings": [object.union(finding, {"severity": "info"})]}
	f.severity == "info"
}

test_pass_nothing_reported if {
	count(chart_tests_pass.deny) == 0 with input as {"findings": []}
}

test_pass_other_rules_ignored if {
	count(chart_tests_pass.deny) == 0 with input as {"findings": [object.union(finding, {"rule": "DYN-999"})]}
}
