# METADATA
# title: MinIO's server endpoints name exactly the StatefulSet's pods
# description: >-
#   Every MinIO pod is started with the full list of its peers, usually as
#   one ellipsis: `server http://minio-{0...3}.minio-headless.minio.svc.cluster.local/data`.
#   The range must cover exactly the replicas (0 to replicas-1): a shorter
#   one leaves pods out of the cluster, a longer one waits forever for pods
#   that never exist. Each host must be a pod of this StatefulSet reached
#   through its headless Service, in its namespace; `server /data` alone
#   makes every pod an independent single-node MinIO.
# custom:
#   id: K8S-008
#   name: minio-server-endpoints
#   lab: kubernetes
#   severity: error
#   remediation: Write the server argument as http://<statefulset>-{0...<replicas-1>}.<serviceName>.<namespace>.svc.cluster.local/<mount path>.
#   examples:
#     fail: |
#       apiVersion: apps/v1
#       kind: StatefulSet
#       metadata:
#         name: minio
#       spec:
#         replicas: 4
#         serviceName: minio-headless
#         selector:
#           matchLabels: {app: minio}
#         template:
#           metadata:
#             labels: {app: minio}
#           spec:
#             containers:
#               - name: minio
#                 image: quay.io/minio/minio:RELEASE.2025-04-22T22-12-26Z
#                 args: [server, "http://minio-{0...2}.minio-headless.default.svc.cluster.local/data"]
#     pass: |
#       apiVersion: apps/v1
#       kind: StatefulSet
#       metadata:
#         name: minio
#       spec:
#         replicas: 4
#         serviceName: minio-headless
#         selector:
#           matchLabels: {app: minio}
#         template:
#           metadata:
#             labels: {app: minio}
#           spec:
#             containers:
#               - name: minio
#                 image: quay.io/minio/minio:RELEASE.2025-04-22T22-12-26Z
#                 args: [server, "http://minio-{0...3}.minio-headless.default.svc.cluster.local/data"]
package labcheck.kubernetes.minio_server_endpoints

import data.labcheck.lib.k8s
import data.labcheck.lib.minio

statefulsets contains [obj, c] if {
	some obj in minio.workloads
	obj.kind == "StatefulSet"
	n := k8s.replicas(obj)
	is_number(n)
	n >= 0
	n < minio.max_range
	c := minio.container(obj)
}

urls(c) := [e | some e in minio.endpoints(c); e.url]

service_name(obj) := object.get(obj.object, ["spec", "serviceName"], "")

# No distributed endpoint at all: each pod is its own MinIO.
deny contains {"msg": msg, "file": obj.file, "line": k8s.line(obj, where)} if {
	some [obj, c] in statefulsets
	k8s.replicas(obj) > 1
	count(urls(c)) == 0
	where := first_endpoint_path(c)
	dir := first_dir(c)
	msg := sprintf("%s: `minio server %s` makes each of its %d pods a separate single-node MinIO, not one erasure-coded cluster; give every pod the full server list: %s", [k8s.label(obj), dir, k8s.replicas(obj), minio.suggested_endpoint(obj, dir)])
}

# The pods the endpoints name are not exactly 0..replicas-1.
deny contains {"msg": msg, "file": obj.file, "line": k8s.line(obj, urls(c)[0].path)} if {
	some [obj, c] in statefulsets
	count(urls(c)) > 0
	n := k8s.replicas(obj)
	got := minio.pod_indexes(c)
	want := {i | some i in numbers.range(0, n - 1)}
	got != want
	msg := sprintf("%s has %s (pods %s) but its server endpoints name %s; %s", [k8s.label(obj), k8s.count_text(n, "replica"), range_text(obj.name, want), pods_text(obj.name, got), fix(obj, got, want, urls(c)[0])])
}

# A host that is not a pod of this StatefulSet behind its headless Service.
deny contains {"msg": msg, "file": obj.file, "line": k8s.line(obj, e.path)} if {
	some [obj, c] in statefulsets
	some e in urls(c)
	problem := host_problem(obj, e)
	msg := sprintf("%s: server endpoint %s %s; write %s", [k8s.label(obj), e.text, problem, minio.suggested_endpoint(obj, dir_or_data(e))])
}

# An endpoint without a drive path.
deny contains {"msg": msg, "file": obj.file, "line": k8s.line(obj, e.path)} if {
	some [obj, c] in statefulsets
	some e in urls(c)
	e.dir == ""
	msg := sprintf("%s: server endpoint %s has no drive path; MinIO needs one, such as %s/data", [k8s.label(obj), e.text, e.text])
}

host_problem(obj, e) := sprintf("names no pod of a StatefulSet (expected %s-{0...%d})", [obj.name, k8s.replicas(obj) - 1]) if {
	not minio.hosts(e.host)
} else := concat("; it also ", problems) if {
	h := minio.hosts(e.host)
	problems := [p | some part in ["pods", "service", "namespace", "svc"]; p := name_problem(part, obj, h)]
	count(problems) > 0
}

name_problem("pods", obj, h) := sprintf("names pods %s-N, but the StatefulSet's pods are %s-0, %s-1, …", [h.base, obj.name, obj.name]) if {
	h.base != obj.name
}

name_problem("service", obj, h) := sprintf("has no Service in its host name, so it does not resolve; pod DNS names live under the headless Service %s", [service_name(obj)]) if {
	count(h.domain) == 0
}

name_problem("service", obj, h) := sprintf("goes through Service %s, but the StatefulSet's serviceName is %s: pod DNS names exist only under that headless Service", [h.domain[0], service_name(obj)]) if {
	count(h.domain) > 0
	h.domain[0] != service_name(obj)
}

name_problem("namespace", obj, h) := sprintf("names namespace %s, but the StatefulSet runs in namespace %s", [h.domain[1], k8s.namespace(obj)]) if {
	count(h.domain) > 1
	h.domain[1] != k8s.namespace(obj)
}

name_problem("svc", obj, h) := sprintf("continues with .%s after the namespace where .svc belongs", [h.domain[2]]) if {
	count(h.domain) > 2
	h.domain[2] != "svc"
}

fix(obj, got, want, e) := sprintf("%s would run outside the MinIO cluster; write %s", [pod_list(obj, want - got), minio.suggested_endpoint(obj, dir_or_data(e))]) if {
	count(got - want) == 0
} else := sprintf("MinIO would wait forever for %s, which never %s; set replicas: %d", [pod_list(obj, got - want), exist(got - want), count(got)]) if {
	count(want - got) == 0
	min(got) == 0
	k8s.replicas(obj) < 4
} else := sprintf("MinIO would wait forever for %s, which never %s; set replicas: %d, or write %s", [pod_list(obj, got - want), exist(got - want), count(got), minio.suggested_endpoint(obj, dir_or_data(e))]) if {
	count(want - got) == 0
	min(got) == 0
} else := sprintf("write %s", [minio.suggested_endpoint(obj, dir_or_data(e))])

pod_list(obj, s) := concat(", ", [sprintf("%s-%d", [obj.name, i]) | some i in sort(s)])

exist(s) := "exists" if count(s) == 1

else := "exist"

dir_or_data(e) := e.dir if e.dir != ""

else := "/data"

first_endpoint_path(c) := p if {
	p := minio.endpoints(c)[0].path
} else := c.path

first_dir(c) := d if {
	d := minio.endpoints(c)[0].dir
} else := "/data"

# range_text writes a set of ordinals as the ellipsis MinIO would use.
range_text(name, s) := sprintf("%s-{%d...%d}", [name, min(s), max(s)]) if {
	count(s) > 1
	count(s) == (max(s) - min(s)) + 1
}

range_text(name, s) := sprintf("%s-%d", [name, min(s)]) if count(s) == 1

range_text(name, s) := pod_list({"name": name}, s) if {
	count(s) > 1
	count(s) != (max(s) - min(s)) + 1
}

range_text(name, s) := "none" if count(s) == 0

pods_text(name, s) := "no pod" if count(s) == 0

else := sprintf("%s (%s)", [k8s.count_text(count(s), "pod"), range_text(name, s)])
