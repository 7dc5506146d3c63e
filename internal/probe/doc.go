// Package probe proves a deployed MinIO is highly available: through a
// port-forward and the MinIO Go client it writes objects with known
// checksums, kills a member (a pod, or a node) while reading and writing,
// waits for recovery and reads everything back. It deploys nothing; every
// request and wait is bounded.
package probe
