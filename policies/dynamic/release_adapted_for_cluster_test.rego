package labcheck.dynamic.release_adapted_for_cluster_test

import data.labcheck.dynamic.release_adapted_for_cluster

finding := {"rule": "DYN-029", "lab": "helm", "msg": "StatefulSet labcheck-helm/minio: Secret labcheck-helm/minio-env is referenced (container minio envFrom) but not in the submission: labcheck generated it with no keys", "file": "labs/helm/minio/templates/statefulset.yaml", "line": 22}

test_fail_reported_at_its_line if {
	some f in release_adapted_for_cluster.deny with input as {"findings": [finding]}
	f.file == "labs/helm/minio/templates/statefulset.yaml"
	f.line == 22
	startswith(f.msg, "StatefulSet labcheck-helm/minio: Secret ")
}

test_fail_severity_override if {
	some f in release_adapted_for_cluster.deny with input as {"findings": [object.union(finding, {"severity": "info"})]}
	f.severity == "info"
}

test_pass_nothing_reported if {
	count(release_adapted_for_cluster.deny) == 0 with input as {"findings": []}
}

test_pass_other_rules_ignored if {
	count(release_adapted_for_cluster.deny) == 0 with input as {"findings": [object.union(finding, {"rule": "DYN-999"})]}
}
