# METADATA
# title: An AuthorizationPolicy restricts who may call MinIO
# description: >-
#   Without an AuthorizationPolicy every workload of the mesh may call MinIO.
#   An ALLOW policy with an empty rule (`rules: [{}]`) matches every request
#   and so allows everything; a DENY policy with an empty rule denies
#   everything, and since DENY is evaluated before ALLOW no other policy can
#   let the gateway through. An ALLOW policy without rules (`spec: {}`) allows
#   nothing: it is the right default-deny only beside an ALLOW policy that
#   names the callers.
# custom:
#   id: ISTIO-010
#   name: authorization-policy-restricts
#   lab: istio
#   severity: error
#   remediation: >-
#     In MinIO's namespace, add an ALLOW policy whose rules name the callers
#     (`from: [{source: {principals: [cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account]}}]`)
#     and the ports (`to: [{operation: {ports: ["9000"]}}]`).
#   related: [istioctl IST0127]
#   examples:
#     fail: |
#       apiVersion: security.istio.io/v1
#       kind: AuthorizationPolicy
#       metadata:
#         name: minio
#         namespace: minio
#       spec:
#         action: ALLOW
#         rules:
#           - {}
#     pass: |
#       apiVersion: security.istio.io/v1
#       kind: AuthorizationPolicy
#       metadata:
#         name: minio
#         namespace: minio
#       spec:
#         action: ALLOW
#         rules:
#           - from:
#               - source:
#                   namespaces: [istio-system]
package labcheck.istio.authorization_policy

import data.labcheck.lib.istio

# An ALLOW policy with an empty rule allows every request.
deny contains {"msg": msg, "file": ap.file, "line": istio.line(ap, sprintf("spec.rules[%d]", [i]))} if {
	some n in istio.minio_namespaces
	some ap in applicable(n)
	action(ap) == "ALLOW"
	some i, rule in rules(ap)
	empty_rule(rule)
	msg := sprintf("%s: rule %d is empty, so it matches every request and allows anyone to call MinIO in namespace %s; name the sources (from) and operations (to) it allows", [istio.label(ap), i, n])
}

# A DENY policy with an empty rule denies every request, whatever else allows.
deny contains {"msg": msg, "file": ap.file, "line": istio.line(ap, sprintf("spec.rules[%d]", [i]))} if {
	some n in istio.minio_namespaces
	some ap in applicable(n)
	action(ap) == "DENY"
	some i, rule in rules(ap)
	empty_rule(rule)
	msg := sprintf("%s: DENY with an empty rule denies every request to namespace %s, and DENY is evaluated before ALLOW, so nothing reaches MinIO; for default-deny use an ALLOW policy without rules (spec: {}) beside one that names the callers", [istio.label(ap), n])
}

# Only allow-nothing policies: MinIO is unreachable.
deny contains {"msg": msg, "file": ap.file, "line": istio.line(ap, "spec")} if {
	some n in istio.minio_namespaces
	not some_allow_with_rules(n)
	some ap in applicable(n)
	action(ap) == "ALLOW"
	count(rules(ap)) == 0
	msg := sprintf("%s allows nothing and no other ALLOW policy names who may call MinIO in namespace %s, so every request is denied; add an ALLOW policy for the ingress gateway", [istio.label(ap), n])
}

# A selector that matches none of the namespace's workloads protects nothing.
deny contains {"msg": msg, "file": ap.file, "line": istio.line(ap, "spec.selector")} if {
	some n in istio.minio_namespaces
	some ap in istio.authorization_policies
	istio.ns(ap) == n
	count(istio.workload_selector(ap)) > 0
	not istio.selector_reaches(ap, n)
	msg := sprintf("%s: selector %s matches no workload in namespace %s (workloads: %s)", [istio.label(ap), istio.selector_text(istio.workload_selector(ap)), n, istio.list({istio.label(w.object) | some w in istio.workloads_in(n)})])
}

# No policy applies to MinIO's namespace.
deny contains {"msg": msg, "file": input.expected.dir, "line": 0} if {
	some n in istio.minio_namespaces
	count(applicable(n)) == 0
	msg := sprintf("no AuthorizationPolicy applies to MinIO's namespace %s: every workload may call MinIO (AuthorizationPolicies: %s)", [n, istio.list({sprintf("%s/%s", [istio.ns(ap), ap.name]) | some ap in istio.authorization_policies})])
}

action(ap) := upper(object.get(istio.spec(ap), "action", "ALLOW"))

rules(ap) := r if {
	r := istio.spec(ap).rules
	is_array(r)
} else := []

# empty_rule matches every request: no from, to or when narrows it.
empty_rule(rule) if {
	is_object(rule)
	count(object.get(rule, "from", [])) == 0
	count(object.get(rule, "to", [])) == 0
	count(object.get(rule, "when", [])) == 0
}

# applicable are the policies that reach MinIO's namespace: its own (whose
# selector reaches a workload there) and mesh-wide ones in istio-system.
applicable(n) := [ap |
	some ap in istio.authorization_policies
	reaches(ap, n)
]

reaches(ap, n) if {
	istio.ns(ap) == n
	count(istio.workload_selector(ap)) == 0
}

reaches(ap, n) if {
	istio.ns(ap) == n
	count(istio.workload_selector(ap)) > 0
	istio.selector_reaches(ap, n)
}

reaches(ap, n) if {
	istio.ns(ap) == istio.root_namespace
	count(istio.workload_selector(ap)) == 0
}

some_allow_with_rules(n) if {
	some ap in applicable(n)
	action(ap) == "ALLOW"
	some rule in rules(ap)
	not empty_rule(rule)
}
