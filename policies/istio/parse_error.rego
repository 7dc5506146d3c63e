# METADATA
# title: Istio manifests parse
# description: >-
#   A YAML file that cannot be read (a syntax error, a duplicated key, an alias
#   bomb, a file too large) applies nothing, and none of the other Istio checks
#   can judge it. The finding carries the parser's message and line.
# custom:
#   id: ISTIO-000
#   name: istio-parse-error
#   lab: istio
#   role: parse-error
#   severity: error
#   remediation: Fix the YAML at the reported line; `kubectl apply --dry-run=client -f FILE` reports the same error.
#   related: [istioctl IST0106]
#   examples:
#     fail: |
#       apiVersion: networking.istio.io/v1
#       kind: Gateway
#       metadata:
#         name: minio-gateway
#        namespace: minio
#     pass: |
#       apiVersion: networking.istio.io/v1
#       kind: Gateway
#       metadata:
#         name: minio-gateway
#         namespace: minio
package labcheck.istio.parse_error

deny contains {"msg": p.message, "file": p.file, "line": p.line} if {
	some p in input.problems
}
