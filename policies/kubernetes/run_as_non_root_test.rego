package labcheck.kubernetes.run_as_non_root_test

import data.labcheck.kubernetes.run_as_non_root as rule
import data.labcheck.test.k8s

test_fail_no_security_context if {
	sts := k8s.with_lines(k8s.patch(k8s.statefulset, [{"op": "remove", "path": "/spec/template/spec/securityContext"}]), {"spec.template.spec.containers[0].securityContext": 80})
	some f in rule.deny with input as k8s.submission([sts])
	f.line == 80
	startswith(f.msg, "StatefulSet minio: container minio may run as root: neither it nor the pod sets runAsNonRoot: true or a runAsUser")
}

test_fail_container_overrides_to_root if {
	sts := k8s.with_lines(k8s.patch(k8s.statefulset, [{"op": "add", "path": "/spec/template/spec/containers/0/securityContext/runAsUser", "value": 0}]), {"spec.template.spec.containers[0].securityContext.runAsUser": 83})
	some f in rule.deny with input as k8s.submission([sts])
	f.line == 83
	f.msg == "StatefulSet minio: container minio runs as root (runAsUser: 0); use a non-zero user id such as 1000"
}

test_fail_non_root_false if {
	sts := k8s.patch(k8s.statefulset, [{"op": "replace", "path": "/spec/template/spec/securityContext", "value": {"runAsNonRoot": false}}])
	some f in rule.deny with input as k8s.submission([sts])
	contains(f.msg, "sets runAsNonRoot: false and no runAsUser")
}

test_pass_pod_level_user if {
	count(rule.deny) == 0 with input as k8s.passing
}

test_pass_run_as_non_root_alone if {
	sts := k8s.patch(k8s.statefulset, [{"op": "replace", "path": "/spec/template/spec/securityContext", "value": {"runAsNonRoot": true}}])
	count(rule.deny) == 0 with input as k8s.submission([sts])
}

test_fail_minio_container_names_minios_image_user if {
	sts := k8s.patch(k8s.statefulset, [{"op": "remove", "path": "/spec/template/spec/securityContext"}])
	some f in rule.deny with input as k8s.submission([sts])
	contains(f.msg, "so the image decides (MinIO's runs as root);")
}

test_fail_other_container_says_nothing_of_minio if {
	sts := k8s.patch(k8s.statefulset, [
		{"op": "remove", "path": "/spec/template/spec/securityContext"},
		{"op": "add", "path": "/spec/template/spec/containers/-", "value": {"name": "exporter", "image": "nginx:1.27"}},
	])
	some f in rule.deny with input as k8s.submission([sts])
	startswith(f.msg, "StatefulSet minio: container exporter may run as root")
	contains(f.msg, "so the image decides; set")
	not contains(f.msg, "MinIO")
}

test_fail_other_container_non_root_false_says_nothing_of_minio if {
	sts := k8s.patch(k8s.statefulset, [
		{"op": "replace", "path": "/spec/template/spec/securityContext", "value": {"runAsNonRoot": false}},
		{"op": "add", "path": "/spec/template/spec/containers/-", "value": {"name": "exporter", "image": "nginx:1.27"}},
	])
	some f in rule.deny with input as k8s.submission([sts])
	startswith(f.msg, "StatefulSet minio: container exporter sets runAsNonRoot: false")
	not contains(f.msg, "MinIO")
}
