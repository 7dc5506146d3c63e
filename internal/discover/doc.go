// Package discover walks a submitted tree and classifies what it finds:
// Dockerfiles, Kubernetes and Istio manifests, Helm charts, and the files
// the labs need beside them. Names decide where they are unambiguous; a
// Dockerfile by another name (Dockerfile.release, a file given as PATH)
// and YAML are confirmed by a look at their content. Where one folder holds
// several Dockerfiles, the one that is built is kept. It reads within the
// tree only (symlinks out of it are refused), enforces size and count
// limits, and parses nothing.
package discover
