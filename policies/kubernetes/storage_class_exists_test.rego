package labcheck.kubernetes.storage_class_exists_test

import data.labcheck.kubernetes.storage_class_exists as rule
import data.labcheck.test.k8s

test_fail_unknown_class if {
	sts := k8s.with_lines(k8s.patch(k8s.statefulset, [{"op": "replace", "path": "/spec/volumeClaimTemplates/0/spec/storageClassName", "value": "fast-ssd"}]), {"spec.volumeClaimTemplates[0].spec.storageClassName": 92})
	some f in rule.deny with input as k8s.submission([sts])
	f.line == 92
	f.msg == "StatefulSet minio: claim template data asks for StorageClass fast-ssd, which is neither in the submission (it defines minio-local) nor a default class of common clusters (such as kind's standard); its claims would stay Pending"
}

test_fail_pvc if {
	pvc := k8s.obj("pvc.yaml", 1, "v1", "PersistentVolumeClaim", "data", {"spec": {"storageClassName": "nope"}})
	some f in rule.deny with input as k8s.submission([pvc])
	startswith(f.msg, "PersistentVolumeClaim data: it asks for StorageClass nope")
}

test_pass_defined if {
	count(rule.deny) == 0 with input as k8s.passing
}

test_pass_well_known if {
	sts := k8s.patch(k8s.statefulset, [{"op": "replace", "path": "/spec/volumeClaimTemplates/0/spec/storageClassName", "value": "standard"}])
	count(rule.deny) == 0 with input as k8s.submission([sts, k8s.without(k8s.storage_class)])
}
