package labcheck.kubernetes.container_probes_test

import data.labcheck.kubernetes.container_probes as rule
import data.labcheck.test.k8s

sidecar := {"name": "exporter", "image": "prom/exporter:1.0", "resources": {}}

test_fail_sidecar_without_probes if {
	sts := k8s.patch(k8s.statefulset, [{"op": "add", "path": "/spec/template/spec/containers/-", "value": sidecar}])
	rule.deny == {{"msg": "StatefulSet minio: container exporter has no readinessProbe and no livenessProbe", "file": "sts.yaml", "line": 1}} with input as k8s.submission([sts])
}

test_pass_minio_is_judged_elsewhere if {
	sts := k8s.patch(k8s.statefulset, [{"op": "remove", "path": "/spec/template/spec/containers/0/readinessProbe"}])
	count(rule.deny) == 0 with input as k8s.submission([sts])
}

test_pass_jobs_need_none if {
	job := k8s.obj("job.yaml", 1, "batch/v1", "Job", "mc", {"spec": {"template": {"spec": {"containers": [sidecar]}}}})
	count(rule.deny) == 0 with input as k8s.submission([job])
}
