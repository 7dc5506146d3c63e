package labcheck.kubernetes.workload_fits_quota_test

import data.labcheck.kubernetes.workload_fits_quota as rule
import data.labcheck.test.k8s

limits := "/spec/template/spec/containers/0/resources/limits"

test_fail_limits_memory if {
	sts := k8s.with_lines(
		k8s.patch(k8s.statefulset, [{"op": "replace", "path": concat("", [limits, "/memory"]), "value": "2Gi"}]),
		{"spec.template.spec.containers[0].resources.limits.memory": 68},
	)
	rule.deny == {{"file": "sts.yaml", "line": 68, "msg": "StatefulSet minio: 4 replicas x limits.memory 2Gi = 8Gi exceeds ResourceQuota minio-quota limits.memory 4Gi"}} with input as k8s.submission([sts])
}

test_fail_with_other_workloads if {
	web := k8s.obj("web.yaml", 1, "apps/v1", "Deployment", "web", {"metadata": {"namespace": "minio"}, "spec": {"replicas": 2, "template": {"spec": {"containers": [{"name": "web", "image": "nginx:1.27", "resources": {"limits": {"cpu": "1", "memory": "1Gi"}}}]}}}})
	some f in rule.deny with input as k8s.submission([web])
	f.msg == "StatefulSet minio: 4 replicas x limits.memory 768Mi = 3Gi, plus 2Gi for Deployment web, makes 5Gi in namespace minio, which exceeds ResourceQuota minio-quota limits.memory 4Gi"
}

test_fail_requests_default_to_limits if {
	sts := k8s.patch(k8s.statefulset, [
		{"op": "remove", "path": "/spec/template/spec/containers/0/resources/requests"},
		{"op": "replace", "path": concat("", [limits, "/cpu"]), "value": "750m"},
	])
	some f in rule.deny with input as k8s.submission([sts])
	f.msg == "StatefulSet minio: 4 replicas x requests.cpu 750m = 3 exceeds ResourceQuota minio-quota requests.cpu 2"
}

test_fail_storage if {
	sts := k8s.patch(k8s.statefulset, [{"op": "replace", "path": "/spec/volumeClaimTemplates/0/spec/resources/requests/storage", "value": "10Gi"}])
	some f in rule.deny with input as k8s.submission([sts])
	f.msg == "StatefulSet minio: 4 replicas x claim template data 10Gi = 40Gi exceeds ResourceQuota minio-quota requests.storage 20Gi"
}

test_fail_pods if {
	sts := k8s.patch(k8s.statefulset, [{"op": "replace", "path": "/spec/replicas", "value": 10}])
	msgs := {f.msg | some f in rule.deny} with input as k8s.submission([sts])
	"StatefulSet minio: 10 replicas x 1 pod = 10 pods exceeds ResourceQuota minio-quota pods 8" in msgs
	"StatefulSet minio: 10 replicas x claim template data = 10 claims exceeds ResourceQuota minio-quota persistentvolumeclaims 8" in msgs
}

test_fail_storage_class_quota if {
	quota := json.patch(k8s.quota, [{"op": "add", "path": "/object/spec/hard/minio-local.storageclass.storage.k8s.io~1requests.storage", "value": "2Gi"}])
	some f in rule.deny with input as k8s.submission([quota])
	f.msg == "StatefulSet minio: 4 replicas x claim template data 1Gi = 4Gi exceeds ResourceQuota minio-quota minio-local.storageclass.storage.k8s.io/requests.storage 2Gi"
}

test_fail_container_without_capped_resource if {
	sts := k8s.patch(k8s.statefulset, [{"op": "remove", "path": "/spec/template/spec/containers/0/resources/limits"}])
	some f in rule.deny with input as k8s.submission([sts])
	f.msg == "ResourceQuota minio-quota caps limits.cpu, limits.memory, so the API server rejects the pods of StatefulSet minio: container minio sets no limits.cpu, limits.memory"
}

test_pass_fits if {
	count(rule.deny) == 0 with input as k8s.passing
}

test_pass_other_namespace if {
	web := k8s.obj("web.yaml", 1, "apps/v1", "Deployment", "web", {"spec": {"replicas": 20, "template": {"spec": {"containers": [{"name": "web", "image": "nginx:1.27"}]}}}})
	count(rule.deny) == 0 with input as k8s.submission([web])
}

test_fail_counted_objects if {
	quota := json.patch(k8s.quota, [{"op": "add", "path": "/object/spec/hard/services", "value": "1"}])
	some f in rule.deny with input as k8s.submission([quota])
	f.msg == "Service minio-headless: 1 Service, plus 1 for Service minio, makes 2 in namespace minio, which exceeds ResourceQuota minio-quota services 1"
	f.line == 1
}

test_fail_claim_objects if {
	claim := k8s.with_lines(
		k8s.obj("pvc.yaml", 3, "v1", "PersistentVolumeClaim", "scratch", {
			"metadata": {"namespace": "minio"},
			"spec": {"resources": {"requests": {"storage": "17Gi"}}},
		}),
		{"spec.resources.requests.storage": 9},
	)
	some f in rule.deny with input as k8s.submission([claim])
	f.msg == "PersistentVolumeClaim scratch: 1 replica x claim 17Gi = 17Gi, plus 4Gi for StatefulSet minio, makes 21Gi in namespace minio, which exceeds ResourceQuota minio-quota requests.storage 20Gi"
	f.file == "pvc.yaml"
	f.line == 9
}
