package labcheck.dynamic.survives_node_loss_test

import data.labcheck.dynamic.survives_node_loss

finding := {"rule": "DYN-016", "lab": "kubernetes", "msg": "StatefulSet minio/minio with node labcheck-1a2b3c4d-worker2 (hosting minio-1) stopped: writing during/03 in s3://labcheck-verify failed: no answer within 1m0s", "file": "labs/kubernetes/statefulset.yaml", "line": 2}

test_fail_reported_at_its_line if {
	some f in survives_node_loss.deny with input as {"findings": [finding]}
	f.file == "labs/kubernetes/statefulset.yaml"
	f.line == 2
	startswith(f.msg, "StatefulSet minio/minio with node labche")
}

test_fail_severity_override if {
	some f in survives_node_loss.deny with input as {"findings": [object.union(finding, {"severity": "info"})]}
	f.severity == "info"
}

test_pass_nothing_reported if {
	count(survives_node_loss.deny) == 0 with input as {"findings": []}
}

test_pass_other_rules_ignored if {
	count(survives_node_loss.deny) == 0 with input as {"findings": [object.union(finding, {"rule": "DYN-999"})]}
}
