# METADATA
# title: Templates do not rely on a cluster, DNS or files outside the chart
# description: >-
#   labcheck renders charts offline, like `helm template`: `lookup` has no
#   cluster to ask and returns an empty map, `getHostByName` resolves nothing,
#   and `.Files` sees only the chart's own files, and of those only the ones
#   labcheck reads (not binary or oversized files, nor symlinks leading out
#   of the chart, which Helm would read). A template that depends on
#   them renders differently here than on `helm install`, so what labcheck
#   judges may not be what gets deployed. This is information, not a fault:
#   `lookup` has legitimate uses (keeping a generated password on upgrade).
# custom:
#   id: HELM-013
#   name: sandbox-withheld
#   lab: helm
#   severity: info
#   remediation: >-
#     Make the template render sensibly when lookup returns nothing (`if not (lookup ...)`), take hosts from values
#     instead of resolving them, and keep files the chart reads inside the chart folder.
#   related: [helm template (lookup returns an empty map)]
#   examples:
#     fail:
#       minio/Chart.yaml: |
#         apiVersion: v2
#         name: minio
#         version: 0.1.0
#       minio/templates/secret.yaml: |
#         apiVersion: v1
#         kind: Secret
#         metadata:
#           name: {{ .Release.Name }}
#         data:
#           rootPassword: {{ (lookup "v1" "Secret" .Release.Namespace .Release.Name).data.rootPassword | default (randAlphaNum 24 | b64enc) }}
#     pass:
#       minio/Chart.yaml: |
#         apiVersion: v2
#         name: minio
#         version: 0.1.0
#       minio/values.yaml: |
#         rootPassword: change-me
#       minio/templates/secret.yaml: |
#         apiVersion: v1
#         kind: Secret
#         metadata:
#           name: {{ .Release.Name }}
#         data:
#           rootPassword: {{ .Values.rootPassword | b64enc }}
package labcheck.helm.sandbox_withheld

deny contains {"msg": p.message, "file": p.file, "line": p.line} if {
	some p in input.withheld
}
