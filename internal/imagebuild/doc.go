// Package imagebuild grades Lab 1 for real: it builds the student's
// Dockerfile with testcontainers-go (context = the Dockerfile's folder,
// .dockerignore honoured), runs the image locked down (no network, no
// capabilities, no host environment) to prove a non-root uid, and compares
// the final image's size with the builder stage's. It leaves no container or
// image behind, and never pulls when told to stay offline.
package imagebuild
