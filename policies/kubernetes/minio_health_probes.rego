# METADATA
# title: MinIO is probed on its health endpoints
# description: >-
#   MinIO serves /minio/health/live (the process is up) and
#   /minio/health/ready (the node can serve requests). Liveness must use the
#   first: a liveness probe on a cluster-wide check restarts every pod at
#   once when quorum is briefly lost. Readiness must use the second, so that
#   the Service sends requests only to pods that can answer them. A probe on
#   a port the container does not declare always fails.
# custom:
#   id: K8S-015
#   name: minio-health-probes
#   lab: kubernetes
#   severity: error
#   remediation: Add livenessProbe.httpGet {path /minio/health/live, port api} and readinessProbe.httpGet {path /minio/health/ready, port api} to the MinIO container.
#   related: [kube-score pod-probes, kube-linter no-liveness-probe, kube-linter no-readiness-probe]
#   examples:
#     fail: |
#       apiVersion: v1
#       kind: Pod
#       metadata:
#         name: minio
#       spec:
#         containers:
#           - name: minio
#             image: quay.io/minio/minio:RELEASE.2025-04-22T22-12-26Z
#             ports: [{name: api, containerPort: 9000}]
#             livenessProbe:
#               httpGet: {path: /minio/health/live, port: api}
#     pass: |
#       apiVersion: v1
#       kind: Pod
#       metadata:
#         name: minio
#       spec:
#         containers:
#           - name: minio
#             image: quay.io/minio/minio:RELEASE.2025-04-22T22-12-26Z
#             ports: [{name: api, containerPort: 9000}]
#             livenessProbe:
#               httpGet: {path: /minio/health/live, port: api}
#             readinessProbe:
#               httpGet: {path: /minio/health/ready, port: api}
package labcheck.kubernetes.minio_health_probes

import data.labcheck.lib.k8s
import data.labcheck.lib.minio

probes := {"livenessProbe": "/minio/health/live", "readinessProbe": "/minio/health/ready"}

servers contains [obj, c] if {
	some obj in minio.workloads
	c := minio.container(obj)
}

deny contains {"msg": msg, "file": obj.file, "line": k8s.line(obj, c.path)} if {
	some [obj, c] in servers
	some probe, path in probes
	not c.spec[probe]
	msg := sprintf("%s: MinIO container %s has no %s; add one with httpGet path %s on the API port", [k8s.label(obj), c.name, probe, path])
}

deny contains {"msg": msg, "file": obj.file, "line": k8s.line(obj, sprintf("%s.%s", [c.path, probe]))} if {
	some [obj, c] in servers
	some probe, path in probes
	p := c.spec[probe]
	not p.httpGet
	msg := sprintf("%s: MinIO container %s's %s does not use httpGet; probe MinIO's own health endpoint: httpGet path %s", [k8s.label(obj), c.name, probe, path])
}

deny contains {"msg": msg, "file": obj.file, "line": k8s.line(obj, sprintf("%s.%s.httpGet.path", [c.path, probe]))} if {
	some [obj, c] in servers
	some probe, path in probes
	got := object.get(c.spec[probe].httpGet, "path", "/")
	got != path
	msg := sprintf("%s: MinIO container %s's %s checks %s; it must check %s%s", [k8s.label(obj), c.name, probe, got, path, why(probe, got)])
}

deny contains {"msg": msg, "file": obj.file, "line": k8s.line(obj, sprintf("%s.%s.httpGet.port", [c.path, probe]))} if {
	some [obj, c] in servers
	some probe, _ in probes
	port := c.spec[probe].httpGet.port
	is_string(port)
	not port in {p.name | some p in object.get(c.spec, "ports", []); p.name}
	msg := sprintf("%s: MinIO container %s's %s uses port %s, which is not the name of one of its ports; the probe always fails", [k8s.label(obj), c.name, probe, port])
}

why("livenessProbe", "/minio/health/cluster") := " (a cluster-wide check as liveness restarts every pod when quorum is briefly lost)"

why("livenessProbe", "/minio/health/ready") := " (readiness as liveness restarts pods that are only busy)"

why(probe, got) := "" if {
	not probe == "livenessProbe"
} else := "" if {
	not got in {"/minio/health/cluster", "/minio/health/ready"}
}
