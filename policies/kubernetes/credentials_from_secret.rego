# METADATA
# title: Credentials come from a Secret
# description: >-
#   A password written into a manifest is readable by anyone who can read the
#   repository or `kubectl get statefulset -o yaml`, and ends up in every
#   copy and log of it. MinIO's root credentials belong in a Secret, read
#   through `secretKeyRef`. A MinIO without MINIO_ROOT_PASSWORD falls back to
#   the well-known minioadmin:minioadmin. A secretKeyRef to a key the Secret
#   lacks keeps the pod from starting (CreateContainerConfigError).
# custom:
#   id: K8S-014
#   name: credentials-from-secret
#   lab: kubernetes
#   severity: error
#   remediation: Put the credentials in a Secret and read them with env[].valueFrom.secretKeyRef (or envFrom.secretRef).
#   related: [kube-linter env-var-secret, Trivy KSV-0109, Checkov CKV_K8S_35]
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
#             env:
#               - {name: MINIO_ROOT_USER, value: admin}
#               - {name: MINIO_ROOT_PASSWORD, value: supersecret}
#     pass: |
#       apiVersion: v1
#       kind: Secret
#       metadata:
#         name: minio-credentials
#       stringData: {rootUser: admin, rootPassword: change-me}
#       ---
#       apiVersion: v1
#       kind: Pod
#       metadata:
#         name: minio
#       spec:
#         containers:
#           - name: minio
#             image: quay.io/minio/minio:RELEASE.2025-04-22T22-12-26Z
#             env:
#               - name: MINIO_ROOT_USER
#                 valueFrom: {secretKeyRef: {name: minio-credentials, key: rootUser}}
#               - name: MINIO_ROOT_PASSWORD
#                 valueFrom: {secretKeyRef: {name: minio-credentials, key: rootPassword}}
package labcheck.kubernetes.credentials_from_secret

import data.labcheck.lib.k8s
import data.labcheck.lib.minio
import data.labcheck.lib.secrets

env_vars contains [obj, c, i, e] if {
	some obj in k8s.workloads
	some c in k8s.containers(obj)
	some i, e in object.get(c.spec, "env", [])
}

deny contains {"msg": msg, "file": obj.file, "line": k8s.line(obj, sprintf("%s.env[%d]", [c.path, i]))} if {
	some [obj, c, i, e] in env_vars
	secrets.secret_name(e.name)
	secrets.credential(object.get(e, "value", ""))
	msg := sprintf("%s: %s sets %s to a literal value in the manifest; move it into a Secret and read it with valueFrom.secretKeyRef", [k8s.label(obj), k8s.container_label(c), e.name])
}

deny contains {"msg": msg, "file": obj.file, "line": k8s.line(obj, sprintf("%s.env[%d]", [c.path, i]))} if {
	some [obj, c, i, e] in env_vars
	secrets.secret_name(e.name)
	ref := e.valueFrom.configMapKeyRef
	msg := sprintf("%s: %s reads %s from ConfigMap %s, which is not secret; use a Secret and secretKeyRef", [k8s.label(obj), k8s.container_label(c), e.name, object.get(ref, "name", "")])
}

deny contains {"msg": msg, "file": obj.file, "line": k8s.line(obj, sprintf("%s.env[%d]", [c.path, i]))} if {
	some [obj, c, i, e] in env_vars
	ref := e.valueFrom.secretKeyRef
	not object.get(ref, "optional", false)
	some s in named_secrets(object.get(ref, "name", ""), k8s.namespace(obj))
	not object.get(ref, "key", "") in secret_keys(s)
	msg := sprintf("%s: %s reads key %s of Secret %s, which has no such key (it has %s); the pod cannot start (CreateContainerConfigError)", [k8s.label(obj), k8s.container_label(c), object.get(ref, "key", ""), s.name, keys_text(s)])
}

deny contains {"msg": msg, "file": obj.file, "line": k8s.line(obj, sprintf("%s.env[%d]", [c.path, i])), "severity": "warning"} if {
	some [obj, c, i, e] in env_vars
	ref := e.valueFrom.secretKeyRef
	not object.get(ref, "optional", false)
	count(named_secrets(object.get(ref, "name", ""), k8s.namespace(obj))) == 0
	msg := sprintf("%s: %s reads %s from Secret %s, which is not in the submission (namespace %s); the pod cannot start until someone creates it", [k8s.label(obj), k8s.container_label(c), e.name, object.get(ref, "name", ""), k8s.namespace(obj)])
}

deny contains {"msg": msg, "file": obj.file, "line": k8s.line(obj, c.path)} if {
	some obj in minio.workloads
	c := minio.container(obj)
	not has_root_password(obj, c)
	msg := sprintf("%s: MinIO container %s sets no MINIO_ROOT_PASSWORD, so MinIO starts with the well-known minioadmin:minioadmin; set MINIO_ROOT_USER and MINIO_ROOT_PASSWORD from a Secret with secretKeyRef", [k8s.label(obj), c.name])
}

password_vars := {"MINIO_ROOT_PASSWORD", "MINIO_SECRET_KEY", "MINIO_ROOT_PASSWORD_FILE", "MINIO_SECRET_KEY_FILE"}

has_root_password(obj, c) if {
	some e in object.get(c.spec, "env", [])
	e.name in password_vars
}

has_root_password(obj, c) if {
	some src in object.get(c.spec, "envFrom", [])
	name := src.secretRef.name
	provides_password(name, k8s.namespace(obj), object.get(src, "prefix", ""))
}

provides_password(name, ns, prefix) if count(named_secrets(name, ns)) == 0

provides_password(name, ns, prefix) if {
	some s in named_secrets(name, ns)
	some k in secret_keys(s)
	concat("", [prefix, k]) in password_vars
}

named_secrets(name, ns) := k8s.named("Secret", ns, name)

secret_keys(s) := {k | some k, _ in object.get(s.object, "data", {})} | {k | some k, _ in object.get(s.object, "stringData", {})}

keys_text(s) := "no keys" if count(secret_keys(s)) == 0

else := concat(", ", sort(secret_keys(s)))
