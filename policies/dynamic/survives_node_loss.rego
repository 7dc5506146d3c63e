# METADATA
# title: MinIO keeps working with a node stopped
# description: >-
#   On a cluster with several workers (--nodes), labcheck verify stops the
#   node of one member (one that hosts no other member) and checks that the
#   cluster keeps write quorum and serves reads and writes. Members piled on
#   one node, for want of pod anti-affinity or topology spread, fail this
#   when that node goes.
# custom:
#   id: DYN-016
#   name: survives-node-loss
#   lab: kubernetes
#   severity: error
#   remediation: >-
#     Spread the pods over nodes with `podAntiAffinity` on
#     `kubernetes.io/hostname` or a `topologySpreadConstraints` entry.
#   related: [kube-linter no-anti-affinity, kube-score statefulset-has-host-podantiaffinity]
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
#                 args: [server, "http://minio-{0...3}.minio-headless.minio.svc.cluster.local/data"]
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
#             affinity:
#               podAntiAffinity:
#                 requiredDuringSchedulingIgnoredDuringExecution:
#                   - topologyKey: kubernetes.io/hostname
#                     labelSelector:
#                       matchLabels: {app: minio}
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
package labcheck.dynamic.survives_node_loss

# Raised only by `labcheck verify`: the dynamic phase reports what it
# found in input.findings; this rule keeps those with its id.
deny contains object.filter(f, {"msg", "file", "line", "severity"}) if {
	some f in input.findings
	f.rule == "DYN-016"
}
