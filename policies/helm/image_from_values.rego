# METADATA
# title: The image comes from values
# description: >-
#   Upgrading MinIO, or pulling it from a mirror, should be a values change
#   (--set image.tag=...), not an edit of the chart's templates. An image
#   written in a template, entirely or in part (a literal repository with a
#   templated tag), cannot be changed without forking the chart. Test hooks
#   under templates/tests/ are exempt: their tool images are the chart's own
#   business.
# custom:
#   id: HELM-009
#   name: image-from-values
#   lab: helm
#   severity: error
#   remediation: >-
#     Write `image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"` and put the repository and tag in
#     values.yaml.
#   related: [helm create (image.repository, image.tag)]
#   examples:
#     fail:
#       minio/Chart.yaml: |
#         apiVersion: v2
#         name: minio
#         version: 0.1.0
#       minio/templates/pod.yaml: |
#         apiVersion: v1
#         kind: Pod
#         metadata:
#           name: {{ .Release.Name }}
#         spec:
#           containers:
#             - name: minio
#               image: quay.io/minio/minio:RELEASE.2025-04-22T22-12-26Z
#     pass:
#       minio/Chart.yaml: |
#         apiVersion: v2
#         name: minio
#         version: 0.1.0
#       minio/values.yaml: |
#         image: {repository: quay.io/minio/minio, tag: RELEASE.2025-04-22T22-12-26Z}
#       minio/templates/pod.yaml: |
#         apiVersion: v1
#         kind: Pod
#         metadata:
#           name: {{ .Release.Name }}
#         spec:
#           containers:
#             - name: minio
#               image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
package labcheck.helm.image_from_values

import data.labcheck.lib.helm

deny contains {"msg": msg, "file": t.file, "line": k.line} if {
	some chart in input.charts
	some t in helm.manifest_templates(chart)
	not t.test
	some k in t.keys
	k.key == "image"
	helm.key_literal(k) != ""
	msg := message(t, k, trim(k.value, `"'`))
}

message(t, k, image) := sprintf("%s hard-codes the image %s; take it from values: image: \"{{ .Values.image.repository }}:{{ .Values.image.tag }}\"", [t.path, image]) if not helm.key_action(k)

message(t, k, image) := sprintf("%s writes part of the image literally (%s); take the repository and the tag from values: image: \"{{ .Values.image.repository }}:{{ .Values.image.tag }}\"", [t.path, image]) if helm.key_action(k)
