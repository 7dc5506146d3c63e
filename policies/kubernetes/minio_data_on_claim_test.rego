package labcheck.kubernetes.minio_data_on_claim_test

import data.labcheck.kubernetes.minio_data_on_claim as rule
import data.labcheck.test.k8s

test_fail_mounted_elsewhere if {
	sts := k8s.with_lines(k8s.patch(k8s.statefulset, [{"op": "replace", "path": "/spec/template/spec/containers/0/volumeMounts/0/mountPath", "value": "/export"}]), {"spec.template.spec.containers[0].args[1]": 43})
	some f in rule.deny with input as k8s.submission([sts])
	f.line == 43
	f.msg == "StatefulSet minio: MinIO drive /data is on no volume mount of container minio, so it lives in the container's own filesystem (lost on restart; MinIO refuses root-disk drives); mount claim template data at /data"
}

test_fail_empty_dir if {
	sts := k8s.patch(k8s.statefulset, [
		{"op": "replace", "path": "/spec/template/spec/containers/0/volumeMounts/0/name", "value": "scratch"},
		{"op": "add", "path": "/spec/template/spec/volumes", "value": [{"name": "scratch", "emptyDir": {}}]},
	])
	some f in rule.deny with input as k8s.submission([sts])
	contains(f.msg, "MinIO drive /data is on volume scratch (emptyDir), not on a PersistentVolumeClaim")
}

test_fail_one_of_several_drives if {
	sts := k8s.patch(k8s.statefulset, [
		{"op": "replace", "path": "/spec/template/spec/containers/0/args/1", "value": "http://minio-{0...3}.minio-headless.minio.svc.cluster.local/data{0...1}"},
		{"op": "replace", "path": "/spec/template/spec/containers/0/volumeMounts/0/mountPath", "value": "/data0"},
	])
	msgs := {f.msg | some f in rule.deny} with input as k8s.submission([sts])
	count(msgs) == 1
	some m in msgs
	contains(m, "MinIO drive /data1 is on no volume mount")
}

test_pass_claim_mounted if {
	count(rule.deny) == 0 with input as k8s.passing
}

test_pass_drive_below_mount if {
	sts := k8s.patch(k8s.statefulset, [{"op": "replace", "path": "/spec/template/spec/containers/0/args/1", "value": "http://minio-{0...3}.minio-headless.minio.svc.cluster.local/data/minio"}])
	count(rule.deny) == 0 with input as k8s.submission([sts])
}
