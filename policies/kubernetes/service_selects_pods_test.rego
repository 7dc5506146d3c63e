package labcheck.kubernetes.service_selects_pods_test

import data.labcheck.kubernetes.service_selects_pods as rule
import data.labcheck.test.k8s

test_fail_selector_mismatch if {
	svc := k8s.with_lines(k8s.patch(k8s.service, [{"op": "replace", "path": "/spec/selector", "value": {"app": "minio-server"}}]), {"spec.selector": 25})
	some f in rule.deny with input as k8s.submission([svc])
	f.line == 25
	f.msg == "Service minio selects app=minio-server, but no pod template in namespace minio has those labels (StatefulSet minio has app=minio); the Service has no endpoints"
}

test_fail_pods_in_other_namespace if {
	svc := object.union(k8s.service, {"namespace": "", "object": {"metadata": {"namespace": ""}}})
	some f in rule.deny with input as k8s.submission([svc])
	f.msg == "Service minio selects app=minio, but no pod template in namespace default has those labels; the Service has no endpoints"
}

test_pass_selector_matches if {
	count(rule.deny) == 0 with input as k8s.passing
}

test_pass_no_selector if {
	svc := k8s.patch(k8s.service, [{"op": "remove", "path": "/spec/selector"}])
	count(rule.deny) == 0 with input as k8s.submission([svc])
}
