package labcheck.kubernetes.resource_quota_present_test

import data.labcheck.kubernetes.resource_quota_present as rule
import data.labcheck.test.k8s

test_fail_no_quota if {
	sts := k8s.with_lines(k8s.statefulset, {"metadata.namespace": 5})
	rule.deny == {{"file": "sts.yaml", "line": 5, "msg": "namespace minio, where StatefulSet minio runs, has no ResourceQuota: nothing caps what its pods and claims may take; add one with requests.cpu, requests.memory, limits.cpu, limits.memory and requests.storage"}} with input as k8s.submission([sts, k8s.without(k8s.quota)])
}

test_fail_quota_in_other_namespace if {
	quota := object.union(k8s.quota, {"namespace": "", "object": {"metadata": {"namespace": ""}}})
	some f in rule.deny with input as k8s.submission([quota])
	startswith(f.msg, "namespace minio, where StatefulSet minio runs, has no ResourceQuota")
}

test_fail_no_compute_caps_is_a_warning if {
	quota := json.patch(k8s.quota, [{"op": "replace", "path": "/object/spec/hard", "value": {"pods": "8"}}])
	some f in rule.deny with input as k8s.submission([quota])
	f.severity == "warning"
}

test_pass_quota if {
	count(rule.deny) == 0 with input as k8s.passing
}
