package labcheck.kubernetes.minio_replicas_test

import data.labcheck.kubernetes.minio_replicas
import data.labcheck.test.k8s

test_fail_two_replicas if {
	sts := k8s.with_lines(k8s.patch(k8s.statefulset, [{"op": "replace", "path": "/spec/replicas", "value": 2}]), {"spec.replicas": 9})
	some f in minio_replicas.deny with input as k8s.submission([sts])
	f.line == 9
	f.msg == "StatefulSet minio runs 2 pods; distributed MinIO erasure-codes across at least 4 drives (one per pod), so set replicas: 4 or more"
}

test_fail_replicas_missing if {
	sts := k8s.patch(k8s.statefulset, [{"op": "remove", "path": "/spec/replicas"}])
	some f in minio_replicas.deny with input as k8s.submission([sts])
	contains(f.msg, "has no replicas field, so it runs 1 pod")
}

test_fail_drives_cannot_form_sets if {
	sts := k8s.patch(k8s.statefulset, [{"op": "replace", "path": "/spec/replicas", "value": 17}])
	some f in minio_replicas.deny with input as k8s.submission([sts])
	contains(f.msg, "has 17 drives, which MinIO cannot split")
}

test_pass_four_replicas if {
	count(minio_replicas.deny) == 0 with input as k8s.passing
}

test_pass_eighteen_drives if {
	sts := k8s.patch(k8s.statefulset, [{"op": "replace", "path": "/spec/replicas", "value": 18}])
	count(minio_replicas.deny) == 0 with input as k8s.submission([sts])
}
