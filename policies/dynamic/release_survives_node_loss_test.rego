package labcheck.dynamic.release_survives_node_loss_test

import data.labcheck.dynamic.release_survives_node_loss

finding := {"rule": "DYN-025", "lab": "helm", "msg": "StatefulSet labcheck-helm/minio with node labcheck-1a2b3c4d-worker (hosting minio-2) stopped: /minio/health/cluster did not answer", "file": "labs/helm/minio/templates/statefulset.yaml", "line": 2}

test_fail_reported_at_its_line if {
	some f in release_survives_node_loss.deny with input as {"findings": [finding]}
	f.file == "labs/helm/minio/templates/statefulset.yaml"
	f.line == 2
	startswith(f.msg, "StatefulSet labcheck-helm/minio with nod")
}

test_fail_severity_override if {
	some f in release_survives_node_loss.deny with input as {"findings": [object.union(finding, {"severity": "info"})]}
	f.severity == "info"
}

test_pass_nothing_reported if {
	count(release_survives_node_loss.deny) == 0 with input as {"findings": []}
}

test_pass_other_rules_ignored if {
	count(release_survives_node_loss.deny) == 0 with input as {"findings": [object.union(finding, {"rule": "DYN-999"})]}
}
