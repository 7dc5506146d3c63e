# METADATA
# title: Route destination ports exist on the Service
# description: >-
#   A destination port that the Service does not expose routes to nothing
#   (503). When the Service exposes several ports, as MinIO's does (API and
#   console), a destination without a port is ambiguous and Istio rejects the
#   route; name the port.
# custom:
#   id: ISTIO-005
#   name: route-destination-port
#   lab: istio
#   severity: error
#   remediation: >-
#     Set `destination.port.number` to one of the Service's `ports[].port`
#     (9000 for MinIO's API, 9001 for its console).
#   related: [istioctl IST0101, istioctl IST0112]
#   examples:
#     fail: |
#       apiVersion: v1
#       kind: Service
#       metadata:
#         name: minio
#         namespace: minio
#       spec:
#         ports:
#           - {name: http-api, port: 9000}
#           - {name: http-console, port: 9001}
#       ---
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
#                   port:
#                     number: 9090
#     pass: |
#       apiVersion: v1
#       kind: Service
#       metadata:
#         name: minio
#         namespace: minio
#       spec:
#         ports:
#           - {name: http-api, port: 9000}
#           - {name: http-console, port: 9001}
#       ---
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
#                   port:
#                     number: 9000
package labcheck.istio.route_destination_port

import data.labcheck.lib.istio

# The destination names a port the Service does not have.
deny contains {"msg": msg, "file": vs.file, "line": istio.line(vs, concat(".", [d.path, "port.number"]))} if {
	some vs in istio.virtual_services
	some d in istio.destinations(vs)
	s := istio.service_for(d.destination.host, istio.ns(vs))
	number := d.destination.port.number
	not has_port(s, number)
	msg := sprintf("%s: destination %s port %v not found on Service %s (namespace %s); its ports: %s", [istio.label(vs), d.destination.host, number, s.name, istio.ns(s), istio.port_names(s)])
}

# The destination names no port and the Service has several.
deny contains {"msg": msg, "file": vs.file, "line": istio.line(vs, concat(".", [d.path, "host"]))} if {
	some vs in istio.virtual_services
	some d in istio.destinations(vs)
	s := istio.service_for(d.destination.host, istio.ns(vs))
	not d.destination.port.number
	count(object.get(istio.spec(s), "ports", [])) > 1
	msg := sprintf("%s: destination %s names no port and Service %s has several (%s); set port.number", [istio.label(vs), d.destination.host, s.name, istio.port_names(s)])
}

has_port(s, number) if {
	some p in object.get(istio.spec(s), "ports", [])
	p.port == number
}
