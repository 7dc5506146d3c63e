package labcheck.istio.route_destination_test

import data.labcheck.istio.route_destination
import data.labcheck.lib.istio_test as t

vs_to(destination) := t.virtual_service(object.union(t.vs_spec, {"http": [{"route": [{"destination": destination}]}]}))

test_fail_unknown_service if {
	some f in route_destination.deny with input as t.replace(vs_to({"host": "minio-svc", "port": {"number": 9000}}))
	f.msg == "VirtualService minio: destination host minio-svc not found (looked for Service minio-svc in namespace minio); Services in the submission: minio.minio"
}

test_fail_wrong_namespace if {
	some f in route_destination.deny with input as t.replace(vs_to({"host": "minio.storage.svc.cluster.local"}))
	contains(f.msg, "looked for Service minio in namespace storage")
}

test_fail_external_host if {
	some f in route_destination.deny with input as t.replace(vs_to({"host": "minio.example.com"}))
	contains(f.msg, "no ServiceEntry declares it")
}

test_fail_unknown_subset if {
	some f in route_destination.deny with input as t.replace(vs_to({"host": "minio", "port": {"number": 9000}, "subset": "v2"}))
	contains(f.msg, "subset v2 is not defined")
}

test_pass_mesh if {
	count(route_destination.deny) == 0 with input as t.mesh
}

test_pass_every_service_form if {
	every host in ["minio", "minio.minio", "minio.minio.svc", "minio.minio.svc.cluster.local"] {
		count(route_destination.deny) == 0 with input as t.replace(vs_to({"host": host, "port": {"number": 9000}}))
	}
}

test_pass_service_entry if {
	se := t.obj("networking.istio.io/v1", "ServiceEntry", "s3", "minio", {"hosts": ["s3.amazonaws.com"]})
	objs := array.concat(t.replace(vs_to({"host": "s3.amazonaws.com"})).objects, [se])
	count(route_destination.deny) == 0 with input as t.with_objects(objs)
}

test_pass_defined_subset if {
	dr := t.destination_rule(object.union(t.dr_spec, {"subsets": [{"name": "v1", "labels": {"version": "v1"}}]}))
	objs := array.concat([x | some x in t.replace(vs_to({"host": "minio", "subset": "v1"})).objects; x.kind != "DestinationRule"], [dr])
	count(route_destination.deny) == 0 with input as t.with_objects(objs)
}

test_pass_rendered_chart_service if {
	chart := object.union(t.obj("v1", "Service", "minio-chart", "minio", {"ports": [{"name": "http", "port": 9000}]}), {"file": "labs/helm/minio/templates/services.yaml"})
	inp := object.union(t.replace(vs_to({"host": "minio-chart", "port": {"number": 9000}})), {"rendered": [chart]})
	count(route_destination.deny) == 0 with input as inp
}
