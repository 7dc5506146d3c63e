package labcheck.dynamic.manifests_accepted_test

import data.labcheck.dynamic.manifests_accepted

finding := {"rule": "DYN-011", "lab": "kubernetes", "msg": "StatefulSet minio/minio: the API server rejected it: spec.replicas: Invalid value: \"string\": spec.replicas in body must be of type integer", "file": "labs/kubernetes/statefulset.yaml", "line": 8}

test_fail_reported_at_its_line if {
	some f in manifests_accepted.deny with input as {"findings": [finding]}
	f.file == "labs/kubernetes/statefulset.yaml"
	f.line == 8
	startswith(f.msg, "StatefulSet minio/minio: the API server ")
}

test_fail_severity_override if {
	some f in manifests_accepted.deny with input as {"findings": [object.union(finding, {"severity": "info"})]}
	f.severity == "info"
}

test_pass_nothing_reported if {
	count(manifests_accepted.deny) == 0 with input as {"findings": []}
}

test_pass_other_rules_ignored if {
	count(manifests_accepted.deny) == 0 with input as {"findings": [object.union(finding, {"rule": "DYN-999"})]}
}
