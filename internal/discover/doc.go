// Package discover walks a submitted tree and classifies what it finds:
// Dockerfiles, Kubernetes and Istio manifests, Helm charts, and the files
// the labs need beside them. It reads within the tree only (symlinks out of
// it are refused), enforces size and count limits, and parses nothing.
package discover
