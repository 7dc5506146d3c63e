package labcheck.kubernetes.pdb_write_quorum_test

import data.labcheck.kubernetes.pdb_write_quorum as rule
import data.labcheck.test.k8s

with_spec(spec) := k8s.with_lines(
	json.patch(k8s.pdb, [{"op": "replace", "path": "/object/spec", "value": object.union({"selector": {"matchLabels": {"app": "minio"}}}, spec)}]),
	{"spec.minAvailable": 9, "spec.maxUnavailable": 9, "spec": 8},
)

test_fail_min_available_too_low if {
	some f in rule.deny with input as k8s.submission([with_spec({"minAvailable": 2})])
	f.file == "pdb.yaml"
	f.line == 9
	f.msg == "PodDisruptionBudget minio lets 2 of the 4 MinIO pods be evicted at once (minAvailable 2), but with 4 drives at EC:2 writes need 3, so at most 1 pod may be down: set maxUnavailable: 1 (or minAvailable: 3)"
}

test_fail_percentage if {
	some f in rule.deny with input as k8s.submission([with_spec({"maxUnavailable": "50%"})])
	contains(f.msg, "lets 2 of the 4 MinIO pods be evicted at once (maxUnavailable 50%)")
}

test_fail_no_budget if {
	some f in rule.deny with input as k8s.submission([k8s.without(k8s.pdb)])
	f.msg == "no PodDisruptionBudget selects the pods of StatefulSet minio: a node drain may evict them all at once; with 4 drives at EC:2 writes need 3, so at most 1 pod may be down, so add one with maxUnavailable: 1"
}

test_fail_budget_selects_other_pods if {
	pdb := json.patch(k8s.pdb, [{"op": "replace", "path": "/object/spec/selector", "value": {"matchLabels": {"app": "web"}}}])
	some f in rule.deny with input as k8s.submission([pdb])
	startswith(f.msg, "no PodDisruptionBudget selects the pods of StatefulSet minio")
}

test_fail_blocks_drains_is_a_warning if {
	some f in rule.deny with input as k8s.submission([with_spec({"maxUnavailable": 0})])
	f.severity == "warning"
	contains(f.msg, "every node drain hangs")
}

test_fail_eight_pods_parity_four if {
	sts := k8s.patch(k8s.statefulset, [{"op": "replace", "path": "/spec/replicas", "value": 8}])
	some f in rule.deny with input as k8s.submission([sts, with_spec({"maxUnavailable": 4})])
	contains(f.msg, "with 8 drives at EC:4 writes need 5, so at most 3 pods may be down")
}

test_fail_storage_class_parity if {
	sts := k8s.patch(k8s.statefulset, [
		{"op": "replace", "path": "/spec/replicas", "value": 8},
		{"op": "add", "path": "/spec/template/spec/containers/0/env/-", "value": {"name": "MINIO_STORAGE_CLASS_STANDARD", "value": "EC:2"}},
	])
	some f in rule.deny with input as k8s.submission([sts, with_spec({"maxUnavailable": 3})])
	contains(f.msg, "with 8 drives at EC:2 writes need 6, so at most 2 pods may be down")
}

test_pass_min_available_three if {
	count(rule.deny) == 0 with input as k8s.passing
}

test_pass_six_pods_two_down if {
	sts := k8s.patch(k8s.statefulset, [{"op": "replace", "path": "/spec/replicas", "value": 6}])
	count(rule.deny) == 0 with input as k8s.submission([sts, with_spec({"maxUnavailable": 2})])
}
