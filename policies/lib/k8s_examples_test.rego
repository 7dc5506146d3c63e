# Test data shared by the Kubernetes policies' tests: the objects of a
# passing MinIO submission as the lab's input carries them, and ways to
# build broken variants of it.
package labcheck.test.k8s

obj(file, line, api, kind, name, body) := {
	"file": file, "doc": 0, "line": line, "apiVersion": api, "kind": kind, "name": name,
	"namespace": object.get(body, ["metadata", "namespace"], ""),
	"object": object.union({"apiVersion": api, "kind": kind, "metadata": {"name": name}}, body),
	"lines": {},
}

# with_lines gives an object field lines, for tests about where a finding points.
with_lines(o, lines) := object.union(o, {"lines": lines})

# patch applies JSON patch operations to the object's document:
# patch(sts, [{"op": "replace", "path": "/spec/replicas", "value": 3}]).
patch(o, ops) := json.patch(o, [object.union(op, {"path": concat("", ["/object", op.path])}) | some op in ops])

namespace := obj("ns.yaml", 1, "v1", "Namespace", "minio", {})

quota := obj("quota.yaml", 1, "v1", "ResourceQuota", "minio-quota", {
	"metadata": {"namespace": "minio"},
	"spec": {"hard": {
		"requests.cpu": "2", "requests.memory": "4Gi", "limits.cpu": "4", "limits.memory": "4Gi",
		"requests.storage": "20Gi", "persistentvolumeclaims": "8", "pods": "8",
	}},
})

secret := obj("secret.yaml", 1, "v1", "Secret", "minio-credentials", {
	"metadata": {"namespace": "minio"},
	"stringData": {"rootUser": "minio-admin", "rootPassword": "change-me"},
})

storage_class := obj("sc.yaml", 1, "storage.k8s.io/v1", "StorageClass", "minio-local", {
	"provisioner": "rancher.io/local-path",
	"volumeBindingMode": "WaitForFirstConsumer",
})

headless := obj("svc.yaml", 1, "v1", "Service", "minio-headless", {
	"metadata": {"namespace": "minio"},
	"spec": {
		"clusterIP": "None", "publishNotReadyAddresses": true,
		"selector": {"app": "minio"},
		"ports": [{"name": "http-api", "port": 9000, "targetPort": "api"}],
	},
})

service := obj("svc.yaml", 20, "v1", "Service", "minio", {
	"metadata": {"namespace": "minio"},
	"spec": {
		"selector": {"app": "minio"},
		"ports": [
			{"name": "http-api", "port": 9000, "targetPort": "api"},
			{"name": "http-console", "port": 9001, "targetPort": 9001},
		],
	},
})

minio_container := {
	"name": "minio",
	"image": "quay.io/minio/minio:RELEASE.2025-04-22T22-12-26Z",
	"args": ["server", "http://minio-{0...3}.minio-headless.minio.svc.cluster.local/data", "--console-address", ":9001"],
	"env": [
		{"name": "MINIO_ROOT_USER", "valueFrom": {"secretKeyRef": {"name": "minio-credentials", "key": "rootUser"}}},
		{"name": "MINIO_ROOT_PASSWORD", "valueFrom": {"secretKeyRef": {"name": "minio-credentials", "key": "rootPassword"}}},
	],
	"ports": [{"name": "api", "containerPort": 9000}, {"name": "console", "containerPort": 9001}],
	"resources": {
		"requests": {"cpu": "250m", "memory": "512Mi"},
		"limits": {"cpu": "500m", "memory": "768Mi"},
	},
	"livenessProbe": {"httpGet": {"path": "/minio/health/live", "port": "api"}},
	"readinessProbe": {"httpGet": {"path": "/minio/health/ready", "port": "api"}},
	"securityContext": {"allowPrivilegeEscalation": false, "capabilities": {"drop": ["ALL"]}},
	"volumeMounts": [{"name": "data", "mountPath": "/data"}],
}

statefulset := obj("sts.yaml", 1, "apps/v1", "StatefulSet", "minio", {
	"metadata": {"namespace": "minio"},
	"spec": {
		"serviceName": "minio-headless",
		"replicas": 4,
		"podManagementPolicy": "Parallel",
		"selector": {"matchLabels": {"app": "minio"}},
		"template": {
			"metadata": {"labels": {"app": "minio"}},
			"spec": {
				"securityContext": {"runAsNonRoot": true, "runAsUser": 1000, "fsGroup": 1000},
				"affinity": {"podAntiAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [{
					"weight": 100,
					"podAffinityTerm": {"topologyKey": "kubernetes.io/hostname", "labelSelector": {"matchLabels": {"app": "minio"}}},
				}]}},
				"containers": [minio_container],
			},
		},
		"volumeClaimTemplates": [{
			"metadata": {"name": "data"},
			"spec": {
				"accessModes": ["ReadWriteOnce"],
				"storageClassName": "minio-local",
				"resources": {"requests": {"storage": "1Gi"}},
			},
		}],
	},
})

pdb := obj("pdb.yaml", 1, "policy/v1", "PodDisruptionBudget", "minio", {
	"metadata": {"namespace": "minio"},
	"spec": {"minAvailable": 3, "selector": {"matchLabels": {"app": "minio"}}},
})

# submission is the passing input with some objects replaced or added:
# objects are keyed by kind and name.
submission(changes) := {
	"objects": [o | some o in merged(changes)],
	"problems": [],
	"schema_errors": [],
	"expected": {"dir": "labs/kubernetes"},
}

base := [namespace, quota, secret, storage_class, headless, service, statefulset, pdb]

merged(changes) := array.concat(
	[o | some b in base; not replaced(changes, b); o := b],
	[c | some c in changes; not c.removed],
)

replaced(changes, b) if {
	some c in changes
	c.kind == b.kind
	c.name == b.name
}

# without removes an object from the submission: submission([without(pdb)]).
without(o) := {"kind": o.kind, "name": o.name, "removed": true}

passing := submission([])
