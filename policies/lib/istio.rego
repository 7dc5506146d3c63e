# METADATA
# description: >-
#   Shared helpers for the Istio lab's policies: the mesh's objects, namespaces,
#   host and reference resolution against the whole submission, and lines.
package labcheck.lib.istio

import data.labcheck.lib.objects

istio_groups := {"networking.istio.io", "security.istio.io"}

# group is the API group of an object ("" for the core group).
group(o) := split(o.apiVersion, "/")[0] if contains(o.apiVersion, "/")

group(o) := "" if not contains(o.apiVersion, "/")

# istio_objects are the Istio objects of the istio lab.
istio_objects := [o | some o in input.objects; group(o) in istio_groups]

of_kind(kind) := [o | some o in istio_objects; o.kind == kind]

gateways := of_kind("Gateway")

virtual_services := of_kind("VirtualService")

destination_rules := of_kind("DestinationRule")

service_entries := of_kind("ServiceEntry")

peer_authentications := of_kind("PeerAuthentication")

authorization_policies := of_kind("AuthorizationPolicy")

# written are the objects handed in as YAML: the istio lab's documents and
# the kubernetes lab's.
written := array.concat(input.objects, object.get(input, "kubernetes", []))

# everything is the whole submission the mesh routes to: the written objects
# and the Helm chart's rendered ones (whose lines are not the template's).
everything := array.concat(written, object.get(input, "rendered", []))

services := [s | some s in everything; s.kind == "Service"; s.apiVersion == "v1"]

written_services := [s | some s in written; s.kind == "Service"; s.apiVersion == "v1"]

# root_namespace is where mesh-wide policies live.
root_namespace := "istio-system"

# ns is an object's namespace; objects without one land in "default".
ns(o) := objects.namespace(o)

# spec is an object's spec, or {} when it has none (or a broken one).
spec(o) := s if {
	s := o.object.spec
	is_object(s)
} else := {}

# line is objects.line: the line of a field path, else its nearest
# parent's, else the object's first line.
line(o, path) := objects.line(o, path)

label(o) := objects.label(o)

# list renders a set of names for a message, or "none".
list(names) := concat(", ", sort(names)) if count(names) > 0

list(names) := "none" if count(names) == 0

# --- Services and hosts ---

# service_ref reads a host written in one of Kubernetes' service forms (short
# name, name.namespace, name.namespace.svc, name.namespace.svc.cluster.local)
# as a Service name and namespace; short names are relative to from.
service_ref(host, from) := {"name": host, "namespace": from} if {
	not contains(host, ".")
	host != "*"
}

service_ref(host, _) := {"name": p[0], "namespace": p[1]} if {
	p := split(host, ".")
	count(p) == 2
}

service_ref(host, _) := {"name": p[0], "namespace": p[1]} if {
	p := split(host, ".")
	count(p) == 3
	p[2] == "svc"
}

service_ref(host, _) := {"name": p[0], "namespace": p[1]} if {
	p := split(host, ".")
	count(p) == 5
	endswith(host, ".svc.cluster.local")
}

# services_at are the Services a reference names (the same Service may be
# handed in twice, in two labs).
services_at(ref) := [s | some s in services; s.name == ref.name; ns(s) == ref.namespace]

fqdn(s) := sprintf("%s.%s.svc.cluster.local", [s.name, ns(s)])

# known_services names every Service of the submission as name.namespace.
known_services := list({sprintf("%s.%s", [s.name, ns(s)]) | some s in services})

# declared reports whether a ServiceEntry of the submission declares host.
declared(host) if {
	some se in service_entries
	some h in spec(se).hosts
	host_matches(h, host)
}

# service_for is the Service a destination host resolves to, if any.
service_for(host, from) := services_at(service_ref(host, from))[0]

# resolves reports whether a host names a Service or a ServiceEntry host.
resolves(host, from) if service_for(host, from)

resolves(host, _) if declared(host)

# resolves a wildcard host (*.minio.svc.cluster.local) to any Service under it.
resolves(host, _) if {
	startswith(host, "*")
	some s in services
	host_matches(host, fqdn(s))
}

# looked_for says in words what a host was taken to mean.
looked_for(host, from) := sprintf("looked for Service %s in namespace %s", [r.name, r.namespace]) if {
	r := service_ref(host, from)
}

looked_for(host, from) := "it is not a Service name (name, name.namespace or name.namespace.svc.cluster.local) and no ServiceEntry declares it" if {
	not service_ref(host, from)
}

# host_matches reports whether two hosts, either possibly a wildcard
# (*, *.example.com), can name the same host.
host_matches(a, b) if a == b

host_matches("*", _)

host_matches(_, "*")

host_matches(a, b) if {
	startswith(a, "*.")
	endswith(b, substring(a, 1, -1))
}

host_matches(a, b) if {
	startswith(b, "*.")
	endswith(a, substring(b, 1, -1))
}

# port_names describes a Service's ports: "9000 (http-api), 9001 (http-console)".
port_names(s) := list({port_text(p) | some p in object.get(spec(s), "ports", [])})

port_text(p) := sprintf("%v (%s)", [p.port, p.name]) if p.name

port_text(p) := sprintf("%v", [p.port]) if not p.name

# --- Gateways ---

# gateway_ref reads a VirtualService's gateway reference: name (in the
# VirtualService's namespace), namespace/name, or name.namespace[.svc…].
gateway_ref(ref, _) := {"name": p[1], "namespace": p[0]} if {
	p := split(ref, "/")
	count(p) == 2
}

gateway_ref(ref, from) := {"name": ref, "namespace": from} if {
	not contains(ref, "/")
	not contains(ref, ".")
}

gateway_ref(ref, _) := {"name": p[0], "namespace": p[1]} if {
	not contains(ref, "/")
	p := split(ref, ".")
	count(p) >= 2
}

gateways_at(ref) := [g | some g in gateways; g.name == ref.name; ns(g) == ref.namespace]

# known_gateways names the submission's Gateways as seen from namespace from.
known_gateways(from) := list({gateway_name(g, from) | some g in gateways})

gateway_name(g, from) := g.name if ns(g) == from

gateway_name(g, from) := sprintf("%s/%s", [ns(g), g.name]) if ns(g) != from

# vs_gateways are a VirtualService's gateway references with their paths,
# the mesh pseudo-gateway left out.
vs_gateways(vs) := [{"ref": ref, "path": sprintf("spec.gateways[%d]", [i])} |
	some i, ref in object.get(spec(vs), "gateways", [])
	ref != "mesh"
]

# gateway_hosts are a Gateway's server hosts, each with the namespace whose
# VirtualServices may bind to it ("*": any).
gateway_hosts(g) := {gateway_host(raw, ns(g)) |
	some server in object.get(spec(g), "servers", [])
	some raw in object.get(server, "hosts", [])
	is_string(raw)
}

gateway_host(raw, _) := {"namespace": "*", "host": raw} if not contains(raw, "/")

gateway_host(raw, gns) := {"namespace": gns, "host": p[1]} if {
	p := split(raw, "/")
	p[0] == "."
}

gateway_host(raw, _) := {"namespace": p[0], "host": p[1]} if {
	p := split(raw, "/")
	p[0] != "."
	count(p) == 2
}

# serves reports whether a Gateway serves host to VirtualServices of a namespace.
serves(g, host, from) if {
	some gh in gateway_hosts(g)
	gh.namespace in {"*", from}
	host_matches(gh.host, host)
}

# --- Workloads ---

workload_kinds := {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job"}

# workloads are the submission's pod-making objects with their pod labels.
workloads := [{"object": o, "labels": pod_labels(o), "containers": pod_containers(o)} |
	some o in everything
	is_workload(o)
]

is_workload(o) if o.kind in workload_kinds

is_workload(o) if o.kind == "Pod"

pod_labels(o) := object.get(o.object, ["metadata", "labels"], {}) if o.kind == "Pod"

pod_labels(o) := object.get(o.object, ["spec", "template", "metadata", "labels"], {}) if o.kind != "Pod"

pod_containers(o) := object.get(o.object, ["spec", "containers"], []) if o.kind == "Pod"

pod_containers(o) := object.get(o.object, ["spec", "template", "spec", "containers"], []) if o.kind != "Pod"

# selects reports whether every label of a selector is on labels.
selects(selector, labels) if objects.selects(selector, labels)

# selector_text renders a selector as k=v, … (objects.labels_text).
selector_text(selector) := objects.labels_text(selector)

# workload_selector is a policy's spec.selector.matchLabels, {} when none.
workload_selector(o) := object.get(spec(o), ["selector", "matchLabels"], {})

# destinations are a VirtualService's route and mirror destinations with
# their field paths.
destinations(vs) := array.concat(route_destinations(vs), mirror_destinations(vs))

route_destinations(vs) := [{"path": sprintf("spec.%s[%d].route[%d].destination", [kind, i, j]), "destination": rd.destination} |
	some kind in ["http", "tcp", "tls"]
	some i, route in object.get(spec(vs), kind, [])
	some j, rd in object.get(route, "route", [])
	is_object(rd.destination)
]

mirror_destinations(vs) := [{"path": sprintf("spec.http[%d].mirror", [i]), "destination": route.mirror} |
	some i, route in object.get(spec(vs), "http", [])
	is_object(route.mirror)
]

# --- MinIO's namespaces ---

# destination_hosts are the hosts every VirtualService routes to, each with
# the VirtualService's namespace.
destination_hosts contains {"host": d.host, "from": ns(vs)} if {
	some vs in virtual_services
	some kind in ["http", "tcp", "tls"]
	some route in object.get(spec(vs), kind, [])
	some rd in object.get(route, "route", [])
	d := rd.destination
	is_string(d.host)
}

# minio_namespaces are where the mesh's MinIO lives, one answer for every
# rule of a run (ISTIO-009 and ISTIO-010 must speak of the same namespace).
# In order: the namespaces of the routed-to Services that run MinIO; of
# every routed-to Service; those the routes name (minio.minio.svc…, or a
# short name in the VirtualService's namespace) when their Services are not
# in the submission; those of MinIO's workloads; those of the Istio objects
# that apply to workloads. A Gateway's namespace is the ingress gateway's
# (istio-ingress, say), not MinIO's, so it counts only when nothing else
# does.
minio_namespaces := minio_routed if {
	count(minio_routed) > 0
} else := routed if {
	count(routed) > 0
} else := named if {
	count(named) > 0
} else := minio_workload_namespaces if {
	count(minio_workload_namespaces) > 0
} else := applied if {
	count(applied) > 0
} else := {ns(o) | some o in istio_objects; ns(o) != root_namespace}

minio_routed := {n |
	some n in routed
	some w in workloads_in(n)
	runs_minio(w)
}

named := {r.namespace |
	some d in destination_hosts
	r := service_ref(d.host, d.from)
}

minio_workload_namespaces := {ns(w.object) | some w in workloads; runs_minio(w)}

applied := {ns(o) | some o in istio_objects; o.kind != "Gateway"; ns(o) != root_namespace}

# runs_minio reports whether a workload runs MinIO's server image (…/minio,
# not the mc client).
runs_minio(w) if {
	some c in w.containers
	image := split(split(object.get(c, "image", ""), "@")[0], "/")
	last := image[count(image) - 1]
	split(last, ":")[0] == "minio"
}

routed := {ns(s) |
	some d in destination_hosts
	s := service_for(d.host, d.from)
}

# workloads_in are the workloads of a namespace.
workloads_in(n) := [w | some w in workloads; ns(w.object) == n]

# applies_in reports whether a policy with a selector reaches a workload of
# namespace n (or the namespace has no known workload to judge by).
selector_reaches(o, n) if count(workloads_in(n)) == 0

selector_reaches(o, n) if {
	some w in workloads_in(n)
	selects(workload_selector(o), w.labels)
}
