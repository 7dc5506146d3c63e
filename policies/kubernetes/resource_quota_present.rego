# METADATA
# title: MinIO's namespace has a ResourceQuota
# description: >-
#   A ResourceQuota caps what a namespace may ask of the cluster: cpu,
#   memory, storage, pods and claims. Without one, a mistake (replicas: 40,
#   a 1Ti claim template) is granted until the cluster runs out, and other
#   tenants pay for it. A quota that caps none of cpu and memory leaves the
#   most common mistake open.
# custom:
#   id: K8S-022
#   name: resource-quota-present
#   lab: kubernetes
#   severity: error
#   remediation: Add a ResourceQuota to MinIO's namespace with requests.cpu, requests.memory, limits.cpu, limits.memory and requests.storage sized for the replicas.
#   related: [Trivy KSV-0040]
#   examples:
#     fail: |
#       apiVersion: apps/v1
#       kind: StatefulSet
#       metadata:
#         name: minio
#       spec:
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
#     pass: |
#       apiVersion: v1
#       kind: ResourceQuota
#       metadata:
#         name: minio-quota
#       spec:
#         hard: {requests.cpu: "2", requests.memory: 4Gi, limits.cpu: "4", limits.memory: 4Gi}
#       ---
#       apiVersion: apps/v1
#       kind: StatefulSet
#       metadata:
#         name: minio
#       spec:
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
package labcheck.kubernetes.resource_quota_present

import data.labcheck.lib.k8s
import data.labcheck.lib.minio

compute_keys := {"requests.cpu", "requests.memory", "limits.cpu", "limits.memory", "cpu", "memory"}

quotas(ns) := k8s.objects_in("ResourceQuota", ns)

deny contains {"msg": msg, "file": obj.file, "line": k8s.line(obj, "metadata.namespace")} if {
	some obj in minio.workloads
	ns := k8s.namespace(obj)
	count(quotas(ns)) == 0
	msg := sprintf("namespace %s, where %s runs, has no ResourceQuota: nothing caps what its pods and claims may take; add one with requests.cpu, requests.memory, limits.cpu, limits.memory and requests.storage", [ns, k8s.label(obj)])
}

deny contains {"msg": msg, "file": q.file, "line": k8s.line(q, "spec.hard"), "severity": "warning"} if {
	some obj in minio.workloads
	some q in quotas(k8s.namespace(obj))
	count({k | some k, _ in object.get(q.object, ["spec", "hard"], {}); k in compute_keys}) == 0
	msg := sprintf("ResourceQuota %s caps no cpu or memory; add requests.cpu, requests.memory, limits.cpu and limits.memory", [q.name])
}
