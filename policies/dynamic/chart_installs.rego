# METADATA
# title: The chart installs and becomes Ready
# description: >-
#   labcheck verify renders the chart client-side, puts every object and hook
#   through the deploy security gate, then installs it with Helm's Go SDK
#   (action.Install) into its own namespace and waits (bounded) for its
#   StatefulSets and Deployments to be Ready, explaining with events and logs
#   when they are not.
# custom:
#   id: DYN-020
#   name: chart-installs
#   lab: helm
#   severity: error
#   remediation: >-
#     Install it yourself on a kind cluster (`helm install minio
#     labs/helm/minio -n test --create-namespace`) and read the events of
#     what stays pending.
#   related: [helm install, chart-testing ct install]
#   examples:
#     fail:
#       minio/Chart.yaml: |
#         apiVersion: v2
#         name: minio
#         version: 0.1.0
#         appVersion: RELEASE.2025-04-22T22-12-26Z
#       minio/templates/statefulset.yaml: |
#         apiVersion: apps/v1
#         kind: StatefulSet
#         metadata:
#           name: minio
#         spec:
#           serviceName: minio-headless
#           replicas: {{ .Values.replicaCount }}
#           selector:
#             matchLabels: {app: minio}
#           template:
#             metadata:
#               labels: {app: minio}
#             spec:
#               containers:
#                 - name: minio
#                   image: quay.io/minio/minio:RELEASE.2025-04-22T22-12-26Z
#                   args: [server, "http://minio-{0...3}.minio-headless.{{ .Release.Namespace }}.svc.cluster.local/data"]
#                   volumeMounts: [{name: data, mountPath: /data}]
#           volumeClaimTemplates:
#             - metadata: {name: data}
#               spec:
#                 accessModes: [ReadWriteOnce]
#                 resources: {requests: {storage: 1Gi}}
#       minio/values.yaml: |
#         replicaCount: 4
#     pass:
#       minio/Chart.yaml: |
#         apiVersion: v2
#         name: minio
#         version: 0.1.0
#         appVersion: RELEASE.2025-04-22T22-12-26Z
#       minio/templates/statefulset.yaml: |
#         apiVersion: apps/v1
#         kind: StatefulSet
#         metadata:
#           name: minio
#         spec:
#           serviceName: minio-headless
#           replicas: {{ .Values.replicaCount }}
#           podManagementPolicy: Parallel
#           selector:
#             matchLabels: {app: minio}
#           template:
#             metadata:
#               labels: {app: minio}
#             spec:
#               containers:
#                 - name: minio
#                   image: quay.io/minio/minio:RELEASE.2025-04-22T22-12-26Z
#                   args: [server, "http://minio-{0...3}.minio-headless.{{ .Release.Namespace }}.svc.cluster.local/data"]
#                   volumeMounts: [{name: data, mountPath: /data}]
#           volumeClaimTemplates:
#             - metadata: {name: data}
#               spec:
#                 accessModes: [ReadWriteOnce]
#                 resources: {requests: {storage: 1Gi}}
#       minio/values.yaml: |
#         replicaCount: 4
package labcheck.dynamic.chart_installs

# Raised only by `labcheck verify`: the dynamic phase reports what it
# found in input.findings; this rule keeps those with its id.
deny contains object.filter(f, {"msg", "file", "line", "severity"}) if {
	some f in input.findings
	f.rule == "DYN-020"
}
