# METADATA
# title: Replicated pods are spread across nodes
# description: >-
#   Replicas protect against losing a node only if they run on different
#   nodes. Without pod anti-affinity or a topology spread constraint the
#   scheduler may put every MinIO pod on one node, and losing that node
#   loses quorum and the data with it. The anti-affinity term must select
#   the workload's own pods, on a node or zone topology key. (Preferred
#   anti-affinity keeps a one-node kind cluster schedulable.)
# custom:
#   id: K8S-017
#   name: pod-anti-affinity
#   lab: kubernetes
#   severity: error
#   remediation: Add spec.template.spec.affinity.podAntiAffinity (preferred or required) with topologyKey kubernetes.io/hostname and a labelSelector matching the pod labels, or a topologySpreadConstraints entry.
#   related: [kube-linter no-anti-affinity, kube-score statefulset-has-host-podantiaffinity, kube-score deployment-has-host-podantiaffinity]
#   examples:
#     fail: |
#       apiVersion: apps/v1
#       kind: StatefulSet
#       metadata:
#         name: minio
#       spec:
#         replicas: 4
#         serviceName: minio-headless
#         selector:
#           matchLabels: {app: minio}
#         template:
#           metadata:
#             labels: {app: minio}
#           spec:
#             containers:
#               - name: minio
#                 image: quay.io/minio/minio:RELEASE.2025-04-22T22-12-26Z
#     pass: |
#       apiVersion: apps/v1
#       kind: StatefulSet
#       metadata:
#         name: minio
#       spec:
#         replicas: 4
#         serviceName: minio-headless
#         selector:
#           matchLabels: {app: minio}
#         template:
#           metadata:
#             labels: {app: minio}
#           spec:
#             topologySpreadConstraints:
#               - maxSkew: 1
#                 topologyKey: kubernetes.io/hostname
#                 whenUnsatisfiable: ScheduleAnyway
#                 labelSelector:
#                   matchLabels: {app: minio}
#             containers:
#               - name: minio
#                 image: quay.io/minio/minio:RELEASE.2025-04-22T22-12-26Z
package labcheck.kubernetes.pod_anti_affinity

import data.labcheck.lib.k8s
import data.labcheck.lib.minio

topology_keys := {"kubernetes.io/hostname", "topology.kubernetes.io/zone", "topology.kubernetes.io/region", "failure-domain.beta.kubernetes.io/zone"}

replicated contains obj if {
	some obj in k8s.workloads
	obj.kind in {"Deployment", "StatefulSet", "ReplicaSet"}
	n := k8s.replicas(obj)
	is_number(n)
	n > 1
}

deny contains f if {
	some obj in replicated
	not spread(obj)
	not misdirected(obj)
	f := finding(obj, k8s.line(obj, concat(".", [k8s.pod_spec_path(obj), "affinity"])), sprintf("%s has no pod anti-affinity or topology spread: the scheduler may put all %d pods on one node, and losing that node loses them all; add podAntiAffinity on kubernetes.io/hostname selecting %s", [k8s.label(obj), k8s.replicas(obj), k8s.labels_text(k8s.pod_labels(obj))]))
}

deny contains f if {
	some obj in replicated
	not spread(obj)
	some t in terms(obj)
	f := finding(obj, k8s.line(obj, t.path), sprintf("%s: the %s selects %s, not this workload's pods (%s), so it does not spread them", [k8s.label(obj), t.what, selector_text(t.selector), k8s.labels_text(k8s.pod_labels(obj))]))
}

finding(obj, line, msg) := {"msg": msg, "file": obj.file, "line": line} if obj in minio.workloads

else := {"msg": msg, "file": obj.file, "line": line, "severity": "warning"}

# terms are the anti-affinity terms and spread constraints of a workload,
# each {"selector", "key", "path", "what"}.
terms(obj) := array.concat(
	array.concat(
		[t |
			some i, term in object.get(k8s.pod_spec(obj), ["affinity", "podAntiAffinity", "requiredDuringSchedulingIgnoredDuringExecution"], [])
			t := {"selector": object.get(term, "labelSelector", {}), "key": object.get(term, "topologyKey", ""), "path": sprintf("%s.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[%d]", [k8s.pod_spec_path(obj), i]), "what": "pod anti-affinity"}
		],
		[t |
			some i, w in object.get(k8s.pod_spec(obj), ["affinity", "podAntiAffinity", "preferredDuringSchedulingIgnoredDuringExecution"], [])
			term := object.get(w, "podAffinityTerm", {})
			t := {"selector": object.get(term, "labelSelector", {}), "key": object.get(term, "topologyKey", ""), "path": sprintf("%s.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[%d]", [k8s.pod_spec_path(obj), i]), "what": "pod anti-affinity"}
		],
	),
	[t |
		some i, c in object.get(k8s.pod_spec(obj), "topologySpreadConstraints", [])
		t := {"selector": object.get(c, "labelSelector", {}), "key": object.get(c, "topologyKey", ""), "path": sprintf("%s.topologySpreadConstraints[%d]", [k8s.pod_spec_path(obj), i]), "what": "topology spread constraint"}
	],
)

spread(obj) if {
	some t in terms(obj)
	t.key in topology_keys
	k8s.selector_matches(t.selector, k8s.pod_labels(obj))
}

misdirected(obj) if count(terms(obj)) > 0

selector_text(sel) := k8s.labels_text(object.get(sel, "matchLabels", {})) if count(object.get(sel, "matchExpressions", [])) == 0

else := "pods by expression"
