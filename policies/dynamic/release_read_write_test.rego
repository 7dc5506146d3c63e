package labcheck.dynamic.release_read_write_test

import data.labcheck.dynamic.release_read_write

finding := {"rule": "DYN-022", "lab": "helm", "msg": "StatefulSet labcheck-helm/minio: MinIO does not report write quorum (/minio/health/cluster answered 503 Service Unavailable)", "file": "labs/helm/minio/templates/statefulset.yaml", "line": 2}

test_fail_reported_at_its_line if {
	some f in release_read_write.deny with input as {"findings": [finding]}
	f.file == "labs/helm/minio/templates/statefulset.yaml"
	f.line == 2
	startswith(f.msg, "StatefulSet labcheck-helm/minio: MinIO d")
}

test_fail_severity_override if {
	some f in release_read_write.deny with input as {"findings": [object.union(finding, {"severity": "info"})]}
	f.severity == "info"
}

test_pass_nothing_reported if {
	count(release_read_write.deny) == 0 with input as {"findings": []}
}

test_pass_other_rules_ignored if {
	count(release_read_write.deny) == 0 with input as {"findings": [object.union(finding, {"rule": "DYN-999"})]}
}
