package labcheck.dynamic.release_recovers_on_its_data_test

import data.labcheck.dynamic.release_recovers_on_its_data

finding := {"rule": "DYN-024", "lab": "helm", "msg": "StatefulSet labcheck-helm/minio: pod minio-3 has no PersistentVolumeClaim: its data did not survive the pod (use volumeClaimTemplates)", "file": "labs/helm/minio/templates/statefulset.yaml", "line": 2}

test_fail_reported_at_its_line if {
	some f in release_recovers_on_its_data.deny with input as {"findings": [finding]}
	f.file == "labs/helm/minio/templates/statefulset.yaml"
	f.line == 2
	startswith(f.msg, "StatefulSet labcheck-helm/minio: pod min")
}

test_fail_severity_override if {
	some f in release_recovers_on_its_data.deny with input as {"findings": [object.union(finding, {"severity": "info"})]}
	f.severity == "info"
}

test_pass_nothing_reported if {
	count(release_recovers_on_its_data.deny) == 0 with input as {"findings": []}
}

test_pass_other_rules_ignored if {
	count(release_recovers_on_its_data.deny) == 0 with input as {"findings": [object.union(finding, {"rule": "DYN-999"})]}
}
