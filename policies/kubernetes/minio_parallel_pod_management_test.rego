package labcheck.kubernetes.minio_parallel_pod_management_test

import data.labcheck.kubernetes.minio_parallel_pod_management as rule
import data.labcheck.test.k8s

test_fail_ordered_ready if {
	sts := k8s.with_lines(k8s.patch(k8s.statefulset, [{"op": "replace", "path": "/spec/podManagementPolicy", "value": "OrderedReady"}]), {"spec.podManagementPolicy": 13})
	some f in rule.deny with input as k8s.submission([sts])
	f.line == 13
	f.msg == "StatefulSet minio uses podManagementPolicy OrderedReady: minio-1 is created only once minio-0 is ready, but a MinIO pod is ready only when it reaches its peers, so the rollout deadlocks; set podManagementPolicy: Parallel"
}

test_fail_default if {
	sts := k8s.with_lines(k8s.patch(k8s.statefulset, [{"op": "remove", "path": "/spec/podManagementPolicy"}]), {"spec": 8})
	some f in rule.deny with input as k8s.submission([sts])
	f.line == 8
	startswith(f.msg, "StatefulSet minio uses the default podManagementPolicy OrderedReady")
}

test_pass_parallel if {
	count(rule.deny) == 0 with input as k8s.passing
}
