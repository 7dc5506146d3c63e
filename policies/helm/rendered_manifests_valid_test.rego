package labcheck.helm.rendered_manifests_valid_test

import data.labcheck.helm.rendered_manifests_valid
import data.labcheck.test.helm

failure(rule, name, line) := {"rule": rule, "name": name, "severity": "error", "file": "labs/helm/minio/templates/statefulset.yaml", "line": line, "message": "x"}

test_fail_kubernetes_findings if {
	sub := helm.with_chart({"kubernetes": [failure("K8S-003", "minio-replicas", 10), failure("K8S-004", "minio-parallel-pod-management", 11), failure("K8S-003", "minio-replicas", 12)]})
	rendered_manifests_valid.deny == {{
		"msg": "the manifests labs/helm/minio renders fail 2 Kubernetes rule(s): K8S-003 minio-replicas, K8S-004 minio-parallel-pod-management; each finding is listed under the helm lab at the template line (this is the first)",
		"file": "labs/helm/minio/templates/statefulset.yaml", "line": 10, "severity": "error",
	}} with input as sub
}

test_fail_warnings_only_is_a_warning if {
	w := object.union(failure("K8S-016", "container-probes", 10), {"severity": "warning"})
	sub := helm.with_chart({"kubernetes": [w]})
	some f in rendered_manifests_valid.deny with input as sub
	f.severity == "warning"
}

test_fail_chart_does_not_render if {
	sub := helm.with_chart({"renders": [{"values": "labs/helm/minio/values.yaml", "rendered": false, "objects": 0}]})
	some f in rendered_manifests_valid.deny with input as sub
	f.file == "labs/helm/minio/Chart.yaml"
	contains(f.msg, "could not be checked")
	f.severity == "info" # HELM-000 is the error
}

test_pass_no_kubernetes_findings if {
	count(rendered_manifests_valid.deny) == 0 with input as helm.passing
}
