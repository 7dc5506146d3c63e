// Package dynamic is the contract between `labcheck verify` and the
// labcheck-verify executable: the flags one passes and the JSON result the
// other prints. It must stay light: cmd/labcheck links it, so it imports
// nothing that talks to Docker or Kubernetes.
package dynamic
