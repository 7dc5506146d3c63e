package labcheck.kubernetes.minio_server_endpoints_test

import data.labcheck.kubernetes.minio_server_endpoints as rule
import data.labcheck.test.k8s

with_arg(arg) := k8s.with_lines(
	k8s.patch(k8s.statefulset, [{"op": "replace", "path": "/spec/template/spec/containers/0/args/1", "value": arg}]),
	{"spec.template.spec.containers[0].args[1]": 43},
)

test_fail_ellipsis_short if {
	some f in rule.deny with input as k8s.submission([with_arg("http://minio-{0...2}.minio-headless.minio.svc.cluster.local/data")])
	f.line == 43
	f.msg == "StatefulSet minio has 4 replicas (pods minio-{0...3}) but its server endpoints name 3 pods (minio-{0...2}); minio-3 would run outside the MinIO cluster; write http://minio-{0...3}.minio-headless.minio.svc.cluster.local/data"
}

test_fail_ellipsis_long if {
	sts := k8s.patch(with_arg("http://minio-{1...4}.minio-headless.minio.svc.cluster.local/data"), [{"op": "replace", "path": "/spec/replicas", "value": 4}])
	some f in rule.deny with input as k8s.submission([sts])
	contains(f.msg, "but its server endpoints name 4 pods (minio-{1...4}); write http://minio-{0...3}")
}

test_fail_waits_for_missing_pods if {
	some f in rule.deny with input as k8s.submission([with_arg("http://minio-{0...5}.minio-headless.minio.svc.cluster.local/data")])
	f.msg == "StatefulSet minio has 4 replicas (pods minio-{0...3}) but its server endpoints name 6 pods (minio-{0...5}); MinIO would wait forever for minio-4, minio-5, which never exist; set replicas: 6, or write http://minio-{0...3}.minio-headless.minio.svc.cluster.local/data"
}

test_fail_wrong_service if {
	some f in rule.deny with input as k8s.submission([with_arg("http://minio-{0...3}.minio.minio.svc.cluster.local/data")])
	f.msg == "StatefulSet minio: server endpoint http://minio-{0...3}.minio.minio.svc.cluster.local/data goes through Service minio, but the StatefulSet's serviceName is minio-headless: pod DNS names exist only under that headless Service; write http://minio-{0...3}.minio-headless.minio.svc.cluster.local/data"
}

test_fail_wrong_service_and_namespace if {
	some f in rule.deny with input as k8s.submission([with_arg("http://minio-{0...3}.minio.default.svc.cluster.local/data")])
	f.msg == "StatefulSet minio: server endpoint http://minio-{0...3}.minio.default.svc.cluster.local/data goes through Service minio, but the StatefulSet's serviceName is minio-headless: pod DNS names exist only under that headless Service; it also names namespace default, but the StatefulSet runs in namespace minio; write http://minio-{0...3}.minio-headless.minio.svc.cluster.local/data"
}

test_fail_replicas_lost if {
	sts := k8s.patch(k8s.statefulset, [{"op": "remove", "path": "/spec/replicas"}])
	some f in rule.deny with input as k8s.submission([sts])
	f.msg == "StatefulSet minio has 1 replica (pods minio-0) but its server endpoints name 4 pods (minio-{0...3}); MinIO would wait forever for minio-1, minio-2, minio-3, which never exist; set replicas: 4"
}

test_fail_wrong_namespace if {
	some f in rule.deny with input as k8s.submission([with_arg("http://minio-{0...3}.minio-headless.default.svc.cluster.local/data")])
	contains(f.msg, "names namespace default, but the StatefulSet runs in namespace minio")
}

test_fail_wrong_pod_name if {
	some f in rule.deny with input as k8s.submission([with_arg("http://minio-server-{0...3}.minio-headless.minio.svc.cluster.local/data")])
	contains(f.msg, "names pods minio-server-N, but the StatefulSet's pods are minio-0, minio-1, …")
}

test_fail_no_service_in_host if {
	some f in rule.deny with input as k8s.submission([with_arg("http://minio-{0...3}/data")])
	contains(f.msg, "has no Service in its host name")
}

test_fail_standalone if {
	some f in rule.deny with input as k8s.submission([with_arg("/data")])
	f.msg == "StatefulSet minio: `minio server /data` makes each of its 4 pods a separate single-node MinIO, not one erasure-coded cluster; give every pod the full server list: http://minio-{0...3}.minio-headless.minio.svc.cluster.local/data"
}

test_fail_no_drive_path if {
	some f in rule.deny with input as k8s.submission([with_arg("http://minio-{0...3}.minio-headless.minio.svc.cluster.local")])
	contains(f.msg, "has no drive path")
}

test_pass_ellipsis_matches if {
	count(rule.deny) == 0 with input as k8s.passing
}

test_pass_short_dns_name if {
	count(rule.deny) == 0 with input as k8s.submission([with_arg("http://minio-{0...3}.minio-headless/data")])
}

test_pass_explicit_list if {
	sts := k8s.patch(k8s.statefulset, [{"op": "replace", "path": "/spec/template/spec/containers/0/args", "value": [
		"server",
		"http://minio-0.minio-headless.minio.svc.cluster.local/data",
		"http://minio-1.minio-headless.minio.svc.cluster.local/data",
		"http://minio-2.minio-headless.minio.svc.cluster.local/data",
		"http://minio-3.minio-headless.minio.svc.cluster.local/data",
	]}])
	count(rule.deny) == 0 with input as k8s.submission([sts])
}

test_pass_shell_command_and_drives_per_pod if {
	sts := k8s.patch(k8s.statefulset, [
		{"op": "replace", "path": "/spec/template/spec/containers/0/args", "value": ["minio server --address :9000 http://minio-{0...3}.minio-headless.minio.svc.cluster.local/data{0...1}"]},
		{"op": "add", "path": "/spec/template/spec/containers/0/command", "value": ["/bin/sh", "-c"]},
	])
	count(rule.deny) == 0 with input as k8s.submission([sts])
}

test_pass_minio_volumes_env if {
	sts := k8s.patch(k8s.statefulset, [
		{"op": "replace", "path": "/spec/template/spec/containers/0/args", "value": ["server"]},
		{"op": "add", "path": "/spec/template/spec/containers/0/env/-", "value": {"name": "MINIO_VOLUMES", "value": "http://minio-{0...3}.minio-headless.minio.svc.cluster.local/data"}},
	])
	count(rule.deny) == 0 with input as k8s.submission([sts])
}
