# METADATA
# title: The replica count comes from values
# description: >-
#   The number of MinIO servers is the first thing an operator sizes: 4 on a
#   laptop, 16 in production. A replica count written in a template cannot
#   be changed with --set replicaCount=... and silently ignores the value a
#   ci/*-values.yaml file sets.
# custom:
#   id: HELM-010
#   name: replicas-from-values
#   lab: helm
#   severity: error
#   remediation: >-
#     Write `replicas: {{ .Values.replicaCount }}` and set `replicaCount: 4` in values.yaml; derive everything that
#     depends on it (the server list, the PodDisruptionBudget) from the same value.
#   related: [helm create (replicaCount)]
#   examples:
#     fail:
#       minio/Chart.yaml: |
#         apiVersion: v2
#         name: minio
#         version: 0.1.0
#       minio/templates/statefulset.yaml: |
#         apiVersion: apps/v1
#         kind: StatefulSet
#         metadata:
#           name: {{ .Release.Name }}
#         spec:
#           replicas: 4
#     pass:
#       minio/Chart.yaml: |
#         apiVersion: v2
#         name: minio
#         version: 0.1.0
#       minio/values.yaml: |
#         replicaCount: 4
#       minio/templates/statefulset.yaml: |
#         apiVersion: apps/v1
#         kind: StatefulSet
#         metadata:
#           name: {{ .Release.Name }}
#         spec:
#           replicas: {{ .Values.replicaCount }}
package labcheck.helm.replicas_from_values

import data.labcheck.lib.helm

deny contains {"msg": msg, "file": t.file, "line": k.line} if {
	some chart in input.charts
	some t in helm.manifest_templates(chart)
	some k in t.keys
	k.key == "replicas"
	k.value != ""
	not helm.key_action(k)
	msg := sprintf("%s hard-codes replicas: %s; write replicas: {{ .Values.replicaCount }} so that the number of servers is a value", [t.path, k.value])
}
