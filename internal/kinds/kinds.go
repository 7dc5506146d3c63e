// Package kinds holds facts about Kubernetes kinds that both the static
// and the dynamic phase need, without importing the Kubernetes client
// libraries (the static binary stays lean: see TestStaticPathStaysLean).
package kinds

// clusterScoped are the built-in kinds that live in no namespace, as the
// API server of the lab's Kubernetes version (v1.34) reports them
// (`kubectl api-resources --namespaced=false`), leaving out the review and
// request kinds that are never written in a manifest.
var clusterScoped = map[string]bool{
	"APIService":                       true,
	"CSIDriver":                        true,
	"CSINode":                          true,
	"CertificateSigningRequest":        true,
	"ClusterRole":                      true,
	"ClusterRoleBinding":               true,
	"ComponentStatus":                  true,
	"CustomResourceDefinition":         true,
	"FlowSchema":                       true,
	"IngressClass":                     true,
	"MutatingWebhookConfiguration":     true,
	"Namespace":                        true,
	"Node":                             true,
	"PersistentVolume":                 true,
	"PriorityClass":                    true,
	"PriorityLevelConfiguration":       true,
	"RuntimeClass":                     true,
	"StorageClass":                     true,
	"ValidatingAdmissionPolicy":        true,
	"ValidatingAdmissionPolicyBinding": true,
	"ValidatingWebhookConfiguration":   true,
	"VolumeAttachment":                 true,
}

// ClusterScoped reports whether a built-in kind lives in no namespace.
// Custom kinds are taken as namespaced, as most are.
func ClusterScoped(kind string) bool { return clusterScoped[kind] }
