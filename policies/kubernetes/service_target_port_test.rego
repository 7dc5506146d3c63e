package labcheck.kubernetes.service_target_port_test

import data.labcheck.kubernetes.service_target_port as rule
import data.labcheck.test.k8s

test_fail_unknown_name if {
	svc := k8s.with_lines(k8s.patch(k8s.service, [{"op": "replace", "path": "/spec/ports/0/targetPort", "value": "http"}]), {"spec.ports[0].targetPort": 31})
	some f in rule.deny with input as k8s.submission([svc])
	f.line == 31
	f.msg == "Service minio port 9000: targetPort http is not the name of a container port of StatefulSet minio (ports: 9000 (api), 9001 (console)); the Service has no endpoints for it"
}

test_fail_unknown_number_is_a_warning if {
	svc := k8s.patch(k8s.service, [{"op": "replace", "path": "/spec/ports/1/targetPort", "value": 9090}])
	some f in rule.deny with input as k8s.submission([svc])
	f.severity == "warning"
	contains(f.msg, "targetPort 9090 is not a container port of StatefulSet minio")
}

test_fail_default_target_is_the_port if {
	svc := k8s.patch(k8s.service, [{"op": "replace", "path": "/spec/ports/1", "value": {"name": "x", "port": 8080}}])
	some f in rule.deny with input as k8s.submission([svc])
	contains(f.msg, "targetPort 8080")
}

test_pass_ports_match if {
	count(rule.deny) == 0 with input as k8s.passing
}
