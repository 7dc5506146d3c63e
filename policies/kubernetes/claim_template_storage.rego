# METADATA
# title: Claim templates name a StorageClass and request storage
# description: >-
#   MinIO keeps its drives on PersistentVolumeClaims, one per pod from the
#   StatefulSet's volumeClaimTemplates. A MinIO StatefulSet without them
#   keeps its data in the pod, lost on every reschedule. A template without
#   storageClassName falls back to whatever the cluster's default class is,
#   or to none (the claim stays Pending and MinIO never starts);
#   `storageClassName: ""` turns dynamic provisioning off. A template without
#   a storage request is rejected by the API server.
# custom:
#   id: K8S-011
#   name: claim-template-storage
#   lab: kubernetes
#   severity: error
#   remediation: Give each volumeClaimTemplates entry spec.storageClassName (a StorageClass of the submission, or the cluster's, such as kind's standard) and spec.resources.requests.storage.
#   examples:
#     fail: |
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
#         volumeClaimTemplates:
#           - metadata: {name: data}
#             spec:
#               accessModes: [ReadWriteOnce]
#               storageClassName: standard
#               resources: {requests: {storage: 1Gi}}
package labcheck.kubernetes.claim_template_storage

import data.labcheck.lib.k8s
import data.labcheck.lib.minio

deny contains {"msg": msg, "file": obj.file, "line": k8s.line(obj, "spec")} if {
	some obj in minio.workloads
	obj.kind == "StatefulSet"
	count(object.get(obj.object, ["spec", "volumeClaimTemplates"], [])) == 0
	msg := sprintf("StatefulSet %s has no volumeClaimTemplates: MinIO's data lives in the pod and is lost when it is rescheduled; add a claim template (one PersistentVolumeClaim per pod) and mount it at the drive path", [obj.name])
}

templates contains [obj, i, t] if {
	some obj in input.objects
	obj.kind == "StatefulSet"
	some i, t in object.get(obj.object, ["spec", "volumeClaimTemplates"], [])
}

deny contains {"msg": msg, "file": obj.file, "line": k8s.line(obj, sprintf("spec.volumeClaimTemplates[%d].spec", [i]))} if {
	some [obj, i, t] in templates
	not has_key(object.get(t, "spec", {}), "storageClassName")
	msg := sprintf("StatefulSet %s: claim template %s has no storageClassName, so its claims get the cluster's default class, if there is one (kind's is standard); name the class: storageClassName: <class>", [obj.name, template_name(t, i)])
}

deny contains {"msg": msg, "file": obj.file, "line": k8s.line(obj, sprintf("spec.volumeClaimTemplates[%d].spec.storageClassName", [i]))} if {
	some [obj, i, t] in templates
	t.spec.storageClassName == ""
	msg := sprintf("StatefulSet %s: claim template %s sets storageClassName \"\", which turns dynamic provisioning off: its claims stay Pending unless someone creates volumes by hand; name a StorageClass", [obj.name, template_name(t, i)])
}

deny contains {"msg": msg, "file": obj.file, "line": k8s.line(obj, sprintf("spec.volumeClaimTemplates[%d].spec.resources", [i]))} if {
	some [obj, i, t] in templates
	not t.spec.resources.requests.storage
	msg := sprintf("StatefulSet %s: claim template %s requests no storage; set spec.resources.requests.storage (such as 1Gi)", [obj.name, template_name(t, i)])
}

has_key(o, k) if {
	is_object(o)
	o[k] != null
}

template_name(t, i) := n if {
	n := t.metadata.name
} else := sprintf("#%d", [i])
