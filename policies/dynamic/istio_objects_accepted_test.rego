package labcheck.dynamic.istio_objects_accepted_test

import data.labcheck.dynamic.istio_objects_accepted

finding := {"rule": "DYN-030", "lab": "istio", "msg": "VirtualService minio/minio: the API server rejected it: .spec.http[0].route[0].wieght: field not declared in schema", "file": "labs/istio/virtualservice.yaml", "line": 12}

test_fail_reported_at_its_line if {
	some f in istio_objects_accepted.deny with input as {"findings": [finding]}
	f.file == "labs/istio/virtualservice.yaml"
	f.line == 12
	startswith(f.msg, "VirtualService minio/minio: the API serv")
}

test_fail_severity_override if {
	some f in istio_objects_accepted.deny with input as {"findings": [object.union(finding, {"severity": "info"})]}
	f.severity == "info"
}

test_pass_nothing_reported if {
	count(istio_objects_accepted.deny) == 0 with input as {"findings": []}
}

test_pass_other_rules_ignored if {
	count(istio_objects_accepted.deny) == 0 with input as {"findings": [object.union(finding, {"rule": "DYN-999"})]}
}
