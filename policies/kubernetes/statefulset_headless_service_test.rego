package labcheck.kubernetes.statefulset_headless_service_test

import data.labcheck.kubernetes.statefulset_headless_service as rule
import data.labcheck.test.k8s

test_fail_not_headless if {
	svc := k8s.with_lines(k8s.patch(k8s.headless, [{"op": "remove", "path": "/spec/clusterIP"}]), {"spec": 7})
	some f in rule.deny with input as k8s.submission([svc])
	f.file == "svc.yaml"
	f.line == 7
	startswith(f.msg, "Service minio-headless, the serviceName of StatefulSet minio, is not headless; set clusterIP: None")
}

test_fail_service_missing if {
	some f in rule.deny with input as k8s.submission([k8s.without(k8s.headless)])
	f.msg == "StatefulSet minio: serviceName minio-headless names no Service in namespace minio; add a headless Service (clusterIP: None) named minio-headless"
}

test_fail_service_in_other_namespace if {
	svc := object.union(k8s.headless, {"namespace": "other", "object": {"metadata": {"namespace": "other"}}})
	some f in rule.deny with input as k8s.submission([svc])
	contains(f.msg, "(there is one in namespace other)")
}

test_fail_no_service_name if {
	sts := k8s.patch(k8s.statefulset, [{"op": "remove", "path": "/spec/serviceName"}])
	some f in rule.deny with input as k8s.submission([sts])
	startswith(f.msg, "StatefulSet minio has no serviceName")
}

test_fail_selects_other_pods if {
	svc := k8s.patch(k8s.headless, [{"op": "replace", "path": "/spec/selector", "value": {"app": "minio-server"}}])
	some f in rule.deny with input as k8s.submission([svc])
	f.msg == "headless Service minio-headless selects app=minio-server, which are not the labels of StatefulSet minio's pods (app=minio); without them the pods get no DNS names"
}

test_pass_headless if {
	count(rule.deny) == 0 with input as k8s.passing
}
