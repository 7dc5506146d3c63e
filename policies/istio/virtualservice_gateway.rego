# METADATA
# title: VirtualServices are bound to Gateways that exist
# description: >-
#   A VirtualService applies to traffic entering through the Gateways it
#   names. A misspelled or missing Gateway leaves MinIO unreachable from
#   outside with no error at apply time, and a VirtualService without
#   `gateways` applies only inside the mesh. References are resolved as Istio
#   does: `name` in the VirtualService's namespace, or `namespace/name`;
#   `mesh` stands for the sidecars.
# custom:
#   id: ISTIO-002
#   name: virtualservice-gateway-exists
#   lab: istio
#   severity: error
#   remediation: >-
#     List the Gateway by its metadata.name (`gateways: [minio-gateway]`), or as
#     `namespace/name` when it lives in another namespace, and hand that Gateway
#     in with the lab.
#   related: [istioctl IST0101]
#   examples:
#     fail: |
#       apiVersion: networking.istio.io/v1
#       kind: Gateway
#       metadata:
#         name: minio-gateway
#         namespace: minio
#       spec:
#         selector:
#           istio: ingressgateway
#         servers:
#           - port: {number: 80, name: http, protocol: HTTP}
#             hosts: [minio.example.com]
#       ---
#       apiVersion: networking.istio.io/v1
#       kind: VirtualService
#       metadata:
#         name: minio
#         namespace: minio
#       spec:
#         hosts: [minio.example.com]
#         gateways: [minio-gw]
#         http:
#           - route:
#               - destination:
#                   host: minio
#     pass: |
#       apiVersion: networking.istio.io/v1
#       kind: Gateway
#       metadata:
#         name: minio-gateway
#         namespace: minio
#       spec:
#         selector:
#           istio: ingressgateway
#         servers:
#           - port: {number: 80, name: http, protocol: HTTP}
#             hosts: [minio.example.com]
#       ---
#       apiVersion: networking.istio.io/v1
#       kind: VirtualService
#       metadata:
#         name: minio
#         namespace: minio
#       spec:
#         hosts: [minio.example.com]
#         gateways: [minio-gateway]
#         http:
#           - route:
#               - destination:
#                   host: minio
package labcheck.istio.virtualservice_gateway

import data.labcheck.lib.istio

# A gateway reference names no Gateway of the submission.
deny contains {"msg": msg, "file": vs.file, "line": istio.line(vs, g.path)} if {
	some vs in istio.virtual_services
	some g in istio.vs_gateways(vs)
	ref := istio.gateway_ref(g.ref, istio.ns(vs))
	count(istio.gateways_at(ref)) == 0
	msg := sprintf("%s: gateway %s not found (looked for Gateway %s in namespace %s); gateways in the submission: %s", [istio.label(vs), g.ref, ref.name, ref.namespace, istio.known_gateways(istio.ns(vs))])
}

# No VirtualService is bound to a Gateway: each one applies only in the mesh.
deny contains {"msg": msg, "file": vs.file, "line": istio.line(vs, "spec")} if {
	count(istio.gateways) > 0
	not some_bound
	some vs in istio.virtual_services
	msg := sprintf("%s names no gateway, so it applies only inside the mesh and the ingress Gateway routes nothing to MinIO; add gateways: [%s]", [istio.label(vs), istio.known_gateways(istio.ns(vs))])
}

# The lab has Istio objects but no VirtualService.
deny contains {"msg": msg, "file": input.expected.dir, "line": 0} if {
	count(istio.istio_objects) > 0
	count(istio.virtual_services) == 0
	msg := "no VirtualService in the submission: nothing routes traffic from the Gateway to MinIO"
}

some_bound if {
	some vs in istio.virtual_services
	count(istio.vs_gateways(vs)) > 0
}
