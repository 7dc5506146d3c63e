# METADATA
# title: The Gateway terminates TLS with a certificate
# description: >-
#   MinIO carries credentials and object data: from outside the cluster it must
#   be reached over HTTPS. The Gateway needs an HTTPS server whose `tls.mode`
#   is SIMPLE (or MUTUAL) and whose `credentialName` names the Secret with the
#   certificate. A plain HTTP server is fine only when all it does is redirect
#   to HTTPS (`tls.httpsRedirect: true`).
# custom:
#   id: ISTIO-008
#   name: gateway-tls
#   lab: istio
#   severity: error
#   remediation: >-
#     Add a server `{port: {number: 443, name: https, protocol: HTTPS}, tls:
#     {mode: SIMPLE, credentialName: minio-tls}}` (the Secret in the ingress
#     gateway's namespace), and set `tls.httpsRedirect: true` on the HTTP
#     server.
#   related: []
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
#           - port: {number: 443, name: https, protocol: HTTPS}
#             hosts: [minio.example.com]
#             tls:
#               mode: SIMPLE
#               credentialName: minio-tls
#           - port: {number: 80, name: http, protocol: HTTP}
#             hosts: [minio.example.com]
#             tls:
#               httpsRedirect: true
package labcheck.istio.gateway_tls

import data.labcheck.lib.istio

terminating := {"SIMPLE", "MUTUAL"}

# No server of the Gateway terminates TLS.
deny contains {"msg": msg, "file": gw.file, "line": istio.line(gw, "spec.servers")} if {
	some gw in istio.gateways
	not some_https(gw)
	msg := sprintf("%s terminates no TLS: no HTTPS server with tls.mode SIMPLE or MUTUAL and a credentialName (servers: %s)", [istio.label(gw), istio.list({server_text(s) | some s in servers(gw)})])
}

# An HTTPS server that would terminate TLS names no certificate.
deny contains {"msg": msg, "file": gw.file, "line": istio.line(gw, sprintf("spec.servers[%d].tls", [i]))} if {
	some gw in istio.gateways
	some i, s in servers(gw)
	upper(object.get(s, ["tls", "mode"], "")) in terminating
	not credential(s)
	msg := sprintf("%s: server %s has tls.mode %s but no credentialName; name the Secret that holds the certificate", [istio.label(gw), server_text(s), s.tls.mode])
}

# A plain HTTP server serves instead of redirecting.
deny contains {"msg": msg, "file": gw.file, "line": istio.line(gw, sprintf("spec.servers[%d].port", [i]))} if {
	some gw in istio.gateways
	some i, s in servers(gw)
	upper(object.get(s, ["port", "protocol"], "")) in {"HTTP", "HTTP2"}
	object.get(s, ["tls", "httpsRedirect"], false) != true
	msg := sprintf("%s: server %s serves %s in plain text; set tls.httpsRedirect: true so that it only redirects to HTTPS", [istio.label(gw), server_text(s), istio.list({h | some h in object.get(s, "hosts", [])})])
}

deny contains {"msg": msg, "file": input.expected.dir, "line": 0} if {
	count(istio.istio_objects) > 0
	count(istio.gateways) == 0
	msg := "no Gateway in the submission terminates TLS for MinIO"
}

servers(gw) := s if {
	s := istio.spec(gw).servers
	is_array(s)
} else := []

some_https(gw) if {
	some s in servers(gw)
	upper(object.get(s, ["port", "protocol"], "")) in {"HTTPS", "TLS"}
	upper(object.get(s, ["tls", "mode"], "")) in terminating
	credential(s)
}

credential(s) if object.get(s, ["tls", "credentialName"], "") != ""

credential(s) if count(object.get(s, ["tls", "credentialNames"], [])) > 0

server_text(s) := sprintf("%v %v", [object.get(s, ["port", "protocol"], "?"), object.get(s, ["port", "number"], "?")])
