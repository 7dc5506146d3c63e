# METADATA
# title: A StorageClass a claim names exists
# description: >-
#   A PersistentVolumeClaim that names a StorageClass the cluster does not
#   have stays Pending forever, and so does the pod that mounts it. The class
#   must be defined in the submission or be one that clusters ship by default
#   (kind's standard, local-path, GKE's standard-rwo, EKS's gp2 and gp3,
#   AKS's default and managed-csi, Docker Desktop's hostpath, …).
# custom:
#   id: K8S-012
#   name: storage-class-exists
#   lab: kubernetes
#   severity: error
#   remediation: Add the StorageClass to the submission, or name one the cluster has (kind's default is standard).
#   examples:
#     fail: |
#       apiVersion: v1
#       kind: PersistentVolumeClaim
#       metadata:
#         name: data
#       spec:
#         accessModes: [ReadWriteOnce]
#         storageClassName: fast-ssd
#         resources: {requests: {storage: 1Gi}}
#     pass: |
#       apiVersion: storage.k8s.io/v1
#       kind: StorageClass
#       metadata:
#         name: fast-ssd
#       provisioner: rancher.io/local-path
#       volumeBindingMode: WaitForFirstConsumer
#       ---
#       apiVersion: v1
#       kind: PersistentVolumeClaim
#       metadata:
#         name: data
#       spec:
#         accessModes: [ReadWriteOnce]
#         storageClassName: fast-ssd
#         resources: {requests: {storage: 1Gi}}
package labcheck.kubernetes.storage_class_exists

import data.labcheck.lib.k8s

# Classes that common clusters create by themselves.
well_known := {
	"standard", "standard-rwo", "premium-rwo", "gp2", "gp3", "local-path", "hostpath",
	"microk8s-hostpath", "default", "managed", "managed-csi", "managed-premium", "do-block-storage",
}

defined := {o.name | some o in input.objects; o.kind == "StorageClass"}

# claims holds [object, field path of the class, class, what names it].
claims contains [obj, sprintf("spec.volumeClaimTemplates[%d].spec.storageClassName", [i]), class, sprintf("claim template %s", [object.get(t, ["metadata", "name"], i)])] if {
	some obj in input.objects
	obj.kind == "StatefulSet"
	some i, t in object.get(obj.object, ["spec", "volumeClaimTemplates"], [])
	class := t.spec.storageClassName
}

claims contains [obj, "spec.storageClassName", obj.object.spec.storageClassName, "it"] if {
	some obj in input.objects
	obj.kind == "PersistentVolumeClaim"
}

deny contains {"msg": msg, "file": obj.file, "line": k8s.line(obj, path)} if {
	some [obj, path, class, what] in claims
	is_string(class)
	class != ""
	not class in defined
	not class in well_known
	msg := sprintf("%s: %s asks for StorageClass %s, which is neither in the submission%s nor a default class of common clusters (such as kind's standard); its claims would stay Pending", [k8s.label(obj), what, class, defined_text])
}

defined_text := sprintf(" (it defines %s)", [concat(", ", sort(defined))]) if count(defined) > 0

else := ""
