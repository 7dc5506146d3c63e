# METADATA
# title: The chart's helm test hooks pass
# description: >-
#   A chart's `helm test` hooks are its own acceptance test; labcheck verify
#   runs them against the installed release, as `helm test` and chart-testing
#   do, and quotes the failing test pod's state, events and logs.
# custom:
#   id: DYN-021
#   name: chart-tests-pass
#   lab: helm
#   severity: error
#   remediation: >-
#     Run `helm test <release>` after installing and fix what the test pod's
#     logs say; a test should ask /minio/health/cluster of the release's
#     Service.
#   related: [helm test, chart-testing ct install]
#   examples:
#     fail:
#       minio/Chart.yaml: |
#         apiVersion: v2
#         name: minio
#         version: 0.1.0
#         appVersion: RELEASE.2025-04-22T22-12-26Z
#       minio/templates/tests/test-connection.yaml: |
#         apiVersion: v1
#         kind: Pod
#         metadata:
#           name: minio-test
#           annotations: {"helm.sh/hook": test}
#         spec:
#           restartPolicy: Never
#           containers:
#             - name: health
#               image: curlimages/curl:8.13.0
#               command: [curl, -fsS, "http://minio:9999/minio/health/cluster"]
#       minio/values.yaml: |
#         replicaCount: 4
#     pass:
#       minio/Chart.yaml: |
#         apiVersion: v2
#         name: minio
#         version: 0.1.0
#         appVersion: RELEASE.2025-04-22T22-12-26Z
#       minio/templates/tests/test-connection.yaml: |
#         apiVersion: v1
#         kind: Pod
#         metadata:
#           name: minio-test
#           annotations: {"helm.sh/hook": test}
#         spec:
#           restartPolicy: Never
#           containers:
#             - name: health
#               image: curlimages/curl:8.13.0
#               command: [curl, -fsS, "http://minio:9000/minio/health/cluster"]
#       minio/values.yaml: |
#         replicaCount: 4
package labcheck.dynamic.chart_tests_pass

# Raised only by `labcheck verify`: the dynamic phase reports what it
# found in input.findings; this rule keeps those with its id.
deny contains object.filter(f, {"msg", "file", "line", "severity"}) if {
	some f in input.findings
	f.rule == "DYN-021"
}
