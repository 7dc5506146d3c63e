package labcheck.kubernetes.storage_class_binding_mode_test

import data.labcheck.kubernetes.storage_class_binding_mode as rule
import data.labcheck.test.k8s

test_fail_immediate_by_default if {
	sc := k8s.patch(k8s.storage_class, [{"op": "remove", "path": "/volumeBindingMode"}])
	some f in rule.deny with input as k8s.submission([sc])
	f.msg == "StorageClass minio-local uses the node-local provisioner rancher.io/local-path with volumeBindingMode Immediate: the volume must be created on the node the pod lands on; set volumeBindingMode: WaitForFirstConsumer"
}

test_pass_wait_for_first_consumer if {
	count(rule.deny) == 0 with input as k8s.passing
}

test_pass_network_storage if {
	sc := k8s.patch(k8s.storage_class, [{"op": "replace", "path": "/provisioner", "value": "ebs.csi.aws.com"}, {"op": "remove", "path": "/volumeBindingMode"}])
	count(rule.deny) == 0 with input as k8s.submission([sc])
}
