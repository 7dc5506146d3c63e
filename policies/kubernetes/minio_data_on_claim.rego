# METADATA
# title: MinIO's drives are on persistent volumes
# description: >-
#   Each drive path MinIO is given (the /data of its server endpoints) must
#   be a volume mount of a PersistentVolumeClaim, normally from the
#   StatefulSet's volumeClaimTemplates. A path on no mount lives in the
#   container's own filesystem (MinIO refuses drives on the root disk in
#   distributed mode, and the data dies with the container); an emptyDir
#   dies with the pod.
# custom:
#   id: K8S-024
#   name: minio-data-on-claim
#   lab: kubernetes
#   severity: error
#   remediation: Mount the claim template (volumeMounts name = the template's metadata.name) at the path the server argument names.
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
#                 args: [server, "http://minio-{0...3}.minio-headless.default.svc.cluster.local/data"]
#                 volumeMounts: [{name: data, mountPath: /export}]
#         volumeClaimTemplates:
#           - metadata: {name: data}
#             spec:
#               accessModes: [ReadWriteOnce]
#               resources: {requests: {storage: 1Gi}}
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
#                 volumeMounts: [{name: data, mountPath: /data}]
#         volumeClaimTemplates:
#           - metadata: {name: data}
#             spec:
#               accessModes: [ReadWriteOnce]
#               resources: {requests: {storage: 1Gi}}
package labcheck.kubernetes.minio_data_on_claim

import data.labcheck.lib.k8s
import data.labcheck.lib.minio

# drives holds [workload, container, drive path, field path of its endpoint].
drives contains [obj, c, dir, e.path] if {
	some obj in minio.workloads
	c := minio.container(obj)
	some e in minio.endpoints(c)
	e.dir != ""
	some dir in expand(e.dir)
}

deny contains {"msg": msg, "file": obj.file, "line": k8s.line(obj, path)} if {
	some [obj, c, dir, path] in drives
	not mount_of(c, dir)
	msg := sprintf("%s: MinIO drive %s is on no volume mount of %s, so it lives in the container's own filesystem (lost on restart; MinIO refuses root-disk drives); mount %s at %s", [k8s.label(obj), dir, k8s.container_label(c), claim_hint(obj), dir])
}

deny contains {"msg": msg, "file": obj.file, "line": k8s.line(obj, sprintf("%s.volumeMounts[%d]", [c.path, i]))} if {
	some [obj, c, dir, _] in drives
	[i, m] := mount_of(c, dir)
	not persistent(obj, m.name)
	msg := sprintf("%s: MinIO drive %s is on volume %s (%s), not on a PersistentVolumeClaim: the data is lost when the pod is rescheduled; mount %s there", [k8s.label(obj), dir, m.name, volume_kind(obj, m.name), claim_hint(obj)])
}

# expand turns /data{0...3} into /data0 … /data3.
expand(dir) := [concat("", [x.prefix, format_int(i, 10), x.suffix]) | some i in numbers.range(x.lo, x.hi)] if x := minio.ellipsis(dir)

else := [dir]

# mount_of is [index, mount] of the deepest volume mount holding dir.
mount_of(c, dir) := [i, m] if {
	mounts := [[count(m.mountPath), i, m] |
		some i, m in object.get(c.spec, "volumeMounts", [])
		holds(m.mountPath, dir)
	]
	count(mounts) > 0
	best := max(mounts)
	i := best[1]
	m := best[2]
}

holds(mount, dir) if trim_suffix(mount, "/") == trim_suffix(dir, "/")

holds(mount, dir) if startswith(dir, concat("", [trim_suffix(mount, "/"), "/"]))

claim_names(obj) := {n | some t in object.get(obj.object, ["spec", "volumeClaimTemplates"], []); n := t.metadata.name}

persistent(obj, name) if name in claim_names(obj)

persistent(obj, name) if {
	some v in object.get(k8s.pod_spec(obj), "volumes", [])
	v.name == name
	v.persistentVolumeClaim
}

volume_kind(obj, name) := kind if {
	some v in object.get(k8s.pod_spec(obj), "volumes", [])
	v.name == name
	kinds := [k | some k, _ in v; k != "name"]
	count(kinds) > 0
	kind := kinds[0]
} else := "not a declared volume"

claim_hint(obj) := sprintf("claim template %s", [sort(claim_names(obj))[0]]) if count(claim_names(obj)) > 0

else := "a volumeClaimTemplates entry"
