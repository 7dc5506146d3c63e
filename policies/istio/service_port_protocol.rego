# METADATA
# title: Service ports in the mesh name their protocol
# description: >-
#   Istio picks a port's protocol from its name (`http`, `http-api`, `grpc`,
#   `tcp-…`) or its `appProtocol`. A port named otherwise is sniffed at
#   best and treated as opaque TCP at worst, and then HTTP routing, retries and
#   timeouts of the VirtualService do not apply. Checked for the Services in
#   the mesh's namespaces (those holding Istio objects or labelled for sidecar
#   injection); the Helm chart's Services are the helm lab's to judge.
# custom:
#   id: ISTIO-011
#   name: service-port-protocol
#   lab: istio
#   severity: warning
#   remediation: >-
#     Name each port `<protocol>` or `<protocol>-<suffix>` (`http-api`,
#     `http-console`), or set `appProtocol: http`.
#   related: [istioctl IST0118]
#   examples:
#     fail: |
#       apiVersion: v1
#       kind: Service
#       metadata:
#         name: minio
#         namespace: minio
#       spec:
#         ports:
#           - {name: api, port: 9000}
#       ---
#       apiVersion: security.istio.io/v1
#       kind: PeerAuthentication
#       metadata:
#         name: default
#         namespace: minio
#       spec:
#         mtls:
#           mode: STRICT
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
#       apiVersion: security.istio.io/v1
#       kind: PeerAuthentication
#       metadata:
#         name: default
#         namespace: minio
#       spec:
#         mtls:
#           mode: STRICT
package labcheck.istio.service_port_protocol

import data.labcheck.lib.istio

protocols := {"http", "http2", "https", "grpc", "grpc-web", "tcp", "tls", "udp", "mongo", "mysql", "redis"}

deny contains {"msg": msg, "file": s.file, "line": istio.line(s, sprintf("spec.ports[%d]", [i]))} if {
	some s in istio.written_services
	istio.ns(s) in mesh_namespaces
	some i, port in object.get(istio.spec(s), "ports", [])
	object.get(port, "appProtocol", "") == ""
	not named(object.get(port, "name", ""))
	msg := sprintf("Service %s (namespace %s): port %v is named %s, which names no protocol, so Istio may treat it as plain TCP; name it http-… (or grpc-…, tcp-…) or set appProtocol", [s.name, istio.ns(s), object.get(port, "port", "?"), quoted(object.get(port, "name", ""))])
}

named(name) if protocols[lower(name)]

named(name) if {
	prefix := split(name, "-")[0]
	protocols[lower(prefix)]
}

named(name) if {
	startswith(lower(name), "grpc-web")
}

quoted(name) := sprintf("%q", [name]) if name != ""

quoted("") := "nothing"

# mesh_namespaces hold Istio objects or are labelled for sidecar injection.
mesh_namespaces := {istio.ns(o) | some o in istio.istio_objects} | {o.name |
	some o in istio.everything
	o.kind == "Namespace"
	injected(o)
}

injected(o) if object.get(o.object, ["metadata", "labels", "istio-injection"], "") == "enabled"

injected(o) if object.get(o.object, ["metadata", "labels", "istio.io/rev"], "") != ""
