# METADATA
# title: Long-running containers have liveness and readiness probes
# description: >-
#   Without a readiness probe a Service sends traffic to a pod as soon as its
#   process starts; without a liveness probe a hung process is never
#   restarted. MinIO's own containers are judged by minio-health-probes;
#   this rule covers the others of Deployments, StatefulSets and DaemonSets.
# custom:
#   id: K8S-016
#   name: container-probes
#   lab: kubernetes
#   severity: warning
#   remediation: Add a readinessProbe and a livenessProbe (httpGet on a health endpoint, or tcpSocket) to the container.
#   related: [kube-score pod-probes, kube-linter no-liveness-probe, kube-linter no-readiness-probe]
#   examples:
#     fail: |
#       apiVersion: apps/v1
#       kind: Deployment
#       metadata:
#         name: console
#       spec:
#         selector:
#           matchLabels: {app: console}
#         template:
#           metadata:
#             labels: {app: console}
#           spec:
#             containers:
#               - name: console
#                 image: nginx:1.27
#     pass: |
#       apiVersion: apps/v1
#       kind: Deployment
#       metadata:
#         name: console
#       spec:
#         selector:
#           matchLabels: {app: console}
#         template:
#           metadata:
#             labels: {app: console}
#           spec:
#             containers:
#               - name: console
#                 image: nginx:1.27
#                 livenessProbe: {tcpSocket: {port: 80}}
#                 readinessProbe: {httpGet: {path: /, port: 80}}
package labcheck.kubernetes.container_probes

import data.labcheck.lib.k8s
import data.labcheck.lib.minio

deny contains {"msg": msg, "file": obj.file, "line": k8s.line(obj, c.path)} if {
	some obj in k8s.workloads
	obj.kind in {"Deployment", "StatefulSet", "DaemonSet"}
	some c in k8s.containers(obj)
	not c.init
	not minio.is_server(c)
	missing := [p | some p in ["readinessProbe", "livenessProbe"]; not c.spec[p]]
	count(missing) > 0
	msg := sprintf("%s: %s has no %s", [k8s.label(obj), k8s.container_label(c), concat(" and no ", missing)])
}
