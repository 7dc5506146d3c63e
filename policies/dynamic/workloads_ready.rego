# METADATA
# title: The workloads become Ready
# description: >-
#   After applying, labcheck verify waits (bounded by --ready-timeout) for
#   every StatefulSet and Deployment to have all its pods Ready. When they do
#   not, the finding says what is pending and why: each pod's state, the
#   workload's, pods' and claims' events, the last log lines of the
#   containers that are not ready, and the known MinIO traps (OrderedReady
#   behind a readiness probe that waits for the peers, a `{0...N}` server
#   list that does not name exactly the StatefulSet's pods).
# custom:
#   id: DYN-012
#   name: workloads-ready
#   lab: kubernetes
#   severity: error
#   remediation: >-
#     Read the events and logs in the finding. For distributed MinIO:
#     `podManagementPolicy: Parallel`, and a `{0...N}` server list whose N is
#     replicas - 1, with the headless Service and namespace the pods really
#     have.
#   related: [chart-testing ct install]
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
#                 args: [server, "http://minio-{0...3}.minio-headless.minio.svc.cluster.local/data"]
#                 readinessProbe:
#                   httpGet: {path: /minio/health/cluster, port: 9000}
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
#                 readinessProbe:
#                   httpGet: {path: /minio/health/cluster, port: 9000}
#                 volumeMounts: [{name: data, mountPath: /data}]
#         volumeClaimTemplates:
#           - metadata: {name: data}
#             spec:
#               accessModes: [ReadWriteOnce]
#               resources: {requests: {storage: 1Gi}}
package labcheck.dynamic.workloads_ready

# Raised only by `labcheck verify`: the dynamic phase reports what it
# found in input.findings; this rule keeps those with its id.
deny contains object.filter(f, {"msg", "file", "line", "severity"}) if {
	some f in input.findings
	f.rule == "DYN-012"
}
