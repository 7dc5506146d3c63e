# METADATA
# title: Containers run as a non-root user
# description: >-
#   A container that runs as root turns any escape or file-system bug into
#   root on the node's volumes. The MinIO image runs as root unless told
#   otherwise, so the pod must say so: runAsNonRoot true (the kubelet then
#   refuses to start a root container) and a non-zero runAsUser, on the pod
#   or the container.
# custom:
#   id: K8S-019
#   name: run-as-non-root
#   lab: kubernetes
#   severity: error
#   remediation: Set securityContext.runAsNonRoot true and runAsUser (and fsGroup, so the volume is writable) to a non-zero id, such as 1000, on the pod spec.
#   related: [kube-linter run-as-non-root, Trivy KSV-0012, Trivy KSV-0020, Checkov CKV_K8S_23, Checkov CKV_K8S_40, kube-score container-security-context-user-group-id]
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
#     pass: |
#       apiVersion: v1
#       kind: Pod
#       metadata:
#         name: minio
#       spec:
#         securityContext: {runAsNonRoot: true, runAsUser: 1000, fsGroup: 1000}
#         containers:
#           - name: minio
#             image: quay.io/minio/minio:RELEASE.2025-04-22T22-12-26Z
package labcheck.kubernetes.run_as_non_root

import data.labcheck.lib.k8s
import data.labcheck.lib.minio

# setting is a securityContext field as the container sees it: its own,
# else the pod's; {"value", "path"}.
setting(obj, c, field) := {"value": v, "path": sprintf("%s.securityContext.%s", [c.path, field])} if {
	v := c.spec.securityContext[field]
	v != null
} else := {"value": v, "path": sprintf("%s.securityContext.%s", [k8s.pod_spec_path(obj), field])} if {
	v := k8s.pod_spec(obj).securityContext[field]
	v != null
}

deny contains {"msg": msg, "file": obj.file, "line": k8s.line(obj, user.path)} if {
	some obj in k8s.workloads
	some c in k8s.containers(obj)
	user := setting(obj, c, "runAsUser")
	user.value == 0
	msg := sprintf("%s: %s runs as root (runAsUser: 0); use a non-zero user id such as 1000", [k8s.label(obj), k8s.container_label(c)])
}

deny contains {"msg": msg, "file": obj.file, "line": k8s.line(obj, concat(".", [c.path, "securityContext"]))} if {
	some obj in k8s.workloads
	some c in k8s.containers(obj)
	not setting(obj, c, "runAsUser")
	not non_root(obj, c)
	msg := sprintf("%s: %s may run as root: neither it nor the pod sets runAsNonRoot: true or a runAsUser, so the image decides%s; set securityContext.runAsNonRoot: true and runAsUser: 1000", [k8s.label(obj), k8s.container_label(c), image_user(c, " (MinIO's runs as root)")])
}

deny contains {"msg": msg, "file": obj.file, "line": k8s.line(obj, nonroot.path)} if {
	some obj in k8s.workloads
	some c in k8s.containers(obj)
	not setting(obj, c, "runAsUser")
	nonroot := setting(obj, c, "runAsNonRoot")
	nonroot.value == false
	msg := sprintf("%s: %s sets runAsNonRoot: false and no runAsUser, so it runs as the image's user%s; set runAsNonRoot: true and runAsUser: 1000", [k8s.label(obj), k8s.container_label(c), image_user(c, ", root for MinIO")])
}

non_root(obj, c) if setting(obj, c, "runAsNonRoot").value == true

# image_user is what a message may say about the image's own user: MinIO's
# image runs as root; of other images labcheck knows nothing.
image_user(c, text) := text if minio.is_server(c)

else := ""
