# METADATA
# title: MinIO runs as a StatefulSet
# description: >-
#   Distributed MinIO lists its peers by stable names (minio-0, minio-1, …)
#   and keeps each pod's drive across restarts. Only a StatefulSet gives pods
#   stable network identities and one PersistentVolumeClaim each; a
#   Deployment's pods get random names and share or lose their storage. The
#   MinIO workload is recognised by its image (…/minio) or by a `minio
#   server` command with distributed endpoints; a lab with none is a failure,
#   not a silent pass.
# custom:
#   id: K8S-002
#   name: minio-statefulset
#   lab: kubernetes
#   severity: error
#   remediation: Run MinIO as an apps/v1 StatefulSet with a headless serviceName and volumeClaimTemplates.
#   examples:
#     fail: |
#       apiVersion: apps/v1
#       kind: Deployment
#       metadata:
#         name: minio
#       spec:
#         replicas: 4
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
#     pass: |
#       apiVersion: apps/v1
#       kind: StatefulSet
#       metadata:
#         name: minio
#       spec:
#         replicas: 4
#         serviceName: minio-headless
#         selector:
#           matchLabels: {app: minio}
#         template:
#           metadata:
#             labels: {app: minio}
#           spec:
#             containers:
#               - name: minio
#                 image: quay.io/minio/minio:RELEASE.2025-04-22T22-12-26Z
#                 args: [server, "http://minio-{0...3}.minio-headless.default.svc.cluster.local/data"]
package labcheck.kubernetes.minio_statefulset

import data.labcheck.lib.k8s
import data.labcheck.lib.minio

deny contains {"msg": msg, "file": obj.file, "line": k8s.line(obj, "kind")} if {
	some obj in minio.workloads
	obj.kind != "StatefulSet"
	msg := sprintf("%s runs MinIO, which needs a StatefulSet: stable pod names (%s-0, %s-1, …) for its server list and one PersistentVolumeClaim per pod; change the kind to StatefulSet", [k8s.label(obj), obj.name, obj.name])
}

deny contains {"msg": msg, "file": input.expected.dir, "line": 0} if {
	count(input.problems) == 0
	count(minio.workloads) == 0
	msg := absent_message
}

absent_message := sprintf("no Kubernetes manifests found in %s; expected YAML files with a MinIO StatefulSet", [input.expected.dir]) if count(input.objects) == 0

else := sprintf("no MinIO workload found in %s (no container runs a minio image or `minio server`); expected a StatefulSet running quay.io/minio/minio", [input.expected.dir])
