# METADATA
# title: The chart renders within labcheck's limits
# description: >-
#   Charts are untrusted code: labcheck renders them in a sandbox that gives
#   each render 2 seconds and reads at most 4 MiB of rendered text. A real
#   chart renders in milliseconds to a few kilobytes; a render past either
#   limit is a runaway loop or recursion (range until with a huge count, a
#   helper that includes itself) and would hang or flood `helm install` too.
#   A single call that would build a huge list or string at once (`until`,
#   `seq`, `repeat` with a count over 4 Mi) is refused before rendering.
#   When one template holds such a loop, the finding points at it.
# custom:
#   id: HELM-011
#   name: render-within-limits
#   lab: helm
#   severity: error
#   remediation: >-
#     Bound the loop: range over a value the chart controls (`range $i := until (int .Values.replicaCount)`), and
#     make sure recursive helpers stop.
#   related: [helm template]
#   examples:
#     fail:
#       minio/Chart.yaml: |
#         apiVersion: v2
#         name: minio
#         version: 0.1.0
#       minio/templates/configmap.yaml: |
#         apiVersion: v1
#         kind: ConfigMap
#         metadata:
#           name: {{ .Release.Name }}
#         data:
#         {{- range $i := until 50000 }}
#           key{{ $i }}: "a long value, repeated until the rendered text outgrows what labcheck reads"
#         {{- end }}
#     pass:
#       minio/Chart.yaml: |
#         apiVersion: v2
#         name: minio
#         version: 0.1.0
#       minio/templates/configmap.yaml: |
#         apiVersion: v1
#         kind: ConfigMap
#         metadata:
#           name: {{ .Release.Name }}
#         data:
#         {{- range $i := until 4 }}
#           key{{ $i }}: "a value"
#         {{- end }}
package labcheck.helm.render_limits

deny contains {"msg": p.message, "file": p.file, "line": p.line} if {
	some p in input.limits
}
