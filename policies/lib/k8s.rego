# METADATA
# description: >-
#   Shared helpers for the Kubernetes lab's policies: field lines, workloads
#   and their pod templates, containers, selectors, images and quantities.
#   The input is documented on kubernetesLab in internal/check/kubernetes.go.
package labcheck.lib.k8s

import data.labcheck.lib.objects

# line is objects.line: the line of a field path, else its nearest
# parent's, else the object's.
line(obj, path) := objects.line(obj, path)

# count_text writes a count with its noun: "1 pod", "4 pods".
count_text(n, noun) := sprintf("%v %s", [n, noun]) if n == 1

else := sprintf("%v %ss", [n, noun])

# label names an object in messages (objects.label).
label(obj) := objects.label(obj)

# namespace is where an object lands when applied as written (objects.namespace).
namespace(obj) := objects.namespace(obj)

# --- index -----------------------------------------------------------------

# The objects are indexed once per evaluation (by kind, namespace and name),
# so that a rule relating objects looks the others up instead of scanning
# input.objects for each one: the cost grows with the number of objects,
# not its square. Each list keeps input order.

# of_kind is every object of a kind.
of_kind(kind) := object.get(by_kind, kind, [])

# objects_in is every object of a kind in a namespace (as namespace gives it).
objects_in(kind, ns) := object.get(by_kind_namespace, concat("/", [kind, ns]), [])

# named is every object of a kind with a name in a namespace (two when the
# submission defines it twice).
named(kind, ns, name) := object.get(by_kind_namespace_name, concat("/", [kind, ns, name]), [])

# in_namespace is every object in a namespace, of any kind.
in_namespace(ns) := object.get(by_namespace, ns, [])

# workloads_in is every workload in a namespace.
workloads_in(ns) := object.get(workloads_by_namespace, ns, [])

# Each index is built in one pass: OPA evaluates a comprehension that
# filters on variables bound outside it once, grouped by their values
# (comprehension indexing), so keep these comprehensions in this shape.
by_kind := {kind: objs |
	some x in input.objects
	kind := x.kind
	objs := [o | some o in input.objects; o.kind == kind]
}

by_namespace := {ns: objs |
	some x in input.objects
	ns := namespace(x)
	objs := [o | some o in input.objects; namespace(o) == ns]
}

by_kind_namespace := {concat("/", [kind, ns]): objs |
	some x in input.objects
	kind := x.kind
	ns := namespace(x)
	objs := [o | some o in input.objects; o.kind == kind; namespace(o) == ns]
}

by_kind_namespace_name := {concat("/", [kind, ns, name]): objs |
	some x in input.objects
	kind := x.kind
	ns := namespace(x)
	name := x.name
	objs := [o | some o in input.objects; o.kind == kind; namespace(o) == ns; o.name == name]
}

workloads_by_namespace := {ns: ws |
	some x in workloads
	ns := namespace(x)
	ws := [w | some w in workloads; namespace(w) == ns]
}

# --- workloads -------------------------------------------------------------

template_kinds := {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "ReplicationController"}

# pod_path is where a workload keeps its pod: its metadata is at
# pod_path.metadata (or metadata for a Pod) and its spec at pod_path.spec.
pod_path(obj) := "spec.template" if template_kinds[obj.kind]

pod_path(obj) := "spec.jobTemplate.spec.template" if obj.kind == "CronJob"

pod_path(obj) := "" if obj.kind == "Pod"

# pod_spec_path is the field path of a workload's pod spec.
pod_spec_path(obj) := concat(".", [p, "spec"]) if {
	p := pod_path(obj)
	p != ""
}

pod_spec_path(obj) := "spec" if pod_path(obj) == ""

is_workload(obj) if pod_path(obj)

# workloads are the objects that run pods.
workloads := [obj | some obj in input.objects; is_workload(obj)]

# pod_template is a workload's pod ({"metadata", "spec"}), {} when missing.
pod_template(obj) := obj.object if obj.kind == "Pod"

pod_template(obj) := object.get(obj.object, ["spec", "template"], {}) if template_kinds[obj.kind]

pod_template(obj) := object.get(obj.object, ["spec", "jobTemplate", "spec", "template"], {}) if obj.kind == "CronJob"

pod_spec(obj) := object.get(pod_template(obj), "spec", {})

pod_labels(obj) := object.get(pod_template(obj), ["metadata", "labels"], {})

# replicas is how many pods a workload runs (1 when it does not say; a
# DaemonSet counts as one per node, reported as 1).
replicas(obj) := object.get(obj.object, ["spec", "replicas"], 1) if obj.kind in {"Deployment", "StatefulSet", "ReplicaSet", "ReplicationController"}

replicas(obj) := object.get(obj.object, ["spec", "parallelism"], 1) if obj.kind == "Job"

replicas(obj) := 1 if not obj.kind in {"Deployment", "StatefulSet", "ReplicaSet", "ReplicationController", "Job"}

# containers lists a workload's containers and init containers, each as
# {"name", "path", "init", "spec"} where path is the container's field path.
containers(obj) := array.concat(
	[c |
		some i, spec in object.get(pod_spec(obj), "initContainers", [])
		c := {"name": object.get(spec, "name", sprintf("#%d", [i])), "path": sprintf("%s.initContainers[%d]", [pod_spec_path(obj), i]), "init": true, "spec": spec}
	],
	[c |
		some i, spec in object.get(pod_spec(obj), "containers", [])
		c := {"name": object.get(spec, "name", sprintf("#%d", [i])), "path": sprintf("%s.containers[%d]", [pod_spec_path(obj), i]), "init": false, "spec": spec}
	],
)

# container_label names a container in messages.
container_label(c) := sprintf("init container %s", [c.name]) if c.init

container_label(c) := sprintf("container %s", [c.name]) if not c.init

# --- selectors -------------------------------------------------------------

# selector_matches is true when a label selector ({matchLabels,
# matchExpressions}) selects the given labels. An empty selector selects
# nothing here: Kubernetes rejects it on workloads and PDBs select nothing useful with it.
selector_matches(sel, labels) if {
	count(object.get(sel, "matchLabels", {})) + count(object.get(sel, "matchExpressions", [])) > 0
	objects.selects(object.get(sel, "matchLabels", {}), labels)
	every e in object.get(sel, "matchExpressions", []) {
		expression_matches(e, labels)
	}
}

expression_matches(e, labels) if {
	e.operator == "In"
	labels[e.key] in object.get(e, "values", [])
}

expression_matches(e, labels) if {
	e.operator == "NotIn"
	not labels[e.key] in object.get(e, "values", [])
}

expression_matches(e, labels) if {
	e.operator == "Exists"
	labels[e.key]
}

expression_matches(e, labels) if {
	e.operator == "DoesNotExist"
	not labels[e.key]
}

# map_matches is a Service's selector (a plain map) against labels: a
# Service without a selector selects nothing.
map_matches(sel, labels) if {
	count(sel) > 0
	objects.selects(sel, labels)
}

# labels_text writes labels as k=v pairs, sorted, for messages (objects.labels_text).
labels_text(labels) := objects.labels_text(labels)

# --- images ----------------------------------------------------------------

# image splits an image reference into repository, tag and digest; the
# repository keeps its registry ("quay.io/minio/minio").
image(ref) := {"repository": repo, "tag": tag, "digest": digest} if {
	parts := split(ref, "@")
	digest := concat("@", array.slice(parts, 1, count(parts)))
	name := parts[0]
	slash := max(array.concat([-1], indexof_n(name, "/")))
	colon := max(array.concat([-1], indexof_n(name, ":")))
	repo := repository(name, slash, colon)
	tag := tag_of(name, slash, colon)
}

repository(name, slash, colon) := substring(name, 0, colon) if colon > slash

else := name

tag_of(name, slash, colon) := substring(name, colon + 1, -1) if colon > slash

else := ""

# --- quantities ------------------------------------------------------------

# quantity is a Kubernetes quantity as a number: cores for cpu ("500m" is
# 0.5), bytes for memory and storage ("1Gi"), a count for the rest.
quantity(q) := units.parse(q) if is_string(q)

else := units.parse(sprintf("%v", [q]))

# format_quantity writes a number back the way a manifest would: 1.5 cores
# as 1500m, 3221225472 bytes as 3Gi.
format_quantity(resource, n) := format_cpu(n) if resource_kind(resource) == "cpu"

format_quantity(resource, n) := format_bytes(n) if resource_kind(resource) == "bytes"

format_quantity(resource, n) := sprintf("%v", [round(n)]) if resource_kind(resource) == "count"

resource_kind(r) := "cpu" if regex.match(`(^|\.)cpu$`, r)

resource_kind(r) := "bytes" if regex.match(`(^|[./])(memory|storage|ephemeral-storage)$`, r)

resource_kind(r) := "count" if {
	not regex.match(`(^|\.)cpu$`, r)
	not regex.match(`(^|[./])(memory|storage|ephemeral-storage)$`, r)
}

format_cpu(n) := sprintf("%d", [round(n)]) if round(n * 1000) % 1000 == 0

else := sprintf("%dm", [round(n * 1000)])

format_bytes(n) := sprintf("%dGi", [round(n / 1073741824)]) if round(n) % 1073741824 == 0

else := sprintf("%dMi", [round(n / 1048576)]) if round(n) % 1048576 == 0

else := sprintf("%dKi", [round(n / 1024)]) if round(n) % 1024 == 0

else := sprintf("%d", [round(n)])
