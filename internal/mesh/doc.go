// Package mesh grades Lab 4 against a real API server: it installs Istio's
// CRDs (embedded from the istio.io/api module, never downloaded), submits
// the student's Istio objects with server-side dry run so that the API
// server's validation decides, and checks every route destination against
// the Services actually deployed. It installs no Istio control plane.
package mesh
