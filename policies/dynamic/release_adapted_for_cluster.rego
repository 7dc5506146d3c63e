# METADATA
# title: What labcheck changed to install the chart
# description: >-
#   The adaptations of DYN-019 (storage classes, generated Secrets, side-
#   loaded images) applied to the chart's rendered objects through a Helm
#   post-renderer, and to its test hooks; each is reported at the template
#   that produced the object.
# custom:
#   id: DYN-029
#   name: release-adapted-for-cluster
#   lab: helm
#   severity: info
#   remediation: >-
#     Nothing to fix unless a generated Secret was meant to come from the
#     chart: template it (or document existingSecret).
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
#                   args: [server, "http://minio-{0...3}.minio-headless.{{ .Release.Namespace }}.svc.cluster.local/data"]
#                   envFrom: [{secretRef: {name: minio-env}}]
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
package labcheck.dynamic.release_adapted_for_cluster

# Raised only by `labcheck verify`: the dynamic phase reports what it
# found in input.findings; this rule keeps those with its id.
deny contains object.filter(f, {"msg", "file", "line", "severity"}) if {
	some f in input.findings
	f.rule == "DYN-029"
}
