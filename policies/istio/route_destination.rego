# METADATA
# title: Route destinations resolve to Services of the submission
# description: >-
#   Each route's destination host must name a Service that exists, or Envoy
#   has no cluster to send to and answers 503 (no healthy upstream). Hosts are
#   resolved as Kubernetes names: a short name (`minio`) is a Service in the
#   VirtualService's namespace; `minio.minio`, `minio.minio.svc` and
#   `minio.minio.svc.cluster.local` name the namespace; other hosts need a
#   ServiceEntry. A destination `subset` must be defined by a DestinationRule
#   for that host.
# custom:
#   id: ISTIO-004
#   name: route-destination-exists
#   lab: istio
#   severity: error
#   remediation: >-
#     Route to the MinIO Service by its name, preferably in full
#     (`minio.minio.svc.cluster.local`), and define subsets in a DestinationRule
#     before routing to them.
#   related: [istioctl IST0101]
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
#                   host: minio-svc.minio.svc.cluster.local
#     pass: |
#       apiVersion: v1
#       kind: Service
#       metadata:
#         name: minio
#         namespace: minio
#       spec:
#         ports:
#           - {name: http-api, port: 9000}
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
#                   host: minio.minio.svc.cluster.local
package labcheck.istio.route_destination

import data.labcheck.lib.istio

deny contains {"msg": msg, "file": vs.file, "line": istio.line(vs, concat(".", [d.path, "host"]))} if {
	some vs in istio.virtual_services
	some d in istio.destinations(vs)
	is_string(d.destination.host)
	not istio.resolves(d.destination.host, istio.ns(vs))
	msg := sprintf("%s: destination host %s not found (%s); Services in the submission: %s", [istio.label(vs), d.destination.host, istio.looked_for(d.destination.host, istio.ns(vs)), istio.known_services])
}

deny contains {"msg": msg, "file": vs.file, "line": istio.line(vs, concat(".", [d.path, "subset"]))} if {
	some vs in istio.virtual_services
	some d in istio.destinations(vs)
	subset := d.destination.subset
	is_string(subset)
	istio.resolves(d.destination.host, istio.ns(vs))
	known := subsets(d.destination.host, istio.ns(vs))
	not subset in known
	msg := sprintf("%s: destination %s subset %s is not defined by a DestinationRule for that host; subsets defined: %s", [istio.label(vs), d.destination.host, subset, istio.list(known)])
}

# subsets are the subset names DestinationRules define for a host.
subsets(host, from) := {s.name |
	some dr in istio.destination_rules
	same_host(dr, host, from)
	some s in object.get(istio.spec(dr), "subsets", [])
}

same_host(dr, host, from) if {
	istio.spec(dr).host == host
	istio.ns(dr) == from
}

same_host(dr, host, from) if {
	a := istio.service_for(istio.spec(dr).host, istio.ns(dr))
	b := istio.service_for(host, from)
	a.name == b.name
	istio.ns(a) == istio.ns(b)
}
