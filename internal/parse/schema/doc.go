// Package schema checks Kubernetes objects against the k8s.io/api types, as
// the API server would: strict decoding (unknown fields, wrong types) and the
// required fields it insists on. It judges nothing beyond the schema, and it
// leaves kinds it does not know (CRDs such as Istio's) alone.
package schema
