# METADATA
# title: Every container sets cpu and memory requests and limits
# description: >-
#   Requests are what the scheduler reserves for a pod; limits are where the
#   kernel throttles it (cpu) or kills it (memory). Without requests, MinIO
#   pods may be packed onto a node that cannot serve them; without a memory
#   limit, one pod can starve its neighbours; and a namespace with a
#   ResourceQuota rejects pods that leave them out. A request above its limit
#   is rejected by the API server.
# custom:
#   id: K8S-010
#   name: container-resources
#   lab: kubernetes
#   severity: error
#   remediation: Give each container resources.requests and resources.limits for cpu and memory, with requests no larger than limits.
#   related: [kube-linter unset-cpu-requirements, kube-linter unset-memory-requirements, kube-score container-resources, Trivy KSV-0011, Trivy KSV-0015, Trivy KSV-0016, Trivy KSV-0018, Checkov CKV_K8S_10, Checkov CKV_K8S_11, Checkov CKV_K8S_12, Checkov CKV_K8S_13]
#   examples:
#     fail: |
#       apiVersion: v1
#       kind: Pod
#       metadata:
#         name: web
#       spec:
#         containers:
#           - name: web
#             image: nginx:1.27
#             resources:
#               requests: {cpu: 100m}
#     pass: |
#       apiVersion: v1
#       kind: Pod
#       metadata:
#         name: web
#       spec:
#         containers:
#           - name: web
#             image: nginx:1.27
#             resources:
#               requests: {cpu: 100m, memory: 64Mi}
#               limits: {cpu: 200m, memory: 128Mi}
package labcheck.kubernetes.container_resources

import data.labcheck.lib.k8s

wanted := [["requests", "cpu", "cpu request"], ["requests", "memory", "memory request"], ["limits", "cpu", "cpu limit"], ["limits", "memory", "memory limit"]]

deny contains {"msg": msg, "file": obj.file, "line": k8s.line(obj, concat(".", [c.path, "resources"]))} if {
	some obj in k8s.workloads
	some c in k8s.containers(obj)
	res := object.get(c.spec, "resources", {})
	missing := [w[2] | some w in wanted; not has(res, w[0], w[1])]
	count(missing) > 0
	msg := sprintf("%s: %s has no %s", [k8s.label(obj), k8s.container_label(c), concat(", ", missing)])
}

deny contains {"msg": msg, "file": obj.file, "line": k8s.line(obj, sprintf("%s.resources.requests.%s", [c.path, r]))} if {
	some obj in k8s.workloads
	some c in k8s.containers(obj)
	some r in ["cpu", "memory"]
	req := c.spec.resources.requests[r]
	lim := c.spec.resources.limits[r]
	k8s.quantity(req) > k8s.quantity(lim)
	msg := sprintf("%s: %s requests %s %v but its limit is %v; the API server rejects a request above the limit", [k8s.label(obj), k8s.container_label(c), r, req, lim])
}

has(res, kind, r) if {
	v := res[kind][r]
	v != null
}
