package labcheck.lib.istio_test

import data.labcheck.lib.istio

# obj builds an object as the input carries it, with no lines.
obj(api, kind, name, ns, spec) := {
	"file": sprintf("labs/istio/%s.yaml", [lower(kind)]),
	"line": 1,
	"apiVersion": api,
	"kind": kind,
	"name": name,
	"namespace": ns,
	"object": {"apiVersion": api, "kind": kind, "metadata": {"name": name, "namespace": ns}, "spec": spec},
	"lines": {},
}

gateway(spec) := obj("networking.istio.io/v1", "Gateway", "minio-gateway", "minio", spec)

gateway_spec := {
	"selector": {"istio": "ingressgateway"},
	"servers": [
		{"port": {"number": 443, "name": "https", "protocol": "HTTPS"}, "hosts": ["minio.example.com"], "tls": {"mode": "SIMPLE", "credentialName": "minio-tls"}},
		{"port": {"number": 80, "name": "http", "protocol": "HTTP"}, "hosts": ["minio.example.com"], "tls": {"httpsRedirect": true}},
	],
}

virtual_service(spec) := obj("networking.istio.io/v1", "VirtualService", "minio", "minio", spec)

vs_spec := {
	"hosts": ["minio.example.com"],
	"gateways": ["minio-gateway"],
	"http": [{"route": [{"destination": {"host": "minio.minio.svc.cluster.local", "port": {"number": 9000}}}]}],
}

destination_rule(spec) := obj("networking.istio.io/v1", "DestinationRule", "minio", "minio", spec)

dr_spec := {"host": "minio.minio.svc.cluster.local", "trafficPolicy": {"tls": {"mode": "ISTIO_MUTUAL"}}}

peer_authentication(spec) := obj("security.istio.io/v1", "PeerAuthentication", "default", "minio", spec)

authorization_policy(spec) := obj("security.istio.io/v1", "AuthorizationPolicy", "minio", "minio", spec)

ap_spec := {
	"selector": {"matchLabels": {"app": "minio"}},
	"rules": [{"from": [{"source": {"namespaces": ["istio-system"]}}]}],
}

service := obj("v1", "Service", "minio", "minio", {
	"selector": {"app": "minio"},
	"ports": [{"name": "http-api", "port": 9000}, {"name": "http-console", "port": 9001}],
})

statefulset := obj("apps/v1", "StatefulSet", "minio", "minio", {"template": {
	"metadata": {"labels": {"app": "minio"}},
	"spec": {"containers": [{"name": "minio", "image": "quay.io/minio/minio:RELEASE.2025-04-22T22-12-26Z"}]},
}})

# set replaces one key of an object (object.union would merge nested objects).
set(o, key, value) := object.union(object.remove(o, [key]), {key: value})

# mesh is a complete, passing Istio lab for MinIO.
mesh := {
	"objects": [
		gateway(gateway_spec),
		virtual_service(vs_spec),
		destination_rule(dr_spec),
		peer_authentication({"mtls": {"mode": "STRICT"}}),
		authorization_policy(ap_spec),
	],
	"kubernetes": [service, statefulset],
	"problems": [],
	"schema_errors": [],
	"expected": {"dir": "labs/istio"},
}

# with_objects replaces the Istio objects of the mesh.
with_objects(objs) := object.union(mesh, {"objects": objs})

# replace swaps the mesh's object of a kind for another.
replace(o) := with_objects(array.concat([x | some x in mesh.objects; x.kind != o.kind], [o]))

# without drops the mesh's objects of a kind.
without(kind) := with_objects([x | some x in mesh.objects; x.kind != kind])

test_pass_service_ref_forms if {
	istio.service_ref("minio", "minio") == {"name": "minio", "namespace": "minio"}
	istio.service_ref("minio.store", "minio") == {"name": "minio", "namespace": "store"}
	istio.service_ref("minio.store.svc", "minio") == {"name": "minio", "namespace": "store"}
	istio.service_ref("minio.store.svc.cluster.local", "minio") == {"name": "minio", "namespace": "store"}
	not istio.service_ref("minio.example.com", "minio")
}

test_pass_host_matches if {
	istio.host_matches("minio.example.com", "minio.example.com")
	istio.host_matches("*.example.com", "minio.example.com")
	istio.host_matches("minio.example.com", "*.example.com")
	istio.host_matches("*", "anything")
	not istio.host_matches("*.example.com", "example.com")
	not istio.host_matches("minio.example.com", "s3.example.com")
}

test_pass_gateway_refs if {
	istio.gateway_ref("minio-gateway", "minio") == {"name": "minio-gateway", "namespace": "minio"}
	istio.gateway_ref("istio-system/main", "minio") == {"name": "main", "namespace": "istio-system"}
	istio.gateway_ref("main.istio-system.svc.cluster.local", "minio") == {"name": "main", "namespace": "istio-system"}
}

test_pass_gateway_hosts if {
	g := gateway({"servers": [{"hosts": ["a.example.com", "./b.example.com", "other/c.example.com"]}]})
	istio.gateway_hosts(g) == {
		{"namespace": "*", "host": "a.example.com"},
		{"namespace": "minio", "host": "b.example.com"},
		{"namespace": "other", "host": "c.example.com"},
	}
	istio.serves(g, "b.example.com", "minio")
	not istio.serves(g, "c.example.com", "minio")
}

test_pass_minio_namespaces_from_routes if {
	istio.minio_namespaces == {"minio"} with input as mesh
}

test_pass_minio_namespaces_fallback if {
	istio.minio_namespaces == {"minio"} with input as object.union(mesh, {"kubernetes": []})
}

# Routes to Services of two namespaces: the one running MinIO is MinIO's.
test_pass_minio_namespaces_prefer_minio_workloads if {
	app := obj("v1", "Service", "web", "app", {"selector": {"app": "web"}})
	web := obj("apps/v1", "Deployment", "web", "app", {"template": {
		"metadata": {"labels": {"app": "web"}},
		"spec": {"containers": [{"name": "web", "image": "nginx:1.27"}]},
	}})
	vs := virtual_service(object.union(vs_spec, {"http": [
		{"route": [{"destination": {"host": "minio.minio.svc.cluster.local"}}]},
		{"route": [{"destination": {"host": "web.app.svc.cluster.local"}}]},
	]}))
	sub := object.union(replace(vs), {"kubernetes": [service, statefulset, app, web]})
	istio.minio_namespaces == {"minio"} with input as sub
}

# Without Services, the namespace the routes name, not the Gateway's.
test_pass_minio_namespaces_named_by_routes_not_the_gateways if {
	gw := object.union(gateway(gateway_spec), {"namespace": "istio-ingress"})
	sub := object.union(replace(gw), {"kubernetes": []})
	istio.minio_namespaces == {"minio"} with input as sub
}

# Nothing routed: MinIO's workloads say where it is.
test_pass_minio_namespaces_from_workloads if {
	sub := object.union(with_objects([gateway(gateway_spec)]), {"kubernetes": [object.union(statefulset, {"namespace": "storage"})]})
	istio.minio_namespaces == {"storage"} with input as sub
}

# Only a Gateway: its namespace is all there is.
test_pass_minio_namespaces_only_a_gateway if {
	gw := object.union(gateway(gateway_spec), {"namespace": "istio-ingress"})
	istio.minio_namespaces == {"istio-ingress"} with input as object.union(with_objects([gw]), {"kubernetes": []})
}

# Policies without routes or workloads: their namespace, not the Gateway's.
test_pass_minio_namespaces_from_policies if {
	gw := object.union(gateway(gateway_spec), {"namespace": "istio-ingress"})
	sub := object.union(with_objects([gw, peer_authentication({"mtls": {"mode": "STRICT"}})]), {"kubernetes": []})
	istio.minio_namespaces == {"minio"} with input as sub
}

test_pass_default_namespace if {
	istio.ns(obj("v1", "Service", "x", "", {})) == "default"
}

test_pass_line_fallback if {
	o := object.union(service, {"lines": {"spec.ports[0]": 12}, "line": 3})
	istio.line(o, "spec.ports[0]") == 12
	istio.line(o, "spec.ports[5]") == 3
}
