# METADATA
# title: Namespaces the objects use are created
# description: >-
#   `kubectl apply -f labs/kubernetes/` fails for every object whose
#   namespace does not exist yet ("namespaces \"minio\" not found"). A
#   submission that puts its objects in their own namespace should create it
#   with a Namespace object, which also carries the namespace's labels (Pod
#   Security level).
# custom:
#   id: K8S-025
#   name: namespace-defined
#   lab: kubernetes
#   severity: warning
#   remediation: Add a Namespace object (apiVersion v1, kind Namespace) named like the objects' metadata.namespace.
#   examples:
#     fail: |
#       apiVersion: v1
#       kind: Secret
#       metadata:
#         name: minio-credentials
#         namespace: minio
#     pass: |
#       apiVersion: v1
#       kind: Namespace
#       metadata:
#         name: minio
#       ---
#       apiVersion: v1
#       kind: Secret
#       metadata:
#         name: minio-credentials
#         namespace: minio
package labcheck.kubernetes.namespace_defined

import data.labcheck.lib.k8s

builtin := {"default", "kube-system", "kube-public", "kube-node-lease"}

defined := {o.name | some o in k8s.of_kind("Namespace")}

deny contains {"msg": msg, "file": first[0], "line": first[1]} if {
	some ns in {o.namespace | some o in input.objects; o.namespace != ""}
	not ns in builtin
	not ns in defined
	users := sort([[o.file, k8s.line(o, "metadata.namespace"), k8s.label(o)] | some o in k8s.in_namespace(ns)])
	first := users[0]
	msg := sprintf("%s is in namespace %s, which no Namespace object of the submission creates (%s use it); kubectl apply fails until it exists, so add a Namespace %s", [first[2], ns, k8s.count_text(count(users), "object"), ns])
}
