# METADATA
# title: Mutual TLS is STRICT for MinIO's namespace
# description: >-
#   Without STRICT mutual TLS, MinIO's sidecars still accept plain-text
#   connections: any pod, in or out of the mesh, can read its traffic or reach
#   it around the AuthorizationPolicy's identities. A PeerAuthentication in
#   MinIO's namespace (or a mesh-wide one in istio-system) must set
#   `mtls.mode: STRICT`. PERMISSIVE (Istio's default) is a warning; DISABLE,
#   a port-level override to DISABLE, or a DestinationRule that sends plain
#   text into a STRICT namespace is an error.
# custom:
#   id: ISTIO-009
#   name: peer-authentication-strict
#   lab: istio
#   severity: error
#   remediation: >-
#     Add `kind: PeerAuthentication` named `default` in MinIO's namespace with
#     `spec: {mtls: {mode: STRICT}}`, and remove port-level exceptions.
#   related: [istioctl IST0113, istioctl IST0127]
#   examples:
#     fail: |
#       apiVersion: security.istio.io/v1
#       kind: PeerAuthentication
#       metadata:
#         name: default
#         namespace: minio
#       spec:
#         mtls:
#           mode: DISABLE
#     pass: |
#       apiVersion: security.istio.io/v1
#       kind: PeerAuthentication
#       metadata:
#         name: default
#         namespace: minio
#       spec:
#         mtls:
#           mode: STRICT
package labcheck.istio.peer_authentication

import data.labcheck.lib.istio

weak := {"PERMISSIVE": "warning", "DISABLE": "error"}

# The policy that decides a namespace's mode is not STRICT.
deny contains {"msg": msg, "file": pa.file, "line": istio.line(pa, "spec.mtls.mode"), "severity": weak[m]} if {
	some n in istio.minio_namespaces
	some pa in governing(n)
	m := mode(pa)
	weak[m]
	msg := sprintf("%s (namespace %s): mtls.mode %s %s for MinIO's namespace %s; use STRICT", [istio.label(pa), istio.ns(pa), m, effect[m], n])
}

# A workload-level policy weakens mutual TLS for MinIO's pods.
deny contains {"msg": msg, "file": pa.file, "line": istio.line(pa, "spec.mtls.mode"), "severity": weak[m]} if {
	some n in istio.minio_namespaces
	some pa in workload_level(n)
	m := mode(pa)
	weak[m]
	msg := sprintf("%s (namespace %s): mtls.mode %s %s for the workloads it selects (%s); use STRICT", [istio.label(pa), n, m, effect[m], istio.selector_text(istio.workload_selector(pa))])
}

# A port-level override weakens mutual TLS on one port.
deny contains {"msg": msg, "file": pa.file, "line": istio.line(pa, concat("", ["spec.portLevelMtls[\"", port, "\"].mode"])), "severity": weak[m]} if {
	some n in istio.minio_namespaces
	some pa in workload_level(n)
	some port, setting in object.get(istio.spec(pa), "portLevelMtls", {})
	m := upper(object.get(setting, "mode", "UNSET"))
	weak[m]
	msg := sprintf("%s: port %s overrides mtls.mode to %s, which %s on that port; remove the override", [istio.label(pa), port, m, effect[m]])
}

# Nothing sets a mode: Istio's default, PERMISSIVE, applies.
deny contains {"msg": msg, "file": file, "line": line, "severity": "warning"} if {
	some n in istio.minio_namespaces
	count(governing(n)) == 0
	not strict_workload_policy(n)
	[file, line] := unset_at(n)
	msg := sprintf("no PeerAuthentication sets mtls.mode STRICT for MinIO's namespace %s, so Istio's default PERMISSIVE accepts plain text (PeerAuthentications: %s)", [n, istio.list({sprintf("%s/%s", [istio.ns(pa), pa.name]) | some pa in istio.peer_authentications})])
}

# A DestinationRule sends plain text into a STRICT namespace.
deny contains {"msg": msg, "file": dr.file, "line": istio.line(dr, "spec.trafficPolicy.tls.mode")} if {
	some dr in istio.destination_rules
	upper(object.get(istio.spec(dr), ["trafficPolicy", "tls", "mode"], "")) == "DISABLE"
	s := istio.service_for(istio.spec(dr).host, istio.ns(dr))
	some pa in governing(istio.ns(s))
	mode(pa) == "STRICT"
	msg := sprintf("%s: trafficPolicy.tls.mode DISABLE sends plain text to %s, but %s requires STRICT mutual TLS there: requests will fail; use ISTIO_MUTUAL or remove tls", [istio.label(dr), istio.spec(dr).host, istio.label(pa)])
}

effect := {"PERMISSIVE": "still accepts plain text", "DISABLE": "turns mutual TLS off"}

mode(pa) := upper(object.get(istio.spec(pa), ["mtls", "mode"], "UNSET"))

namespace_wide(pa) if count(istio.workload_selector(pa)) == 0

# governing is the one policy whose mode applies to a whole namespace: its
# own namespace-wide policy when that sets a mode, else the mesh-wide one.
governing(n) := own if {
	own := [pa | some pa in istio.peer_authentications; istio.ns(pa) == n; namespace_wide(pa); mode(pa) != "UNSET"]
	count(own) > 0
} else := [pa |
	some pa in istio.peer_authentications
	istio.ns(pa) == istio.root_namespace
	namespace_wide(pa)
	mode(pa) != "UNSET"
]

workload_level(n) := [pa |
	some pa in istio.peer_authentications
	istio.ns(pa) == n
	not namespace_wide(pa)
	istio.selector_reaches(pa, n)
]

strict_workload_policy(n) if {
	some pa in workload_level(n)
	mode(pa) == "STRICT"
}

# unset_at points at a namespace-wide policy that sets no mode, else at where
# the missing policy belongs.
unset_at(n) := [pas[0].file, istio.line(pas[0], "spec")] if {
	pas := [pa | some pa in istio.peer_authentications; istio.ns(pa) == n; namespace_wide(pa)]
	count(pas) > 0
} else := [input.expected.dir, 0]
