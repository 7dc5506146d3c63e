# METADATA
# title: The lab has Istio objects
# description: >-
#   Lab 4 is graded on the Istio objects that manage MinIO's traffic. Without
#   any, every other Istio check would pass for want of anything to judge;
#   this rule says so once, at the lab's folder, instead of charging a
#   Gateway reference that was never written.
# custom:
#   id: ISTIO-012
#   name: istio-objects-present
#   lab: istio
#   severity: error
#   remediation: >-
#     Add the lab's objects (networking.istio.io Gateway, VirtualService and
#     DestinationRule; security.istio.io PeerAuthentication and
#     AuthorizationPolicy) as YAML files in labs/istio, or map your folder to
#     the istio lab in .labcheck.yaml.
#   examples:
#     fail:
#       service.yaml: |
#         apiVersion: v1
#         kind: Service
#         metadata:
#           name: minio
#           namespace: minio
#         spec:
#           ports:
#             - {name: http-api, port: 9000}
#     pass: |
#       apiVersion: networking.istio.io/v1
#       kind: PeerAuthentication
#       metadata:
#         name: default
#         namespace: minio
#       spec:
#         mtls:
#           mode: STRICT
package labcheck.istio.istio_objects_present

import data.labcheck.lib.istio

deny contains {"msg": msg, "file": input.expected.dir, "line": 0} if {
	count(istio.istio_objects) == 0
	count(input.problems) == 0
	msg := sprintf("no Istio objects found in %s; expected a Gateway, a VirtualService, a DestinationRule, a PeerAuthentication and an AuthorizationPolicy (networking.istio.io, security.istio.io)", [input.expected.dir])
}
