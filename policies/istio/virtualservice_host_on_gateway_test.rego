package labcheck.istio.virtualservice_host_on_gateway_test

import data.labcheck.istio.virtualservice_host_on_gateway
import data.labcheck.lib.istio_test as t

test_fail_host_not_served if {
	vs := t.virtual_service(object.union(t.vs_spec, {"hosts": ["s3.example.com"]}))
	some f in virtualservice_host_on_gateway.deny with input as t.replace(vs)
	f.msg == "VirtualService minio: host s3.example.com is not served by Gateway minio-gateway; its hosts: minio.example.com"
}

test_fail_host_served_to_other_namespace if {
	gw := t.gateway(object.union(t.gateway_spec, {"servers": [{"port": {"number": 80, "name": "http", "protocol": "HTTP"}, "hosts": ["web/minio.example.com"]}]}))
	some f in virtualservice_host_on_gateway.deny with input as t.replace(gw)
	contains(f.msg, "only to VirtualServices in namespace web")
}

test_pass_mesh if {
	count(virtualservice_host_on_gateway.deny) == 0 with input as t.mesh
}

test_pass_wildcard if {
	gw := t.gateway(object.union(t.gateway_spec, {"servers": [{"port": {"number": 80, "name": "http", "protocol": "HTTP"}, "hosts": ["*.example.com"]}]}))
	count(virtualservice_host_on_gateway.deny) == 0 with input as t.replace(gw)
}
