# METADATA
# title: A PodDisruptionBudget keeps MinIO's write quorum
# description: >-
#   A node drain or cluster upgrade evicts pods; only a PodDisruptionBudget
#   limits how many go at once. MinIO keeps accepting writes while a write
#   quorum of drives is up: with N drives in an erasure set and parity P
#   (EC:2 for 4-5 drives, EC:3 for 6-7, EC:4 from 8, or
#   MINIO_STORAGE_CLASS_STANDARD), the quorum is N-P drives, plus one when
#   P is exactly N/2. So with 4 pods of one drive, writes need 3 and at
#   most 1 pod may be evicted. A budget that allows no eviction at all makes
#   every drain hang.
# custom:
#   id: K8S-018
#   name: pdb-write-quorum
#   lab: kubernetes
#   severity: error
#   remediation: Add a PodDisruptionBudget selecting the MinIO pods with maxUnavailable 1 (or minAvailable N-1 for 4 pods).
#   related: [kube-score statefulset-has-poddisruptionbudget, kube-linter pdb-max-unavailable, kube-linter pdb-min-available]
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
#       ---
#       apiVersion: policy/v1
#       kind: PodDisruptionBudget
#       metadata:
#         name: minio
#       spec:
#         minAvailable: 2
#         selector:
#           matchLabels: {app: minio}
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
#       ---
#       apiVersion: policy/v1
#       kind: PodDisruptionBudget
#       metadata:
#         name: minio
#       spec:
#         maxUnavailable: 1
#         selector:
#           matchLabels: {app: minio}
package labcheck.kubernetes.pdb_write_quorum

import data.labcheck.lib.k8s
import data.labcheck.lib.minio

servers contains obj if {
	some obj in minio.workloads
	obj.kind == "StatefulSet"
	n := k8s.replicas(obj)
	is_number(n)
	n > 1
}

budgets(obj) := [p |
	some p in k8s.objects_in("PodDisruptionBudget", k8s.namespace(obj))
	k8s.selector_matches(object.get(p.object, ["spec", "selector"], {}), k8s.pod_labels(obj))
]

deny contains {"msg": msg, "file": obj.file, "line": obj.line} if {
	some obj in servers
	count(budgets(obj)) == 0
	msg := sprintf("no PodDisruptionBudget selects the pods of StatefulSet %s: a node drain may evict them all at once; %s, so add one with maxUnavailable: %d", [obj.name, quorum_text(obj), max([1, minio.tolerable_pods(obj)])])
}

deny contains {"msg": msg, "file": p.file, "line": k8s.line(p, field_path(p))} if {
	some obj in servers
	some p in budgets(obj)
	allowed := evictable(p, k8s.replicas(obj))
	allowed > minio.tolerable_pods(obj)
	msg := sprintf("PodDisruptionBudget %s lets %d of the %d MinIO pods be evicted at once (%s), but %s: set maxUnavailable: %d (or minAvailable: %d)", [p.name, allowed, k8s.replicas(obj), setting(p), quorum_text(obj), minio.tolerable_pods(obj), k8s.replicas(obj) - minio.tolerable_pods(obj)])
}

deny contains {"msg": msg, "file": p.file, "line": k8s.line(p, field_path(p)), "severity": "warning"} if {
	some obj in servers
	some p in budgets(obj)
	evictable(p, k8s.replicas(obj)) <= 0
	minio.tolerable_pods(obj) > 0
	msg := sprintf("PodDisruptionBudget %s lets no MinIO pod be evicted (%s): every node drain hangs; MinIO keeps write quorum with %s down, so set maxUnavailable: %d", [p.name, setting(p), k8s.count_text(minio.tolerable_pods(obj), "pod"), minio.tolerable_pods(obj)])
}

deny contains {"msg": msg, "file": p.file, "line": k8s.line(p, "spec")} if {
	some obj in servers
	some p in budgets(obj)
	not has_budget(p)
	msg := sprintf("PodDisruptionBudget %s sets neither minAvailable nor maxUnavailable; set maxUnavailable: %d", [p.name, minio.tolerable_pods(obj)])
}

has_budget(p) if p.object.spec.minAvailable != null

has_budget(p) if p.object.spec.maxUnavailable != null

quorum_text(obj) := sprintf("with %d drives at EC:%d writes need %d, so at most %s may be down", [
	minio.drives(obj), minio.parity(obj),
	minio.write_quorum(minio.set_size(minio.drives(obj)), minio.parity(obj)) * (minio.drives(obj) / minio.set_size(minio.drives(obj))),
	k8s.count_text(minio.tolerable_pods(obj), "pod"),
])

field_path(p) := "spec.maxUnavailable" if p.object.spec.maxUnavailable != null

else := "spec.minAvailable"

setting(p) := sprintf("maxUnavailable %v", [p.object.spec.maxUnavailable]) if p.object.spec.maxUnavailable != null

else := sprintf("minAvailable %v", [p.object.spec.minAvailable])

# evictable is how many of n pods the budget lets be evicted at once;
# percentages round up, as the disruption controller does.
evictable(p, n) := scaled(p.object.spec.maxUnavailable, n) if p.object.spec.maxUnavailable != null

evictable(p, n) := n - scaled(p.object.spec.minAvailable, n) if {
	not p.object.spec.maxUnavailable
	p.object.spec.minAvailable != null
}

scaled(v, n) := v if is_number(v)

scaled(v, n) := ceil((to_number(trim_suffix(v, "%")) * n) / 100) if {
	is_string(v)
	endswith(v, "%")
}

scaled(v, n) := to_number(v) if {
	is_string(v)
	not endswith(v, "%")
}
