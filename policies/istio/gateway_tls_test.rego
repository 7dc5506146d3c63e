package labcheck.istio.gateway_tls_test

import data.labcheck.istio.gateway_tls
import data.labcheck.lib.istio_test as t

http_only := {"port": {"number": 80, "name": "http", "protocol": "HTTP"}, "hosts": ["minio.example.com"]}

test_fail_http_only if {
	gw := t.gateway(object.union(t.gateway_spec, {"servers": [http_only]}))
	msgs := {f.msg | some f in gateway_tls.deny} with input as t.replace(gw)
	msgs == {
		"Gateway minio-gateway terminates no TLS: no HTTPS server with tls.mode SIMPLE or MUTUAL and a credentialName (servers: HTTP 80)",
		"Gateway minio-gateway: server HTTP 80 serves minio.example.com in plain text; set tls.httpsRedirect: true so that it only redirects to HTTPS",
	}
}

test_fail_no_credential if {
	https := {"port": {"number": 443, "name": "https", "protocol": "HTTPS"}, "hosts": ["minio.example.com"], "tls": {"mode": "SIMPLE"}}
	gw := t.gateway(object.union(t.gateway_spec, {"servers": [https]}))
	some f in gateway_tls.deny with input as t.replace(gw)
	contains(f.msg, "has tls.mode SIMPLE but no credentialName")
}

test_fail_no_gateway if {
	some f in gateway_tls.deny with input as t.without("Gateway")
	f.file == "labs/istio"
	f.line == 0
}

test_pass_mesh if {
	count(gateway_tls.deny) == 0 with input as t.mesh
}

test_pass_mutual if {
	https := {"port": {"number": 443, "name": "https", "protocol": "HTTPS"}, "hosts": ["minio.example.com"], "tls": {"mode": "MUTUAL", "credentialName": "minio-mtls"}}
	gw := t.gateway(object.union(t.gateway_spec, {"servers": [https]}))
	count(gateway_tls.deny) == 0 with input as t.replace(gw)
}
