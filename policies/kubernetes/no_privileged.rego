# METADATA
# title: Containers are not privileged and cannot escalate
# description: >-
#   A privileged container, or one with CAP_SYS_ADMIN or all capabilities,
#   has the node's kernel at its disposal; allowPrivilegeEscalation lets a
#   process gain more privileges than its parent (setuid binaries). MinIO
#   needs none of them, and labcheck's dynamic phase refuses to deploy them.
# custom:
#   id: K8S-020
#   name: no-privileged
#   lab: kubernetes
#   severity: error
#   remediation: Remove privileged and added capabilities; set allowPrivilegeEscalation false and capabilities.drop [ALL].
#   related: [kube-linter privileged-container, kube-linter privilege-escalation-container, Trivy KSV-0017, Trivy KSV-0001, Trivy KSV-0005, Checkov CKV_K8S_16, Checkov CKV_K8S_20, Checkov CKV_K8S_39]
#   examples:
#     fail: |
#       apiVersion: v1
#       kind: Pod
#       metadata:
#         name: minio
#       spec:
#         containers:
#           - name: minio
#             image: quay.io/minio/minio:RELEASE.2025-04-22T22-12-26Z
#             securityContext: {privileged: true}
#     pass: |
#       apiVersion: v1
#       kind: Pod
#       metadata:
#         name: minio
#       spec:
#         containers:
#           - name: minio
#             image: quay.io/minio/minio:RELEASE.2025-04-22T22-12-26Z
#             securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}
package labcheck.kubernetes.no_privileged

import data.labcheck.lib.k8s

dangerous_caps := {"ALL", "SYS_ADMIN", "CAP_SYS_ADMIN", "NET_ADMIN", "CAP_NET_ADMIN", "SYS_PTRACE", "CAP_SYS_PTRACE", "SYS_MODULE", "CAP_SYS_MODULE"}

deny contains {"msg": msg, "file": obj.file, "line": k8s.line(obj, concat(".", [c.path, "securityContext.privileged"]))} if {
	some obj in k8s.workloads
	some c in k8s.containers(obj)
	c.spec.securityContext.privileged == true
	msg := sprintf("%s: %s is privileged: it has full access to the node; remove privileged: true", [k8s.label(obj), k8s.container_label(c)])
}

deny contains {"msg": msg, "file": obj.file, "line": k8s.line(obj, concat(".", [c.path, "securityContext.allowPrivilegeEscalation"]))} if {
	some obj in k8s.workloads
	some c in k8s.containers(obj)
	c.spec.securityContext.allowPrivilegeEscalation == true
	msg := sprintf("%s: %s sets allowPrivilegeEscalation: true; set it to false", [k8s.label(obj), k8s.container_label(c)])
}

deny contains {"msg": msg, "file": obj.file, "line": k8s.line(obj, sprintf("%s.securityContext.capabilities.add[%d]", [c.path, i]))} if {
	some obj in k8s.workloads
	some c in k8s.containers(obj)
	some i, cap in object.get(c.spec, ["securityContext", "capabilities", "add"], [])
	upper(cap) in dangerous_caps
	msg := sprintf("%s: %s adds capability %s, which gives it control of the node; drop it", [k8s.label(obj), k8s.container_label(c), cap])
}
