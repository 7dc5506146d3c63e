package labcheck.istio.authorization_policy_test

import data.labcheck.istio.authorization_policy
import data.labcheck.lib.istio_test as t

with_spec(spec) := t.replace(t.authorization_policy(spec))

test_fail_allow_all if {
	some f in authorization_policy.deny with input as with_spec({"rules": [{}]})
	f.msg == "AuthorizationPolicy minio: rule 0 is empty, so it matches every request and allows anyone to call MinIO in namespace minio; name the sources (from) and operations (to) it allows"
}

test_fail_deny_all if {
	some f in authorization_policy.deny with input as with_spec({"action": "DENY", "rules": [{}]})
	contains(f.msg, "DENY is evaluated before ALLOW")
}

test_fail_allow_nothing_alone if {
	some f in authorization_policy.deny with input as with_spec({})
	contains(f.msg, "allows nothing")
}

test_fail_missing if {
	some f in authorization_policy.deny with input as t.without("AuthorizationPolicy")
	f.file == "labs/istio"
	f.line == 0
}

test_fail_selector_matches_nothing if {
	some f in authorization_policy.deny with input as with_spec(t.set(t.ap_spec, "selector", {"matchLabels": {"app": "minoi"}}))
	f.msg == "AuthorizationPolicy minio: selector app=minoi matches no workload in namespace minio (workloads: StatefulSet minio)"
}

test_pass_mesh if {
	count(authorization_policy.deny) == 0 with input as t.mesh
}

test_pass_allow_nothing_beside_allow if {
	deny_all := t.obj("security.istio.io/v1", "AuthorizationPolicy", "deny-all", "minio", {})
	count(authorization_policy.deny) == 0 with input as t.with_objects(array.concat(t.mesh.objects, [deny_all]))
}
