package labcheck.kubernetes.minio_health_probes_test

import data.labcheck.kubernetes.minio_health_probes as rule
import data.labcheck.test.k8s

c0 := "/spec/template/spec/containers/0"

test_fail_no_readiness if {
	sts := k8s.with_lines(k8s.patch(k8s.statefulset, [{"op": "remove", "path": concat("", [c0, "/readinessProbe"])}]), {"spec.template.spec.containers[0]": 39})
	some f in rule.deny with input as k8s.submission([sts])
	f.line == 39
	f.msg == "StatefulSet minio: MinIO container minio has no readinessProbe; add one with httpGet path /minio/health/ready on the API port"
}

test_fail_liveness_on_cluster if {
	sts := k8s.patch(k8s.statefulset, [{"op": "replace", "path": concat("", [c0, "/livenessProbe/httpGet/path"]), "value": "/minio/health/cluster"}])
	some f in rule.deny with input as k8s.submission([sts])
	f.msg == "StatefulSet minio: MinIO container minio's livenessProbe checks /minio/health/cluster; it must check /minio/health/live (a cluster-wide check as liveness restarts every pod when quorum is briefly lost)"
}

test_fail_tcp_probe if {
	sts := k8s.patch(k8s.statefulset, [{"op": "replace", "path": concat("", [c0, "/readinessProbe"]), "value": {"tcpSocket": {"port": 9000}}}])
	some f in rule.deny with input as k8s.submission([sts])
	contains(f.msg, "readinessProbe does not use httpGet")
}

test_fail_unknown_port_name if {
	sts := k8s.patch(k8s.statefulset, [{"op": "replace", "path": concat("", [c0, "/readinessProbe/httpGet/port"]), "value": "http"}])
	some f in rule.deny with input as k8s.submission([sts])
	contains(f.msg, "readinessProbe uses port http, which is not the name of one of its ports")
}

test_pass_health_endpoints if {
	count(rule.deny) == 0 with input as k8s.passing
}
