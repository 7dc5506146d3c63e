package labcheck.lib.k8s_test

import data.labcheck.lib.k8s
import data.labcheck.test.k8s as data_k8s

test_line_exact if {
	k8s.line({"line": 1, "lines": {"spec.replicas": 9}}, "spec.replicas") == 9
}

test_line_nearest_parent if {
	o := {"line": 1, "lines": {"spec": 8, "spec.template.spec.containers[0]": 39}}
	k8s.line(o, "spec.template.spec.containers[0].resources.limits") == 39
	k8s.line(o, "spec.volumeClaimTemplates[0].spec") == 8
}

test_line_falls_back_to_object if {
	k8s.line({"line": 3, "lines": {}}, "spec.replicas") == 3
}

test_line_quoted_key if {
	k8s.line({"line": 1, "lines": {"metadata.annotations": 4}}, `metadata.annotations["labcheck.dev/ignore"]`) == 4
}

test_namespace_defaults if {
	k8s.namespace({"namespace": ""}) == "default"
	k8s.namespace({"namespace": "minio"}) == "minio"
}

test_pod_paths if {
	k8s.pod_spec_path({"kind": "StatefulSet"}) == "spec.template.spec"
	k8s.pod_spec_path({"kind": "Pod"}) == "spec"
	k8s.pod_spec_path({"kind": "CronJob"}) == "spec.jobTemplate.spec.template.spec"
	not k8s.is_workload({"kind": "Service"})
}

test_containers if {
	cs := k8s.containers(data_k8s.statefulset)
	count(cs) == 1
	cs[0].path == "spec.template.spec.containers[0]"
	cs[0].name == "minio"
	not cs[0].init
}

test_replicas if {
	k8s.replicas(data_k8s.statefulset) == 4
	k8s.replicas({"kind": "Deployment", "object": {"spec": {}}}) == 1
	k8s.replicas({"kind": "Pod", "object": {}}) == 1
}

test_selector_matches if {
	k8s.selector_matches({"matchLabels": {"app": "minio"}}, {"app": "minio", "tier": "x"})
	k8s.selector_matches({"matchExpressions": [{"key": "app", "operator": "NotIn", "values": ["web"]}]}, {"app": "minio"})
	not k8s.selector_matches({}, {"app": "minio"})
	not k8s.selector_matches({"matchLabels": {"app": "web"}}, {"app": "minio"})
}

test_image if {
	k8s.image("quay.io/minio/minio:RELEASE.2025-04-22T22-12-26Z") == {"repository": "quay.io/minio/minio", "tag": "RELEASE.2025-04-22T22-12-26Z", "digest": ""}
	k8s.image("localhost:5000/minio") == {"repository": "localhost:5000/minio", "tag": "", "digest": ""}
	k8s.image("minio/minio@sha256:ab").digest == "sha256:ab"
}

test_quantities if {
	k8s.quantity("500m") == 0.5
	k8s.quantity("1Gi") == 1073741824
	k8s.quantity(2) == 2
	k8s.format_quantity("limits.memory", 3221225472) == "3Gi"
	k8s.format_quantity("requests.memory", 536870912 * 3) == "1536Mi"
	k8s.format_quantity("requests.cpu", 0.25 * 3) == "750m"
	k8s.format_quantity("limits.cpu", 2) == "2"
	k8s.format_quantity("pods", 4) == "4"
}

test_count_text if {
	k8s.count_text(1, "pod") == "1 pod"
	k8s.count_text(4, "pod") == "4 pods"
}
