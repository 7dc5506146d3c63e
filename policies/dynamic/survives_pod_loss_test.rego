package labcheck.dynamic.survives_pod_loss_test

import data.labcheck.dynamic.survives_pod_loss

finding := {"rule": "DYN-014", "lab": "kubernetes", "msg": "StatefulSet minio/minio with pod minio-1 deleted: /minio/health/cluster answered 503 Service Unavailable: the cluster lost write quorum with one member down", "file": "labs/kubernetes/statefulset.yaml", "line": 2}

test_fail_reported_at_its_line if {
	some f in survives_pod_loss.deny with input as {"findings": [finding]}
	f.file == "labs/kubernetes/statefulset.yaml"
	f.line == 2
	startswith(f.msg, "StatefulSet minio/minio with pod minio-1")
}

test_fail_severity_override if {
	some f in survives_pod_loss.deny with input as {"findings": [object.union(finding, {"severity": "info"})]}
	f.severity == "info"
}

test_pass_nothing_reported if {
	count(survives_pod_loss.deny) == 0 with input as {"findings": []}
}

test_pass_other_rules_ignored if {
	count(survives_pod_loss.deny) == 0 with input as {"findings": [object.union(finding, {"rule": "DYN-999"})]}
}
