package labcheck.istio.route_destination_port_test

import data.labcheck.istio.route_destination_port
import data.labcheck.lib.istio_test as t

vs_to(destination) := t.virtual_service(object.union(t.vs_spec, {"http": [{"route": [{"destination": destination}]}]}))

test_fail_wrong_port if {
	some f in route_destination_port.deny with input as t.replace(vs_to({"host": "minio", "port": {"number": 9090}}))
	f.msg == "VirtualService minio: destination minio port 9090 not found on Service minio (namespace minio); its ports: 9000 (http-api), 9001 (http-console)"
}

test_fail_port_needed if {
	some f in route_destination_port.deny with input as t.replace(vs_to({"host": "minio"}))
	contains(f.msg, "names no port and Service minio has several")
}

test_pass_mesh if {
	count(route_destination_port.deny) == 0 with input as t.mesh
}

test_pass_single_port_service if {
	svc := t.obj("v1", "Service", "minio", "minio", {"ports": [{"name": "http-api", "port": 9000}]})
	count(route_destination_port.deny) == 0 with input as object.union(t.replace(vs_to({"host": "minio"})), {"kubernetes": [svc]})
}
