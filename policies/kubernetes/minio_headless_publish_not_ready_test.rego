package labcheck.kubernetes.minio_headless_publish_not_ready_test

import data.labcheck.kubernetes.minio_headless_publish_not_ready as rule
import data.labcheck.test.k8s

test_fail_not_published if {
	svc := k8s.with_lines(k8s.patch(k8s.headless, [{"op": "remove", "path": "/spec/publishNotReadyAddresses"}]), {"spec": 10})
	some f in rule.deny with input as k8s.submission([svc])
	f.line == 10
	startswith(f.msg, "headless Service minio-headless does not set publishNotReadyAddresses: true")
}

test_pass_published if {
	count(rule.deny) == 0 with input as k8s.passing
}
