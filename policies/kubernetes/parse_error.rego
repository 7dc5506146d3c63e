# METADATA
# title: Manifests parse as YAML
# description: >-
#   A manifest that is not valid YAML cannot be applied, and none of the other
#   Kubernetes checks can judge it. The finding carries the parser's message
#   and the line it points at; the lab's other files are still checked.
# custom:
#   id: K8S-000
#   name: manifest-parse-error
#   lab: kubernetes
#   role: parse-error
#   severity: error
#   remediation: Fix the YAML at the reported line (indentation, a missing colon, a tab); `kubectl apply --dry-run=client -f FILE` reports the same.
#   related: [kube-linter (no valid objects found), yamllint]
#   examples:
#     fail: |
#       apiVersion: v1
#       kind: Namespace
#       metadata:
#         name: minio
#          labels: {}
#     pass: |
#       apiVersion: v1
#       kind: Namespace
#       metadata:
#         name: minio
package labcheck.kubernetes.parse_error

deny contains {"msg": e.message, "file": e.file, "line": e.line} if {
	some e in input.problems
}
