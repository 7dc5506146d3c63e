# METADATA
# title: The release stores and returns objects intact
# description: >-
#   The Kubernetes lab's read-write proof (DYN-013), run against the chart's
#   release: write quorum reported, objects written and read back with
#   matching SHA-256.
# custom:
#   id: DYN-022
#   name: release-read-write
#   lab: helm
#   severity: error
#   remediation: >-
#     Check the release's MinIO logs; values must wire the credentials Secret
#     and a server list matching replicaCount.
#   examples:
#     fail:
#       minio/Chart.yaml: |
#         apiVersion: v2
#         name: minio
#         version: 0.1.0
#         appVersion: RELEASE.2025-04-22T22-12-26Z
#       minio/templates/statefulset.yaml: |
#         apiVersion: apps/v1
#         kind: StatefulSet
#         metadata:
#           name: minio
#         spec:
#           serviceName: minio-headless
#           replicas: {{ .Values.replicaCount }}
#           podManagementPolicy: Parallel
#           selector:
#             matchLabels: {app: minio}
#           template:
#             metadata:
#               labels: {app: minio}
#             spec:
#               containers:
#                 - name: minio
#                   image: quay.io/minio/minio:RELEASE.2025-04-22T22-12-26Z
#                   args: [server, /data]
#                   volumeMounts: [{name: data, mountPath: /data}]
#           volumeClaimTemplates:
#             - metadata: {name: data}
#               spec:
#                 accessModes: [ReadWriteOnce]
#                 resources: {requests: {storage: 1Gi}}
#       minio/values.yaml: |
#         replicaCount: 4
#     pass:
#       minio/Chart.yaml: |
#         apiVersion: v2
#         name: minio
#         version: 0.1.0
#         appVersion: RELEASE.2025-04-22T22-12-26Z
#       minio/templates/statefulset.yaml: |
#         apiVersion: apps/v1
#         kind: StatefulSet
#         metadata:
#           name: minio
#         spec:
#           serviceName: minio-headless
#           replicas: {{ .Values.replicaCount }}
#           podManagementPolicy: Parallel
#           selector:
#             matchLabels: {app: minio}
#           template:
#             metadata:
#               labels: {app: minio}
#             spec:
#               containers:
#                 - name: minio
#                   image: quay.io/minio/minio:RELEASE.2025-04-22T22-12-26Z
#                   args: [server, "http://minio-{0...3}.minio-headless.{{ .Release.Namespace }}.svc.cluster.local/data"]
#                   volumeMounts: [{name: data, mountPath: /data}]
#           volumeClaimTemplates:
#             - metadata: {name: data}
#               spec:
#                 accessModes: [ReadWriteOnce]
#                 resources: {requests: {storage: 1Gi}}
#       minio/values.yaml: |
#         replicaCount: 4
package labcheck.dynamic.release_read_write

# Raised only by `labcheck verify`: the dynamic phase reports what it
# found in input.findings; this rule keeps those with its id.
deny contains object.filter(f, {"msg", "file", "line", "severity"}) if {
	some f in input.findings
	f.rule == "DYN-022"
}
