# A policy in conftest's current (Rego v1) style, over one YAML document.
package main

import rego.v1

violation contains {"msg": msg, "details": {"kind": input.kind}} if {
	input.kind == "Service"
	not input.metadata.labels["app.kubernetes.io/part-of"]
	msg := sprintf("Service %s has no app.kubernetes.io/part-of label", [input.metadata.name])
}

warn contains msg if {
	input.kind == "StatefulSet"
	input.spec.replicas > 3
	msg := sprintf("StatefulSet %s runs %d replicas; check the quota", [input.metadata.name, input.spec.replicas])
}
