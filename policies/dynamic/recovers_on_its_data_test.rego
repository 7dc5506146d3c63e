package labcheck.dynamic.recovers_on_its_data_test

import data.labcheck.dynamic.recovers_on_its_data

finding := {"rule": "DYN-015", "lab": "kubernetes", "msg": "StatefulSet minio/minio: pod minio-3 has no PersistentVolumeClaim: its data did not survive the pod (use volumeClaimTemplates)", "file": "labs/kubernetes/statefulset.yaml", "line": 2}

test_fail_reported_at_its_line if {
	some f in recovers_on_its_data.deny with input as {"findings": [finding]}
	f.file == "labs/kubernetes/statefulset.yaml"
	f.line == 2
	startswith(f.msg, "StatefulSet minio/minio: pod minio-3 has")
}

test_fail_severity_override if {
	some f in recovers_on_its_data.deny with input as {"findings": [object.union(finding, {"severity": "info"})]}
	f.severity == "info"
}

test_pass_nothing_reported if {
	count(recovers_on_its_data.deny) == 0 with input as {"findings": []}
}

test_pass_other_rules_ignored if {
	count(recovers_on_its_data.deny) == 0 with input as {"findings": [object.union(finding, {"rule": "DYN-999"})]}
}
