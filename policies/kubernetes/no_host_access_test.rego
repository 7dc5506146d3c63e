package labcheck.kubernetes.no_host_access_test

import data.labcheck.kubernetes.no_host_access as rule
import data.labcheck.test.k8s

test_fail_host_network if {
	sts := k8s.patch(k8s.statefulset, [{"op": "add", "path": "/spec/template/spec/hostNetwork", "value": true}])
	rule.deny == {{"file": "sts.yaml", "line": 1, "msg": "StatefulSet minio sets hostNetwork: true, sharing the node's network with its pods; remove it"}} with input as k8s.submission([sts])
}

test_fail_host_path if {
	sts := k8s.patch(k8s.statefulset, [{"op": "add", "path": "/spec/template/spec/volumes", "value": [{"name": "disk", "hostPath": {"path": "/mnt/minio"}}]}])
	some f in rule.deny with input as k8s.submission([sts])
	f.msg == "StatefulSet minio: volume disk is a hostPath (/mnt/minio) on the node's file system; use a PersistentVolumeClaim (volumeClaimTemplates)"
}

test_fail_host_port if {
	sts := k8s.patch(k8s.statefulset, [{"op": "add", "path": "/spec/template/spec/containers/0/ports/0/hostPort", "value": 9000}])
	some f in rule.deny with input as k8s.submission([sts])
	contains(f.msg, "binds hostPort 9000 on the node")
}

test_pass_no_host_access if {
	count(rule.deny) == 0 with input as k8s.passing
}
