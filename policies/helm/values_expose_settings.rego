# METADATA
# title: values.yaml exposes the chart's settings
# description: >-
#   A chart is parameterized through values.yaml: whoever installs MinIO sets
#   the number of servers (replicaCount), the image (image.repository and
#   image.tag), the pods' resources and their storage (persistence) there,
#   with --set or a values file, instead of editing templates. Each of these
#   must have a default in values.yaml, which also documents it.
# custom:
#   id: HELM-006
#   name: values-expose-settings
#   lab: helm
#   severity: error
#   remediation: >-
#     Add the missing keys to values.yaml with sensible defaults (replicaCount, image.repository, image.tag,
#     resources, persistence) and use them in the templates through .Values.
#   related: [helm create (values.yaml layout)]
#   examples:
#     fail:
#       minio/Chart.yaml: |
#         apiVersion: v2
#         name: minio
#         version: 0.1.0
#       minio/values.yaml: |
#         replicas: 4
#         image: quay.io/minio/minio:RELEASE.2025-04-22T22-12-26Z
#     pass:
#       minio/Chart.yaml: |
#         apiVersion: v2
#         name: minio
#         version: 0.1.0
#       minio/values.yaml: |
#         replicaCount: 4
#         image:
#           repository: quay.io/minio/minio
#           tag: RELEASE.2025-04-22T22-12-26Z
#         resources:
#           requests: {cpu: 250m, memory: 512Mi}
#           limits: {cpu: 500m, memory: 768Mi}
#         persistence:
#           enabled: true
#           size: 1Gi
package labcheck.helm.values_expose_settings

import data.labcheck.lib.helm

# settings are the values the lab asks for, with what each one is for.
settings := {
	"replicaCount": "the number of MinIO servers",
	"image.repository": "the MinIO image's repository",
	"image.tag": "the MinIO image's tag",
	"resources": "the pods' requests and limits",
	"persistence": "the servers' volumes (size, storage class)",
}

deny contains {"msg": msg, "file": chart.dir, "line": 0} if {
	some chart in input.charts
	not chart.values.present
	msg := sprintf("the chart has no values.yaml; add one that sets %s", [concat(", ", sort(object.keys(settings)))])
}

deny contains {"msg": msg, "file": chart.values.file, "line": helm.value_line(chart, path)} if {
	some chart in input.charts
	chart.values.parsed
	some path, what in settings
	not has_path(chart.values.object, split(path, "."))
	msg := sprintf("values.yaml does not set %s (%s); add a default for it", [path, what])
}

has_path(obj, path) if object.get(obj, path, null) != null
