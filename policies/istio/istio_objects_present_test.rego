package labcheck.istio.istio_objects_present_test

import data.labcheck.istio.istio_objects_present
import data.labcheck.lib.istio_test as t

test_fail_no_istio_objects_names_the_folder if {
	some f in istio_objects_present.deny with input as t.with_objects([])
	f.file == "labs/istio"
	f.line == 0
	contains(f.msg, "no Istio objects found in labs/istio")
}

test_fail_only_kubernetes_objects_in_the_istio_lab if {
	count(istio_objects_present.deny) == 1 with input as t.with_objects([t.service])
}

test_pass_mesh if {
	count(istio_objects_present.deny) == 0 with input as t.mesh
}

test_pass_one_istio_object if {
	count(istio_objects_present.deny) == 0 with input as t.with_objects([t.peer_authentication({"mtls": {"mode": "STRICT"}})])
}

test_pass_unreadable_file_is_reported_by_istio_000 if {
	broken := object.union(t.with_objects([]), {"problems": [{"file": "labs/istio/gw.yaml", "line": 3, "message": "invalid YAML"}]})
	count(istio_objects_present.deny) == 0 with input as broken
}
