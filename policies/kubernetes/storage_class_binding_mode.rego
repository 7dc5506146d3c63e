# METADATA
# title: Local-path StorageClasses bind when the pod is scheduled
# description: >-
#   Node-local provisioners (rancher.io/local-path, which kind uses, and
#   kubernetes.io/no-provisioner) create a volume on the node where the pod
#   runs, so they need `volumeBindingMode: WaitForFirstConsumer`. With the
#   default, Immediate, the provisioner is asked for a volume before any node
#   is chosen and fails ("no node was specified"): claims stay Pending, or
#   pin every MinIO pod to whichever node got its volume first.
# custom:
#   id: K8S-027
#   name: storage-class-binding-mode
#   lab: kubernetes
#   severity: error
#   remediation: Set volumeBindingMode WaitForFirstConsumer on the StorageClass.
#   examples:
#     fail: |
#       apiVersion: storage.k8s.io/v1
#       kind: StorageClass
#       metadata:
#         name: minio-local
#       provisioner: rancher.io/local-path
#     pass: |
#       apiVersion: storage.k8s.io/v1
#       kind: StorageClass
#       metadata:
#         name: minio-local
#       provisioner: rancher.io/local-path
#       volumeBindingMode: WaitForFirstConsumer
package labcheck.kubernetes.storage_class_binding_mode

import data.labcheck.lib.k8s

node_local := {"rancher.io/local-path", "kubernetes.io/no-provisioner", "microk8s.io/hostpath", "docker.io/hostpath"}

deny contains {"msg": msg, "file": obj.file, "line": k8s.line(obj, "volumeBindingMode")} if {
	some obj in input.objects
	obj.kind == "StorageClass"
	object.get(obj.object, "provisioner", "") in node_local
	mode := object.get(obj.object, "volumeBindingMode", "Immediate")
	mode != "WaitForFirstConsumer"
	msg := sprintf("StorageClass %s uses the node-local provisioner %s with volumeBindingMode %s: the volume must be created on the node the pod lands on; set volumeBindingMode: WaitForFirstConsumer", [obj.name, obj.object.provisioner, mode])
}
