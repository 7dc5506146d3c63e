# METADATA
# title: DestinationRule hosts resolve to Services of the submission
# description: >-
#   A DestinationRule applies its traffic policy (TLS mode, connection pool,
#   outlier detection) to the host it names. A host that matches no Service
#   is silently ignored, so MinIO runs without the policy the student wrote.
#   The lab expects one DestinationRule for MinIO's Service.
# custom:
#   id: ISTIO-006
#   name: destinationrule-host-exists
#   lab: istio
#   severity: error
#   remediation: >-
#     Set `spec.host` to the MinIO Service, preferably in full
#     (`minio.minio.svc.cluster.local`).
#   related: [istioctl IST0101]
#   examples:
#     fail: |
#       apiVersion: v1
#       kind: Service
#       metadata:
#         name: minio
#         namespace: minio
#       spec:
#         ports:
#           - {name: http-api, port: 9000}
#       ---
#       apiVersion: networking.istio.io/v1
#       kind: DestinationRule
#       metadata:
#         name: minio
#         namespace: minio
#       spec:
#         host: minio.storage.svc.cluster.local
#         trafficPolicy:
#           tls:
#             mode: ISTIO_MUTUAL
#     pass: |
#       apiVersion: v1
#       kind: Service
#       metadata:
#         name: minio
#         namespace: minio
#       spec:
#         ports:
#           - {name: http-api, port: 9000}
#       ---
#       apiVersion: networking.istio.io/v1
#       kind: DestinationRule
#       metadata:
#         name: minio
#         namespace: minio
#       spec:
#         host: minio.minio.svc.cluster.local
#         trafficPolicy:
#           tls:
#             mode: ISTIO_MUTUAL
package labcheck.istio.destinationrule_host

import data.labcheck.lib.istio

deny contains {"msg": msg, "file": dr.file, "line": istio.line(dr, "spec.host")} if {
	some dr in istio.destination_rules
	host := istio.spec(dr).host
	is_string(host)
	not istio.resolves(host, istio.ns(dr))
	msg := sprintf("%s: host %s not found (%s); Services in the submission: %s", [istio.label(dr), host, istio.looked_for(host, istio.ns(dr)), istio.known_services])
}

deny contains {"msg": msg, "file": input.expected.dir, "line": 0} if {
	count(istio.istio_objects) > 0
	count(istio.destination_rules) == 0
	msg := "no DestinationRule in the submission: traffic to MinIO gets no traffic policy (TLS mode, connection pool, outlier detection)"
}
