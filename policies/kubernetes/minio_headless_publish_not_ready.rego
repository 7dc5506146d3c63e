# METADATA
# title: MinIO's headless Service publishes pods before they are ready
# description: >-
#   A headless Service publishes a pod's DNS name only once the pod is ready,
#   unless publishNotReadyAddresses is true. A MinIO pod becomes ready only
#   after it reaches its peers by those very names, so at start-up every pod
#   waits for names that are never published. MinIO's own Helm chart and
#   operator set publishNotReadyAddresses on the headless Service for this
#   reason.
# custom:
#   id: K8S-026
#   name: minio-headless-publish-not-ready
#   lab: kubernetes
#   severity: warning
#   remediation: Set spec.publishNotReadyAddresses true on the headless Service the MinIO StatefulSet names.
#   examples:
#     fail: |
#       apiVersion: v1
#       kind: Service
#       metadata:
#         name: minio-headless
#       spec:
#         clusterIP: None
#         selector: {app: minio}
#         ports: [{port: 9000}]
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
#     pass: |
#       apiVersion: v1
#       kind: Service
#       metadata:
#         name: minio-headless
#       spec:
#         clusterIP: None
#         publishNotReadyAddresses: true
#         selector: {app: minio}
#         ports: [{port: 9000}]
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
package labcheck.kubernetes.minio_headless_publish_not_ready

import data.labcheck.lib.k8s
import data.labcheck.lib.minio

deny contains {"msg": msg, "file": svc.file, "line": k8s.line(svc, "spec.publishNotReadyAddresses")} if {
	some obj in minio.workloads
	obj.kind == "StatefulSet"
	some svc in k8s.named("Service", k8s.namespace(obj), object.get(obj.object, ["spec", "serviceName"], ""))
	object.get(svc.object, ["spec", "clusterIP"], "") == "None"
	not svc.object.spec.publishNotReadyAddresses == true
	msg := sprintf("headless Service %s does not set publishNotReadyAddresses: true: the DNS names of StatefulSet %s's pods appear only once they are ready, but a MinIO pod is ready only after it reaches its peers by those names", [svc.name, obj.name])
}
