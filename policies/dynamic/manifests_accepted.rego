# METADATA
# title: The API server accepts the manifests
# description: >-
#   Every object is applied server-side with strict field validation, in
#   dependency order (namespaces, quotas, secrets, storage, services,
#   workloads, disruption budgets). What the API server refuses (an invalid
#   field, a quota exceeded, a kind the cluster does not serve) is reported
#   at the field's line with the server's own message.
# custom:
#   id: DYN-011
#   name: manifests-accepted
#   lab: kubernetes
#   severity: error
#   remediation: >-
#     Fix the field the message names; `kubectl apply --server-side --dry-
#     run=server -f labs/kubernetes/` shows the same errors against any
#     cluster.
#   related: [kubectl apply --dry-run=server]
#   examples:
#     fail: |
#       apiVersion: apps/v1
#       kind: StatefulSet
#       metadata:
#         name: minio
#         namespace: minio
#       spec:
#         serviceName: minio-headless
#         replicas: four
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
package labcheck.dynamic.manifests_accepted

# Raised only by `labcheck verify`: the dynamic phase reports what it
# found in input.findings; this rule keeps those with its id.
deny contains object.filter(f, {"msg", "file", "line", "severity"}) if {
	some f in input.findings
	f.rule == "DYN-011"
}
