package labcheck.dynamic.chart_installs_test

import data.labcheck.dynamic.chart_installs

finding := {"rule": "DYN-020", "lab": "helm", "msg": "StatefulSet labcheck-helm/minio: 0 of 4 pods Ready after 5m0s", "file": "labs/helm/minio/templates/statefulset.yaml", "line": 2}

test_fail_reported_at_its_line if {
	some f in chart_installs.deny with input as {"findings": [finding]}
	f.file == "labs/helm/minio/templates/statefulset.yaml"
	f.line == 2
	startswith(f.msg, "StatefulSet labcheck-helm/minio: 0 of 4 ")
}

test_fail_severity_override if {
	some f in chart_installs.deny with input as {"findings": [object.union(finding, {"severity": "info"})]}
	f.severity == "info"
}

test_pass_nothing_reported if {
	count(chart_installs.deny) == 0 with input as {"findings": []}
}

test_pass_other_rules_ignored if {
	count(chart_installs.deny) == 0 with input as {"findings": [object.union(finding, {"rule": "DYN-999"})]}
}
