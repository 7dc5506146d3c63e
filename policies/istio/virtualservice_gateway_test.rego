package labcheck.istio.virtualservice_gateway_test

import data.labcheck.istio.virtualservice_gateway
import data.labcheck.lib.istio_test as t

test_fail_missing_gateway if {
	vs := t.virtual_service(object.union(t.vs_spec, {"gateways": ["minio-gw"]}))
	some f in virtualservice_gateway.deny with input as t.replace(vs)
	f.msg == "VirtualService minio: gateway minio-gw not found (looked for Gateway minio-gw in namespace minio); gateways in the submission: minio-gateway"
}

test_fail_gateway_in_other_namespace if {
	vs := t.virtual_service(object.union(t.vs_spec, {"gateways": ["istio-system/minio-gateway"]}))
	some f in virtualservice_gateway.deny with input as t.replace(vs)
	contains(f.msg, "looked for Gateway minio-gateway in namespace istio-system")
}

test_fail_no_gateway_bound if {
	vs := t.virtual_service(object.remove(t.vs_spec, ["gateways"]))
	some f in virtualservice_gateway.deny with input as t.replace(vs)
	contains(f.msg, "names no gateway")
}

test_fail_no_virtual_service if {
	some f in virtualservice_gateway.deny with input as t.without("VirtualService")
	f.file == "labs/istio"
	f.line == 0
}

test_pass_no_istio_objects_is_istio_012s if {
	count(virtualservice_gateway.deny) == 0 with input as t.with_objects([])
}

test_pass_mesh if {
	count(virtualservice_gateway.deny) == 0 with input as t.mesh
}

test_pass_namespaced_reference_and_mesh if {
	vs := t.virtual_service(object.union(t.vs_spec, {"gateways": ["minio/minio-gateway", "mesh"]}))
	count(virtualservice_gateway.deny) == 0 with input as t.replace(vs)
}
