package labcheck.dynamic.istio_routes_deployed_test

import data.labcheck.dynamic.istio_routes_deployed

finding := {"rule": "DYN-031", "lab": "istio", "msg": "VirtualService minio/minio: host \"minio.storage.svc.cluster.local\": no Service storage/minio is deployed (the routes would send traffic nowhere)", "file": "labs/istio/virtualservice.yaml", "line": 13}

test_fail_reported_at_its_line if {
	some f in istio_routes_deployed.deny with input as {"findings": [finding]}
	f.file == "labs/istio/virtualservice.yaml"
	f.line == 13
	startswith(f.msg, "VirtualService minio/minio: host \"minio.")
}

test_fail_severity_override if {
	some f in istio_routes_deployed.deny with input as {"findings": [object.union(finding, {"severity": "info"})]}
	f.severity == "info"
}

test_pass_nothing_reported if {
	count(istio_routes_deployed.deny) == 0 with input as {"findings": []}
}

test_pass_other_rules_ignored if {
	count(istio_routes_deployed.deny) == 0 with input as {"findings": [object.union(finding, {"rule": "DYN-999"})]}
}
