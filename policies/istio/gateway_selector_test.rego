package labcheck.istio.gateway_selector_test

import data.labcheck.istio.gateway_selector
import data.labcheck.lib.istio_test as t

test_fail_typo_selector if {
	gw := t.gateway(t.set(t.gateway_spec, "selector", {"istio": "ingress-gateway"}))
	some f in gateway_selector.deny with input as t.replace(gw)
	f.msg == "Gateway minio-gateway: selector istio=ingress-gateway selects no ingress gateway; the default ingress gateway's pods carry istio=ingressgateway"
}

test_fail_selects_minio if {
	gw := t.gateway(t.set(t.gateway_spec, "selector", {"app": "minio"}))
	some f in gateway_selector.deny with input as t.replace(gw)
	contains(f.msg, "it selects StatefulSet minio, which runs no Istio gateway proxy")
}

test_fail_no_selector if {
	gw := t.gateway(object.remove(t.gateway_spec, ["selector"]))
	some f in gateway_selector.deny with input as t.replace(gw)
	contains(f.msg, "has no selector")
}

test_fail_no_gateway if {
	some f in gateway_selector.deny with input as t.without("Gateway")
	f.file == "labs/istio"
	f.line == 0
}

test_pass_mesh if {
	count(gateway_selector.deny) == 0 with input as t.mesh
}

test_pass_own_gateway_deployment if {
	dep := t.obj("apps/v1", "Deployment", "minio-ingress", "minio", {"template": {
		"metadata": {"labels": {"app": "minio-ingress"}},
		"spec": {"containers": [{"name": "istio-proxy", "image": "docker.io/istio/proxyv2:1.27.0"}]},
	}})
	gw := t.gateway(t.set(t.gateway_spec, "selector", {"app": "minio-ingress"}))
	count(gateway_selector.deny) == 0 with input as object.union(t.replace(gw), {"kubernetes": [t.service, dep]})
}
