# METADATA
# title: What labcheck changed to deploy the manifests
# description: >-
#   A throw-away cluster is not the student's: labcheck verify maps a
#   StorageClass whose provisioner the cluster lacks to the cluster's default
#   class, generates Secrets that workloads reference but the submission does
#   not provide (random values), replaces images by side-loaded ones (--load-
#   image) and lowers no namespace below Pod Security baseline. Each change
#   is reported here so that a result can be reproduced and a missing Secret
#   noticed.
# custom:
#   id: DYN-019
#   name: adapted-for-cluster
#   lab: kubernetes
#   severity: info
#   remediation: >-
#     Nothing to fix unless a generated Secret was meant to be in the
#     submission: add it (the finding names the Secret and the keys).
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
#                 env:
#                   - name: MINIO_ROOT_PASSWORD
#                     valueFrom: {secretKeyRef: {name: minio-credentials, key: rootPassword}}
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
package labcheck.dynamic.adapted_for_cluster

# Raised only by `labcheck verify`: the dynamic phase reports what it
# found in input.findings; this rule keeps those with its id.
deny contains object.filter(f, {"msg", "file", "line", "severity"}) if {
	some f in input.findings
	f.rule == "DYN-019"
}
