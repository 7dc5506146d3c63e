# METADATA
# description: >-
#   MinIO facts for the Kubernetes lab: which workloads run MinIO, the
#   endpoints of its `server` command, and erasure-coding arithmetic
#   (parity, write quorum) that decides how many pods may be down.
package labcheck.lib.minio

import data.labcheck.lib.k8s

# workloads are the workloads with a MinIO server container.
workloads contains obj if {
	some obj in k8s.workloads
	container(obj)
}

# container is the workload's MinIO server container (the first one).
container(obj) := cs[0] if {
	cs := [c | some c in k8s.containers(obj); not c.init; is_server(c)]
	count(cs) > 0
}

# is_server recognises MinIO by its image (…/minio, not the mc client) or by
# a `server` command with distributed endpoints.
is_server(c) if {
	parts := split(k8s.image(object.get(c.spec, "image", "")).repository, "/")
	parts[count(parts) - 1] == "minio"
}

is_server(c) if {
	some t in tokens(c)
	t.text == "server"
	some e in endpoints(c)
	e.url
}

# tokens are the words of a container's command, args and MINIO_VOLUMES,
# each with the field path it came from: "minio server http://…" in one
# string (sh -c) is split into words.
tokens(c) := array.concat(array.concat(words(c, "command"), words(c, "args")), volumes_env(c))

words(c, field) := [t |
	some i, s in object.get(c.spec, field, [])
	some w in regex.split(`\s+`, trim_space(sprintf("%v", [s])))
	w != ""
	t := {"text": w, "path": sprintf("%s.%s[%d]", [c.path, field, i]), "env": false}
]

volumes_env(c) := [t |
	some i, e in object.get(c.spec, "env", [])
	e.name == "MINIO_VOLUMES"
	some w in regex.split(`\s+`, trim_space(object.get(e, "value", "")))
	w != ""
	t := {"text": w, "path": sprintf("%s.env[%d]", [c.path, i]), "env": true}
]

# Flags of `minio server` that take a value: their value is not an endpoint.
valued_flags := {"--address", "--console-address", "--certs-dir", "-S", "--config-dir", "-C", "--ftp", "--sftp", "--interface"}

# endpoints are the drives `minio server` is given: URLs and local paths
# after the word server, or every word of MINIO_VOLUMES. Each is
# {"text", "path", "url", "host", "dir"}.
endpoints(c) := [e |
	ts := tokens(c)
	some i, t in ts
	endpoint_token(ts, i, t)
	e := parse_endpoint(t)
]

endpoint_token(ts, i, t) if {
	t.env
	endpoint_like(t.text)
}

endpoint_token(ts, i, t) if {
	not t.env
	endpoint_like(t.text)
	some j, s in ts
	j < i
	s.text == "server"
	not valued_flags[ts[i - 1].text]
}

endpoint_like(s) if regex.match(`^https?://`, s)

endpoint_like(s) if startswith(s, "/")

parse_endpoint(t) := {"text": t.text, "path": t.path, "url": true, "host": m[1], "dir": m[3]} if {
	m := regex.find_all_string_submatch_n(`^https?://([^/:]+)(:[0-9]+)?(/.*)?$`, t.text, 1)[0]
}

parse_endpoint(t) := {"text": t.text, "path": t.path, "url": false, "host": "", "dir": t.text} if not regex.match(`^https?://`, t.text)

# ellipsis reads the first {a...b} of a string: {"prefix", "lo", "hi",
# "suffix"}. Ranges past max_range are not read: no MinIO pool is that
# large, and expanding one would let a manifest make labcheck do unbounded work.
ellipsis(s) := {"prefix": m[1], "lo": lo, "hi": hi, "suffix": m[4]} if {
	m := regex.find_all_string_submatch_n(`^(.*?)\{([0-9]{1,6})\.\.\.([0-9]{1,6})\}(.*)$`, s, 1)[0]
	lo := to_number(m[2])
	hi := to_number(m[3])
	lo <= hi
	hi - lo < max_range
}

max_range := 1024

# hosts reads an endpoint's host as pod names of a StatefulSet behind a
# Service: {"base", "indexes", "domain"} where domain is the rest of the DNS
# name split at dots ("minio-{0...3}.minio-headless.minio.svc.cluster.local"
# gives base minio, indexes 0..3, domain [minio-headless, minio, svc, cluster, local]).
hosts(host) := {"base": trim_suffix(e.prefix, "-"), "indexes": numbers.range(e.lo, e.hi), "domain": domain(e.suffix)} if {
	e := ellipsis(host)
}

hosts(host) := {"base": m[1], "indexes": [to_number(m[2])], "domain": domain(m[3])} if {
	not ellipsis(host)
	m := regex.find_all_string_submatch_n(`^(.+)-([0-9]+)(\..*)?$`, host, 1)[0]
}

domain(suffix) := [p | some p in split(trim_prefix(suffix, "."), "."); p != ""]

# drives_per_pod counts the drives an endpoint names on each pod
# (/data{0...3} is four).
drives_per_pod(e) := count(numbers.range(x.lo, x.hi)) if x := ellipsis(e.dir)

else := 1

# pod_indexes are the StatefulSet ordinals the endpoints of c name.
pod_indexes(c) := {i | some e in endpoints(c); e.url; some i in hosts(e.host).indexes}

# drives is the number of drives of the deployment: pods times drives each.
drives(obj) := k8s.replicas(obj) * max(array.concat([1], [drives_per_pod(e) | some e in endpoints(container(obj))]))

# set_size is the size of MinIO's erasure sets for n drives: all of them
# up to 16, else the largest divisor of n from 2 to 16.
set_size(n) := n if n <= 16

else := max({s | some s in numbers.range(2, 16); n % s == 0})

# parity is the storage class's parity: MINIO_STORAGE_CLASS_STANDARD when
# set, else MinIO's default for the set size (EC:2 up to 5 drives, EC:3 for
# 6 and 7, EC:4 from 8).
parity(obj) := to_number(m[1]) if {
	some e in object.get(container(obj).spec, "env", [])
	e.name == "MINIO_STORAGE_CLASS_STANDARD"
	m := regex.find_all_string_submatch_n(`^EC:([0-9]+)$`, object.get(e, "value", ""), 1)[0]
} else := default_parity(set_size(drives(obj)))

default_parity(n) := 0 if n == 1

default_parity(n) := 1 if n in {2, 3}

default_parity(n) := 2 if n in {4, 5}

default_parity(n) := 3 if n in {6, 7}

default_parity(n) := 4 if n >= 8

# write_quorum is how many drives of an erasure set must be up for writes:
# data drives, plus one when parity is exactly half the set.
write_quorum(size, p) := (size - p) + 1 if p * 2 == size

else := size - p

# tolerable_pods is how many MinIO pods may be down while writes go on.
tolerable_pods(obj) := floor((size - write_quorum(size, parity(obj))) / per_pod) if {
	size := set_size(drives(obj))
	per_pod := drives(obj) / k8s.replicas(obj)
}

# suggested_endpoint is the endpoint a StatefulSet should give MinIO.
suggested_endpoint(obj, dir) := sprintf("http://%s-{0...%d}.%s.%s.svc.cluster.local%s", [obj.name, k8s.replicas(obj) - 1, object.get(obj.object, ["spec", "serviceName"], "<headless-service>"), k8s.namespace(obj), dir])
