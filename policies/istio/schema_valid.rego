# METADATA
# title: Istio objects are valid against Istio's API
# description: >-
#   Istio's objects are protobuf messages. A misspelled field (`htpp:`) is
#   dropped or rejected by the API server and the route it meant silently does
#   not exist; a wrong type or an unknown enum value (`mode: STRCT`) is
#   rejected outright. Each spec is decoded into the istio.io/api type of its
#   kind (networking.istio.io v1alpha3/v1beta1/v1, security.istio.io
#   v1beta1/v1) and every field the decoder rejects is reported on its line,
#   with the fields or values that would have been valid.
# custom:
#   id: ISTIO-001
#   name: istio-schema-valid
#   lab: istio
#   severity: error
#   remediation: >-
#     Use the field names and values of Istio's reference documentation
#     (istio.io/latest/docs/reference/config/); `istioctl validate -f FILE`
#     checks the same.
#   related: [istioctl IST0106]
#   examples:
#     fail: |
#       apiVersion: networking.istio.io/v1
#       kind: VirtualService
#       metadata:
#         name: minio
#         namespace: minio
#       spec:
#         hosts: [minio.example.com]
#         htpp:
#           - route:
#               - destination:
#                   host: minio
#     pass: |
#       apiVersion: networking.istio.io/v1
#       kind: VirtualService
#       metadata:
#         name: minio
#         namespace: minio
#       spec:
#         hosts: [minio.example.com]
#         http:
#           - route:
#               - destination:
#                   host: minio
package labcheck.istio.schema_valid

deny contains {"msg": e.message, "file": e.file, "line": e.line} if {
	some e in input.schema_errors
}
