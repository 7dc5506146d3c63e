package labcheck.dynamic.workloads_ready_test

import data.labcheck.dynamic.workloads_ready

finding := {"rule": "DYN-012", "lab": "kubernetes", "msg": "StatefulSet minio/minio: 0 of 4 pods Ready after 5m0s\n  pod minio-0: Running, not Ready\n  pod minio-1: not created\n  why: podManagementPolicy is OrderedReady: the StatefulSet creates minio-1 only once every earlier pod is Ready", "file": "labs/kubernetes/statefulset.yaml", "line": 9}

test_fail_reported_at_its_line if {
	some f in workloads_ready.deny with input as {"findings": [finding]}
	f.file == "labs/kubernetes/statefulset.yaml"
	f.line == 9
	startswith(f.msg, "StatefulSet minio/minio: 0 of 4 pods Rea")
}

test_fail_severity_override if {
	some f in workloads_ready.deny with input as {"findings": [object.union(finding, {"severity": "info"})]}
	f.severity == "info"
}

test_pass_nothing_reported if {
	count(workloads_ready.deny) == 0 with input as {"findings": []}
}

test_pass_other_rules_ignored if {
	count(workloads_ready.deny) == 0 with input as {"findings": [object.union(finding, {"rule": "DYN-999"})]}
}
