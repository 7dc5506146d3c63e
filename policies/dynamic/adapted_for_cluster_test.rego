package labcheck.dynamic.adapted_for_cluster_test

import data.labcheck.dynamic.adapted_for_cluster

finding := {"rule": "DYN-019", "lab": "kubernetes", "msg": "StatefulSet minio/minio: Secret minio/minio-credentials is referenced (container minio env MINIO_ROOT_PASSWORD) but not in the submission: labcheck generated it with random values for rootPassword", "file": "labs/kubernetes/statefulset.yaml", "line": 22}

test_fail_reported_at_its_line if {
	some f in adapted_for_cluster.deny with input as {"findings": [finding]}
	f.file == "labs/kubernetes/statefulset.yaml"
	f.line == 22
	startswith(f.msg, "StatefulSet minio/minio: Secret minio/mi")
}

test_fail_severity_override if {
	some f in adapted_for_cluster.deny with input as {"findings": [object.union(finding, {"severity": "info"})]}
	f.severity == "info"
}

test_pass_nothing_reported if {
	count(adapted_for_cluster.deny) == 0 with input as {"findings": []}
}

test_pass_other_rules_ignored if {
	count(adapted_for_cluster.deny) == 0 with input as {"findings": [object.union(finding, {"rule": "DYN-999"})]}
}
