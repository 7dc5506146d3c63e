# METADATA
# title: Routes lead to deployed Services
# description: >-
#   The static rules check routes against the submission's files; this one
#   checks them against the cluster after the Kubernetes lab is deployed:
#   every VirtualService destination and DestinationRule host must be a
#   Service that exists (short, namespaced or cluster-local name), on a port
#   it has. Hosts declared by a ServiceEntry are external and left alone.
# custom:
#   id: DYN-031
#   name: istio-routes-deployed
#   lab: istio
#   severity: error
#   remediation: >-
#     Point destinations at the MinIO Service the Kubernetes lab deploys (for
#     example minio.minio.svc.cluster.local) and at one of its ports (9000
#     for the S3 API).
#   related: [istioctl analyze IST0101]
#   examples:
#     fail:
#       istio.yaml: |
#         apiVersion: networking.istio.io/v1
#         kind: VirtualService
#         metadata:
#           name: minio
#           namespace: minio
#         spec:
#           hosts: [minio.example.com]
#           gateways: [minio-gateway]
#           http:
#             - route:
#                 - destination:
#                     host: minio.storage.svc.cluster.local
#                     port: {number: 9000}
#     pass:
#       istio.yaml: |
#         apiVersion: networking.istio.io/v1
#         kind: VirtualService
#         metadata:
#           name: minio
#           namespace: minio
#         spec:
#           hosts: [minio.example.com]
#           gateways: [minio-gateway]
#           http:
#             - route:
#                 - destination:
#                     host: minio.minio.svc.cluster.local
#                     port: {number: 9000}
package labcheck.dynamic.istio_routes_deployed

# Raised only by `labcheck verify`: the dynamic phase reports what it
# found in input.findings; this rule keeps those with its id.
deny contains object.filter(f, {"msg", "file", "line", "severity"}) if {
	some f in input.findings
	f.rule == "DYN-031"
}
