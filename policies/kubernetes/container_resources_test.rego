package labcheck.kubernetes.container_resources_test

import data.labcheck.kubernetes.container_resources as rule
import data.labcheck.test.k8s

test_fail_missing_limits if {
	sts := k8s.with_lines(k8s.patch(k8s.statefulset, [{"op": "remove", "path": "/spec/template/spec/containers/0/resources/limits"}]), {"spec.template.spec.containers[0].resources": 62})
	some f in rule.deny with input as k8s.submission([sts])
	f.line == 62
	f.msg == "StatefulSet minio: container minio has no cpu limit, memory limit"
}

test_fail_init_container if {
	sts := k8s.patch(k8s.statefulset, [{"op": "add", "path": "/spec/template/spec/initContainers", "value": [{"name": "chown", "image": "busybox:1.36"}]}])
	some f in rule.deny with input as k8s.submission([sts])
	f.msg == "StatefulSet minio: init container chown has no cpu request, memory request, cpu limit, memory limit"
}

test_fail_request_above_limit if {
	sts := k8s.patch(k8s.statefulset, [{"op": "replace", "path": "/spec/template/spec/containers/0/resources/requests/memory", "value": "1Gi"}])
	some f in rule.deny with input as k8s.submission([sts])
	f.msg == "StatefulSet minio: container minio requests memory 1Gi but its limit is 768Mi; the API server rejects a request above the limit"
}

test_pass_all_set if {
	count(rule.deny) == 0 with input as k8s.passing
}
