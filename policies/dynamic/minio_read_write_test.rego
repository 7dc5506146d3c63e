package labcheck.dynamic.minio_read_write_test

import data.labcheck.dynamic.minio_read_write

finding := {"rule": "DYN-013", "lab": "kubernetes", "msg": "StatefulSet minio/minio: MinIO does not report write quorum (/minio/health/cluster answered 503 Service Unavailable)", "file": "labs/kubernetes/statefulset.yaml", "line": 2}

test_fail_reported_at_its_line if {
	some f in minio_read_write.deny with input as {"findings": [finding]}
	f.file == "labs/kubernetes/statefulset.yaml"
	f.line == 2
	startswith(f.msg, "StatefulSet minio/minio: MinIO does not ")
}

test_fail_severity_override if {
	some f in minio_read_write.deny with input as {"findings": [object.union(finding, {"severity": "info"})]}
	f.severity == "info"
}

test_pass_nothing_reported if {
	count(minio_read_write.deny) == 0 with input as {"findings": []}
}

test_pass_other_rules_ignored if {
	count(minio_read_write.deny) == 0 with input as {"findings": [object.union(finding, {"rule": "DYN-999"})]}
}
