package labcheck.istio.service_port_protocol_test

import data.labcheck.istio.service_port_protocol
import data.labcheck.lib.istio_test as t

with_ports(ports) := object.union(t.mesh, {"kubernetes": [t.obj("v1", "Service", "minio", "minio", {"ports": ports})]})

test_fail_unprefixed if {
	some f in service_port_protocol.deny with input as with_ports([{"name": "api", "port": 9000}])
	f.msg == "Service minio (namespace minio): port 9000 is named \"api\", which names no protocol, so Istio may treat it as plain TCP; name it http-… (or grpc-…, tcp-…) or set appProtocol"
}

test_fail_unnamed if {
	some f in service_port_protocol.deny with input as with_ports([{"port": 9000}])
	contains(f.msg, "is named nothing")
}

test_pass_mesh if {
	count(service_port_protocol.deny) == 0 with input as t.mesh
}

test_pass_prefixes_and_app_protocol if {
	ports := [{"name": "http", "port": 80}, {"name": "grpc-web-x", "port": 81}, {"name": "TCP-db", "port": 82}, {"name": "api", "port": 83, "appProtocol": "http"}]
	count(service_port_protocol.deny) == 0 with input as with_ports(ports)
}

test_pass_outside_the_mesh if {
	other := t.obj("v1", "Service", "web", "legacy", {"ports": [{"name": "web", "port": 80}]})
	count(service_port_protocol.deny) == 0 with input as object.union(t.mesh, {"kubernetes": [t.service, other]})
}

test_pass_rendered_chart_services_left_to_helm if {
	chart := t.obj("v1", "Service", "minio-chart", "minio", {"ports": [{"name": "api", "port": 9000}]})
	count(service_port_protocol.deny) == 0 with input as object.union(t.mesh, {"rendered": [chart]})
}
