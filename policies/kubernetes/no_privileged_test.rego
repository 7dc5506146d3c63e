package labcheck.kubernetes.no_privileged_test

import data.labcheck.kubernetes.no_privileged as rule
import data.labcheck.test.k8s

sc := "/spec/template/spec/containers/0/securityContext"

test_fail_privileged if {
	sts := k8s.patch(k8s.statefulset, [{"op": "add", "path": concat("", [sc, "/privileged"]), "value": true}])
	rule.deny == {{"file": "sts.yaml", "line": 1, "msg": "StatefulSet minio: container minio is privileged: it has full access to the node; remove privileged: true"}} with input as k8s.submission([sts])
}

test_fail_escalation if {
	sts := k8s.patch(k8s.statefulset, [{"op": "replace", "path": concat("", [sc, "/allowPrivilegeEscalation"]), "value": true}])
	some f in rule.deny with input as k8s.submission([sts])
	contains(f.msg, "sets allowPrivilegeEscalation: true")
}

test_fail_sys_admin if {
	sts := k8s.patch(k8s.statefulset, [{"op": "add", "path": concat("", [sc, "/capabilities/add"]), "value": ["SYS_ADMIN"]}])
	some f in rule.deny with input as k8s.submission([sts])
	contains(f.msg, "adds capability SYS_ADMIN")
}

test_pass_hardened if {
	count(rule.deny) == 0 with input as k8s.passing
}
