# METADATA
# title: Service target ports match container ports
# description: >-
#   A Service forwards each port to its targetPort on the selected pods. A
#   named targetPort must be the name of a container port, or the Service
#   has no endpoints for that port; a number that no container declares is
#   most often a typo (the traffic goes to a port nothing listens on).
# custom:
#   id: K8S-007
#   name: service-target-port
#   lab: kubernetes
#   severity: error
#   remediation: Set targetPort to a container port's name (api) or number (9000), as declared in the pod template's ports.
#   related: [kube-linter dangling-service, istioctl IST0112]
#   examples:
#     fail: |
#       apiVersion: v1
#       kind: Service
#       metadata:
#         name: minio
#       spec:
#         selector: {app: minio}
#         ports: [{name: http-api, port: 9000, targetPort: http}]
#       ---
#       apiVersion: apps/v1
#       kind: StatefulSet
#       metadata:
#         name: minio
#       spec:
#         serviceName: minio
#         selector:
#           matchLabels: {app: minio}
#         template:
#           metadata:
#             labels: {app: minio}
#           spec:
#             containers:
#               - name: minio
#                 image: quay.io/minio/minio:RELEASE.2025-04-22T22-12-26Z
#                 ports: [{name: api, containerPort: 9000}]
#     pass: |
#       apiVersion: v1
#       kind: Service
#       metadata:
#         name: minio
#       spec:
#         selector: {app: minio}
#         ports: [{name: http-api, port: 9000, targetPort: api}]
#       ---
#       apiVersion: apps/v1
#       kind: StatefulSet
#       metadata:
#         name: minio
#       spec:
#         serviceName: minio
#         selector:
#           matchLabels: {app: minio}
#         template:
#           metadata:
#             labels: {app: minio}
#           spec:
#             containers:
#               - name: minio
#                 image: quay.io/minio/minio:RELEASE.2025-04-22T22-12-26Z
#                 ports: [{name: api, containerPort: 9000}]
package labcheck.kubernetes.service_target_port

import data.labcheck.lib.k8s

deny contains {"msg": msg, "file": svc.file, "line": k8s.line(svc, sprintf("spec.ports[%d].targetPort", [i]))} if {
	some t in targets
	[svc, i, port, target, pods] := t
	is_string(target)
	not named_port(pods, target)
	msg := sprintf("Service %s port %v: targetPort %s is not the name of a container port of %s (%s); the Service has no endpoints for it", [svc.name, port.port, target, owners(pods), ports_text(pods)])
}

deny contains {"msg": msg, "file": svc.file, "line": k8s.line(svc, sprintf("spec.ports[%d].targetPort", [i])), "severity": "warning"} if {
	some t in targets
	[svc, i, port, target, pods] := t
	is_number(target)
	not numbered_port(pods, target)
	msg := sprintf("Service %s port %v: targetPort %v is not a container port of %s (%s); check that the container listens on it", [svc.name, port.port, target, owners(pods), ports_text(pods)])
}

# targets holds, for each port of each Service with a selector that selects
# pods, [svc, index, port, targetPort, selected workloads].
targets contains [svc, i, port, target, pods] if {
	some svc in k8s.of_kind("Service")
	sel := object.get(svc.object, ["spec", "selector"], {})
	is_object(sel)
	count(sel) > 0
	pods := [w | some w in k8s.workloads_in(k8s.namespace(svc)); k8s.map_matches(sel, k8s.pod_labels(w))]
	count(pods) > 0
	some i, port in object.get(svc.object, ["spec", "ports"], [])
	target := object.get(port, "targetPort", object.get(port, "port", 0))
}

container_ports(pods) := [p |
	some w in pods
	some c in k8s.containers(w)
	some p in object.get(c.spec, "ports", [])
]

named_port(pods, name) if {
	some p in container_ports(pods)
	p.name == name
}

numbered_port(pods, n) if {
	some p in container_ports(pods)
	p.containerPort == n
}

owners(pods) := concat(", ", sort([k8s.label(w) | some w in pods]))

ports_text(pods) := "it declares no ports" if count(container_ports(pods)) == 0

else := sprintf("ports: %s", [concat(", ", sort([port_text(p) | some p in container_ports(pods)]))])

port_text(p) := sprintf("%v (%s)", [p.containerPort, p.name]) if p.name

else := sprintf("%v", [p.containerPort])
