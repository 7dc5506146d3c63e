# METADATA
# title: A StatefulSet's serviceName names a headless Service in the submission
# description: >-
#   A StatefulSet's pods get their stable DNS names
#   (minio-0.minio-headless.minio.svc.cluster.local) only through the
#   governing Service its serviceName names, and only when that Service is
#   headless (clusterIP None) and selects the pods. MinIO's server list is
#   written in those names: without them the pods never find each other.
# custom:
#   id: K8S-004
#   name: statefulset-headless-service
#   lab: kubernetes
#   severity: error
#   remediation: Add a Service with clusterIP None whose selector matches the pod labels, and set the StatefulSet's serviceName to its name.
#   related: [kube-score statefulset-has-servicename]
#   examples:
#     fail: |
#       apiVersion: v1
#       kind: Service
#       metadata:
#         name: minio-headless
#       spec:
#         selector: {app: minio}
#         ports: [{port: 9000}]
#       ---
#       apiVersion: apps/v1
#       kind: StatefulSet
#       metadata:
#         name: minio
#       spec:
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
#     pass: |
#       apiVersion: v1
#       kind: Service
#       metadata:
#         name: minio-headless
#       spec:
#         clusterIP: None
#         selector: {app: minio}
#         ports: [{port: 9000}]
#       ---
#       apiVersion: apps/v1
#       kind: StatefulSet
#       metadata:
#         name: minio
#       spec:
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
package labcheck.kubernetes.statefulset_headless_service

import data.labcheck.lib.k8s

statefulsets := k8s.of_kind("StatefulSet")

deny contains {"msg": msg, "file": obj.file, "line": k8s.line(obj, "spec.serviceName")} if {
	some obj in statefulsets
	object.get(obj.object, ["spec", "serviceName"], "") == ""
	msg := sprintf("StatefulSet %s has no serviceName; its pods get stable DNS names (%s-0.<service>…) only through a headless Service it names", [obj.name, obj.name])
}

deny contains {"msg": msg, "file": obj.file, "line": k8s.line(obj, "spec.serviceName")} if {
	some obj in statefulsets
	name := object.get(obj.object, ["spec", "serviceName"], "")
	name != ""
	count(services(name, k8s.namespace(obj))) == 0
	msg := sprintf("StatefulSet %s: serviceName %s names no Service in namespace %s%s; add a headless Service (clusterIP: None) named %s", [obj.name, name, k8s.namespace(obj), elsewhere(name, k8s.namespace(obj)), name])
}

deny contains {"msg": msg, "file": svc.file, "line": k8s.line(svc, "spec.clusterIP")} if {
	some obj in statefulsets
	some svc in services(object.get(obj.object, ["spec", "serviceName"], ""), k8s.namespace(obj))
	object.get(svc.object, ["spec", "clusterIP"], "") != "None"
	msg := sprintf("Service %s, the serviceName of StatefulSet %s, is not headless; set clusterIP: None so that each pod gets its own DNS name (%s-0.%s.%s.svc.cluster.local)", [svc.name, obj.name, obj.name, svc.name, k8s.namespace(obj)])
}

deny contains {"msg": msg, "file": svc.file, "line": k8s.line(svc, "spec.selector")} if {
	some obj in statefulsets
	some svc in services(object.get(obj.object, ["spec", "serviceName"], ""), k8s.namespace(obj))
	object.get(svc.object, ["spec", "clusterIP"], "") == "None"
	sel := object.get(svc.object, ["spec", "selector"], {})
	not k8s.map_matches(sel, k8s.pod_labels(obj))
	msg := sprintf("headless Service %s selects %s, which are not the labels of StatefulSet %s's pods (%s); without them the pods get no DNS names", [svc.name, k8s.labels_text(sel), obj.name, k8s.labels_text(k8s.pod_labels(obj))])
}

services(name, ns) := k8s.named("Service", ns, name)

elsewhere(name, ns) := sprintf(" (there is one in namespace %s)", [concat(", ", others)]) if {
	others := sort({k8s.namespace(s) | some s in k8s.of_kind("Service"); s.name == name; k8s.namespace(s) != ns})
	count(others) > 0
} else := ""
