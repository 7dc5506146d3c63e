# METADATA
# title: The workloads fit their namespace's ResourceQuota
# description: >-
#   The API server refuses to create a pod or claim that would take its
#   namespace over a ResourceQuota: a StatefulSet whose replicas times their
#   limits exceed the quota starts some pods and leaves the rest missing,
#   with the reason only in the StatefulSet's events. MinIO without all its
#   pods never reaches quorum. The sum is taken over every workload of the
#   namespace (requests default to limits, init containers count as the
#   kubelet does), and claim templates count once per replica. When a quota
#   caps cpu or memory, every container must set that request or limit, or
#   its pods are rejected outright.
# custom:
#   id: K8S-023
#   name: workload-fits-quota
#   lab: kubernetes
#   severity: error
#   remediation: Raise the ResourceQuota, or lower the replicas' requests, limits or claim sizes until replicas x per-pod amounts fit.
#   examples:
#     fail: |
#       apiVersion: v1
#       kind: ResourceQuota
#       metadata:
#         name: quota
#       spec:
#         hard: {limits.memory: 4Gi}
#       ---
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
#                 resources:
#                   limits: {memory: 2Gi}
#     pass: |
#       apiVersion: v1
#       kind: ResourceQuota
#       metadata:
#         name: quota
#       spec:
#         hard: {limits.memory: 8Gi}
#       ---
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
#                 resources:
#                   limits: {memory: 2Gi}
package labcheck.kubernetes.workload_fits_quota

import data.labcheck.lib.k8s

# compute maps the quota keys about containers to [requests|limits, resource].
compute := {
	"requests.cpu": ["requests", "cpu"], "cpu": ["requests", "cpu"],
	"requests.memory": ["requests", "memory"], "memory": ["requests", "memory"],
	"limits.cpu": ["limits", "cpu"], "limits.memory": ["limits", "memory"],
	"requests.ephemeral-storage": ["requests", "ephemeral-storage"], "limits.ephemeral-storage": ["limits", "ephemeral-storage"],
}

counted_kinds := {"services": "Service", "secrets": "Secret", "configmaps": "ConfigMap"}

quotas contains [q, key, hard] if {
	some q in k8s.of_kind("ResourceQuota")
	some key, hard in object.get(q.object, ["spec", "hard"], {})
}

deny contains {"msg": msg, "file": top.obj.file, "line": k8s.line(top.obj, part_path(top))} if {
	some [q, key, hard] in quotas
	ns := k8s.namespace(q)
	parts := contributions(ns, key)
	count(parts) > 0
	total := sum([p.amount | some p in parts])
	limit := k8s.quantity(hard)
	total > limit
	biggest := max([p.amount | some p in parts])
	top := [p | some p in parts; p.amount == biggest][0]
	msg := sprintf("%s: %s%s exceeds ResourceQuota %s %s %v", [k8s.label(top.obj), part_text(top, key), others(parts, top, key, total, ns), q.name, key, hard])
}

# Pods whose containers leave out what the quota caps are rejected.
deny contains {"msg": msg, "file": w.file, "line": k8s.line(w, concat(".", [c.path, "resources"]))} if {
	some q in k8s.of_kind("ResourceQuota")
	ns := k8s.namespace(q)
	count(k8s.objects_in("LimitRange", ns)) == 0
	some w in k8s.workloads_in(ns)
	some c in k8s.containers(w)
	missing := sort({key |
		some key, _ in object.get(q.object, ["spec", "hard"], {})
		[kind, r] := compute[key]
		not sets(c, kind, r)
	})
	count(missing) > 0
	msg := sprintf("ResourceQuota %s caps %s, so the API server rejects the pods of %s: %s sets no %s", [q.name, concat(", ", missing), k8s.label(w), k8s.container_label(c), concat(", ", missing)])
}

sets(c, "requests", r) if c.spec.resources.requests[r] != null

sets(c, "requests", r) if c.spec.resources.limits[r] != null

sets(c, "limits", r) if c.spec.resources.limits[r] != null

# contributions lists what each object of namespace ns adds to a quota key:
# {"obj", "amount", "form"} and what part_text and part_path need to say
# how it adds up and where, which only a part that is reported pays for.
contributions(ns, key) := contributions_of(ns, key, form_of(key))

# form_of names how key is counted, so that contributions_of is chosen by
# an indexed argument rather than by trying each definition's condition.
form_of(key) := "resource" if compute[key]

form_of("pods") := "pods"

form_of(key) := "storage" if storage_key(key, "requests.storage")

form_of(key) := "claims" if storage_key(key, "persistentvolumeclaims")

form_of(key) := "count" if counted_kinds[key]

contributions_of(ns, key, "resource") := [p |
	[kind, r] := compute[key]
	some w in k8s.workloads_in(ns)
	n := k8s.replicas(w)
	is_number(n)
	per := per_pod(w, kind, r)
	per > 0
	p := {"obj": w, "amount": n * per, "form": "resource", "n": n, "per": per, "kind": kind, "r": r}
]

contributions_of(ns, _, "pods") := [p |
	some w in k8s.workloads_in(ns)
	n := k8s.replicas(w)
	is_number(n)
	p := {"obj": w, "amount": n, "form": "pods", "n": n}
]

contributions_of(ns, key, "storage") := [p |
	some cl in claims(ns)
	class_matches(key, cl.class)
	p := {"obj": cl.obj, "amount": cl.n * cl.storage, "form": "storage", "claim": cl}
]

contributions_of(ns, key, "claims") := [p |
	some cl in claims(ns)
	class_matches(key, cl.class)
	p := {"obj": cl.obj, "amount": cl.n, "form": "claims", "claim": cl}
]

contributions_of(ns, key, "count") := [p |
	some o in k8s.objects_in(counted_kinds[key], ns)
	p := {"obj": o, "amount": 1, "form": "count"}
]

# part_text says how a part adds up to its amount.
part_text(p, key) := sprintf("%s x %s %s = %s", [k8s.count_text(p.n, "replica"), key, k8s.format_quantity(key, p.per), k8s.format_quantity(key, p.amount)]) if p.form == "resource"

part_text(p, _) := sprintf("%s x 1 pod = %s", [k8s.count_text(p.n, "replica"), k8s.count_text(p.n, "pod")]) if p.form == "pods"

part_text(p, _) := sprintf("%s x %s %s = %s", [k8s.count_text(p.claim.n, "replica"), claim_what(p.claim), k8s.format_quantity("storage", p.claim.storage), k8s.format_quantity("storage", p.amount)]) if p.form == "storage"

part_text(p, _) := sprintf("%s x %s = %s", [k8s.count_text(p.claim.n, "replica"), claim_what(p.claim), k8s.count_text(p.claim.n, "claim")]) if p.form == "claims"

part_text(p, _) := sprintf("1 %s", [p.obj.kind]) if p.form == "count"

# part_path is the field a part's finding points at.
part_path(p) := resource_path(p.obj, p.kind, p.r) if p.form == "resource"

part_path(p) := "spec.replicas" if p.form == "pods"

part_path(p) := claim_path(p.claim) if p.form in {"storage", "claims"}

part_path(p) := "kind" if p.form == "count"

storage_key(key, what) if key == what

storage_key(key, what) if endswith(key, concat("", [".storageclass.storage.k8s.io/", what]))

class_matches(key, class) if not contains(key, ".storageclass.storage.k8s.io/")

class_matches(key, class) if startswith(key, concat("", [class, ".storageclass.storage.k8s.io/"]))

# claims are the claims of a namespace: one per replica for each claim
# template, and the PersistentVolumeClaim objects.
claims(ns) := array.concat(
	[cl |
		some w in k8s.objects_in("StatefulSet", ns)
		n := k8s.replicas(w)
		is_number(n)
		some i, t in object.get(w.object, ["spec", "volumeClaimTemplates"], [])
		storage := t.spec.resources.requests.storage
		cl := {"obj": w, "n": n, "storage": k8s.quantity(storage), "class": object.get(t.spec, "storageClassName", ""), "template": i}
	],
	[cl |
		some o in k8s.objects_in("PersistentVolumeClaim", ns)
		storage := o.object.spec.resources.requests.storage
		cl := {"obj": o, "n": 1, "storage": k8s.quantity(storage), "class": object.get(o.object.spec, "storageClassName", "")}
	],
)

claim_path(cl) := sprintf("spec.volumeClaimTemplates[%d].spec.resources.requests.storage", [cl.template]) if cl.template

else := "spec.resources.requests.storage"

claim_what(cl) := sprintf("claim template %s", [object.get(cl.obj.object.spec.volumeClaimTemplates[cl.template], ["metadata", "name"], cl.template)]) if cl.template

else := "claim"

# per_pod is what one pod of a workload asks for: its containers' sum, or
# its largest init container if that is more (requests default to limits).
per_pod(w, kind, r) := max([sum([amount(c, kind, r) | some c in k8s.containers(w); not c.init]), max(array.concat([0], [amount(c, kind, r) | some c in k8s.containers(w); c.init]))])

amount(c, "requests", r) := k8s.quantity(v) if {
	v := c.spec.resources.requests[r]
	v != null
} else := k8s.quantity(v) if {
	v := c.spec.resources.limits[r]
	v != null
} else := 0

amount(c, "limits", r) := k8s.quantity(v) if {
	v := c.spec.resources.limits[r]
	v != null
} else := 0

# resource_path points at the first container that sets the resource.
resource_path(w, kind, r) := paths[0] if {
	paths := [sprintf("%s.resources.%s.%s", [c.path, kind, r]) | some c in k8s.containers(w); c.spec.resources[kind][r]]
	count(paths) > 0
} else := sprintf("%s.resources", [k8s.containers(w)[0].path])

others(parts, top, key, total, ns) := "" if count(parts) == 1

else := sprintf(", plus %s for %s, makes %s in namespace %s, which", [
	k8s.format_quantity(key, total - top.amount),
	concat(", ", sort([k8s.label(p.obj) | some p in parts; p != top])),
	k8s.format_quantity(key, total), ns,
])
