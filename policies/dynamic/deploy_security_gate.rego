# METADATA
# title: The manifests pass the deploy security gate
# description: >-
#   labcheck verify deploys untrusted manifests, so it refuses any object
#   that would reach out of its container into the machine running the
#   cluster: privileged containers, hostPath volumes (and PersistentVolumes
#   on the node's disk), hostNetwork, hostPID, hostIPC and hostPort. When one
#   is refused, nothing of the lab is deployed and the lab's dynamic checks
#   do not run.
# custom:
#   id: DYN-010
#   name: deploy-security-gate
#   lab: kubernetes
#   severity: error
#   remediation: >-
#     Remove `privileged: true`, hostPath volumes,
#     `hostNetwork`/`hostPID`/`hostIPC` and `hostPort`; MinIO needs none of
#     them (use volumeClaimTemplates for storage and a Service for traffic).
#   related: [kube-linter privileged-container, kube-linter host-network, Trivy KSV-0017, Trivy KSV-0023]
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
#                 securityContext: {privileged: true}
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
package labcheck.dynamic.deploy_security_gate

# Raised only by `labcheck verify`: the dynamic phase reports what it
# found in input.findings; this rule keeps those with its id.
deny contains object.filter(f, {"msg", "file", "line", "severity"}) if {
	some f in input.findings
	f.rule == "DYN-010"
}
