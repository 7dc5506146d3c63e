# METADATA
# title: Container images are pinned
# description: >-
#   An image without a tag means `latest`, and `latest` is a moving pointer:
#   each pod of a StatefulSet may run a different MinIO release, depending on
#   when its node pulled it, and a restart can upgrade a pod across a
#   breaking change without any change to the manifest.
# custom:
#   id: K8S-013
#   name: image-pinned
#   lab: kubernetes
#   severity: error
#   remediation: Use a release tag (quay.io/minio/minio:RELEASE.2025-04-22T22-12-26Z) or a digest.
#   related: [kube-linter latest-tag, kube-score container-image-tag, Trivy KSV-0013, Checkov CKV_K8S_14]
#   examples:
#     fail: |
#       apiVersion: v1
#       kind: Pod
#       metadata:
#         name: minio
#       spec:
#         containers:
#           - name: minio
#             image: quay.io/minio/minio:latest
#     pass: |
#       apiVersion: v1
#       kind: Pod
#       metadata:
#         name: minio
#       spec:
#         containers:
#           - name: minio
#             image: quay.io/minio/minio:RELEASE.2025-04-22T22-12-26Z
package labcheck.kubernetes.image_pinned

import data.labcheck.lib.k8s

deny contains {"msg": msg, "file": obj.file, "line": k8s.line(obj, concat(".", [c.path, "image"]))} if {
	some obj in k8s.workloads
	some c in k8s.containers(obj)
	ref := c.spec.image
	is_string(ref)
	ref != ""
	img := k8s.image(ref)
	img.digest == ""
	problem := unpinned(img)
	msg := sprintf("%s: %s image %s %s; pin a release tag or a digest", [k8s.label(obj), k8s.container_label(c), ref, problem])
}

unpinned(img) := "has no tag, so it means latest" if img.tag == ""

unpinned(img) := "uses the mutable tag latest" if img.tag == "latest"
