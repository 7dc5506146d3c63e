package labcheck.helm.replicas_from_values_test

import data.labcheck.helm.replicas_from_values
import data.labcheck.test.helm

test_fail_literal_replicas if {
	sub := helm.with_template({"keys": [{"key": "replicas", "value": "4", "indent": 2, "line": 10}]})
	replicas_from_values.deny == {{
		"msg": "templates/statefulset.yaml hard-codes replicas: 4; write replicas: {{ .Values.replicaCount }} so that the number of servers is a value",
		"file": "labs/helm/minio/templates/statefulset.yaml", "line": 10,
	}} with input as sub
}

test_pass_replicas_from_values if {
	count(replicas_from_values.deny) == 0 with input as helm.passing
}

test_pass_replicas_in_a_partial if {
	partial := helm.replace(helm.helpers, {"keys": [{"key": "replicas", "value": "1", "indent": 2, "line": 3}]})
	count(replicas_from_values.deny) == 0 with input as helm.with_chart({"templates": [partial, helm.statefulset]})
}
