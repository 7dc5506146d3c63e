package labcheck.dynamic.release_survives_pod_loss_test

import data.labcheck.dynamic.release_survives_pod_loss

finding := {"rule": "DYN-023", "lab": "helm", "msg": "StatefulSet labcheck-helm/minio with pod minio-1 deleted: /minio/health/cluster answered 503 Service Unavailable: the cluster lost write quorum with one member down", "file": "labs/helm/minio/templates/statefulset.yaml", "line": 2}

test_fail_reported_at_its_line if {
	some f in release_survives_pod_loss.deny with input as {"findings": [finding]}
	f.file == "labs/helm/minio/templates/statefulset.yaml"
	f.line == 2
	startswith(f.msg, "StatefulSet labcheck-helm/minio with pod")
}

test_fail_severity_override if {
	some f in release_survives_pod_loss.deny with input as {"findings": [object.union(finding, {"severity": "info"})]}
	f.severity == "info"
}

test_pass_nothing_reported if {
	count(release_survives_pod_loss.deny) == 0 with input as {"findings": []}
}

test_pass_other_rules_ignored if {
	count(release_survives_pod_loss.deny) == 0 with input as {"findings": [object.union(finding, {"rule": "DYN-999"})]}
}
