# METADATA
# title: MinIO keeps working with a member deleted
# description: >-
#   High availability is the lab's point, so labcheck verify proves it: it
#   deletes one MinIO pod and, while it is gone, checks that
#   /minio/health/cluster still answers 200 and that new objects can be
#   written and old ones read, each request within a bound (a request to a
#   member that just died can hang rather than fail). With erasure coding
#   over 4 drives, one member down keeps both read and write quorum.
# custom:
#   id: DYN-014
#   name: survives-pod-loss
#   lab: kubernetes
#   severity: error
#   remediation: >-
#     Run at least 4 replicas in one erasure set (`{0...3}`),
#     `podManagementPolicy: Parallel`, and a PodDisruptionBudget that keeps
#     write quorum.
#   examples:
#     fail: |
#       apiVersion: apps/v1
#       kind: StatefulSet
#       metadata:
#         name: minio
#         namespace: minio
#       spec:
#         serviceName: minio-headless
#         replicas: 2
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
#                 args: [server, "http://minio-{0...1}.minio-headless.minio.svc.cluster.local/data"]
#                 volumeMounts: [{name: data, mountPath: /data}]
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
#         namespace: minio
#       spec:
#         serviceName: minio-headless
#         replicas: 4
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
#                 args: [server, "http://minio-{0...3}.minio-headless.minio.svc.cluster.local/data"]
#                 volumeMounts: [{name: data, mountPath: /data}]
#         volumeClaimTemplates:
#           - metadata: {name: data}
#             spec:
#               accessModes: [ReadWriteOnce]
#               resources: {requests: {storage: 1Gi}}
package labcheck.dynamic.survives_pod_loss

# Raised only by `labcheck verify`: the dynamic phase reports what it
# found in input.findings; this rule keeps those with its id.
deny contains object.filter(f, {"msg", "file", "line", "severity"}) if {
	some f in input.findings
	f.rule == "DYN-014"
}
