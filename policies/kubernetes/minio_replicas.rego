# METADATA
# title: MinIO runs at least 4 replicas
# description: >-
#   Distributed MinIO erasure-codes every object across its drives and needs
#   at least 4 of them; with one drive per pod that is 4 pods. Fewer pods
#   run without erasure coding, or not at all, and losing one loses data or
#   writes. Past 16 drives the count must split into equal erasure sets of 2
#   to 16 drives.
# custom:
#   id: K8S-003
#   name: minio-replicas
#   lab: kubernetes
#   severity: error
#   remediation: Set spec.replicas to 4 or more (and the server argument's {0...N} ellipsis to match).
#   examples:
#     fail: |
#       apiVersion: apps/v1
#       kind: StatefulSet
#       metadata:
#         name: minio
#       spec:
#         replicas: 2
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
#                 args: [server, "http://minio-{0...1}.minio-headless.default.svc.cluster.local/data"]
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
package labcheck.kubernetes.minio_replicas

import data.labcheck.lib.k8s
import data.labcheck.lib.minio

deny contains {"msg": msg, "file": obj.file, "line": k8s.line(obj, "spec.replicas")} if {
	some obj in minio.workloads
	n := k8s.replicas(obj)
	is_number(n)
	n < 4
	msg := sprintf("%s %s; distributed MinIO erasure-codes across at least 4 drives (one per pod), so set replicas: 4 or more", [k8s.label(obj), runs(obj, n)])
}

deny contains {"msg": msg, "file": obj.file, "line": k8s.line(obj, "spec.replicas")} if {
	some obj in minio.workloads
	is_number(k8s.replicas(obj))
	n := minio.drives(obj)
	n > 16
	count({s | some s in numbers.range(2, 16); n % s == 0}) == 0
	msg := sprintf("%s has %d drives, which MinIO cannot split into equal erasure sets of 2 to 16 drives; use a drive count such as %d or %d", [k8s.label(obj), n, n - 1, n + 1])
}

runs(obj, n) := sprintf("has no replicas field, so it runs %d pod", [n]) if not obj.object.spec.replicas

else := sprintf("runs %d pod", [n]) if n == 1

else := sprintf("runs %d pods", [n])
