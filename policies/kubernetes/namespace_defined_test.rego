package labcheck.kubernetes.namespace_defined_test

import data.labcheck.kubernetes.namespace_defined as rule
import data.labcheck.test.k8s

test_fail_namespace_missing if {
	sts := k8s.with_lines(k8s.statefulset, {"metadata.namespace": 5})
	some f in rule.deny with input as k8s.submission([k8s.without(k8s.namespace), sts])
	f.file == "pdb.yaml"
	startswith(f.msg, "PodDisruptionBudget minio is in namespace minio, which no Namespace object of the submission creates (6 objects use it)")
}

test_pass_namespace_created if {
	count(rule.deny) == 0 with input as k8s.passing
}

test_pass_default_namespace if {
	svc := object.union(k8s.service, {"namespace": "default"})
	count(rule.deny) == 0 with input as {"objects": [svc]}
}
