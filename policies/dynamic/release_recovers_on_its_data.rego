# METADATA
# title: The release's member comes back on its data
# description: >-
#   The Kubernetes lab's recovery proof (DYN-015), run against the chart's
#   release: every object reads back and the recreated pod mounts the claims
#   it had.
# custom:
#   id: DYN-024
#   name: release-recovers-on-its-data
#   lab: helm
#   severity: error
#   remediation: >-
#     Render volumeClaimTemplates when persistence is enabled (the default),
#     and mount the claim where the server list points.
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
#           replicas: 4
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
#               volumes:
#                 - name: data
#                   emptyDir: {}
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
package labcheck.dynamic.release_recovers_on_its_data

# Raised only by `labcheck verify`: the dynamic phase reports what it
# found in input.findings; this rule keeps those with its id.
deny contains object.filter(f, {"msg", "file", "line", "severity"}) if {
	some f in input.findings
	f.rule == "DYN-024"
}
