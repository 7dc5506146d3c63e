# METADATA
# title: Pods do not reach into the node
# description: >-
#   hostPath volumes expose the node's file system; hostNetwork, hostPID and
#   hostIPC share the node's network, processes and IPC with the pod; a
#   hostPort binds a port on the node and limits scheduling to one such pod
#   per node. MinIO needs none of them (its data belongs on
#   PersistentVolumeClaims), and labcheck's dynamic phase refuses to deploy
#   them.
# custom:
#   id: K8S-021
#   name: no-host-access
#   lab: kubernetes
#   severity: error
#   remediation: Use PersistentVolumeClaims instead of hostPath, a Service instead of hostNetwork or hostPort, and drop hostPID and hostIPC.
#   related: [kube-linter host-network, kube-linter host-pid, kube-linter host-ipc, kube-linter sensitive-host-mounts, Trivy KSV-0008, Trivy KSV-0009, Trivy KSV-0010, Trivy KSV-0023, Trivy KSV-0024, Checkov CKV_K8S_17, Checkov CKV_K8S_18, Checkov CKV_K8S_19]
#   examples:
#     fail: |
#       apiVersion: v1
#       kind: Pod
#       metadata:
#         name: minio
#       spec:
#         hostNetwork: true
#         containers:
#           - name: minio
#             image: quay.io/minio/minio:RELEASE.2025-04-22T22-12-26Z
#     pass: |
#       apiVersion: v1
#       kind: Pod
#       metadata:
#         name: minio
#       spec:
#         containers:
#           - name: minio
#             image: quay.io/minio/minio:RELEASE.2025-04-22T22-12-26Z
package labcheck.kubernetes.no_host_access

import data.labcheck.lib.k8s

namespaces := {"hostNetwork": "the node's network", "hostPID": "the node's processes", "hostIPC": "the node's IPC"}

deny contains {"msg": msg, "file": obj.file, "line": k8s.line(obj, concat(".", [k8s.pod_spec_path(obj), field]))} if {
	some obj in k8s.workloads
	some field, what in namespaces
	k8s.pod_spec(obj)[field] == true
	msg := sprintf("%s sets %s: true, sharing %s with its pods; remove it", [k8s.label(obj), field, what])
}

deny contains {"msg": msg, "file": obj.file, "line": k8s.line(obj, sprintf("%s.volumes[%d].hostPath", [k8s.pod_spec_path(obj), i]))} if {
	some obj in k8s.workloads
	some i, v in object.get(k8s.pod_spec(obj), "volumes", [])
	v.hostPath
	msg := sprintf("%s: volume %s is a hostPath (%s) on the node's file system; use a PersistentVolumeClaim (volumeClaimTemplates)", [k8s.label(obj), object.get(v, "name", ""), object.get(v.hostPath, "path", "")])
}

deny contains {"msg": msg, "file": obj.file, "line": k8s.line(obj, sprintf("%s.ports[%d].hostPort", [c.path, i]))} if {
	some obj in k8s.workloads
	some c in k8s.containers(obj)
	some i, p in object.get(c.spec, "ports", [])
	object.get(p, "hostPort", 0) != 0
	msg := sprintf("%s: %s binds hostPort %v on the node; expose it through a Service instead", [k8s.label(obj), k8s.container_label(c), p.hostPort])
}
