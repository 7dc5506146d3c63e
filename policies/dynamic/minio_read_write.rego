# METADATA
# title: MinIO stores and returns objects intact
# description: >-
#   Through a port-forward and the MinIO Go client, labcheck verify waits for
#   /minio/health/cluster to report write quorum, creates a bucket, writes
#   objects of random content and reads each back, comparing SHA-256
#   checksums. Pods that are Ready but cannot serve S3 (wrong credentials
#   wiring, a server list that forms several clusters) fail here.
# custom:
#   id: DYN-013
#   name: minio-read-write
#   lab: kubernetes
#   severity: error
#   remediation: >-
#     Check the MinIO logs for the reason; the root credentials must come
#     from the Secret through MINIO_ROOT_USER and MINIO_ROOT_PASSWORD, and
#     every pod must list the same servers.
#   examples:
#     fail: |
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
#                 args: [server, /data]
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
package labcheck.dynamic.minio_read_write

# Raised only by `labcheck verify`: the dynamic phase reports what it
# found in input.findings; this rule keeps those with its id.
deny contains object.filter(f, {"msg", "file", "line", "severity"}) if {
	some f in input.findings
	f.rule == "DYN-013"
}
