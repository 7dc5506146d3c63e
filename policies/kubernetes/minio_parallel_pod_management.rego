# METADATA
# title: MinIO's StatefulSet starts its pods in parallel
# description: >-
#   With the default podManagementPolicy, OrderedReady, a StatefulSet creates
#   minio-1 only once minio-0 is ready. A distributed MinIO pod becomes ready
#   only when it reaches a quorum of its peers, which are never created: the
#   rollout deadlocks behind the readiness probe. `Parallel` starts all pods
#   together (it changes scaling and start-up order only, not rolling updates).
# custom:
#   id: K8S-009
#   name: minio-parallel-pod-management
#   lab: kubernetes
#   severity: error
#   remediation: Set spec.podManagementPolicy to Parallel on the MinIO StatefulSet.
#   examples:
#     fail: |
#       apiVersion: apps/v1
#       kind: StatefulSet
#       metadata:
#         name: minio
#       spec:
#         replicas: 4
#         serviceName: minio-headless
#         podManagementPolicy: OrderedReady
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
#       apiVersion: apps/v1
#       kind: StatefulSet
#       metadata:
#         name: minio
#       spec:
#         replicas: 4
#         serviceName: minio-headless
#         podManagementPolicy: Parallel
#         selector:
#           matchLabels: {app: minio}
#         template:
#           metadata:
#             labels: {app: minio}
#           spec:
#             containers:
#               - name: minio
#                 image: quay.io/minio/minio:RELEASE.2025-04-22T22-12-26Z
package labcheck.kubernetes.minio_parallel_pod_management

import data.labcheck.lib.k8s
import data.labcheck.lib.minio

deny contains {"msg": msg, "file": obj.file, "line": k8s.line(obj, "spec.podManagementPolicy")} if {
	some obj in minio.workloads
	obj.kind == "StatefulSet"
	policy := object.get(obj.object, ["spec", "podManagementPolicy"], "")
	policy != "Parallel"
	msg := sprintf("StatefulSet %s %s: %s-1 is created only once %s-0 is ready, but a MinIO pod is ready only when it reaches its peers, so the rollout deadlocks; set podManagementPolicy: Parallel", [obj.name, uses(policy), obj.name, obj.name])
}

uses("") := "uses the default podManagementPolicy OrderedReady"

uses(p) := sprintf("uses podManagementPolicy %s", [p]) if p != ""
