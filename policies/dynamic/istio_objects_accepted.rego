# METADATA
# title: The API server accepts the Istio objects
# description: >-
#   labcheck verify installs Istio's CRDs from the istio.io/api module
#   labcheck is built with (no download) and submits every Istio object with
#   a server-side dry run and strict field validation: the API server's
#   OpenAPI validation of Istio's schemas decides, with its own messages, at
#   the offending field's line.
# custom:
#   id: DYN-030
#   name: istio-objects-accepted
#   lab: istio
#   severity: error
#   remediation: >-
#     Fix the field the message names; `kubectl apply --dry-run=server -f
#     labs/istio/` on a cluster with Istio's CRDs shows the same.
#   related: [istioctl analyze IST0106]
#   examples:
#     fail:
#       istio.yaml: |
#         apiVersion: networking.istio.io/v1
#         kind: VirtualService
#         metadata:
#           name: minio
#           namespace: minio
#         spec:
#           hosts: [minio.example.com]
#           http:
#             - route:
#                 - destination:
#                     host: minio.minio.svc.cluster.local
#                   wieght: 100
#     pass:
#       istio.yaml: |
#         apiVersion: networking.istio.io/v1
#         kind: VirtualService
#         metadata:
#           name: minio
#           namespace: minio
#         spec:
#           hosts: [minio.example.com]
#           gateways: [minio-gateway]
#           http:
#             - route:
#                 - destination:
#                     host: minio.minio.svc.cluster.local
#                     port: {number: 9000}
package labcheck.dynamic.istio_objects_accepted

# Raised only by `labcheck verify`: the dynamic phase reports what it
# found in input.findings; this rule keeps those with its id.
deny contains object.filter(f, {"msg", "file", "line", "severity"}) if {
	some f in input.findings
	f.rule == "DYN-030"
}
