package labcheck.kubernetes.pod_anti_affinity_test

import data.labcheck.kubernetes.pod_anti_affinity as rule
import data.labcheck.test.k8s

test_fail_no_affinity if {
	sts := k8s.with_lines(k8s.patch(k8s.statefulset, [{"op": "remove", "path": "/spec/template/spec/affinity"}]), {"spec.template.spec": 21})
	rule.deny == {{"file": "sts.yaml", "line": 21, "msg": "StatefulSet minio has no pod anti-affinity or topology spread: the scheduler may put all 4 pods on one node, and losing that node loses them all; add podAntiAffinity on kubernetes.io/hostname selecting app=minio"}} with input as k8s.submission([sts])
}

test_fail_selects_other_pods if {
	sts := k8s.patch(k8s.statefulset, [{"op": "replace", "path": "/spec/template/spec/affinity/podAntiAffinity/preferredDuringSchedulingIgnoredDuringExecution/0/podAffinityTerm/labelSelector", "value": {"matchLabels": {"app": "web"}}}])
	some f in rule.deny with input as k8s.submission([sts])
	f.msg == "StatefulSet minio: the pod anti-affinity selects app=web, not this workload's pods (app=minio), so it does not spread them"
}

test_fail_other_workload_is_a_warning if {
	web := k8s.obj("web.yaml", 1, "apps/v1", "Deployment", "web", {"spec": {"replicas": 2, "template": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "web", "image": "nginx:1.27"}]}}}})
	some f in rule.deny with input as k8s.submission([web])
	f.severity == "warning"
	startswith(f.msg, "Deployment web has no pod anti-affinity")
}

test_pass_preferred_anti_affinity if {
	count(rule.deny) == 0 with input as k8s.passing
}

test_pass_topology_spread if {
	sts := k8s.patch(k8s.statefulset, [
		{"op": "remove", "path": "/spec/template/spec/affinity"},
		{"op": "add", "path": "/spec/template/spec/topologySpreadConstraints", "value": [{"maxSkew": 1, "topologyKey": "topology.kubernetes.io/zone", "whenUnsatisfiable": "ScheduleAnyway", "labelSelector": {"matchLabels": {"app": "minio"}}}]},
	])
	count(rule.deny) == 0 with input as k8s.submission([sts])
}

test_pass_single_replica if {
	web := k8s.obj("web.yaml", 1, "apps/v1", "Deployment", "web", {"spec": {"replicas": 1, "template": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "web", "image": "nginx:1.27"}]}}}})
	count(rule.deny) == 0 with input as k8s.submission([web])
}
