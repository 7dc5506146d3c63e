package labcheck.kubernetes.claim_template_storage_test

import data.labcheck.kubernetes.claim_template_storage as rule
import data.labcheck.test.k8s

test_fail_no_storage_class if {
	sts := k8s.with_lines(k8s.patch(k8s.statefulset, [{"op": "remove", "path": "/spec/volumeClaimTemplates/0/spec/storageClassName"}]), {"spec.volumeClaimTemplates[0].spec": 90})
	some f in rule.deny with input as k8s.submission([sts])
	f.line == 90
	f.msg == "StatefulSet minio: claim template data has no storageClassName, so its claims get the cluster's default class, if there is one (kind's is standard); name the class: storageClassName: <class>"
}

test_fail_empty_storage_class if {
	sts := k8s.patch(k8s.statefulset, [{"op": "replace", "path": "/spec/volumeClaimTemplates/0/spec/storageClassName", "value": ""}])
	some f in rule.deny with input as k8s.submission([sts])
	contains(f.msg, "turns dynamic provisioning off")
}

test_fail_no_storage_request if {
	sts := k8s.patch(k8s.statefulset, [{"op": "remove", "path": "/spec/volumeClaimTemplates/0/spec/resources"}])
	some f in rule.deny with input as k8s.submission([sts])
	f.msg == "StatefulSet minio: claim template data requests no storage; set spec.resources.requests.storage (such as 1Gi)"
}

test_fail_no_templates if {
	sts := k8s.patch(k8s.statefulset, [{"op": "remove", "path": "/spec/volumeClaimTemplates"}])
	some f in rule.deny with input as k8s.submission([sts])
	startswith(f.msg, "StatefulSet minio has no volumeClaimTemplates")
}

test_pass_complete_template if {
	count(rule.deny) == 0 with input as k8s.passing
}
