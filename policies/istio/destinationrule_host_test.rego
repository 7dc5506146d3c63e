package labcheck.istio.destinationrule_host_test

import data.labcheck.istio.destinationrule_host
import data.labcheck.lib.istio_test as t

test_fail_unknown_host if {
	dr := t.destination_rule(object.union(t.dr_spec, {"host": "minio.storage.svc.cluster.local"}))
	some f in destinationrule_host.deny with input as t.replace(dr)
	f.msg == "DestinationRule minio: host minio.storage.svc.cluster.local not found (looked for Service minio in namespace storage); Services in the submission: minio.minio"
}

test_fail_no_destination_rule if {
	some f in destinationrule_host.deny with input as t.without("DestinationRule")
	f.file == "labs/istio"
	f.line == 0
}

test_pass_mesh if {
	count(destinationrule_host.deny) == 0 with input as t.mesh
}

test_pass_wildcard_host if {
	dr := t.destination_rule(object.union(t.dr_spec, {"host": "*.minio.svc.cluster.local"}))
	count(destinationrule_host.deny) == 0 with input as t.replace(dr)
}
