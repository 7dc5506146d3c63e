# METADATA
# title: The Gateway selects the ingress gateway
# description: >-
#   A Gateway configures the proxies its `selector` picks. The default ingress
#   gateway's pods carry `istio: ingressgateway`; a selector that matches no
#   gateway proxy (a typo, or MinIO's own labels) configures nothing and MinIO
#   is not exposed. A selector is accepted when it names the default ingress
#   gateway or matches a workload of the submission that runs an Istio gateway
#   proxy.
# custom:
#   id: ISTIO-007
#   name: gateway-selects-ingress
#   lab: istio
#   severity: error
#   remediation: >-
#     Use `selector: {istio: ingressgateway}` for the default ingress gateway,
#     or the labels of the gateway Deployment you deploy.
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
#           istio: ingress-gateway
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
#           - port: {number: 80, name: http, protocol: HTTP}
#             hosts: [minio.example.com]
package labcheck.istio.gateway_selector

import data.labcheck.lib.istio

# ingress_labels are the labels of the default ingress gateway's pods.
ingress_labels := {"istio": "ingressgateway", "app": "istio-ingressgateway"}

deny contains {"msg": msg, "file": gw.file, "line": istio.line(gw, "spec")} if {
	some gw in istio.gateways
	count(selector(gw)) == 0
	msg := sprintf("%s has no selector, so it configures no ingress gateway; add selector: {istio: ingressgateway}", [istio.label(gw)])
}

deny contains {"msg": msg, "file": gw.file, "line": istio.line(gw, "spec.selector")} if {
	some gw in istio.gateways
	sel := selector(gw)
	count(sel) > 0
	not istio.selects(sel, ingress_labels)
	not selects_gateway_workload(sel)
	msg := sprintf("%s: selector %s selects no ingress gateway%s; the default ingress gateway's pods carry istio=ingressgateway", [istio.label(gw), istio.selector_text(sel), selected(sel)])
}

deny contains {"msg": msg, "file": input.expected.dir, "line": 0} if {
	count(istio.istio_objects) > 0
	count(istio.gateways) == 0
	msg := "no Gateway in the submission: MinIO is not exposed through the ingress gateway"
}

selector(gw) := s if {
	s := istio.spec(gw).selector
	is_object(s)
} else := {}

selects_gateway_workload(sel) if {
	some w in istio.workloads
	istio.selects(sel, w.labels)
	gateway_proxy(w)
}

# gateway_proxy recognises a workload running Istio's gateway proxy.
gateway_proxy(w) if {
	some c in w.containers
	contains(c.image, "proxyv2")
}

gateway_proxy(w) if contains(w.labels.istio, "gateway")

gateway_proxy(w) if {
	object.get(w.object.object, ["spec", "template", "metadata", "annotations", "inject.istio.io/templates"], "") == "gateway"
}

# selected names the workloads of the submission the selector does match.
selected(sel) := sprintf(" (it selects %s, which runs no Istio gateway proxy)", [istio.list(names)]) if {
	names := {istio.label(w.object) | some w in istio.workloads; istio.selects(sel, w.labels)}
	count(names) > 0
} else := ""
