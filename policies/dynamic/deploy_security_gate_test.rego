package labcheck.dynamic.deploy_security_gate_test

import data.labcheck.dynamic.deploy_security_gate

finding := {"rule": "DYN-010", "lab": "kubernetes", "msg": "StatefulSet minio/minio: refused to deploy: container minio is privileged", "file": "labs/kubernetes/statefulset.yaml", "line": 31}

test_fail_reported_at_its_line if {
	some f in deploy_security_gate.deny with input as {"findings": [finding]}
	f.file == "labs/kubernetes/statefulset.yaml"
	f.line == 31
	startswith(f.msg, "StatefulSet minio/minio: refused to depl")
}

test_fail_severity_override if {
	some f in deploy_security_gate.deny with input as {"findings": [object.union(finding, {"severity": "info"})]}
	f.severity == "info"
}

test_pass_nothing_reported if {
	count(deploy_security_gate.deny) == 0 with input as {"findings": []}
}

test_pass_other_rules_ignored if {
	count(deploy_security_gate.deny) == 0 with input as {"findings": [object.union(finding, {"rule": "DYN-999"})]}
}
