package labcheck.kubernetes.minio_statefulset_test

import data.labcheck.kubernetes.minio_statefulset
import data.labcheck.test.k8s

deployment := object.union(k8s.statefulset, {"kind": "Deployment", "line": 3, "object": {"kind": "Deployment"}})

test_fail_deployment if {
	some f in minio_statefulset.deny with input as k8s.submission([k8s.without(k8s.statefulset), deployment])
	f.line == 3
	startswith(f.msg, "Deployment minio runs MinIO, which needs a StatefulSet")
}

test_fail_no_minio_workload if {
	some f in minio_statefulset.deny with input as k8s.submission([k8s.without(k8s.statefulset)])
	f == {"file": "labs/kubernetes", "line": 0, "msg": "no MinIO workload found in labs/kubernetes (no container runs a minio image or `minio server`); expected a StatefulSet running quay.io/minio/minio"}
}

test_fail_nothing_submitted if {
	some f in minio_statefulset.deny with input as {"objects": [], "problems": [], "schema_errors": [], "expected": {"dir": "labs/kubernetes"}}
	startswith(f.msg, "no Kubernetes manifests found in labs/kubernetes")
}

test_pass_statefulset if {
	count(minio_statefulset.deny) == 0 with input as k8s.passing
}

test_pass_recognised_by_server_command if {
	sts := k8s.patch(k8s.statefulset, [{"op": "replace", "path": "/spec/template/spec/containers/0/image", "value": "registry.local/object-store:1.0"}])
	count(minio_statefulset.deny) == 0 with input as k8s.submission([sts])
}

test_pass_parse_problem_is_reported_instead if {
	count(minio_statefulset.deny) == 0 with input as {"objects": [], "problems": [{"file": "a.yaml", "line": 1, "message": "x"}], "schema_errors": [], "expected": {"dir": "labs/kubernetes"}}
}
