# METADATA
# title: A workload's selector matches its pod template
# description: >-
#   A Deployment, StatefulSet, DaemonSet or ReplicaSet owns the pods its
#   selector matches. A selector that does not match the template's own
#   labels is rejected by the API server ("selector does not match template
#   labels"); one that matches only loosely lets workloads fight over pods.
# custom:
#   id: K8S-006
#   name: selector-matches-template
#   lab: kubernetes
#   severity: error
#   remediation: Make spec.selector.matchLabels a subset of spec.template.metadata.labels.
#   related: [kube-linter mismatching-selector]
#   examples:
#     fail: |
#       apiVersion: apps/v1
#       kind: StatefulSet
#       metadata:
#         name: minio
#       spec:
#         serviceName: minio
#         selector:
#           matchLabels: {app: minio}
#         template:
#           metadata:
#             labels: {app: object-store}
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
#         serviceName: minio
#         selector:
#           matchLabels: {app: minio}
#         template:
#           metadata:
#             labels: {app: minio, tier: storage}
#           spec:
#             containers:
#               - name: minio
#                 image: quay.io/minio/minio:RELEASE.2025-04-22T22-12-26Z
package labcheck.kubernetes.selector_matches_template

import data.labcheck.lib.k8s

deny contains {"msg": msg, "file": obj.file, "line": k8s.line(obj, "spec.selector")} if {
	some obj in k8s.workloads
	obj.kind in {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"}
	sel := obj.object.spec.selector
	is_object(sel)
	not k8s.selector_matches(sel, k8s.pod_labels(obj))
	msg := sprintf("%s: spec.selector (%s) does not match its pod template's labels (%s); the API server rejects it", [k8s.label(obj), selector_text(sel), k8s.labels_text(k8s.pod_labels(obj))])
}

selector_text(sel) := concat(", ", array.concat(
	sort([sprintf("%s=%v", [k, v]) | some k, v in object.get(sel, "matchLabels", {})]),
	[sprintf("%s %s %v", [e.key, e.operator, object.get(e, "values", [])]) | some e in object.get(sel, "matchExpressions", [])],
)) if count(object.get(sel, "matchLabels", {})) + count(object.get(sel, "matchExpressions", [])) > 0

else := "empty"
