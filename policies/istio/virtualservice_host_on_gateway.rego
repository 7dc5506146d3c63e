# METADATA
# title: A VirtualService's hosts are served by its Gateways
# description: >-
#   A Gateway only accepts requests for the hosts its servers list. A
#   VirtualService host that none of its Gateways serves (a typo, or a host
#   added to one but not the other) never matches: clients get a 404 from the
#   ingress gateway. Wildcards match as Istio matches them (`*.example.com`
#   serves `minio.example.com`), and a `namespace/host` entry serves only
#   VirtualServices of that namespace.
# custom:
#   id: ISTIO-003
#   name: virtualservice-host-on-gateway
#   lab: istio
#   severity: error
#   remediation: >-
#     Add the host to a server of the Gateway (`hosts: [minio.example.com]`), or
#     fix the VirtualService's `hosts` to one the Gateway serves.
#   related: [istioctl IST0132]
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
#         hosts: [s3.example.com]
#         gateways: [minio-gateway]
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
#             hosts: ["*.example.com"]
#       ---
#       apiVersion: networking.istio.io/v1
#       kind: VirtualService
#       metadata:
#         name: minio
#         namespace: minio
#       spec:
#         hosts: [s3.example.com]
#         gateways: [minio-gateway]
#         http:
#           - route:
#               - destination:
#                   host: minio
package labcheck.istio.virtualservice_host_on_gateway

import data.labcheck.lib.istio

deny contains {"msg": msg, "file": vs.file, "line": istio.line(vs, sprintf("spec.hosts[%d]", [i]))} if {
	some vs in istio.virtual_services
	some g in istio.vs_gateways(vs)
	some gw in istio.gateways_at(istio.gateway_ref(g.ref, istio.ns(vs)))
	some i, host in object.get(istio.spec(vs), "hosts", [])
	is_string(host)
	not istio.serves(gw, host, istio.ns(vs))
	msg := sprintf("%s: host %s is not served by Gateway %s%s", [istio.label(vs), host, gw.name, why(gw, host, istio.ns(vs))])
}

# why names what the Gateway does serve, and whether only the namespace is wrong.
why(gw, host, from) := sprintf("; it serves %s only to VirtualServices in namespace %s", [host, gh.namespace]) if {
	some gh in istio.gateway_hosts(gw)
	istio.host_matches(gh.host, host)
	not gh.namespace in {"*", from}
} else := sprintf("; its hosts: %s", [istio.list({gh.host | some gh in istio.gateway_hosts(gw)})])
