# METADATA
# title: The rendered chart passes the Kubernetes rules
# description: >-
#   A chart is only as good as what it renders. labcheck runs every rule of
#   the kubernetes lab on the chart's rendered manifests (with its default
#   values and each ci/*-values.yaml) and reports their findings under the
#   helm lab, with their K8S ids, at the template line that wrote the field
#   (the line of the nearest enclosing key when a helper or toYaml wrote it).
#   This rule sums them up and is the one that counts: it fails while any
#   of them is at warning or above, with the severity of the worst, and
#   each Kubernetes finding on the chart is information pointing at the line
#   to fix (one defect, one error). When every one of them is waived, so is
#   the summary, and the rubric's waiver policy decides. Rules about what
#   the namespace must hold rather than what the chart ships (a
#   ResourceQuota the chart does not ship) do not judge charts; see
#   internal/render/README.md. A chart that does not render with its
#   default values is HELM-000's error; this rule then only notes that
#   nothing could be checked.
# custom:
#   id: HELM-012
#   name: rendered-manifests-valid
#   lab: helm
#   severity: error
#   remediation: >-
#     Fix the K8S findings listed under the helm lab in the templates they point at (or in values.yaml, when
#     the value is wrong), then rerun labcheck.
#   related: [kube-linter (lint a chart), kube-score (helm template | kube-score score -)]
#   examples:
#     fail:
#       minio/Chart.yaml: |
#         apiVersion: v2
#         name: minio
#         version: 0.1.0
#       minio/templates/deployment.yaml: |
#         apiVersion: apps/v1
#         kind: Deployment
#         metadata:
#           name: {{ .Release.Name }}
#         spec:
#           replicas: 1
#           selector:
#             matchLabels: {app: minio}
#           template:
#             metadata:
#               labels: {app: minio}
#             spec:
#               containers:
#                 - name: minio
#                   image: quay.io/minio/minio:latest
#                   args: [server, /data]
#     pass:
#       minio/Chart.yaml: |
#         apiVersion: v2
#         name: minio
#         version: 0.1.0
#       minio/templates/minio.yaml: |
#         apiVersion: v1
#         kind: ResourceQuota
#         metadata:
#           name: minio
#         spec:
#           hard: {requests.cpu: "2", requests.memory: 4Gi, limits.cpu: "4", limits.memory: 6Gi, requests.storage: 20Gi}
#         ---
#         apiVersion: v1
#         kind: Secret
#         metadata:
#           name: minio
#         stringData: {rootUser: minio-admin, rootPassword: change-me-in-production-9f3b}
#         ---
#         apiVersion: policy/v1
#         kind: PodDisruptionBudget
#         metadata:
#           name: minio
#         spec:
#           minAvailable: 3
#           selector:
#             matchLabels: {app: minio}
#         ---
#         apiVersion: v1
#         kind: Service
#         metadata:
#           name: minio-headless
#         spec:
#           clusterIP: None
#           publishNotReadyAddresses: true
#           selector: {app: minio}
#           ports: [{name: http-api, port: 9000, targetPort: api}]
#         ---
#         apiVersion: apps/v1
#         kind: StatefulSet
#         metadata:
#           name: minio
#         spec:
#           serviceName: minio-headless
#           replicas: 4
#           podManagementPolicy: Parallel
#           selector:
#             matchLabels: {app: minio}
#           template:
#             metadata:
#               labels: {app: minio}
#             spec:
#               securityContext:
#                 runAsNonRoot: true
#                 runAsUser: 1000
#                 fsGroup: 1000
#                 seccompProfile: {type: RuntimeDefault}
#               affinity:
#                 podAntiAffinity:
#                   preferredDuringSchedulingIgnoredDuringExecution:
#                     - weight: 100
#                       podAffinityTerm:
#                         topologyKey: kubernetes.io/hostname
#                         labelSelector:
#                           matchLabels: {app: minio}
#               containers:
#                 - name: minio
#                   image: quay.io/minio/minio:RELEASE.2025-04-22T22-12-26Z
#                   args: [server, "http://minio-{0...3}.minio-headless.minio.svc.cluster.local/data"]
#                   env:
#                     - name: MINIO_ROOT_USER
#                       valueFrom: {secretKeyRef: {name: minio, key: rootUser}}
#                     - name: MINIO_ROOT_PASSWORD
#                       valueFrom: {secretKeyRef: {name: minio, key: rootPassword}}
#                   ports: [{name: api, containerPort: 9000}]
#                   resources:
#                     requests: {cpu: 250m, memory: 512Mi}
#                     limits: {cpu: 500m, memory: 768Mi}
#                   livenessProbe:
#                     httpGet: {path: /minio/health/live, port: api}
#                   readinessProbe:
#                     httpGet: {path: /minio/health/ready, port: api}
#                   securityContext:
#                     allowPrivilegeEscalation: false
#                     capabilities: {drop: [ALL]}
#                   volumeMounts: [{name: data, mountPath: /data}]
#           volumeClaimTemplates:
#             - metadata:
#                 name: data
#               spec:
#                 accessModes: [ReadWriteOnce]
#                 storageClassName: standard
#                 resources:
#                   requests: {storage: 1Gi}
package labcheck.helm.rendered_manifests_valid

deny contains {"msg": msg, "file": first.file, "line": first.line, "severity": worst(chart.kubernetes)} if {
	some chart in input.charts
	count(chart.kubernetes) > 0
	first := chart.kubernetes[0]
	rules := {sprintf("%s %s", [f.rule, f.name]) | some f in chart.kubernetes}
	msg := sprintf("the manifests %s renders fail %d Kubernetes rule(s): %s; each finding is listed under the helm lab at the template line (this is the first)", [chart.dir, count(rules), concat(", ", sort(rules))])
}

worst(fs) := "error" if {
	some f in fs
	f.severity == "error"
} else := "warning"

deny contains {"msg": msg, "file": chart.chart_yaml.file, "line": 0, "severity": "info"} if {
	some chart in input.charts
	some r in chart.renders
	r.values == concat("/", [chart.dir, "values.yaml"])
	not r.rendered
	msg := sprintf("the manifests of %s could not be checked against the Kubernetes rules: the chart does not render with its default values", [chart.dir])
}
