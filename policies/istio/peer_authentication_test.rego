package labcheck.istio.peer_authentication_test

import data.labcheck.istio.peer_authentication
import data.labcheck.lib.istio_test as t

with_mode(m) := t.replace(t.peer_authentication({"mtls": {"mode": m}}))

test_fail_permissive_is_warning if {
	some f in peer_authentication.deny with input as with_mode("PERMISSIVE")
	f.severity == "warning"
	f.msg == "PeerAuthentication default (namespace minio): mtls.mode PERMISSIVE still accepts plain text for MinIO's namespace minio; use STRICT"
}

test_fail_disable_is_error if {
	some f in peer_authentication.deny with input as with_mode("DISABLE")
	f.severity == "error"
	contains(f.msg, "DISABLE turns mutual TLS off")
}

test_fail_missing if {
	some f in peer_authentication.deny with input as t.without("PeerAuthentication")
	f.file == "labs/istio"
	f.line == 0
	f.severity == "warning"
	contains(f.msg, "Istio's default PERMISSIVE")
}

test_fail_mode_unset if {
	some f in peer_authentication.deny with input as t.replace(t.peer_authentication({}))
	contains(f.msg, "no PeerAuthentication sets mtls.mode STRICT")
}

test_fail_port_level_disable if {
	workload := t.obj("security.istio.io/v1", "PeerAuthentication", "minio-ports", "minio", {
		"selector": {"matchLabels": {"app": "minio"}},
		"mtls": {"mode": "STRICT"},
		"portLevelMtls": {"9000": {"mode": "DISABLE"}},
	})
	some f in peer_authentication.deny with input as t.with_objects(array.concat(t.mesh.objects, [workload]))
	f.msg == "PeerAuthentication minio-ports: port 9000 overrides mtls.mode to DISABLE, which turns mutual TLS off on that port; remove the override"
}

test_fail_mesh_wide_permissive if {
	root := t.obj("security.istio.io/v1", "PeerAuthentication", "default", "istio-system", {"mtls": {"mode": "PERMISSIVE"}})
	some f in peer_authentication.deny with input as t.with_objects(array.concat(t.without("PeerAuthentication").objects, [root]))
	contains(f.msg, "(namespace istio-system): mtls.mode PERMISSIVE")
}

test_fail_destination_rule_disables_tls if {
	dr := t.destination_rule(object.union(t.dr_spec, {"trafficPolicy": {"tls": {"mode": "DISABLE"}}}))
	some f in peer_authentication.deny with input as t.replace(dr)
	contains(f.msg, "requires STRICT mutual TLS there")
}

test_pass_mesh if {
	count(peer_authentication.deny) == 0 with input as t.mesh
}

test_pass_mesh_wide_strict if {
	root := t.obj("security.istio.io/v1", "PeerAuthentication", "default", "istio-system", {"mtls": {"mode": "STRICT"}})
	count(peer_authentication.deny) == 0 with input as t.with_objects(array.concat(t.without("PeerAuthentication").objects, [root]))
}

test_pass_other_namespace_permissive_ignored if {
	other := t.obj("security.istio.io/v1", "PeerAuthentication", "default", "legacy", {"mtls": {"mode": "PERMISSIVE"}})
	count(peer_authentication.deny) == 0 with input as t.with_objects(array.concat(t.mesh.objects, [other]))
}
