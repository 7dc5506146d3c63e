# METADATA
# title: Objects are valid against the Kubernetes API schema
# description: >-
#   Each object is decoded strictly into its `k8s.io/api` type, as the API
#   server does: an unknown or misspelt field (`replica: 4`), a value of the
#   wrong type (`replicas: "four"`), a removed apiVersion or a missing
#   required field (a container without an image, a Service port without a
#   port) is rejected by `kubectl apply`, or, worse, silently dropped by
#   tools that do not validate, so the setting the student meant never takes
#   effect. Kinds the API server does not serve itself (CRDs such as Istio's)
#   are left to their own lab.
# custom:
#   id: K8S-001
#   name: api-schema
#   lab: kubernetes
#   severity: error
#   remediation: Fix the field at the reported line; `kubectl explain statefulset.spec` lists the valid fields and their types.
#   related: [kubeconform, kubeval, istioctl IST0106]
#   examples:
#     fail: |
#       apiVersion: apps/v1
#       kind: StatefulSet
#       metadata:
#         name: minio
#       spec:
#         replica: 4
#         serviceName: minio
#         selector:
#           matchLabels: {app: minio}
#         template:
#           metadata:
#             labels: {app: minio}
#           spec:
#             containers:
#               - name: minio
#                 image: quay.io/minio/minio:RELEASE.2025-04-22T22-12-26Z
#     pass: |
#       apiVersion: apps/v1
#       kind: StatefulSet
#       metadata:
#         name: minio
#       spec:
#         replicas: 4
#         serviceName: minio
#         selector:
#           matchLabels: {app: minio}
#         template:
#           metadata:
#             labels: {app: minio}
#           spec:
#             containers:
#               - name: minio
#                 image: quay.io/minio/minio:RELEASE.2025-04-22T22-12-26Z
package labcheck.kubernetes.api_schema

deny contains {"msg": sprintf("%s: %s", [subject(e), e.message]), "file": e.file, "line": e.line} if {
	some e in input.schema_errors
}

subject(e) := concat(" ", [x | some x in [e.kind, e.name]; x != ""]) if e.kind != ""

subject(e) := "document" if e.kind == ""
