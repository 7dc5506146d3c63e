# METADATA
# title: Service selectors match pod labels
# description: >-
#   A Service routes to the pods whose labels match its selector. A selector
#   that matches no pod template in the Service's namespace leaves it without
#   endpoints: clients connect and nothing answers, and nothing in
#   `kubectl apply` says so.
# custom:
#   id: K8S-005
#   name: service-selects-pods
#   lab: kubernetes
#   severity: error
#   remediation: Make the Service's spec.selector a subset of the pod template's labels (spec.template.metadata.labels).
#   related: [kube-linter dangling-service, kube-score service-targets-pod]
#   examples:
#     fail: |
#       apiVersion: v1
#       kind: Service
#       metadata:
#         name: minio
#       spec:
#         selector: {app: minio-server}
#         ports: [{port: 9000}]
#       ---
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
#             labels: {app: minio}
#           spec:
#             containers:
#               - name: minio
#                 image: quay.io/minio/minio:RELEASE.2025-04-22T22-12-26Z
#     pass: |
#       apiVersion: v1
#       kind: Service
#       metadata:
#         name: minio
#       spec:
#         selector: {app: minio}
#         ports: [{port: 9000}]
#       ---
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
#             labels: {app: minio}
#           spec:
#             containers:
#               - name: minio
#                 image: quay.io/minio/minio:RELEASE.2025-04-22T22-12-26Z
package labcheck.kubernetes.service_selects_pods

import data.labcheck.lib.k8s

deny contains {"msg": msg, "file": svc.file, "line": k8s.line(svc, "spec.selector")} if {
	some svc in k8s.of_kind("Service")
	sel := object.get(svc.object, ["spec", "selector"], {})
	is_object(sel)
	count(sel) > 0
	ns := k8s.namespace(svc)
	count([w | some w in k8s.workloads_in(ns); k8s.map_matches(sel, k8s.pod_labels(w))]) == 0
	msg := sprintf("Service %s selects %s, but no pod template in namespace %s has those labels%s; the Service has no endpoints", [svc.name, k8s.labels_text(sel), ns, candidates(ns)])
}

candidates(ns) := sprintf(" (%s)", [concat("; ", sort([sprintf("%s has %s", [k8s.label(w), k8s.labels_text(k8s.pod_labels(w))]) |
	some w in k8s.workloads_in(ns)
]))]) if {
	count(k8s.workloads_in(ns)) > 0
} else := ""
