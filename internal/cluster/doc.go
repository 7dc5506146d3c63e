// Package cluster provisions the dynamic phase's throw-away Kubernetes
// cluster with kind's Go API: create, side-load images, stop a node, delete
// (on success, failure, timeout and cancellation), and clean up what killed
// runs left. It deploys nothing and must never touch the user's kubeconfig.
package cluster
