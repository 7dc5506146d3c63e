# METADATA
# title: The release keeps working with a node stopped
# description: >-
#   The Kubernetes lab's node-loss proof (DYN-016), run against the chart's
#   release on a cluster with several workers.
# custom:
#   id: DYN-025
#   name: release-survives-node-loss
#   lab: helm
#   severity: error
#   remediation: >-
#     Template pod anti-affinity (or topology spread) on
#     kubernetes.io/hostname into the StatefulSet.
#   related: [kube-linter no-anti-affinity]
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
#               affinity:
#                 podAntiAffinity:
#                   requiredDuringSchedulingIgnoredDuringExecution:
#                     - topologyKey: kubernetes.io/hostname
#                       labelSelector:
#                         matchLabels: {app: minio}
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
package labcheck.dynamic.release_survives_node_loss

# Raised only by `labcheck verify`: the dynamic phase reports what it
# found in input.findings; this rule keeps those with its id.
deny contains object.filter(f, {"msg", "file", "line", "severity"}) if {
	some f in input.findings
	f.rule == "DYN-025"
}
